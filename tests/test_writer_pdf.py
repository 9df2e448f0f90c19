"""The PDF writer: tagged PDF/UA-1, embedded fonts, literal case text, same bytes twice.

Text is compared after extraction with pypdf, never as PDF bytes, except for
the reproducibility check where byte identity is the point.
"""

from __future__ import annotations

import dataclasses
import io
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sample_documents import reference_document, rich_document

from sagsfremstilling.document import Document, Heading, ListBlock, ListItem, Paragraph, Quote, Table, text
from sagsfremstilling.writers import RenderOptions, pdf, typst_stage

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = RenderOptions(templates=ROOT / "templates", timestamp=1668470400)  # 2022-11-15
HOSTILE = (
    '{{ 7*7 }} {% for x in y %} #read("/etc/passwd") #import "x" '
    "<script>alert(1)</script> $x$ \\ * _ ` @ [a](b)"
)


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def flat(s: str) -> str:
    """Extracted text with soft hyphens dropped and all whitespace as single spaces."""
    return " ".join(s.replace("\u00ad\n", "").replace("\u00ad", "").split())


def page_texts(data: bytes) -> list[str]:
    return [flat(p.extract_text()) for p in reader(data).pages]


def all_text(data: bytes) -> str:
    return " ".join(page_texts(data))


def catalog(data: bytes) -> Any:
    """The PDF's document catalog (pypdf types it loosely)."""
    return reader(data).trailer["/Root"]


def with_meta(doc: Document, **changes: Any) -> Document:
    return dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, **changes))


@pytest.fixture(scope="module")
def reference_pdf() -> bytes:
    return pdf.render(reference_document(), OPTIONS)


@pytest.fixture(scope="module")
def rich_pdf() -> bytes:
    return pdf.render(rich_document(), OPTIONS)


# --------------------------------------------------------------------------- standards


def test_is_tagged_pdf_ua(reference_pdf: bytes) -> None:
    root = catalog(reference_pdf)
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp


def test_language_is_danish(rich_pdf: bytes) -> None:
    assert catalog(rich_pdf)["/Lang"] == "da-DK"


@pytest.mark.parametrize("fixture", ["reference_pdf", "rich_pdf"])
def test_every_font_is_embedded(fixture: str, request: pytest.FixtureRequest) -> None:
    fonts: dict[str, Any] = {}
    for page in reader(request.getfixturevalue(fixture)).pages:
        resources: Any = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert any("LiberationSans" in name for name in fonts)
    for name, font in fonts.items():
        if font["/Subtype"] == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), name


def test_title_and_author_metadata(rich_pdf: bytes) -> None:
    info = reader(rich_pdf).metadata
    assert info is not None
    assert info.title == "Budget 2023 – anlæg <b>& {{ titel }}"
    assert info.author == "Norddjurs Kommune"


def test_dates_come_from_the_timestamp(reference_pdf: bytes) -> None:
    info: Any = reader(reference_pdf).metadata
    assert info["/CreationDate"] == "D:20221115000000Z"
    assert info["/ModDate"] == "D:20221115000000Z"


# --------------------------------------------------------------------------- reproducibility


def test_same_input_gives_same_bytes(reference_pdf: bytes) -> None:
    assert pdf.render(reference_document(), OPTIONS) == reference_pdf
    pdf._cached_toolchain.cache_clear()  # a cold compiler must agree too
    assert pdf.render(reference_document(), OPTIONS) == reference_pdf


def test_another_timestamp_changes_only_the_dates(reference_pdf: bytes) -> None:
    other = pdf.render(reference_document(), dataclasses.replace(OPTIONS, timestamp=0))
    assert other != reference_pdf
    assert page_texts(other) == page_texts(reference_pdf)


# --------------------------------------------------------------------------- content


