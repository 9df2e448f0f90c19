"""The meeting packet read back: contents, bookmarks, page numbers, labels, stamps, Word.

One meeting (``packet_content``) is built once for both audiences; the tests
read the files with pypdf and python-docx, as a reader's tools would.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from packet_content import MARKERS, PUBLIC_BILAG_TEXT, PUBLIC_TITLE, make_root
from pypdf import PdfReader

from sagsfremstilling import packet, rendermemo
from sagsfremstilling.document import plain_text
from sagsfremstilling.outputs import slug
from sagsfremstilling.project import Project, load_project
from sagsfremstilling.writers import RenderOptions
from sagsfremstilling.writers import pdf as pdf_writer

MEETING = "kb-2022-11-15"
TIMESTAMP = 1_668_470_400
OPEN_TITLE = "Cykelsti mellem Ørsted og Allingåbro"
SHORT_TITLE = "Orientering om vintertjeneste"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("packet")
    root = make_root(tmp / "root")
    project, problems = load_project(root)
    assert not problems
    options = RenderOptions(templates=root / "templates", timestamp=TIMESTAMP)
    out = tmp / "build"
    written = packet.write_meeting(project, MEETING, out, options)
    return {"project": project, "options": options, "out": out / MEETING, "written": written,
            "root": root}


def pdf(site: dict[str, Any], audience: str, edition: str) -> PdfReader:
    return PdfReader(site["out"] / audience / f"{edition}.pdf")


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the file with ``new``; ``old`` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_meeting(root: Path, out: Path) -> Project:
    """The test meeting's packets from ``root``, which must have no problems, into ``out``."""
    project, problems = load_project(root)
    assert not problems
    packet.write_meeting(project, MEETING, out, RenderOptions(templates=root / "templates", timestamp=TIMESTAMP))
    return project


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def contents(reader: PdfReader) -> list[tuple[str, int]]:
    """The contents' entries as printed: ("1. Titel", 3), ("Bilag: Kort …", 5)."""
    texts = page_texts(reader)
    start = next(i for i, t in enumerate(texts) if "Indholdsfortegnelse" in t)
    entries: list[tuple[str, int]] = []
    for index, text in enumerate(texts[start:], start=start):
        if entries and index + 1 >= entries[0][1]:
            break  # the first item's page: the contents are over
        for line in text.splitlines():
            m = re.fullmatch(r"\s*(\d+\.\s.*?|Bilag: .*?)[\s.]*?(\d+)\s*", line)
            if m:
                entries.append((re.sub(r"\s+", " ", m.group(1)).strip(), int(m.group(2))))
    return entries


def outline(reader: PdfReader) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Top-level bookmarks with their page and their children's."""
    out: list[tuple[str, int, list[tuple[str, int]]]] = []
    nodes: list[Any] = list(reader.outline)
    for node in nodes:
        if isinstance(node, list):
            out[-1][2].extend((c.title, _page(reader, c)) for c in node)
        else:
            out.append((node.title, _page(reader, node), []))
    return out


def _page(reader: PdfReader, destination: Any) -> int:
    number = reader.get_destination_page_number(destination)
    assert number is not None
    return number + 1


# --------------------------------------------------------------------------- plan


def test_plan_orders_open_items_first_and_hides_closed_ids_in_public(site: dict[str, Any]) -> None:
    project = site["project"]
    public = packet.plan_meeting(project, MEETING, "offentlig")
    internal = packet.plan_meeting(project, MEETING, "intern")
    assert public.editions == internal.editions == ("dagsorden", "referat")
    assert [(i.number, i.stem, i.closed, i.public_stub) for i in public.items] == [
        (1, "01-cykelsti-mellem-oersted-og-allingaabro", False, False),
        (2, "02-orientering-om-vintertjeneste", False, False),
        (3, "03-salg-af-ejendom", True, True),
    ]
    assert public.items[2].case_id is None and not public.items[2].has_files
    assert internal.items[2].case_id == "2022/lukket-sag"
    assert internal.items[2].stem == f"03-salg-af-{MARKERS['title'].lower()}-kirkestien-4"
    with pytest.raises(ValueError):
        packet.render_item(project, public, public.items[2], "pdf", site["options"])
    for plan in (public, internal):  # the stems name what the papers print as their titles
        for item in plan.items:
            doc = packet.item_packet_document(project, plan, item, "dagsorden")
            assert item.stem == f"{item.number:02d}-{slug(doc.meta.title)}"
    assert packet.bilag_files(project, public) == [
        ("bilag/01-1-kort-over-straekningen.pdf", site["root"] / "bilag/2022/kort.pdf")]


def test_inputs_name_every_source(site: dict[str, Any]) -> None:
    project: Project = site["project"]
    root = site["root"]
    inputs = packet.meeting_inputs(project, MEETING)
    for rel in ("sagsfremstilling.yaml", "meetings/kb-2022-11-15.yaml", "meetings/oek-2022-11-08.yaml",
                "cases/2022/aaben-sag.yaml", "cases/2022/lukket-sag.yaml", "bilag/2022/kort.pdf",
                "templates/moede.typ", "templates/lib/forside.typ", "templates/sag.typ"):
        assert root / rel in inputs, rel
    item = packet.item_inputs(project, MEETING, "2022/kort-sag")
    assert root / "cases/2022/kort-sag.yaml" in item
    assert root / "bilag/2022/kort.pdf" not in item
    assert inputs == sorted(set(inputs))


def test_cover_says_what_a_danish_cover_says(tmp_path: Path) -> None:
    from sagsfremstilling import meeting_compose as mc

    root = make_root(tmp_path / "root")
    path = root / "meetings" / "kb-2022-11-15.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: afholdt\n", (
        "status: afholdt\nart: ekstraordinært\n"
        "fraværende:\n  - {navn: Jan Petersen, grund: ferie, punkter: '2-3'}\n"
        "uden_afbud:\n  - {navn: Kasper Juhl Vestergaard, punkter: '3'}\n"
        "stedfortrædere:\n  - {navn: Peter Ringgaard Kjær, for: Diana Therese Mikkelsen}\n"
        "bemærkninger: Borgmester ||Kasper|| bød velkommen.\n")), encoding="utf-8")
    project, problems = load_project(root)
    assert not problems
    agenda_cover = mc.cover(project, MEETING, "dagsorden", public=True)
    assert agenda_cover.edition_title == "Dagsorden" and agenda_cover.art == "Ekstraordinært møde"
    assert agenda_cover.facts == (("Dato:", "15. november 2022"), ("Start:", "kl. 16.00"),
                                  ("Slut:", "kl. 19.30"), ("Sted:", "Byrådssalen, Rådhuset, Grenaa"))
    assert agenda_cover.members[:2] == (("Kasper Juhl Vestergaard (V)", "Borgmester"),
                                        ("Jan Petersen (A)", "1. viceborgmester"))
    assert agenda_cover.absences == (
        ("Afbud:", ("Diana Therese Mikkelsen (Løsgænger), sygdom",)),
        ("Fraværende:", ("Jan Petersen (A), ferie (punkt 2-3)",)),
        ("Udeblev uden afbud:", ("Kasper Juhl Vestergaard (V) (punkt 3)",)),
        ("Stedfortrædere:", ("Peter Ringgaard Kjær (V) for Diana Therese Mikkelsen (Løsgænger)",)),
    )
    assert agenda_cover.notes == () and agenda_cover.closing == "" and agenda_cover.watermark == ""
    public = mc.cover(project, MEETING, "referat", public=True)
    internal = mc.cover(project, MEETING, "referat", public=False)
    assert [label for label, _ in public.notes] == ["Godkendelse af dagsorden", "Bemærkninger"]
    assert "Kasper" in plain_text(internal.notes[1][1])
    assert plain_text(public.notes[1][1]) == "Borgmester [personoplysning udeladt] bød velkommen."
    assert public.closing == "Mødet hævet kl. 19.12." and public.watermark == "UDKAST"


