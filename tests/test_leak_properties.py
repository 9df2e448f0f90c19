"""Leak properties: generated meetings whose every field carries its own marker.

``test_leaks.py`` proves one hand-written meeting; here hypothesis writes the
meetings.  Each example is a content root on disk: one KB meeting with one or
two closed items and one or two open items, each field of each case filled
with a unique marker (``QZ`` + serial + random letters) followed by random
hostile text (Markdown, Jinja, Typst, HTML, control characters, bidi overrides
…).  Every marker is one of

* **secret**: a closed item's fields (title, case number, sections, indstilling,
  bilag, decision, names, votes, statements), a non-public bilag (its title,
  its file name, its pages) and every ``||personal data||`` span: it must be
  absent from every byte of the public version, file names included, compared
  without case (file names are lower-case slugs) and with PDF text squashed;
* **public**: an open item's own text and a closed item's public title: the
  public version must show it (so the search is known to find what is there);

and every printed marker must be in the internal version.

Two levels, because a full packet costs seconds:

* ``test_item_papers_index_and_json_leak_nothing``: 200 examples (one open item
  each, for time).  Both
  audiences are planned with ``packet.plan_meeting``; every item paper is
  rendered in all three formats with ``packet.render_item`` (compose and the
  writers), plus ``index.html`` and ``moede.json``; the public plan's bilag list
  is checked too.  Nothing is written to build/.
* ``test_full_builds_leak_nothing``: 12 examples through ``packet.write_meeting``:
  both folders in full (packets with merged bilag, outlines and stamps, bilag
  copies, index, OParl JSON, manifest), every file and every file name.

Both use a fixed seed (``derandomize=True``), so a run is repeatable.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packet_content import A4, pdf_pages
from pypdf import PdfReader
from test_hostile import haystack

from sagsfremstilling import packet
from sagsfremstilling.check import validate_project
from sagsfremstilling.project import load_project
from sagsfremstilling.writers import RenderOptions

REPO = Path(__file__).resolve().parents[1]
OPTIONS = RenderOptions(templates=REPO / "templates", timestamp=1_668_470_400)
MEETING = "kb-2022-11-15"
PLACEHOLDER = "[personoplysning udeladt]"

# ---------------------------------------------------------------- generated meetings

_SNIPPETS = [
    "{{ 7*7 }}", "{% for x in y %}", "#read(\"/etc/passwd\")", "#import \"@preview/x:0.1.0\"",
    "$ x $", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[klik](javascript:x)",
    "[link](https://norddjurs.dk)", "*", "**", "_", "`", "# ", "> ", "- ", "1. ", "\\", "&amp;",
    "]]>", "\x0b", "\x0c", "\x00", "\x1b", "\u202e", "\u2066", "\ufeff", "\u00ad", "\u200b",
    "\ue000", "e\u0301", "👍", "æøå", "\n", "\n\n", "  \n", "'", "\"", ":", " #", "---",
    "||", " || ", "|", "\n| a || b |\n|---|---|---|\n",
]
"""Hostile pieces for the text after each marker, stray ``||`` included: in public a
stray bar may withhold more text, never print a marked one."""

_hostile = st.lists(st.one_of(st.sampled_from(_SNIPPETS), st.text(max_size=4)), max_size=4).map("".join)


@dataclass
class Example:
    """One generated content root, before it is written, and what each marker must do."""

    files: dict[str, str] = field(default_factory=dict)
    pdfs: dict[str, bytes] = field(default_factory=dict)
    secret: set[str] = field(default_factory=set)
    """Must be in no byte of the public version, nor in its file names."""
    internal: set[str] = field(default_factory=set)
    """Printed text: must be in the internal item papers."""
    public: set[str] = field(default_factory=set)
    """Printed text the public may read: must be in the public version."""
    bilag_internal: set[str] = field(default_factory=set)
    bilag_public: set[str] = field(default_factory=set)
    """Text on bilag pages: in the bilag copies and packets of full builds only."""
    titles: dict[str, str] = field(default_factory=dict)
    """Case id → the marker its title starts with."""
    serial: int = 0

    def write(self, root: Path) -> Path:
        root.mkdir(parents=True)
        shutil.copy(REPO / "sagsfremstilling.yaml", root)
        for rel, text in self.files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        for rel, data in self.pdfs.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        return root


class _Maker:
    """Draws markers and the text around them, recording what each must do."""

    def __init__(self, draw: Any, ex: Example):
        self.draw, self.ex = draw, ex

    def marker(self) -> str:
        self.ex.serial += 1
        tag = self.draw(st.text(string.ascii_uppercase, min_size=2, max_size=5))
        return f"QZ{self.ex.serial:03d}{tag}"

    def text(self, kind: str, *, printed: bool = True) -> str:
        """A marker first (so Markdown cannot make it vanish), then hostile text.

        ``kind``: "secret" (a closed item's text), "open" (an open item's text),
        "public-only" (a closed item's public title, which only the public version prints)
        or "superseded" (a section's version a later one replaced before this meeting:
        printed nowhere, so it must not be in public)."""
        m = self.marker()
        if kind in ("secret", "superseded"):
            self.ex.secret.add(m)
        if kind in ("open", "public-only"):
            self.ex.public.add(m)
        if printed and kind not in ("public-only", "superseded"):
            self.ex.internal.add(m)
        return f"{m} {self.draw(_hostile)}".rstrip()

    def personal(self) -> str:
        """A ||marked|| span: printed internally, secret in public."""
        m = self.marker()
        self.ex.secret.add(m)
        self.ex.internal.add(m)
        return f"||{m} {self.draw(_hostile).strip()}||".replace(" ||", "||")


_SECTIONS = ["resume", "sagsfremstilling", "baggrund", "lovgrundlag", "høring", "sammenhæng",
             "økonomi", "personale"]


def _decision(mk: _Maker, kind: str, points: int) -> dict[str, Any]:
    d: dict[str, Any] = {"tekst": mk.text(kind)}
    if kind == "open":
        d["tekst"] += " " + mk.personal()
    if points and mk.draw(st.booleans()):
        d["ad"] = [{"punkter": "1", "tekst": mk.text(kind)}]
    if mk.draw(st.booleans()):
        d["bemærkninger"] = mk.text(kind)
    if kind == "secret":
        if mk.draw(st.booleans()):
            d["afbud"] = [{"navn": mk.text(kind), "parti": "V", "grund": mk.text(kind)}]
        if mk.draw(st.booleans()):
            d["uden_afbud"] = [{"navn": mk.text(kind), "parti": "O", "grund": mk.text(kind)}]
        if mk.draw(st.booleans()):
            d["udtalelser"] = [{"art": "protokolbemærkning", "af": mk.text(kind),
                                "tekst": mk.text(kind)}]
        if mk.draw(st.booleans()):
            d["afstemninger"] = [{"for": {"partier": ["A"],
                                          "medlemmer": [{"navn": mk.text(kind), "parti": "A"}]},
                                  "imod": {"partier": ["O"]}, "resultat": mk.text(kind)}]
        if points and mk.draw(st.booleans()):
            d["ændringsforslag"] = [{"af": mk.text(kind), "tekst": mk.text(kind), "punkt": 1,
                                     "udfald": "forkastet"}]
        if mk.draw(st.booleans()):  # a member found not inhabil, and the vote on it
            d["inhabilitet"] = [{"navn": mk.text(kind), "parti": "C", "inhabil": "nej",
                                 "begrundelse": mk.text(kind),
                                 "afstemning": {"emne": mk.text(kind), "for": {"antal": 5}}}]
    else:
        d["afbud"] = [{"navn": "Karl Gæst", "parti": "V", "grund": mk.personal()}]
        if mk.draw(st.booleans()):
            d["inhabilitet"] = [{"navn": "Eva Gæst", "parti": "C", "inhabil": "nej",
                                 "begrundelse": mk.personal()}]
    return d


def _case(mk: _Maker, closed: bool) -> tuple[dict[str, Any], str]:
    kind = "secret" if closed else "open"
    title = mk.text(kind)
    case: dict[str, Any] = {"titel": title}
    if closed:
        case["offentlig_titel"] = mk.text("public-only")
        case["lukket"] = "ja"
        for unprinted in ("kle", "dokumentnummer", "enhed", "sagsbehandler"):
            if mk.draw(st.booleans()):
                case[unprinted] = mk.text(kind, printed=False)
    else:
        case["titel"] += " hos " + mk.personal()
    if mk.draw(st.booleans()):
        m = mk.marker()  # a case number is not Markdown: no marks, no hostile text
        (mk.ex.secret if closed else mk.ex.public).add(m)
        mk.ex.internal.add(m)
        case["sagsnummer"] = f"{m}/22"
    case["sagstype"] = mk.draw(st.sampled_from(["beslutning", "orientering", "drøftelse"]))
    for key in mk.draw(st.lists(st.sampled_from(_SECTIONS), min_size=1, max_size=3, unique=True)):
        case[key] = mk.text(kind) + ("\n\n" + mk.personal() if mk.draw(st.booleans()) else "")
        if mk.draw(st.booleans()):  # in versions: the meeting's is the later one
            case[key] = [{"tekst": mk.text("superseded")}, {"fra": "2022-11-15", "tekst": case[key]}]
    if mk.draw(st.booleans()):
        case["ekstra_sektioner"] = [{"overskrift": mk.text(kind), "tekst": mk.text(kind),
                                     **({"fra": "2022-11-15"} if mk.draw(st.booleans()) else {})}]
    points = mk.draw(st.integers(0, 2))
    indstilling: dict[str, Any] = {"indstiller": mk.text(kind)}
    if not closed and mk.draw(st.booleans()):
        indstilling["indstiller"] += " " + mk.personal()
    if points:
        indstilling["punkter"] = [mk.text(kind) for _ in range(points)]
    case["indstilling"] = indstilling
    if bilag := _bilag(mk, closed):
        case["bilag"] = bilag
    case["sagsgang"] = [{"udvalg": "KB", "dato": "2022-11-15",
                         "beslutning": _decision(mk, kind, points)}]
    return case, title.split(" ", 1)[0]


def _bilag(mk: _Maker, closed: bool) -> list[dict[str, Any]]:
    out = []
    for public_file in mk.draw(st.lists(st.booleans(), min_size=0 if closed else 1, max_size=3)):
        secret = closed or not public_file
        stem = mk.marker().lower()  # the source file name: in no output (bilag are renamed)
        if secret:
            mk.ex.secret.add(stem)
        content = mk.marker()
        mk.ex.bilag_internal.add(content)
        (mk.ex.secret if secret else mk.ex.bilag_public).add(content)
        mk.ex.pdfs[f"bilag/2022/{stem}.pdf"] = pdf_pages([(f"{content} side 1", *A4, 0)])
        title = mk.text("secret" if secret else "open")
        if not secret and mk.draw(st.booleans()):
            title += " fra " + mk.personal()
        out.append({"titel": title, "fil": f"bilag/2022/{stem}.pdf",
                    "offentlig": "ja" if public_file else "nej"})
    return out


@st.composite
def examples(draw: Any, most_open: int = 2) -> Example:
    ex = Example()
    mk = _Maker(draw, ex)
    closed = draw(st.integers(1, 2))
    opened = draw(st.integers(1, most_open))
    ids = []
    for is_closed in [True] * closed + [False] * opened:
        stem = mk.marker().lower()  # the case's file name: secret for a closed case
        if is_closed:
            ex.secret.add(stem)
        cid = f"2022/{stem}"
        ids.append(cid)
        case, ex.titles[cid] = _case(mk, is_closed)
        ex.files[f"cases/{cid}.yaml"] = _dump(case)
    meeting = {"udvalg": "KB", "dato": "2022-11-15", "start": "16:00",
               "status": draw(st.sampled_from(["afholdt", "godkendt"])),
               "punkter": [{"sag": cid} for cid in draw(st.permutations(ids))],
               "fast_rækkefølge": draw(st.sampled_from(["ja", "nej"]))}
    ex.files[f"meetings/{MEETING}.yaml"] = _dump(meeting)
    return ex


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)


def _load(root: Path) -> Any:
    project, problems = load_project(root)
    problems += validate_project(project)
    assert not problems, "\n".join(map(str, problems))  # a generator bug, not a leak
    return project


# ---------------------------------------------------------------- searching the outputs

def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u00ad", "").replace("-\n", ""))


def _found(marker: str, hay: str, squashed: str) -> bool:
    needle = marker.lower()
    return needle in hay or needle in squashed


def _search(hay: str) -> tuple[str, str]:
    lowered = hay.lower()
    return lowered, _squash(lowered)


def _hay(rel: str, data: bytes, tmp: Path, *, full: bool) -> str:
    """The haystack of one output given as bytes, with its name.  ``full``: every byte a
    reader could get at (the public side); else what the paper shows (enough to prove the
    search finds a marker that is there, and a third of the time for a PDF)."""
    if full or not rel.endswith(".pdf"):
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return rel + "\n" + haystack([path])
    reader = PdfReader(io.BytesIO(data))
    return "\n".join([rel, *(page.extract_text() or "" for page in reader.pages),
                      repr(dict(reader.metadata or {}))])


def _assert_no_leak(ex: Example, public: tuple[str, str], where: str) -> None:
    leaked = sorted(m for m in ex.secret if _found(m, *public))
    assert not leaked, f"{where}: secret markers in the public version: {leaked}"


# ---------------------------------------------------------------- level 1: item papers, index, JSON

LEAK = settings(derandomize=True, deadline=None, max_examples=200,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


@LEAK
@given(examples(most_open=1))  # one open item: the paper level is about volume, not variety
def test_item_papers_index_and_json_leak_nothing(tmp_path_factory: pytest.TempPathFactory,
                                                  ex: Example) -> None:
    tmp = tmp_path_factory.mktemp("leak")
    project = _load(ex.write(tmp / "root"))
    outputs: dict[str, dict[str, bytes]] = {}
    names: dict[str, str] = {}
    for audience in packet.AUDIENCES:
        plan = packet.plan_meeting(project, MEETING, audience)
        files: dict[str, bytes] = {}
        for item in plan.items:
            if item.has_files:
                for fmt in packet.ITEM_FORMATS:
                    files[f"punkter/{item.stem}.{fmt}"] = packet.render_item(
                        project, plan, item, fmt, OPTIONS)
        files["index.html"] = packet.render_index_html(project, plan, OPTIONS)
        files["moede.json"] = packet.render_oparl_json(project, plan, OPTIONS, dict(files))
        json.loads(files["moede.json"])
        outputs[audience] = files
        # the bilag's names only: copying them is the full build's
        names[audience] = "\n".join(rel for rel, _source in packet.bilag_files(project, plan))

    hay = {audience: {rel: _hay(rel, data, tmp / audience, full=audience == "offentlig")
                      for rel, data in files.items()}
           for audience, files in outputs.items()}
    internal = _search("\n".join(hay["intern"].values()) + names["intern"])
    public = _search("\n".join(hay["offentlig"].values()) + names["offentlig"])
    _assert_no_leak(ex, public, "item papers, index.html, moede.json, bilag names")
    missing = sorted(m for m in ex.internal if not _found(m, *internal))
    assert not missing, f"the internal version lacks {missing}: the search would miss a leak"
    missing = sorted(m for m in ex.public if not _found(m, *public))
    assert not missing, f"the public version lacks {missing}"
    assert PLACEHOLDER.lower() in public[0]
    plan = packet.plan_meeting(project, MEETING, "intern")
    for item in plan.items:  # each format of each paper shows its own title
        for fmt in packet.ITEM_FORMATS:
            rel = f"punkter/{item.stem}.{fmt}"
            assert _found(ex.titles[str(item.case_id)], *_search(hay["intern"][rel])), rel


# ---------------------------------------------------------------- level 2: full builds

BUILD = settings(LEAK, max_examples=12)


@BUILD
@given(examples())
def test_full_builds_leak_nothing(tmp_path_factory: pytest.TempPathFactory, ex: Example) -> None:
    tmp = tmp_path_factory.mktemp("build")
    project = _load(ex.write(tmp / "root"))
    out = tmp / "build"
    packet.write_meeting(project, MEETING, out, OPTIONS)
    folder = out / MEETING
    public_paths = sorted(p for p in (folder / "offentlig").rglob("*") if p.is_file())
    internal_paths = sorted(p for p in (folder / "intern").rglob("*") if p.is_file())
    names = lambda paths, base: "\n".join(p.relative_to(base).as_posix() for p in paths)  # noqa: E731
    public = _search(haystack(public_paths) + names(public_paths, folder))
    internal = _search(haystack(internal_paths) + names(internal_paths, folder))
    _assert_no_leak(ex, public, "full build")
    missing = sorted(m for m in ex.internal | ex.bilag_internal if not _found(m, *internal))
    assert not missing, f"the internal build lacks {missing}"
    missing = sorted(m for m in ex.public | ex.bilag_public if not _found(m, *public))
    assert not missing, f"the public build lacks {missing}"
    manifest = json.loads((folder / "offentlig" / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {p.relative_to(folder / "offentlig").as_posix() for p in public_paths}
    assert listed == on_disk - {"manifest.json"}