def test_reference_phrases_in_order(reference_pdf: bytes) -> None:
    body = all_text(reference_pdf)
    phrases = [
        "Kommunalbestyrelsen 15-11-2022",
        "1. Ændret praksis for afholdelse af dialogforum",
        "Sagsnr.: 22/1234",
        "Åben sag",
        "Sagsgang",
        "MTU, ØK, KB",
        "Sagsfremstilling",
        "Den 13. december 2011 vedtog Kommunalbestyrelsen",
        "Baggrund",
        "Sammenhæng til andre politikker/strategier og fagområder",
        "Økonomiske konsekvenser",
        "Indstilling",
        "”styringsdialogen i Norddjurs Kommune”",
        "1. den politiske deltagelse",
        "2. de lovpligtige årlige styringsdialogmøder",
        "Beslutning i Miljø- og teknikudvalget den 10-10-2022",
        "Ad. 1. Tiltrådt.",
        "Ad. 2. Tiltrådt.",
        "Beslutning i Økonomiudvalget den 08-11-2022",
        "Afbud:",
        "Diana Therese Mikkelsen (Løsgænger)",
        "Beslutning i Kommunalbestyrelsen den 15-11-2022",
        "Godkendt.",
        "Bilag:",
        "Side 1 af 1",
    ]
    position = 0
    for phrase in phrases:
        found = body.find(phrase, position)
        assert found >= 0, f"{phrase!r} mangler efter position {position}: {body[position:]!r}"
        position = found + len(phrase)


def test_hostile_text_is_printed_literally(rich_pdf: bytes) -> None:
    body = all_text(rich_pdf)
    assert HOSTILE in body
    assert "7. Budget 2023 – anlæg <b>& {{ titel }}" in body
    assert "49" not in body  # {{ 7*7 }} was not evaluated by anything


def test_hostile_page_furniture_is_printed_literally() -> None:
    doc = with_meta(
        reference_document(),
        header='#read("/etc/passwd") $x$',
        footer="*{side}* af {sider} {x} \\ #strong[y]",
        watermark="<UDKAST>",
    )
    body = all_text(pdf.render(doc, OPTIONS))
    assert '#read("/etc/passwd") $x$' in body
    assert "*1* af 1 {x} \\ #strong[y]" in body
    assert "<UDKAST>" in body


def test_numbered_lists_restart(rich_pdf: bytes) -> None:
    body = all_text(rich_pdf)
    assert re.search(
        r"1\. punkt et 2\. punkt to Mellemtekst\. 1\. skal starte ved 1 2\. og så 2", body
    )
    assert re.search(r"• Første punkt 1\. Indlejret et 2\. Indlejret to • Andet punkt", body)


def test_table_header_and_cells(rich_pdf: bytes) -> None:
    body = all_text(rich_pdf)
    assert "Projekt Beløb (kr.) Cykelsti Ørsted–Allingåbro 1.527.000 kr." in body


def test_links_are_clickable(rich_pdf: bytes) -> None:
    annotations = [a.get_object() for a in reader(rich_pdf).pages[0].get("/Annots", [])]
    uris = [a["/A"]["/URI"] for a in annotations if a.get("/Subtype") == "/Link"]
    assert uris == ["https://www.norddjurs.dk/"]


# --------------------------------------------------------------------------- page furniture


def test_watermark_only_when_set(rich_pdf: bytes, reference_pdf: bytes) -> None:
    assert "UDKAST" in all_text(rich_pdf)
    assert "UDKAST" not in all_text(reference_pdf)
    plain = pdf.render(with_meta(rich_document(), watermark=""), OPTIONS)
    assert "UDKAST" not in all_text(plain)


def test_header_and_footer_on_every_page() -> None:
    long = Paragraph(text("Lang tekst om styringsdialog. " * 60))
    doc = reference_document()
    doc = dataclasses.replace(doc, blocks=doc.blocks + (long,) * 6)
    pages = page_texts(pdf.render(doc, OPTIONS))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Kommunalbestyrelsen 15-11-2022" in page
        assert f"Side {number} af {len(pages)}" in page


def test_empty_header_and_footer_print_nothing(reference_pdf: bytes) -> None:
    doc = with_meta(reference_document(), header="", footer="")
    body = all_text(pdf.render(doc, OPTIONS))
    assert "Kommunalbestyrelsen 15-11-2022" not in body
    assert "Side" not in body
    assert body.startswith("1. Ændret praksis")