def test_no_shows_are_named_under_the_items_they_missed(tmp_path: Path) -> None:
    """'uden_afbud' (absent without notice) is a third kind of absence: meeting-wide
    or for some items, and in a case's own decision, like 'afbud' and 'fraværende'."""
    from sagsfremstilling import meeting_compose as mc
    from sagsfremstilling.check import validate_project

    root = make_root(tmp_path / "root")
    path = root / "meetings" / "kb-2022-11-15.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("punkter:\n", (
        "uden_afbud:\n  - {navn: Jan Petersen, punkter: '2'}\npunkter:\n"), 1), encoding="utf-8")
    case = root / "cases" / "2022" / "aaben-sag.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "  - udvalg: KB\n    dato: 2022-11-15\n    beslutning:\n",
        "  - udvalg: KB\n    dato: 2022-11-15\n    beslutning:\n"
        "      uden_afbud: [Kasper Juhl Vestergaard]\n", 1), encoding="utf-8")
    project, problems = load_project(root)
    assert not problems and not validate_project(project)

    def absences(case_id: str) -> list[str]:
        doc = mc.item_document(project, MEETING, case_id, "referat", public=True)
        lines = [plain_text((b,)) for b in doc.blocks]
        if "Udeblev uden afbud:" not in lines:
            return []
        after = lines[lines.index("Udeblev uden afbud:") + 1:]
        return after[:next((i for i, line in enumerate(after) if line.endswith(":")), len(after))]

    assert absences("2022/aaben-sag") == ["Kasper Juhl Vestergaard (V)"]  # item 1: its own decision
    assert absences("2022/kort-sag") == ["Jan Petersen (A)"]  # item 2: the meeting's, for item 2

    path.write_text(path.read_text(encoding="utf-8").replace("Jan Petersen", "Jan Ukendt"), encoding="utf-8")
    project, problems = load_project(root)
    found = [str(p) for p in validate_project(project)]
    assert len(found) == 1 and found[0].startswith("meetings/kb-2022-11-15.yaml:") and "Jan Ukendt" in found[0]


# --------------------------------------------------------------------------- the PDF


@pytest.mark.parametrize("audience", packet.AUDIENCES)
@pytest.mark.parametrize("edition", ["dagsorden", "referat"])
def test_contents_page_numbers_are_where_the_titles_stand(site: dict[str, Any], audience: str,
                                                          edition: str) -> None:
    reader = pdf(site, audience, edition)
    texts = page_texts(reader)
    entries = contents(reader)
    titles = [e for e in entries if not e[0].startswith("Bilag:")]
    closed = f"3. {PUBLIC_TITLE} (Lukket punkt)" if audience == "offentlig" else None
    assert [t for t, _ in titles][:2] == [f"1. {OPEN_TITLE}", f"2. {SHORT_TITLE}"]
    if closed:
        assert titles[2][0] == closed
    for title, page in titles:
        head = title.replace(" (Lukket punkt)", "")
        lines = [line for line in texts[page - 1].splitlines() if line != "UDKAST"]  # the draft mark
        assert lines[0] == "Kommunalbestyrelsen 15-11-2022"  # the running header, then the title
        assert " ".join(lines[1:]).startswith(head), (title, page)
    bilag = [e for e in entries if e[0].startswith("Bilag:")]
    expected = ["Bilag: Kort over strækningen"]
    if audience == "intern":
        expected += [f"Bilag: Ansøgning fra {MARKERS['private_bilag_title']}",
                     f"Bilag: Bud fra {MARKERS['closed_bilag_title']}"]
    assert [b for b, _ in bilag] == expected
    first_pages = {"Kort": PUBLIC_BILAG_TEXT, "Ansøgning": MARKERS["private_bilag_text"],
                   "Bud": MARKERS["closed_bilag_text"]}
    for title, page in bilag:
        word = title.split()[1]
        assert f"{first_pages[word]} side 1" in texts[page - 1]


@pytest.mark.parametrize("audience", packet.AUDIENCES)
def test_contents_lines_link_to_their_pages(site: dict[str, Any], audience: str) -> None:
    reader = pdf(site, audience, "referat")
    printed = [page for _, page in contents(reader)]
    targets: list[int | None] = []
    for page in reader.pages[1: printed[0] - 1]:
        numbers = [a.get_object() for a in page.get("/Annots", [])
                   if float(a.get_object()["/Rect"][0]) > 500]  # the page-number column
        for annot in sorted(numbers, key=lambda a: -float(a["/Rect"][1])):
            dest: Any = annot["/Dest"]
            targets.append(reader.get_page_number(dest[0].get_object()))
    targets = [t + 1 if t is not None else -1 for t in targets]
    assert targets == printed


@pytest.mark.parametrize("audience", packet.AUDIENCES)
def test_one_bookmark_per_item_and_per_bilag(site: dict[str, Any], audience: str) -> None:
    reader = pdf(site, audience, "referat")
    marks = outline(reader)
    printed = dict(contents(reader))
    if audience == "offentlig":
        assert [(t, [c for c, _ in kids]) for t, _, kids in marks] == [
            (f"1. {OPEN_TITLE}", ["Kort over strækningen"]),
            (f"2. {SHORT_TITLE}", []),
            (f"3. {PUBLIC_TITLE}", []),
        ]
    else:
        assert [len(kids) for _, _, kids in marks] == [2, 0, 1]
    for title, page, kids in marks:
        assert printed.get(title, printed.get(f"{title} (Lukket punkt)")) == page
        for child, child_page in kids:
            assert printed[f"Bilag: {child}"] == child_page


@pytest.mark.parametrize("audience", packet.AUDIENCES)
@pytest.mark.parametrize("edition", ["dagsorden", "referat"])
def test_page_count_is_the_sum_of_the_parts(site: dict[str, Any], audience: str, edition: str) -> None:
    project, options = site["project"], site["options"]
    plan = packet.plan_meeting(project, MEETING, audience)
    reader = pdf(site, audience, edition)
    front = min(page for _, page in contents(reader)) - 1
    items = sum(len(PdfReader(io.BytesIO(pdf_writer.render(
        packet.item_packet_document(project, plan, i, edition), options))).pages) for i in plan.items)
    bilag = sum(len(PdfReader(source).pages) for _, source in packet.bilag_files(project, plan))
    assert front == 2
    assert len(reader.pages) == front + items + bilag


@pytest.mark.parametrize("audience", packet.AUDIENCES)
@pytest.mark.parametrize("edition", ["dagsorden", "referat"])
def test_every_page_is_numbered_and_labelled(site: dict[str, Any], audience: str, edition: str) -> None:
    reader = pdf(site, audience, edition)
    total = len(reader.pages)
    for number, text in enumerate(page_texts(reader), start=1):
        assert f"Side {number} af {total}" in text, number
    assert reader.page_labels == [str(n) for n in range(1, total + 1)]
    draft = ["UDKAST" in t for t in page_texts(reader)]
    assert draft == [edition == "referat"] * total  # status afholdt: the referat is a draft


