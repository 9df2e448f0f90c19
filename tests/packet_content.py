"""A small content root for the packet tests, written into a temporary folder.

Settings and templates are the worked example's (Norddjurs); the cases are made
for the tests: an open item with a public and a non-public bilag and personal
data marked ||…||, a short open item, and a closed item.  Every field the
public version must not show carries its own marker (``MARKERS``), so a test
can look for each one in every byte of the output.

Bilag are tiny hand-written PDFs (Helvetica, no fonts embedded) whose pages say
what they are ("QWBILAG 1 side 2"), including a rotated page and a landscape
page, so the stamps can be checked on odd geometry.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sagsfremstilling.synthtext import pdf_file

REPO = Path(__file__).resolve().parents[1]

MARKERS = {
    "title": "QXTITELHEMMELIG",
    "case_number": "QXSAGSNR",
    "section": "QXSEKTIONTEKST",
    "background": "QXBAGGRUNDTEKST",
    "indstiller": "QXINDSTILLER",
    "indstilling": "QXINDSTILLINGTEKST",
    "point": "QXINDSTILLINGPUNKT",
    "decision": "QXBESLUTNINGTEKST",
    "absent": "QXFRAVAERENDE",
    "no_show": "QXUDEBLEVET",
    "voter": "QXSTEMMER",
    "statement": "QXUDTALELSE",
    "closed_bilag_title": "QXLUKKETBILAGTITEL",
    "closed_bilag_text": "QXLUKKETBILAGINDHOLD",
    "closed_bilag_file": "qxlukketbilagfil",
    "private_bilag_title": "QXSKJULTBILAGTITEL",
    "private_bilag_text": "QXSKJULTBILAGINDHOLD",
    "private_bilag_file": "qxskjultbilagfil",
    "person": "QXPERSONNAVN",
    "title_person": "QXTITELPERSON",
    "bilag_person": "QXBILAGPERSON",
    "reason_person": "QXGRUNDPERSON",
    "inhabil": "QXINHABIL",
    "habil": "QXHABIL",
    "habil_vote": "QXHABILAFSTEMNING",
    "amendment": "QXAENDRINGSFORSLAG",
    "extra_heading": "QXEKSTRAOVERSKRIFT",
    "extra_text": "QXEKSTRATEKST",
}
"""Field → a string found nowhere else.  The two file-name markers are in the
source file names only: outputs name bilag after their titles.  The ``*_person``
markers are personal data marked ||…|| in one-line fields of open items (a
title, a bilag title, a reason for absence); ``make_root(marks=True)`` puts
them in."""

FILE_MARKERS = {"closed_bilag_file", "private_bilag_file"}
PUBLIC_TITLE = "Salg af ejendom"
PUBLIC_BILAG_TEXT = "QWOFFENTLIGTBILAG"


def pdf_pages(pages: list[tuple[str, float, float, int]]) -> bytes:
    """A PDF with one text line per page: (text, width, height, rotate)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for line, w, h, rotate in pages:
        stream = f"BT /F1 14 Tf 60 {h - 100:.0f} Td ({line}) Tj ET".encode("latin-1")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
        kids.append(len(objects) + 1)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Rotate {rotate} "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>".encode())
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    return pdf_file(objects)


A4 = (595.28, 841.89)

OPEN_CASE = """\
titel: Cykelsti mellem Ørsted og Allingåbro
sagsnummer: 22/4711
sagsgang:
  - udvalg: ØK
    dato: 2022-11-08
    beslutning:
      udfald: anbefalet
  - udvalg: KB
    dato: 2022-11-15
    beslutning:
      tekst: Godkendt som indstillet.
      afstemninger:
        - for: {{partier: [A, V, C]}}
          imod: {{partier: [O]}}
sagsfremstilling: |
  Borgeren ||Jens {person} Hansen|| har skrevet til kommunen om stien.

  Stien bliver 3,2 km lang.
indstilling:
  indstiller: Vej- og ejendomschefen
  tekst: "det godkendes, at"
  punkter:
    - stien anlægges i 2023
bilag:
  - titel: Kort over strækningen{bilag_mark}
    fil: bilag/2022/kort.pdf
  - titel: Ansøgning fra {private_bilag_title}
    fil: bilag/2022/{private_bilag_file}.pdf
    offentlig: nej
"""

SHORT_CASE = """\
titel: Orientering om vintertjeneste{title_mark}
sagstype: orientering
sagsgang:
  - udvalg: KB
    dato: 2022-11-15
    beslutning:
      udfald: taget_til_efterretning
sagsfremstilling: Vintertjenesten kører som sidste år.
"""