def test_each_title_after_the_first_starts_a_page() -> None:
    first = reference_document()
    second = rich_document()
    doc = dataclasses.replace(
        with_meta(first, item_label="", case_number="", status_label="", title="Referat"),
        blocks=first.blocks
        + (Heading(1, text("2. Budget 2023"), role="title"),)
        + second.blocks[1:],
    )
    pages = page_texts(pdf.render(doc, OPTIONS))
    assert len(pages) == 2
    assert "Bilag:" in pages[0] and "Budget 2023" not in pages[0]
    assert pages[1].startswith("Kommunalbestyrelsen 15-11-2022 2. Budget 2023 Sagsfremstilling")


def test_table_header_repeats_on_a_new_page() -> None:
    rows = tuple((text(f"Projekt {i}"), text(f"{i}.000 kr.")) for i in range(1, 90))
    table = Table(header=(text("Projekt"), text("Beløb")), rows=rows, align=("", "right"))
    doc = dataclasses.replace(reference_document(), blocks=(table,))
    pages = page_texts(pdf.render(doc, OPTIONS))
    assert len(pages) >= 2
    assert all("Projekt Beløb" in page for page in pages)


# --------------------------------------------------------------------------- compile_typst


@pytest.fixture
def own_templates(tmp_path: Path) -> Path:
    """A template folder like a packet builder's: its own .typ files, our lib and fonts."""
    (tmp_path / "lib").symlink_to(ROOT / "templates" / "lib")
    (tmp_path / "fonts").symlink_to(ROOT / "templates" / "fonts")
    return tmp_path


def test_compile_typst_stamps_page_numbers_from_any_start(own_templates: Path) -> None:
    (own_templates / "stempel.typ").write_text(
        '#import "lib/house.typ": page-footer\n'
        "#let data = json(sys.inputs.data)\n"
        '#set document(title: "Sidetal")\n'
        '#set text(font: "Liberation Sans", lang: "da")\n'
        "#set page(footer: page-footer(data.pattern, total: data.total))\n"
        "#counter(page).update(data.first)\n"
        "#for i in range(data.pages - 1) { pagebreak() }\n",
        encoding="utf-8",
    )
    options = dataclasses.replace(OPTIONS, templates=own_templates)
    data = {"pattern": "Side {side} af {sider}", "first": 5, "total": 12, "pages": 2}
    pages = page_texts(pdf.compile_typst(Path("stempel.typ"), data, options))
    assert pages == ["Side 5 af 12", "Side 6 af 12"]


def test_compile_typst_reads_json_data(own_templates: Path) -> None:
    tmp_path = own_templates
    (tmp_path / "forside.typ").write_text(
        '#import "lib/house.typ": house\n'
        "#let data = json(sys.inputs.data)\n"
        "#show: house.with((title: data.title))\n"
        "#data.title: #data.count punkter\n",
        encoding="utf-8",
    )
    options = dataclasses.replace(OPTIONS, templates=tmp_path)
    out = pdf.compile_typst(Path("forside.typ"), {"title": "Dagsorden #x", "count": 3}, options)
    assert all_text(out).startswith("Dagsorden #x: 3 punkter")
    assert reader(out).metadata.title == "Dagsorden #x"  # type: ignore[union-attr]


def test_typst_errors_carry_typsts_message(tmp_path: Path) -> None:
    (tmp_path / "fejl.typ").write_text("#let x = (1, 2)\n#x.at(5)\n", encoding="utf-8")
    options = dataclasses.replace(OPTIONS, templates=tmp_path)
    with pytest.raises(pdf.TypstTemplateError) as caught:
        pdf.compile_typst(Path("fejl.typ"), {}, options)
    message = str(caught.value)
    assert message.startswith(f"Typst-skabelonen {tmp_path / 'fejl.typ'} kunne ikke oversættes:")
    assert "array index out of bounds" in message
    assert f"{tmp_path / 'fejl.typ'}:2:" in message  # the template where it is, not Typst's stage
    assert typst_stage.PREFIX not in message and "include" not in message