def test_metadata_and_identity(site: dict[str, Any]) -> None:
    reader = pdf(site, "offentlig", "referat")
    meta: Any = reader.metadata
    trailer: Any = reader.trailer
    assert meta.title == "Kommunalbestyrelsen – Referat 15-11-2022"
    assert meta["/Author"] == "Norddjurs Kommune"
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20221115000000Z"
    assert trailer["/Root"]["/Lang"] == "da-DK"
    ident = trailer["/ID"]
    other: Any = pdf(site, "intern", "referat").trailer
    assert ident[0] != other["/ID"][0] and ident[1] != other["/ID"][1]  # same title, other content
    xmp = trailer["/Root"]["/Metadata"].get_data()
    assert f"<xmpMM:DocumentID>{ident[0]}</xmpMM:DocumentID>".encode() in xmp


def test_front_pages_settle_when_the_contents_run_over_a_page(tmp_path: Path) -> None:
    root = make_root(tmp_path / "root")
    meeting = (root / "meetings" / "kb-2022-11-15.yaml").read_text(encoding="utf-8")
    extra = "".join(f"  - sag: 2022/ekstra-{n:02d}\n" for n in range(40))
    (root / "meetings" / "kb-2022-11-15.yaml").write_text(
        meeting.replace("  - sag: 2022/kort-sag\n", "  - sag: 2022/kort-sag\n" + extra), encoding="utf-8")
    short = (root / "cases" / "2022" / "kort-sag.yaml").read_text(encoding="utf-8")
    for n in range(40):
        (root / "cases" / "2022" / f"ekstra-{n:02d}.yaml").write_text(
            short.replace("Orientering om vintertjeneste", f"Ekstra punkt nummer {n}"), encoding="utf-8")
    project, problems = load_project(root)
    assert not problems
    options = RenderOptions(templates=root / "templates", timestamp=TIMESTAMP)
    plan = packet.plan_meeting(project, MEETING, "intern")
    reader = PdfReader(io.BytesIO(packet.render_packet_pdf(project, plan, "dagsorden", options)))
    entries = contents(reader)
    assert len([e for e in entries if not e[0].startswith("Bilag")]) == 43
    texts = page_texts(reader)
    assert sum("Indholdsfortegnelse" in t for t in texts) == 1
    assert entries[0][1] == 4  # the cover and two pages of contents come first
    for title, page in entries:
        if not title.startswith("Bilag"):
            head = title.replace(" (Lukket punkt)", "")
            assert head in texts[page - 1].replace("\n", " "), (title, page)


@pytest.mark.parametrize("audience", packet.AUDIENCES)
@pytest.mark.parametrize("edition", ["dagsorden", "referat"])
def test_word_packet_has_the_pdf_items_in_the_same_order(site: dict[str, Any], audience: str,
                                                         edition: str) -> None:
    document = docx.Document(str(site["out"] / audience / f"{edition}.docx"))
    titles = [p.text for p in document.paragraphs if p.style is not None and p.style.style_id == "Heading1"]
    word = "Dagsorden" if edition == "dagsorden" else "Referat"
    assert titles[:2] == [word, "Indholdsfortegnelse"]
    assert titles[2:] == [t for t, _, _ in outline(pdf(site, audience, edition))]
    assert document.core_properties.title == f"Kommunalbestyrelsen – {word} 15-11-2022"


@pytest.mark.parametrize("audience", packet.AUDIENCES)
def test_index_links_every_file_and_has_one_heading(site: dict[str, Any], audience: str) -> None:
    folder = site["out"] / audience
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert page.count("<h1") == 1
    assert "built-in method" not in page and "Undefined" not in page
    assert re.search(r"<h2>Punkter</h2>", page)
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert hrefs and all((folder / h).is_file() for h in hrefs)
    linked = {h for h in hrefs}
    every = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert every - linked == {"index.html", "moede.json", "manifest.json"}
    assert re.search(r'<ol class="punkter" role="list">\s*<li value="1">', page)
    if audience == "offentlig":
        closed = page.split('<li value="3">', 1)[1].split("</li>", 1)[0]
        assert PUBLIC_TITLE in closed and "Lukket punkt" in closed and "href" not in closed


def test_groups_head_the_open_and_the_closed_items_where_the_settings_name_them(tmp_path: Path) -> None:
    """møde.åbne_punkter / møde.lukkede_punkter: a heading before each group in the
    PDF and Word contents and on the meeting's page; page numbers stay right."""
    root = make_root(tmp_path / "root")
    edit(root / "sagsfremstilling.yaml", "\nmøde:\n",
         "\nmøde:\n  åbne_punkter: Åbne punkter\n  lukkede_punkter: Lukket møde\n")
    build_meeting(root, tmp_path / "build")
    for audience in packet.AUDIENCES:
        folder = tmp_path / "build" / MEETING / audience
        reader = PdfReader(folder / "dagsorden.pdf")
        texts = page_texts(reader)
        page = next(t for t in texts if "Indholdsfortegnelse" in t)
        lines = [line.strip() for line in page.splitlines()]
        assert lines.index("Åbne punkter") < next(i for i, line in enumerate(lines) if line.startswith("1. "))
        closed = next(i for i, line in enumerate(lines) if line.startswith("3. "))
        assert next(i for i, line in enumerate(lines) if line.startswith("2. ")) < lines.index("Lukket møde") < closed
        for title, number in contents(reader):  # still the page where each title stands
            if not title.startswith("Bilag"):
                assert title.split(" (")[0].split(" ", 1)[1][:20] in texts[number - 1]
        document = docx.Document(folder / "dagsorden.docx")
        word = [p.text for p in document.paragraphs]
        start = word.index("Indholdsfortegnelse")
        assert word_contents_targets(document) == [("1.", "1."), ("2.", "2."), ("3.", "3.")]
        assert word[start + 1] == "Åbne punkter" and word[start + 1:].index("Lukket møde") == 3
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<h3 class="gruppe">Åbne punkter</h3>\s*<ol class="punkter" role="list">\s*'
                         r'<li value="1">\s*<h4>', html)
        assert re.search(r'</ol>\s*<h3 class="gruppe">Lukket møde</h3>\s*<ol class="punkter" role="list">\s*'
                         r'<li value="3">', html)
        assert html.count("<ol") == html.count("</ol>")