CLOSED_CASE = """\
titel: Salg af {title} Kirkestien 4
offentlig_titel: {public_title}
lukket: ja
sagsnummer: 22-{case_number}
sagsgang:
  - udvalg: KB
    dato: 2022-11-15
    beslutning:
      tekst: Salget godkendes. {decision}
      afbud:
        - {{navn: Karl {absent}, parti: V, grund: ferie}}
      uden_afbud:
        - {{navn: Bo {no_show}, parti: O}}
      inhabilitet:
        - {{navn: Ib {inhabil}, parti: F}}
        - navn: Eva {habil}
          parti: C
          inhabil: nej
          afstemning: {{emne: "{habil_vote}", for: {{antal: 5}}}}
      ændringsforslag:
        - {{af: O, punkt: 1, tekst: "{amendment}", udfald: forkastet}}
      afstemninger:
        - for:
            medlemmer: [{{navn: Ole {voter}, parti: A}}]
          imod: {{partier: [O]}}
      udtalelser:
        - art: protokolbemærkning
          af: O
          tekst: Vi ønsker {statement} ført til protokol.
sagsfremstilling: Køberen tilbyder {section} kr.
baggrund: Ejendommen har stået tom, {background}.
indstilling:
  indstiller: Direktør {indstiller}
  tekst: "{indstilling} det godkendes, at"
  punkter:
    - ejendommen sælges, {point}
ekstra_sektioner:
  - overskrift: "{extra_heading}"
    fra: 2022-11-15
    tekst: "{extra_text}"
bilag:
  - titel: Bud fra {closed_bilag_title}
    fil: bilag/2022/{closed_bilag_file}.pdf
    fra: 2022-11-15
"""

KB_MEETING = """\
udvalg: KB
dato: 2022-11-15
start: "16:00"
slut: "19:30"
sted: Byrådssalen, Rådhuset, Grenaa
status: {status}
afbud:
  - {{navn: Diana Therese Mikkelsen, grund: "{reason}"}}
punkter:
  - sag: 2022/lukket-sag
  - sag: 2022/aaben-sag
  - sag: 2022/kort-sag
godkendelse_af_dagsorden: Godkendt.
hævet: "19.12"
"""

OEK_MEETING = """\
udvalg: ØK
dato: 2022-11-08
start: "08:00"
sted: Mødelokale 1, Rådhuset, Grenaa
status: godkendt
punkter:
  - sag: 2022/aaben-sag
"""


def make_root(dest: Path, *, status: str = "afholdt", publish_closed: bool = False,
              numbering: str = "pr_møde", reason: str = "sygdom", marks: bool = False,
              conflicts_on_cover: bool = False) -> Path:
    """Write the test content root into ``dest``; returns it.  ``conflicts_on_cover``
    asks for the referat's cover list of inhabile members (møde.forside.inhabilitet)."""
    dest.mkdir(parents=True, exist_ok=True)
    settings = (REPO / "sagsfremstilling.yaml").read_text(encoding="utf-8")
    settings = re.sub(r"offentliggør_beslutning: \w+",
                      f"offentliggør_beslutning: {'ja' if publish_closed else 'nej'}", settings)
    settings = re.sub(r"^nummerering: \w+", f"nummerering: {numbering}", settings, flags=re.M)
    if conflicts_on_cover:
        settings = settings.replace("\nmøde:\n", "\nmøde:\n  forside:\n    inhabilitet: 'Inhabilitet:'\n", 1)
    (dest / "sagsfremstilling.yaml").write_text(settings, encoding="utf-8")
    shutil.copytree(REPO / "templates", dest / "templates",
                    ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    values = {**MARKERS, "public_title": PUBLIC_TITLE,
              "title_mark": f" hos ||{MARKERS['title_person']}||" if marks else "",
              "bilag_mark": f" fra ||{MARKERS['bilag_person']}||" if marks else ""}
    if marks:
        reason = f"||{MARKERS['reason_person']}||"
    files = {
        "cases/2022/aaben-sag.yaml": OPEN_CASE.format(**values),
        "cases/2022/kort-sag.yaml": SHORT_CASE.format(**values),
        "cases/2022/lukket-sag.yaml": CLOSED_CASE.format(**values),
        "meetings/kb-2022-11-15.yaml": KB_MEETING.format(status=status, reason=reason),
        "meetings/oek-2022-11-08.yaml": OEK_MEETING,
    }
    for rel, body in files.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(body, encoding="utf-8")
    bilag = dest / "bilag" / "2022"
    bilag.mkdir(parents=True, exist_ok=True)
    (bilag / "kort.pdf").write_bytes(pdf_pages([
        (f"{PUBLIC_BILAG_TEXT} side 1", *A4, 0),
        (f"{PUBLIC_BILAG_TEXT} side 2 roteret", *A4, 90),
        (f"{PUBLIC_BILAG_TEXT} side 3 liggende", A4[1], A4[0], 0),
    ]))
    (bilag / f"{MARKERS['private_bilag_file']}.pdf").write_bytes(pdf_pages([
        (f"{MARKERS['private_bilag_text']} side 1", *A4, 0)]))
    (bilag / f"{MARKERS['closed_bilag_file']}.pdf").write_bytes(pdf_pages([
        (f"{MARKERS['closed_bilag_text']} side 1", *A4, 0),
        (f"{MARKERS['closed_bilag_text']} side 2", *A4, 0)]))
    return dest