def test_errors_name_the_content_root_as_it_is(own_templates: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    content = tmp_path_factory.mktemp("indhold")
    (own_templates / "bilag.typ").write_text('#image("/indhold/bilag/mangler.pdf")\n', encoding="utf-8")
    options = dataclasses.replace(OPTIONS, templates=own_templates)
    with pytest.raises(pdf.TypstTemplateError) as caught:
        pdf.compile_typst(Path("bilag.typ"), {}, options, content=content, standards=())
    message = str(caught.value)
    assert f"{content.resolve()}/bilag/mangler.pdf" in message
    assert typst_stage.PREFIX not in message


def test_templates_outside_the_folder_are_refused(tmp_path: Path) -> None:
    options = dataclasses.replace(OPTIONS, templates=tmp_path)
    with pytest.raises(pdf.TypstTemplateError, match="findes ikke"):
        pdf.compile_typst(Path("../../etc/hostname"), {}, options)


# --------------------------------------------------------------------------- the stage


@pytest.fixture
def word_template(own_templates: Path) -> RenderOptions:
    (own_templates / "ord.typ").write_text(
        '#let data = json(sys.inputs.data)\n#set text(font: "Liberation Sans")\n#data.word\n'
        '#set document(title: "Ord")\n', encoding="utf-8")
    return dataclasses.replace(OPTIONS, templates=own_templates)


def test_each_compile_reads_its_own_data_however_fast_they_follow(word_template: RenderOptions) -> None:
    """The data file has one name for every compile (so Typst can reuse its
    layout); data of the same length written in quick succession is never stale."""
    for n in range(40):
        word = "AAAA" if n % 2 else "BBBB"
        out = pdf.compile_typst(Path("ord.typ"), {"word": word}, word_template, standards=())
        assert all_text(out) == word


def test_no_case_text_is_left_in_the_temporary_folder(word_template: RenderOptions) -> None:
    pdf.compile_typst(Path("ord.typ"), {"word": "Fortroligt"}, word_template, standards=())
    stage = typst_stage.stage(word_template.templates.resolve(), None)
    assert stage.stat().st_mode & 0o077 == 0  # only its owner may look in
    assert sorted(p.name for p in stage.iterdir() if not p.name.startswith("main-")) == ["skabeloner"]


def test_the_stage_goes_when_the_process_ends(word_template: RenderOptions) -> None:
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from sagsfremstilling.writers import RenderOptions, pdf, typst_stage\n"
        f"o = RenderOptions(templates=Path({str(word_template.templates)!r}), timestamp=0)\n"
        "pdf.compile_typst(Path('ord.typ'), {'word': 'x'}, o, standards=())\n"
        "print(typst_stage.stage(o.templates.resolve(), None))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    stage = Path(done.stdout.strip())
    assert stage.name.startswith(typst_stage.PREFIX)
    assert not stage.exists()


def _stage_in_child(templates: str, queue: Any) -> None:
    from sagsfremstilling.writers import typst_stage as ts

    queue.put(str(ts.stage(Path(templates), None)))


def test_a_forked_worker_gets_its_own_stage_and_leaves_the_parents(word_template: RenderOptions) -> None:
    templates = word_template.templates.resolve()
    mine = typst_stage.stage(templates, None)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_stage_in_child, args=(str(templates), queue))
    child.start()
    theirs = Path(queue.get(timeout=60))
    child.join(60)
    assert theirs != mine
    assert not theirs.exists()  # the worker cleaned up after itself
    assert mine.is_dir()  # and not after its parent