def test_open_items_may_be_grouped_by_case_type(tmp_path: Path) -> None:
    """møde.grupper (catalogue 1.5: 'Til efterretning' / 'Til behandling'): the open
    items ordered and headed by their case type, the numbers following that order
    in every document; with a fixed order the meeting file's order stands."""
    from sagsfremstilling.agenda import agenda

    root = make_root(tmp_path / "root")
    edit(root / "sagsfremstilling.yaml", "\nmøde:\n",
         "\nmøde:\n  lukkede_punkter: Lukket møde\n  grupper:\n"
         "    - {overskrift: Til efterretning, sagstyper: [orientering, meddelelse]}\n"
         "    - {overskrift: Til behandling, sagstyper: [beslutning, drøftelse]}\n")
    project = build_meeting(root, tmp_path / "build")
    assert [a.case_id for a in agenda(project, MEETING)] == ["2022/kort-sag", "2022/aaben-sag", "2022/lukket-sag"]
    for audience in packet.AUDIENCES:
        folder = tmp_path / "build" / MEETING / audience
        reader = PdfReader(folder / "dagsorden.pdf")
        texts = page_texts(reader)
        lines = [line.strip() for line in next(t for t in texts if "Indholdsfortegnelse" in t).splitlines()]
        first = lines.index("Til efterretning")
        assert lines[first + 1].startswith(f"1. {SHORT_TITLE}")
        second = lines.index("Til behandling")
        assert lines[second + 1].startswith(f"2. {OPEN_TITLE}")
        assert second < lines.index("Lukket møde") < next(i for i, line in enumerate(lines) if line.startswith("3. "))
        for title, number in contents(reader):
            if not title.startswith("Bilag"):
                assert title.split(" (")[0].split(" ", 1)[1][:20] in texts[number - 1]
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<h3 class="gruppe">Til efterretning</h3>\s*<ol class="punkter" role="list">\s*'
                         r'<li value="1">', html)
        assert len(list((folder / "punkter").glob("01-orientering-om-vintertjeneste.*"))) == 3

    # A fixed order keeps the file's order; the headings follow it, once per switch.
    path = root / "meetings" / f"{MEETING}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "fast_rækkefølge: ja\n", encoding="utf-8")
    project, problems = load_project(root)
    assert not problems
    assert [a.case_id for a in agenda(project, MEETING)] == ["2022/lukket-sag", "2022/aaben-sag", "2022/kort-sag"]
    from sagsfremstilling import meeting_compose as mc

    plan = packet.plan_meeting(project, MEETING, "intern")
    assert mc.group_headings(project, packet.shown_items(project, plan, "dagsorden")) == [
        "Lukket møde", "Til behandling", "Til efterretning"]


def test_a_referat_ends_with_a_signature_sheet_where_the_settings_ask_for_one(tmp_path: Path) -> None:
    """møde.underskriftsark: the referat's last page (PDF and Word), a line to sign on for
    each member who was there (not the one with afbud for the whole meeting) and each
    stedfortræder; the dagsorden has none, nor the referat without the setting."""
    root = make_root(tmp_path / "root", status="godkendt")
    edit(root / "meetings" / f"{MEETING}.yaml", "afbud:\n",
         "stedfortrædere:\n  - {navn: Peter Ringgaard Kjær, for: Diana Therese Mikkelsen}\n"
         "fraværende:\n  - {navn: Jan Petersen, punkter: '2'}\nafbud:\n")
    edit(root / "sagsfremstilling.yaml", "\nmøde:\n", "\nmøde:\n  underskriftsark: Underskriftsark\n"
         "  underskriftsark_tekst: 'Referatet er godkendt og underskrevet af:'\n")
    build_meeting(root, tmp_path / "build")
    signers = ["Kasper Juhl Vestergaard (V)", "Jan Petersen (A)", "Mette Højgaard Andersen (A)",
               "Søren Østergaard Laursen (F)", "Ærø Bøgh Ågesen (O)", "Hanne Overgaard Larsen (C)",
               "Bjarne Åkjær Nielsen (V)", "Louise Ølgaard Hansen (Ø)", "Peter Ringgaard Kjær (V)"]
    for audience in packet.AUDIENCES:
        folder = tmp_path / "build" / MEETING / audience
        reader = PdfReader(folder / "referat.pdf")
        last = [line.strip() for line in page_texts(reader)[-1].splitlines() if line.strip()]
        assert last[1:3] == ["Underskriftsark", "Referatet er godkendt og underskrevet af:"]
        assert [line for line in last if "(" in line] == signers
        assert [o.title for o in reader.outline if not isinstance(o, list)][-1] == "Underskriftsark"
        assert reader.outline[-1] is not None and not isinstance(reader.outline[-1], list)
        word = [p.text for p in docx.Document(folder / "referat.docx").paragraphs]
        sheet = word[word.index("Underskriftsark"):]
        assert sheet[1] == "Referatet er godkendt og underskrevet af:"
        assert [line for line in sheet if "(" in line] == signers
        assert sheet.count("_" * 45) == len(signers)
        assert "Underskriftsark" not in "".join(page_texts(PdfReader(folder / "dagsorden.pdf")))
        assert "Underskriftsark" not in [p.text for p in docx.Document(folder / "dagsorden.docx").paragraphs]
    build_meeting(make_root(tmp_path / "plain", status="godkendt"), tmp_path / "plain-build")
    assert "Underskriftsark" not in "".join(page_texts(PdfReader(tmp_path / "plain-build" / MEETING / "intern"
                                                                  / "referat.pdf")))


def test_a_numbered_signature_sheet_is_the_referats_last_item(tmp_path: Path) -> None:
    """møde.underskriftsark_som_punkt (catalogue 1.8: 'Underskriftsark' as the last,
    numbered item): '4. Underskriftsark' in the contents at the page where it stands,
    bookmarked, before the list of bilag; the Word contents points at it too."""
    root = make_root(tmp_path / "root", status="godkendt")
    edit(root / "sagsfremstilling.yaml", "\nmøde:\n", "\nmøde:\n  underskriftsark: Underskriftsark\n"
         "  underskriftsark_som_punkt: ja\n  bilagsoversigt: Bilagsoversigt\n")
    build_meeting(root, tmp_path / "build")
    for audience in packet.AUDIENCES:
        folder = tmp_path / "build" / MEETING / audience
        reader = PdfReader(folder / "referat.pdf")
        entries = [e for e in contents(reader) if not e[0].startswith("Bilag:")]
        assert [t.split(" ", 1)[0] for t, _ in entries] == ["1.", "2.", "3.", "4."]
        assert entries[-1][0] == "4. Underskriftsark"
        page = entries[-1][1]
        lines = [line for line in page_texts(reader)[page - 1].splitlines() if line.strip()]
        assert lines[1] == "4. Underskriftsark"  # after the running header
        marks = [(title, at) for title, at, _ in outline(reader)]
        assert marks[-2:] == [("4. Underskriftsark", page), ("Bilagsoversigt", page + 1)]
        word = docx.Document(str(folder / "referat.docx"))
        assert word_contents_targets(word) == [("1.", "1."), ("2.", "2."), ("3.", "3."), ("4.", "4.")]
        texts = [p.text for p in word.paragraphs]
        assert texts.index("4. Underskriftsark") < texts.index("Bilagsoversigt")
        assert "Underskriftsark" not in "".join(page_texts(PdfReader(folder / "dagsorden.pdf")))


def test_edition_titles_and_the_case_line_are_patterns_of_the_settings(tmp_path: Path) -> None:
    """møde.referat may name the committee and the date; møde.sagsnummer may name the
    case's other identifiers (catalogue 2.4: document number, unit, caseworker)."""
    root = make_root(tmp_path / "root", status="godkendt")
    edit(root / "cases" / "2022" / "aaben-sag.yaml", "sagsnummer: 22/4711\n",
         "sagsnummer: 22/4711\ndokumentnummer: 2022-118733\nenhed: Vej og Park\n"
         "sagsbehandler: Jens Vejmand\nkle: 05.01.02G01\n")
    edit(root / "sagsfremstilling.yaml", "\nmøde:\n",
         "\nmøde:\n  referat: Referat af mødet i {udvalg} {dato:d. måned åååå}\n"
         "  sagsnummer: 'Sagsnr.: {sagsnummer} · Dok.nr.: {dokumentnummer} · {kle} · {enhed}, {sagsbehandler}'\n")
    build_meeting(root, tmp_path / "build")
    folder = tmp_path / "build" / MEETING / "intern"
    title = "Referat af mødet i Kommunalbestyrelsen 15. november 2022"
    reader = PdfReader(folder / "referat.pdf")

    def flat(texts: list[str]) -> str:
        return " ".join(" ".join(texts).replace("\xa0", " ").split())

    assert title in flat(page_texts(reader)[:1])
    assert reader.metadata.title == f"Kommunalbestyrelsen – {title} 15-11-2022"  # type: ignore[union-attr]
    line = "Sagsnr.: 22/4711 · Dok.nr.: 2022-118733 · 05.01.02G01 · Vej og Park, Jens Vejmand"
    assert line in flat(page_texts(reader))
    item = next((folder / "punkter").glob("01-*.docx"))
    assert [p.text for p in docx.Document(item).paragraphs if line in p.text] == [f"{line}\tÅben sag"]
    assert f"<li>{title}:" in (folder / "index.html").read_text(encoding="utf-8")


def test_the_covers_words_and_how_a_member_is_named_come_from_the_settings(tmp_path: Path) -> None:
    """møde.forside, navneform, datoer.klokkeslæt and bilag.mærkat (catalogue 1.2-1.4:
    header labels, the closing line, "Ordinært møde", "kl. 17:00", names with or
    without the party)."""
    root = make_root(tmp_path / "root", status="godkendt")
    edit(root / "meetings" / f"{MEETING}.yaml", "afbud:\n",
         "stedfortrædere:\n  - {navn: Peter Ringgaard Kjær, for: Diana Therese Mikkelsen}\nafbud:\n")
    settings = root / "sagsfremstilling.yaml"
    edit(settings, '\nnavneform: "{navn} ({parti})"\n', "\nnavneform: '{navn}, {parti}'\n")
    edit(settings, "\ndatoer:\n", "\ndatoer:\n  klokkeslæt: 16:00\n")
    edit(settings, "\nbeslutning:\n", "\nbeslutning:\n  fravær_grund: '{navn} ({grund})'\n")
    edit(settings, "\nmøde:\n", "\nbilag:\n  mærkat: 'Bilag til punktet:'\nmøde:\n"
         "  forside:\n    dato: 'Mødedato:'\n    sted: 'Mødested:'\n    ordinært: Ordinært møde\n"
         "    klokken: 'klokken {tid}'\n    hævet: Mødet sluttede kl. {tid}.\n"
         "    stedfortræder: '{navn} (stedfortræder for {for})'\n")
    build_meeting(root, tmp_path / "build")
    folder = tmp_path / "build" / MEETING / "intern"
    cover = [" ".join(line.replace("\xa0", " ").split())
             for line in page_texts(PdfReader(folder / "referat.pdf"))[0].splitlines()]
    for line in ("Ordinært møde", "Mødedato: 15. november 2022", "Start: klokken 16:00",
                 "Mødested: Byrådssalen, Rådhuset, Grenaa", "Kasper Juhl Vestergaard, V Borgmester",
                 "Peter Ringgaard Kjær, V (stedfortræder for Diana Therese Mikkelsen, Løsgænger)",
                 "Mødet sluttede kl. 19:12.", "Diana Therese Mikkelsen, Løsgænger (sygdom)"):
        assert line in cover, line
    assert not [line for line in cover if "(V)" in line or "Dato:" in line or "hævet" in line]
    word = [p.text for p in docx.Document(folder / "referat.docx").paragraphs]
    assert "Mødedato: 15. november 2022" in word and "Mødet sluttede kl. 19:12." in word
    item = [p.text for p in docx.Document(next((folder / "punkter").glob("01-*.docx"))).paragraphs]
    assert "Diana Therese Mikkelsen, Løsgænger (sygdom)" in item  # under the decision too
    contents = "".join(page_texts(PdfReader(folder / "dagsorden.pdf"))[1:2])
    assert "Bilag til punktet: " in contents and "Bilag: " not in contents


def test_a_cover_may_say_that_nobody_was_away(tmp_path: Path) -> None:
    """møde.forside.ingen_afbud (catalogue 1.4: 'Afbud: Ingen', 'Afbud: -')."""
    from sagsfremstilling import meeting_compose as mc

    root = make_root(tmp_path / "root", status="godkendt")
    edit(root / "sagsfremstilling.yaml", "\nmøde:\n", "\nmøde:\n  forside:\n    ingen_afbud: Ingen\n")
    project, problems = load_project(root)
    assert not problems
    assert ("Afbud:", ("Ingen",)) not in mc.cover(project, MEETING, "referat", True).absences  # one is away
    meeting = root / "meetings" / f"{MEETING}.yaml"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(re.sub(r"afbud:\n  - \{[^\n]*\}\n", "", text, count=1), encoding="utf-8")
    project, problems = load_project(root)
    assert not problems and not project.meetings[MEETING].afbud
    assert mc.cover(project, MEETING, "referat", True).absences == (("Afbud:", ("Ingen",)),)


def test_a_substitute_for_some_items_is_named_under_those_items_only(tmp_path: Path) -> None:
    """'punkter' on the meeting's stedfortræder (catalogue: substitutes per item)."""
    from sagsfremstilling import meeting_compose as mc
    from sagsfremstilling.agenda import agenda

    root = make_root(tmp_path / "root", status="godkendt")
    edit(root / "meetings" / f"{MEETING}.yaml", "afbud:\n",
         "stedfortrædere:\n  - {navn: Peter Ringgaard Kjær, for: Diana Therese Mikkelsen, punkter: '1'}\nafbud:\n")
    project, problems = load_project(root)
    assert not problems
    said = {a.number: " ".join(plain_text(b) for b in mc.item_document(
                project, MEETING, a.case_id, "referat", False).blocks) for a in agenda(project, MEETING)}
    line = "Peter Ringgaard Kjær (V) deltog som stedfortræder for Diana Therese Mikkelsen (Løsgænger)."
    assert line in said[1]
    assert [n for n, t in said.items() if line in t] == [1]
    cover = mc.cover(project, MEETING, "referat", False)
    assert ("Stedfortrædere:", ("Peter Ringgaard Kjær (V) for Diana Therese Mikkelsen (Løsgænger) (punkt 1)",)
            ) in cover.absences
    # The words after the name are the settings' (møde.forside.punkter).
    edit(root / "sagsfremstilling.yaml", "\nmøde:\n", "\nmøde:\n  forside:\n    punkter: ', kun pkt. {punkter}'\n")
    project, problems = load_project(root)
    assert not problems
    assert ("Stedfortrædere:", ("Peter Ringgaard Kjær (V) for Diana Therese Mikkelsen (Løsgænger), kun pkt. 1",)
            ) in mc.cover(project, MEETING, "referat", False).absences