def test_stages_of_killed_processes_are_swept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    dead = tmp_path / f"{typst_stage.PREFIX}{gone.stdout.strip()}-abc"
    alive = tmp_path / f"{typst_stage.PREFIX}{os.getppid()}-abc"
    other = tmp_path / "sagsfremstilling-typst-notapid"
    for folder in (dead, alive, other):
        folder.mkdir()
        (folder / "data.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(typst_stage, "_STAGES", {})
    templates = (ROOT / "templates").resolve()
    try:
        stage = typst_stage.stage(templates, None)
        assert not dead.exists()
        assert alive.exists() and other.exists()
        assert stage.parent == tmp_path
    finally:
        typst_stage.remove_stages()


# --------------------------------------------------------------------------- PDF/UA-1 robustness


def structure_tags(data: bytes) -> list[str]:
    """Structure element types in document order (H1, P, L …)."""
    out: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if "/S" in node:
            out.append(str(node["/S"])[1:])
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                walk(kid)

    walk(catalog(data)["/StructTreeRoot"])
    return out


def test_heading_tags_are_consecutive_whatever_the_levels() -> None:
    blocks = (
        Heading(2, text("Sektion før titlen")),
        Heading(1, text("Titel"), role="title"),
        Heading(3, text("Dybt afsnit")),
        Heading(2, (), role="section"),  # empty: PDF/UA-1 forbids it, so it is left out
        Quote((Heading(2, text("Overskrift i citat")), Paragraph(text("Citeret.")))),
    )
    doc = dataclasses.replace(reference_document(), blocks=blocks)
    out = pdf.render(doc, OPTIONS)
    headings = [t for t in structure_tags(out) if re.fullmatch(r"H\d", t)]
    assert headings == ["H1", "H1", "H2"]
    assert "Overskrift i citat Citeret." in all_text(out)


def test_characters_no_font_has_become_replacement_marks(caplog: pytest.LogCaptureFixture) -> None:
    odd = "Grønt 🌳 ✓ ≈ 中\u0007\ufeff slut"
    doc = dataclasses.replace(reference_document(), blocks=(Paragraph(text(odd)),))
    out = pdf.render(doc, OPTIONS)
    assert "Grønt \ufffd ✓ ≈ \ufffd slut" in all_text(out)
    assert "U+1F333" in caplog.text


def test_only_the_shipped_fonts_cover_text() -> None:
    covered = pdf._toolchain(OPTIONS.templates.resolve()).covered
    assert {ord(c) for c in "æøåÆØÅ€§½–”✓→≈\ufffd"} <= covered
    assert ord("🌳") not in covered


def test_references_and_dates_are_not_split_across_lines() -> None:
    sentence = "Efter planlovens § 23 c, stk. 4, nr. 490 og vedtaget den 13. december 2011. "
    doc = dataclasses.replace(reference_document(), blocks=(Paragraph(text(sentence * 12)),))
    raw = "\n".join(p.extract_text() for p in reader(pdf.render(doc, OPTIONS)).pages)
    for kept in ("§\xa023\xa0c", "stk.\xa04", "nr.\xa0490", "13.\xa0december"):
        assert raw.count(kept) == 12, kept


def test_long_danish_words_are_hyphenated() -> None:
    sentence = "Styringsdialog med kommunalbestyrelsesmedlemmerne om boligorganisationernes dialogmøder. "
    doc = dataclasses.replace(reference_document(), blocks=(Paragraph(text(sentence * 8)),))
    raw = reader(pdf.render(doc, OPTIONS)).pages[0].extract_text()
    assert re.search(r"[a-zæøå]-\n[a-zæøå]", raw)


def test_a_list_may_number_with_a_parenthesis() -> None:
    """ListBlock.delimiter ')': '1) …' (indstilling.punktform: parentes); '1.' beside it."""
    items = (ListItem((Paragraph(text("med parentes")),)), ListItem((Paragraph(text("og igen")),)))
    paren = ListBlock(True, items, delimiter=")")
    plain = ListBlock(True, (ListItem((Paragraph(text("med punktum")),)),))
    doc = Document(reference_document().meta, (Heading(1, text("Titel")), paren, plain))
    lines = [flat(line) for line in reader(pdf.render(doc, OPTIONS)).pages[0].extract_text().splitlines()]
    assert "1) med parentes" in lines and "2) og igen" in lines and "1. med punktum" in lines