def test_a_packet_may_end_with_a_list_of_its_bilag(tmp_path: Path) -> None:
    """møde.bilagsoversigt (catalogue 6: Norddjurs' "Bilagsoversigt" with page numbers):
    each bilag the audience gets, after its item's number, at the page where it
    begins; a bookmark of its own; in Word, the same lines without pages."""
    root = make_root(tmp_path / "root", status="godkendt")
    edit(root / "sagsfremstilling.yaml", "\nmøde:\n", "\nmøde:\n  bilagsoversigt: Bilagsoversigt\n")
    build_meeting(root, tmp_path / "build")
    for audience in packet.AUDIENCES:
        folder = tmp_path / "build" / MEETING / audience
        reader = PdfReader(folder / "referat.pdf")
        texts = page_texts(reader)
        last = texts[-1].splitlines()
        assert last[1] == "Bilagsoversigt"
        listed = [(m.group(1), m.group(2), int(m.group(3))) for line in last
                  if (m := re.fullmatch(r"(\d+)\. (.*?)[\s.]*?(\d+)\s*", line))]
        expected = [("1", "Kort over strækningen")]
        if audience == "intern":
            expected += [("1", f"Ansøgning fra {MARKERS['private_bilag_title']}"),
                         ("3", f"Bud fra {MARKERS['closed_bilag_title']}")]
        assert [(n, t) for n, t, _ in listed] == expected
        for _, title, page in listed:  # the page where the bilag's header first stands
            assert f"Bilag: {title}" in texts[page - 1] and f"Bilag: {title}" not in texts[page - 2], (title, page)
        assert [t for t, _, _ in outline(reader)][-1] == "Bilagsoversigt"
        word = [p.text for p in docx.Document(folder / "referat.docx").paragraphs]
        start = word.index("Bilagsoversigt")
        assert word[start + 1:start + 1 + len(expected)] == [f"{n}. {t}" for n, t in expected]


def test_a_referat_cover_may_list_who_was_there(tmp_path: Path) -> None:
    """møde.forside.tilstede (catalogue 1.3: 'Tilstede:'): the members of the day not
    away from the whole meeting, then the stedfortrædere; the referat only."""
    from sagsfremstilling import meeting_compose as mc

    root = make_root(tmp_path / "root", status="godkendt")
    edit(root / "meetings" / f"{MEETING}.yaml", "afbud:\n",
         "stedfortrædere:\n  - {navn: Peter Ringgaard Kjær, for: Diana Therese Mikkelsen}\n"
         "fraværende:\n  - {navn: Jan Petersen, punkter: '2'}\nafbud:\n")
    edit(root / "sagsfremstilling.yaml", "\nmøde:\n", "\nmøde:\n  forside:\n    tilstede: 'Tilstede:'\n")
    project, problems = load_project(root)
    assert not problems
    there = dict(mc.cover(project, MEETING, "referat", True).absences)["Tilstede:"]
    members = [m for m in project.settings.committee("KB").medlemmer if m.navn != "Diana Therese Mikkelsen"]
    assert there == (*(f"{m.navn} ({m.parti})" for m in members), "Peter Ringgaard Kjær (V)")
    assert "Jan Petersen (A)" in there  # away from item 2 only
    assert "Tilstede:" not in dict(mc.cover(project, MEETING, "dagsorden", True).absences)
    assert list(dict(mc.cover(project, MEETING, "referat", True).absences))[:2] == ["Tilstede:", "Afbud:"]


def test_a_referat_cover_may_list_who_was_inhabil_and_where(tmp_path: Path) -> None:
    """møde.forside.inhabilitet (catalogue 5.9: inhabilitet in the meeting header): the
    names come from the items' decisions, with the items; the public cover leaves
    out a closed item's, and a member found not inhabil ('inhabil: nej') is not there."""
    from sagsfremstilling import meeting_compose as mc

    root = make_root(tmp_path / "root", status="godkendt", conflicts_on_cover=True)
    edit(root / "cases" / "2022" / "aaben-sag.yaml", "      tekst: Godkendt som indstillet.\n",
         "      tekst: Godkendt som indstillet.\n      inhabilitet:\n        - navn: Jan Petersen\n"
         "        - {navn: Mette Højgaard Andersen, inhabil: nej}\n")
    project, problems = load_project(root)
    assert not problems
    internal = dict(mc.cover(project, MEETING, "referat", False).absences)
    public = dict(mc.cover(project, MEETING, "referat", True).absences)
    # Exactly these: Mette Højgaard Andersen, found not inhabil, is not among them.
    assert internal["Inhabilitet:"] == ("Jan Petersen (A) (punkt 1)", f"Ib {MARKERS['inhabil']} (F) (punkt 3)")
    assert public["Inhabilitet:"] == ("Jan Petersen (A) (punkt 1)",)
    assert "Inhabilitet:" not in dict(mc.cover(project, MEETING, "dagsorden", False).absences)
    build_meeting(root, tmp_path / "build")
    cover = page_texts(PdfReader(tmp_path / "build" / MEETING / "offentlig" / "referat.pdf"))[0]
    assert "Inhabilitet:" in cover and "Jan Petersen (A) (punkt 1)" in " ".join(cover.split())


def test_a_closed_items_title_follows_the_settings_pattern(tmp_path: Path) -> None:
    """lukket.titel (catalogue 1.7: 'Lukket - <titel>', '<titel> (Lukket)'): the closed
    item's title in the paper, the contents, the bookmarks and the file name; open
    items keep theirs."""
    root = make_root(tmp_path / "root")
    edit(root / "sagsfremstilling.yaml", "\nlukket:\n", "\nlukket:\n  titel: Lukket - {titel}\n")
    build_meeting(root, tmp_path / "build")
    for audience in packet.AUDIENCES:
        folder = tmp_path / "build" / MEETING / audience
        reader = PdfReader(folder / "dagsorden.pdf")
        titles = [t for t, _ in contents(reader) if not t.startswith("Bilag")]
        assert [t.split(" ", 1)[1].startswith("Lukket - ") for t in titles] == [False, False, True], titles
        if audience == "offentlig":
            assert titles[2] == f"3. Lukket - {PUBLIC_TITLE} (Lukket punkt)"
        else:
            paper = next((folder / "punkter").glob("03-lukket-*.pdf"))
            assert "Lukket - " in page_texts(PdfReader(paper))[0]


def test_items_added_after_the_agenda_went_out_follow_the_open_items_under_their_heading(
        tmp_path: Path) -> None:
    """'tillæg: ja' on a meeting's item: numbered after the other open items (unless the
    order is fixed) and headed "Tillægsdagsorden" in the contents and on the page."""
    from sagsfremstilling.agenda import agenda

    root = make_root(tmp_path / "root")
    path = root / "meetings" / "kb-2022-11-15.yaml"
    text = path.read_text(encoding="utf-8")
    listed = "  - sag: 2022/lukket-sag\n  - sag: 2022/aaben-sag\n  - sag: 2022/kort-sag\n"
    assert listed in text
    path.write_text(text.replace(listed, "  - sag: 2022/kort-sag\n    tillæg: ja\n"
                                         "  - sag: 2022/lukket-sag\n  - sag: 2022/aaben-sag\n"),
                    encoding="utf-8")
    project, problems = load_project(root)
    assert not problems
    assert [a.case_id for a in agenda(project, MEETING)] == ["2022/aaben-sag", "2022/kort-sag",
                                                              "2022/lukket-sag"]
    options = RenderOptions(templates=root / "templates", timestamp=TIMESTAMP)
    packet.write_meeting(project, MEETING, tmp_path / "build", options)
    folder = tmp_path / "build" / MEETING / "offentlig"
    texts = page_texts(PdfReader(folder / "dagsorden.pdf"))
    lines = [line.strip() for line in next(t for t in texts if "Indholdsfortegnelse" in t).splitlines()]
    heading = lines.index("Tillægsdagsorden")
    assert lines[heading + 1].startswith(f"2. {SHORT_TITLE}")
    assert all(not line.startswith("1. ") for line in lines[heading:])
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert re.search(r'</ol>\s*<h3 class="gruppe">Tillægsdagsorden</h3>\s*<ol class="punkter" role="list">\s*'
                     r'<li value="2">', html)

    path.write_text(path.read_text(encoding="utf-8") + "fast_rækkefølge: ja\n", encoding="utf-8")
    project, problems = load_project(root)
    assert not problems
    assert [a.case_id for a in agenda(project, MEETING)] == ["2022/kort-sag", "2022/lukket-sag",
                                                              "2022/aaben-sag"]


def test_a_tillaegsdagsorden_holds_the_added_items_alone(tmp_path: Path) -> None:
    """møde.tillægsdagsorden: the items added after the agenda went out get a document
    of their own, PDF and Word, with their numbers from the dagsorden; a closed one is
    a bare public title in the public version.  The meeting's page and JSON list it."""
    import json

    root = make_root(tmp_path / "root")
    path = root / "meetings" / "kb-2022-11-15.yaml"
    edit(path, "  - sag: 2022/lukket-sag\n", "  - sag: 2022/lukket-sag\n    tillæg: ja\n")
    edit(path, "  - sag: 2022/kort-sag\n", "  - sag: 2022/kort-sag\n    tillæg: ja\n")
    project = build_meeting(root, tmp_path / "build")
    plan = packet.plan_meeting(project, MEETING, "intern")
    assert plan.documents == ("dagsorden", "tillaegsdagsorden", "referat")
    for audience in packet.AUDIENCES:
        folder = tmp_path / "build" / MEETING / audience
        reader = PdfReader(folder / "tillaegsdagsorden.pdf")
        texts = page_texts(reader)
        assert texts[0].split()[:4] == ["Norddjurs", "Kommune", "Tillægsdagsorden", "Kommunalbestyrelsen"]
        entries = contents(reader)
        titles = [(t, page) for t, page in entries if not t.startswith("Bilag:")]
        closed = f"3. {PUBLIC_TITLE} (Lukket punkt)" if audience == "offentlig" else "3. Salg af"
        assert titles[0][0] == f"2. {SHORT_TITLE}" and titles[1][0].startswith(closed)
        assert len(titles) == 2
        for title, page in titles:
            lines = [line for line in texts[page - 1].splitlines() if line != "UDKAST"]
            assert " ".join(lines[1:]).startswith(title.replace(" (Lukket punkt)", "")[:20]), (title, page)
        total = len(reader.pages)
        assert all(f"Side {n} af {total}" in t for n, t in enumerate(texts, start=1))
        marks = outline(reader)
        assert [t for t, _, _ in marks][0] == f"2. {SHORT_TITLE}"
        assert [len(kids) for _, _, kids in marks] == ([0, 0] if audience == "offentlig" else [0, 1])
        everything = "".join(texts) + str(reader.metadata) + str(marks)
        if audience == "offentlig":
            assert not [m for m in MARKERS.values() if m in everything]
        word = [p.text for p in docx.Document(folder / "tillaegsdagsorden.docx").paragraphs]
        assert word[0] == "Tillægsdagsorden"
        assert any(line.startswith(f"2. {SHORT_TITLE}") for line in word)
        assert not any(line.startswith(f"1. {OPEN_TITLE}") for line in word)
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert 'href="tillaegsdagsorden.pdf"' in html and 'href="tillaegsdagsorden.docx"' in html
        data = json.loads((folder / "moede.json").read_text(encoding="utf-8"))
        assert {"tillaegsdagsorden.pdf", "tillaegsdagsorden.docx"} <= {f["accessUrl"] for f in data["auxiliaryFile"]}
        listed = [f["path"] for f in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]]
        assert "tillaegsdagsorden.pdf" in listed

    # None where the settings say so, and none for a meeting without added items.
    edit(root / "sagsfremstilling.yaml", "\nmøde:\n", "\nmøde:\n  tillægsdagsorden: ''\n")
    project = build_meeting(root, tmp_path / "again")
    assert packet.plan_meeting(project, MEETING, "intern").documents == ("dagsorden", "referat")
    assert not list((tmp_path / "again").rglob("tillaegsdagsorden.*"))


@pytest.mark.parametrize("audience", packet.AUDIENCES)
def test_oparl_json_describes_the_files_written(site: dict[str, Any], audience: str) -> None:
    import hashlib
    import json

    folder = site["out"] / audience
    raw = (folder / "moede.json").read_bytes()
    data = json.loads(raw)
    assert raw == (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()
    assert data["type"] == "https://schema.oparl.org/1.1/Meeting"
    assert data["start"] == "2022-11-15T16:00:00+01:00"
    files: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type", "").endswith("/File"):
                files.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    assert {f["accessUrl"] for f in files} >= {"dagsorden.pdf", "referat.pdf", "referat.docx"}
    for f in files:
        body = (folder / f["accessUrl"]).read_bytes()
        assert f["sha512Checksum"] == hashlib.sha512(body).hexdigest() and f["size"] == len(body)
    items = data["agendaItem"]
    assert [i["number"] for i in items] == ["1", "2", "3"]
    assert items[0]["consultation"]["paper"]["type"] == "https://schema.oparl.org/1.1/Paper"
    assert items[0]["consultation"]["type"] == "https://schema.oparl.org/1.1/Consultation"
    if audience == "offentlig":
        assert items[2] == {"type": "https://schema.oparl.org/1.1/AgendaItem", "id": "moede.json#punkt-3",
                            "meeting": "moede.json", "number": "3", "order": 3, "name": PUBLIC_TITLE,
                            "public": False}
    else:
        assert items[2]["public"] is False and "consultation" in items[2]


@pytest.mark.parametrize("audience", packet.AUDIENCES)
def test_manifest_lists_every_file_sorted(site: dict[str, Any], audience: str) -> None:
    import hashlib
    import json

    folder = site["out"] / audience
    listing = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]
    every = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                   if p.is_file() and p.name != "manifest.json")
    assert [f["path"] for f in listing] == every
    for f in listing:
        body = (folder / f["path"]).read_bytes()
        assert f["sha256"] == hashlib.sha256(body).hexdigest() and f["size"] == len(body)


# --------------------------------------------------------------------------- same input, same bytes


def test_rebuild_is_byte_identical_and_clears_stale_files(site: dict[str, Any], tmp_path: Path) -> None:
    project, options = site["project"], site["options"]
    rendermemo.RENDERED.clear()  # nothing from the first build's memo
    stale = tmp_path / MEETING / "offentlig" / "punkter" / "03-gammelt-navn.pdf"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"%PDF-1.4 old")
    packet.write_meeting(project, MEETING, tmp_path, options)
    assert not stale.exists()
    first = {p.relative_to(site["out"]): p.read_bytes() for p in site["out"].rglob("*") if p.is_file()}
    again = {p.relative_to(tmp_path / MEETING): p.read_bytes()
             for p in (tmp_path / MEETING).rglob("*") if p.is_file()}
    assert first.keys() == again.keys()
    assert [k for k in first if first[k] != again[k]] == []


@pytest.mark.parametrize("audience", packet.AUDIENCES)
def test_bilag_pages_keep_their_size_and_turn(site: dict[str, Any], audience: str) -> None:
    """A bilag page shows as its reader would see it alone: a page turned by /Rotate
    and a landscape page both come out landscape, upright, stamped like the rest."""
    reader = pdf(site, audience, "dagsorden")
    texts = page_texts(reader)
    first = dict(contents(reader))["Bilag: Kort over strækningen"] - 1
    total = len(reader.pages)
    for k, (words, size) in enumerate([("side 1", (595.0, 842.0)), ("side 2 roteret", (842.0, 595.0)),
                                       ("side 3 liggende", (842.0, 595.0))]):
        page = reader.pages[first + k]
        box = page.mediabox
        turn = int(page.get("/Rotate", 0) or 0) % 180
        shown = (float(box.height), float(box.width)) if turn else (float(box.width), float(box.height))
        assert shown == pytest.approx(size, abs=0.5), words
        assert f"{PUBLIC_BILAG_TEXT} {words}" in texts[first + k]
        assert f"Side {first + k + 1} af {total}" in texts[first + k]
        assert "Bilag: Kort over strækningen" in texts[first + k]


def test_a_bilag_typst_cannot_read_is_named_where_the_case_lists_it(
        site: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """pypdf (``check``) and Typst read PDFs with different code; should Typst refuse
    a bilag ``check`` let through, the build says which bilag, not a traceback."""
    from sagsfremstilling import packetpdf
    from sagsfremstilling.errors import InputError

    def refuse(template: Path, *args: Any, **kwargs: Any) -> bytes:
        raise pdf_writer.TypstTemplateError(
            f"Typst-skabelonen {template} kunne ikke oversættes:\nerror: failed to load PDF "
            "(bilag/2022/kort.pdf)")

    monkeypatch.setattr(packetpdf, "compile_typst", refuse)
    project, options = site["project"], site["options"]
    plan = packet.plan_meeting(project, MEETING, "offentlig")
    with pytest.raises(InputError) as caught:
        packet.render_packet_pdf(project, plan, "dagsorden", options)
    assert [str(p) for p in caught.value.problems] == [
        "cases/2022/aaben-sag.yaml:26:10: bilaget 'bilag/2022/kort.pdf' kan ikke sættes ind i mødepakken, "
        "selv om det er en PDF; gem det igen som PDF, fx med 'Udskriv som PDF'"]


def test_a_bilag_title_is_printed_never_run(tmp_path: Path) -> None:
    """The bilag title goes into the packet's contents, its bookmark and the header
    over its pages; Typst code or HTML in it stays text."""
    root = make_root(tmp_path / "root")
    case = root / "cases" / "2022" / "aaben-sag.yaml"
    hostile = '#read("/etc/passwd") $x$ <script>y</script> {{ 7*7 }}'
    case.write_text(case.read_text(encoding="utf-8").replace(
        "titel: Kort over strækningen", f"titel: '{hostile}'"), encoding="utf-8")
    project, problems = load_project(root)
    assert not problems
    options = RenderOptions(templates=root / "templates", timestamp=TIMESTAMP)
    plan = packet.plan_meeting(project, MEETING, "offentlig")
    reader = PdfReader(io.BytesIO(packet.render_packet_pdf(project, plan, "dagsorden", options)))
    texts = [" ".join(t.split()) for t in page_texts(reader)]
    assert f"Bilag: {hostile}" in dict(contents(reader))
    assert hostile in [c for _, _, kids in outline(reader) for c, _ in kids]
    assert sum(f"Bilag: {hostile}" in t for t in texts) == 4  # the contents line, and over its 3 pages
    assert not any("root:" in t for t in texts)


@pytest.mark.parametrize("audience", packet.AUDIENCES)
def test_word_contents_lines_point_at_their_item_titles(site: dict[str, Any], audience: str) -> None:
    """Word works out page numbers itself: each contents line ends in a PAGEREF
    field to a bookmark on its item's title, which Word and LibreOffice fill in."""
    from docx.oxml.ns import qn

    document = docx.Document(str(site["out"] / audience / "referat.docx"))
    assert word_contents_targets(document) == [("1.", "1."), ("2.", "2."), ("3.", "3.")]


def word_contents_targets(document: Any) -> list[tuple[str, str]]:
    """(number the contents line starts with, number of the title its PAGEREF field's
    bookmark stands on) for each contents line of a Word packet."""
    from docx.oxml.ns import qn

    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Indholdsfortegnelse")
    lines = [p for p in paragraphs[start + 1:]
             if any(e.text and "PAGEREF" in e.text for e in p._p.iter(qn("w:instrText")))]
    marked = {b.get(qn("w:name")): p for p in paragraphs[start + 1:]
              if p.style is not None and p.style.style_id == "Heading1"
              for b in p._p.iter(qn("w:bookmarkStart"))}
    out = []
    for line in lines:
        name = next(e.text for e in line._p.iter(qn("w:instrText"))).split()[1]
        title = marked.get(name)
        out.append((line.text.split(" ", 1)[0], title.text.split(" ", 1)[0] if title is not None else ""))
    return out


def test_oparl_addresses_are_absolute_in_public_when_the_settings_say_where(tmp_path: Path) -> None:
    import json

    root = make_root(tmp_path / "root")
    settings = root / "sagsfremstilling.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("\nmøde:\n", "\nmøde:\n  adresse: https://example.dk/moeder/{moede}/\n", 1),
                        encoding="utf-8")
    project, problems = load_project(root)
    assert not problems
    options = RenderOptions(templates=root / "templates", timestamp=TIMESTAMP)
    base = "https://example.dk/moeder/kb-2022-11-15/"
    for audience in packet.AUDIENCES:
        plan = packet.plan_meeting(project, MEETING, audience)
        files = packet.meeting_files(project, plan, options)
        data = json.loads(files["moede.json"])
        item = data["agendaItem"][0]
        if audience == "offentlig":
            assert data["id"] == base + "moede.json" and data["web"] == base + "index.html"
            assert item["id"] == base + "moede.json#punkt-1" and item["meeting"] == base + "moede.json"
            assert item["consultation"]["agendaItem"] == item["id"]
            assert data["invitation"]["accessUrl"] == base + "dagsorden.pdf"
            assert item["consultation"]["paper"]["mainFile"]["downloadUrl"].startswith(base + "punkter/")
        else:  # the internal folder is not published: its addresses stay relative
            assert data["id"] == "moede.json" and item["id"] == "moede.json#punkt-1"
            assert data["invitation"]["accessUrl"] == "dagsorden.pdf"


def test_numbered_bilag_are_named_alike_in_the_paper_the_contents_and_the_packet(tmp_path: Path) -> None:
    """``bilag.titel: "Bilag {nummer}: {titel}"``: a bilag keeps its number in both
    versions (a hidden one too), and the contents do not say "Bilag:" twice."""
    root = make_root(tmp_path / "root")
    settings = root / "sagsfremstilling.yaml"
    settings.write_text(settings.read_text(encoding="utf-8")
                        + '\nbilag:\n  titel: "Bilag {nummer}: {titel}"\n', encoding="utf-8")
    project, problems = load_project(root)
    assert not problems
    options = RenderOptions(templates=root / "templates", timestamp=TIMESTAMP)
    plan = packet.plan_meeting(project, MEETING, "offentlig")
    paper = plain_text(packet.item_packet_document(project, plan, plan.items[0], "dagsorden").blocks)
    assert "Bilag 1: Kort over strækningen\nBilag 2: Bilaget er ikke offentligt" in paper
    reader = PdfReader(io.BytesIO(packet.render_packet_pdf(project, plan, "dagsorden", options)))
    texts = page_texts(reader)
    start = next(i for i, t in enumerate(texts) if "Indholdsfortegnelse" in t)
    assert "Bilag 1: Kort over strækningen" in texts[start] and "Bilag: Bilag" not in texts[start]
    assert [c for _, _, kids in outline(reader) for c, _ in kids] == ["Bilag 1: Kort over strækningen"]
    assert packet.bilag_files(project, plan) == [  # file names as before: from the title alone
        ("bilag/01-1-kort-over-straekningen.pdf", root / "bilag/2022/kort.pdf")]
