"""The DOCX writer: styles from the template, every node translated, lists that
restart, literal case text, the same bytes twice.

The DOCX is read back with python-docx and, where python-docx has no API
(numbering, fields, header XML), as raw XML from the zip.  Bytes are compared
only where reproducibility is the point.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sample_documents import reference_document, rich_document

from sagsfremstilling.document import (
    Document,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Meta,
    Paragraph,
    Strong,
    Table,
    Text,
    text,
)
from sagsfremstilling.errors import InputError
from sagsfremstilling.writers import RenderOptions
from sagsfremstilling.writers import docx as docx_writer
from sagsfremstilling.writers.docx_body import clean_text

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = RenderOptions(templates=ROOT / "templates", timestamp=1668470400)  # 2022-11-15
HOSTILE = (
    '{{ 7*7 }} {% for x in y %} #read("/etc/passwd") #import "x" '
    "<script>alert(1)</script> $x$ \\ * _ ` @ [a](b)"
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1], "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def render(doc: Document) -> bytes:
    return docx_writer.render(doc, OPTIONS)


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def part_text(data: bytes, name: str) -> str:
    return "".join(part(data, name).itertext())


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def style_name(p: DocxParagraph) -> str:
    return p.style.name if p.style is not None and p.style.name else ""


def with_meta(doc: Document, **changes: Any) -> Document:
    return dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, **changes))


def flat(s: str) -> str:
    return " ".join(s.split())


def body_doc(*blocks: Any, **meta: Any) -> Document:
    return Document(Meta(title=meta.pop("title", "Titel"), **meta), tuple(blocks))


@pytest.fixture(scope="module")
def reference_docx() -> bytes:
    return render(reference_document())


@pytest.fixture(scope="module")
def rich_docx() -> bytes:
    return render(rich_document())


# --------------------------------------------------------------------------- page furniture


def test_core_properties_hold_the_title_and_nothing_else(reference_docx: bytes) -> None:
    props = docx.Document(io.BytesIO(reference_docx)).core_properties
    assert props.title == "Ændret praksis for afholdelse af dialogforum"
    for name in ("author", "last_modified_by", "comments", "keywords", "subject", "category"):
        assert getattr(props, name) == "", name
    assert props.created is not None and props.created.timestamp() == OPTIONS.timestamp
    assert props.modified == props.created
    raw = b"".join(
        zipfile.ZipFile(io.BytesIO(reference_docx)).read(n)
        for n in ("docProps/core.xml", "docProps/app.xml")
    )
    assert b"python-docx" not in raw and b"creator" not in raw


def test_header_carries_the_meeting(reference_docx: bytes) -> None:
    header = docx.Document(io.BytesIO(reference_docx)).sections[0].header
    assert [p.text for p in header.paragraphs if p.text] == ["Kommunalbestyrelsen 15-11-2022"]


def test_footer_is_side_x_af_y_with_fields(reference_docx: bytes) -> None:
    footer = part(reference_docx, "word/footer1.xml")
    instructions = [f.get(f"{W}instr").split()[0] for f in footer.iter(f"{W}fldSimple")]
    assert instructions == ["PAGE", "NUMPAGES"]
    words = [
        t.text or ""
        for t in footer.iter(f"{W}t")
        if t.getparent().getparent().tag != f"{W}fldSimple"
    ]
    assert flat(" ".join(words)) == "Side af"


def test_empty_header_and_footer_print_nothing() -> None:
    data = render(with_meta(reference_document(), header="", footer=""))
    assert part_text(data, "word/header1.xml") == ""
    assert part_text(data, "word/footer1.xml") == ""
    assert not list(part(data, "word/footer1.xml").iter(f"{W}fldSimple"))


def test_language_is_danish(reference_docx: bytes) -> None:
    lang = part(reference_docx, "word/styles.xml").find("w:docDefaults//w:lang", NS)
    assert lang is not None and lang.get(f"{W}val") == "da-DK"
    assert docx.Document(io.BytesIO(reference_docx)).core_properties.language == "da-DK"


def test_page_is_a4() -> None:
    section = docx.Document(io.BytesIO(render(reference_document()))).sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    assert (round(width.mm), round(height.mm)) == (210, 297)


def test_watermark_is_in_the_header_only_when_set(rich_docx: bytes, reference_docx: bytes) -> None:
    def marks(data: bytes) -> list[str]:
        header = part(data, "word/header1.xml")
        return [
            tp.get("string")
            for tp in header.iter("{urn:schemas-microsoft-com:vml}textpath")
            if tp.get("string")
        ]

    assert marks(rich_docx) == ["UDKAST"]
    assert marks(reference_docx) == []


# --------------------------------------------------------------------------- body


def test_reference_phrases_in_order(reference_docx: bytes) -> None:
    published = flat((ROOT.parent / "shared/reference/norddjurs-dialogforum-2022.txt").read_text())
    phrases = [
        "Ændret praksis for afholdelse af dialogforum",
        "Sagsgang",
        "MTU, ØK, KB",
        "Sagsfremstilling",
        "Den 13. december 2011 vedtog Kommunalbestyrelsen",
        "Baggrund",
        "Norddjurs Kommune besluttede i 2011",
        "Sammenhæng til andre politikker/strategier og fagområder",
        "Ingen væsentlig sammenhæng.",
        "Økonomiske konsekvenser",
        "Indstilling",
        "Vej- og ejendomschefen indstiller",
        "den politiske deltagelse med den almene boligsektor",
        "de lovpligtige årlige styringsdialogmøder",
        "Beslutning i Miljø- og teknikudvalget den 10-10-2022",
        "Ad. 1. Tiltrådt.",
        "Ad. 2. Tiltrådt.",
        "Beslutning i Økonomiudvalget den 08-11-2022",
        "Ad. 1-2 Tiltrådt.",
        "Afbud:",
        "Diana Therese Mikkelsen (Løsgænger)",
        "Beslutning i Kommunalbestyrelsen den 15-11-2022",
        "Godkendt.",
        "Bilag:",
    ]
    body = flat(" ".join(paragraphs(reference_docx)))
    pos = 0
    for phrase in phrases:
        assert phrase in published, phrase
        found = body.find(phrase, pos)
        assert found >= 0, f"{phrase!r} missing or out of order"
        pos = found + len(phrase)


def test_title_gets_label_and_facts_line(reference_docx: bytes) -> None:
    d = docx.Document(io.BytesIO(reference_docx))
    title, facts = d.paragraphs[0], d.paragraphs[1]
    assert style_name(title) == "Heading 1"
    assert title.text == "1. Ændret praksis for afholdelse af dialogforum"
    assert facts.text == "Sagsnr.: 22/1234\tÅben sag"


def test_styles_follow_roles(reference_docx: bytes) -> None:
    styles = {p.text: style_name(p) for p in docx.Document(io.BytesIO(reference_docx)).paragraphs}
    assert styles["Sagsgang"] == "Heading 2"
    assert styles["Beslutning i Økonomiudvalget den 08-11-2022"] == "Beslutning"
    assert styles["Afbud:"] == "Etiket"


def numbering_of(data: bytes, first_item: str) -> tuple[str, str]:
    """(numId, ilvl) of the list paragraph whose text is ``first_item``."""
    for p in part(data, "word/document.xml").iter(f"{W}p"):
        if "".join(p.itertext()) == first_item:
            num_pr = p.find("w:pPr/w:numPr", NS)
            assert num_pr is not None, first_item
            return (
                num_pr.find("w:numId", NS).get(f"{W}val"),
                num_pr.find("w:ilvl", NS).get(f"{W}val"),
            )
    raise AssertionError(first_item)


def start_of(data: bytes, num_id: str, ilvl: str) -> int:
    num = part(data, "word/numbering.xml").find(f'w:num[@w:numId="{num_id}"]', NS)
    override = num.find(f'w:lvlOverride[@w:ilvl="{ilvl}"]/w:startOverride', NS)
    return int(override.get(f"{W}val"))


def test_every_numbered_list_has_its_own_num_starting_at_1(rich_docx: bytes) -> None:
    first = numbering_of(rich_docx, "punkt et")
    second = numbering_of(rich_docx, "skal starte ved 1")
    assert first[0] != second[0]
    assert numbering_of(rich_docx, "punkt to") == first
    assert numbering_of(rich_docx, "og så 2") == second
    assert start_of(rich_docx, *first) == start_of(rich_docx, *second) == 1


def test_list_start_and_nesting() -> None:
    lst = ListBlock(
        True,
        (
            ListItem(
                (
                    Paragraph(text("tre")),
                    Paragraph(text("mere om tre")),
                    ListBlock(False, (ListItem((Paragraph(text("under")),)),)),
                )
            ),
        ),
        start=3,
    )
    data = render(body_doc(lst))
    num_id, ilvl = numbering_of(data, "tre")
    assert ilvl == "0" and start_of(data, num_id, ilvl) == 3
    assert numbering_of(data, "under")[1] == "1"
    more = next(p for p in docx.Document(io.BytesIO(data)).paragraphs if p.text == "mere om tre")
    indent = more.paragraph_format.left_indent
    assert more._p.pPr is not None and more._p.pPr.numPr is None
    assert indent is not None and indent.twips > 0


def test_a_list_may_number_with_a_parenthesis() -> None:
    """ListBlock.delimiter ')' (indstilling.punktform: parentes, catalogue 4.3 'At 1)'):
    its own copy of the numbered definition, '%1)', without the original's nsid; a
    '1.' list beside it keeps '%1.'."""
    paren = ListBlock(True, (ListItem((Paragraph(text("med parentes")),)),), delimiter=")")
    plain = ListBlock(True, (ListItem((Paragraph(text("med punktum")),)),))
    data = render(body_doc(paren, plain))
    numbering = part(data, "word/numbering.xml")

    def first_level(item: str) -> Any:
        num_id, _ = numbering_of(data, item)
        abstract = numbering.find(f'w:num[@w:numId="{num_id}"]/w:abstractNumId', NS).get(f"{W}val")
        return numbering.find(f'w:abstractNum[@w:abstractNumId="{abstract}"]', NS)

    paren_def, plain_def = first_level("med parentes"), first_level("med punktum")
    assert paren_def is not plain_def
    assert paren_def.find('w:lvl[@w:ilvl="0"]/w:lvlText', NS).get(f"{W}val") == "%1)"
    assert plain_def.find('w:lvl[@w:ilvl="0"]/w:lvlText', NS).get(f"{W}val") == "%1."
    assert paren_def.find("w:nsid", NS) is None
    assert render(body_doc(paren, plain)) == data


def test_inline_formatting_and_hyperlink(rich_docx: bytes) -> None:
    d = docx.Document(io.BytesIO(rich_docx))
    p = next(p for p in d.paragraphs if p.text.startswith("Almindelig tekst"))
    assert p.text == "Almindelig tekst med fed, kursiv og et link.\nNy linje efter linjeskift."
    runs = {r.text: r for r in p.runs}
    assert runs["fed"].bold and runs["kursiv"].italic
    (link,) = p.hyperlinks
    assert (link.text, link.address) == ("link", "https://www.norddjurs.dk/")
    rel = d.part.rels[link._hyperlink.rId]
    assert rel.is_external and rel.reltype.endswith("/hyperlink")


def test_nested_strong_inside_link_stays_bold() -> None:
    para = Paragraph((Link("mailto:a@b.dk", (Strong(text("skriv")),)), LineBreak(), Text("x")))
    p = docx.Document(io.BytesIO(render(body_doc(para)))).paragraphs[0]
    assert p.hyperlinks[0].runs[0].bold and p.hyperlinks[0].address == "mailto:a@b.dk"


def test_table_header_repeats_and_columns_align(rich_docx: bytes) -> None:
    (table,) = docx.Document(io.BytesIO(rich_docx)).tables
    assert [c.text for c in table.rows[0].cells] == ["Projekt", "Beløb (kr.)"]
    header_row = table._tbl.tr_lst[0].trPr
    assert header_row is not None and header_row.find(qn("w:tblHeader")) is not None
    assert table._tbl.tr_lst[1].trPr is None
    assert table.style is not None and table.style.name == "Sagstabel"
    assert [c.paragraphs[0].alignment for c in table.rows[1].cells] == [None, 2]  # 2 = RIGHT


def test_quote_uses_quote_style(rich_docx: bytes) -> None:
    styles = {p.text: style_name(p) for p in docx.Document(io.BytesIO(rich_docx)).paragraphs}
    assert styles["”Citat fra en borger.”"] == "Quote"


def test_every_title_after_the_first_starts_a_page() -> None:
    meeting = body_doc(
        Heading(1, text("Første sag"), role="title"),
        Paragraph(text("a")),
        Heading(1, text("2. Anden sag"), role="title"),
        Paragraph(text("b")),
        title="Dagsorden",
        item_label="1.",
        case_number="Sagsnr.: 1",
    )
    titles = [
        p
        for p in docx.Document(io.BytesIO(render(meeting))).paragraphs
        if style_name(p) == "Heading 1"
    ]
    assert [p.text for p in titles] == ["1. Første sag", "2. Anden sag"]
    assert [p.paragraph_format.page_break_before for p in titles] == [None, True]


def test_body_always_ends_with_a_paragraph() -> None:
    empty = docx.Document(io.BytesIO(render(body_doc())))
    assert [p.text for p in empty.paragraphs] == [""]
    table = Table(header=(text("a"),), rows=())
    body = part(render(body_doc(table)), "word/document.xml").find("w:body", NS)
    assert body is not None and [etree.QName(e).localname for e in body] == ["tbl", "p", "sectPr"]


# --------------------------------------------------------------------------- case text is data


def test_hostile_text_is_literal_everywhere(rich_docx: bytes) -> None:
    assert HOSTILE in paragraphs(rich_docx)
    title = "Budget 2023 – anlæg <b>& {{ titel }}"
    assert paragraphs(rich_docx)[0] == "7. " + title
    assert docx.Document(io.BytesIO(rich_docx)).core_properties.title == title


@pytest.mark.parametrize("s", [HOSTILE, "{_{ x }_} {_% y %_}", "a & b < c > \"d\" 'e'"])
def test_hostile_meta_is_literal(s: str) -> None:
    data = render(
        body_doc(Paragraph(text(s)), title=s, header=s, watermark=s, footer=s + " {side}")
    )
    assert s in paragraphs(data)
    assert part_text(data, "word/header1.xml") == s
    assert part_text(data, "word/footer1.xml") == s + " 1"
    header = part(data, "word/header1.xml")
    assert [
        t.get("string")
        for t in header.iter("{urn:schemas-microsoft-com:vml}textpath")
        if t.get("string")
    ] == [s]


def test_control_characters_are_cleaned_not_fatal() -> None:
    s = "før\x0bskift\x0cside\x00\x07\x1fslut\r\nny\ud800"
    data = render(body_doc(Paragraph(text(s)), title=s, header=s))
    assert paragraphs(data)[0] == "før skift sideslut\nny"
    assert part_text(data, "word/header1.xml") == "før skift sideslut ny"
    assert docx.Document(io.BytesIO(data)).core_properties.title == "før skift sideslut ny"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=40))
def test_any_text_survives(s: str) -> None:
    data = render(body_doc(Paragraph(text(s)), title=s, header=s))
    assert paragraphs(data)[0] == clean_text(s)
    assert part_text(data, "word/header1.xml") == clean_text(s, one_line=True)


# --------------------------------------------------------------------------- reproducibility


def test_same_input_same_bytes(rich_docx: bytes) -> None:
    assert render(rich_document()) == rich_docx


def test_same_bytes_in_another_process(rich_docx: bytes) -> None:
    """No set order, hash seed or clock leaks into the file."""
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from sample_documents import rich_document;"
        "from sagsfremstilling.writers import RenderOptions, docx;"
        "sys.stdout.buffer.write(docx.render(rich_document(), RenderOptions(Path(sys.argv[2]), 1668470400)))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    args = [sys.executable, "-c", script, str(ROOT / "tests"), str(OPTIONS.templates)]
    assert subprocess.run(args, env=env, capture_output=True, check=True).stdout == rich_docx


def test_zip_entries_are_fixed(rich_docx: bytes) -> None:
    infos = zipfile.ZipFile(io.BytesIO(rich_docx)).infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(2022, 11, 15, 0, 0, 0)}


def test_timestamp_sets_the_dates() -> None:
    other = docx_writer.render(reference_document(), dataclasses.replace(OPTIONS, timestamp=0))
    props = docx.Document(io.BytesIO(other)).core_properties
    assert props.created is not None and props.created.year == 1970
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(other)).infolist()} == {
        (1980, 1, 1, 0, 0, 0)
    }


def test_committed_template_is_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "make_docx_template", ROOT / "templates/make_docx_template.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (ROOT / "templates/sag.docx").read_bytes(), (
        "templates/sag.docx is stale: run python templates/make_docx_template.py"
    )


def test_missing_template_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Word-skabelonen findes ikke"):
        docx_writer.render(reference_document(), dataclasses.replace(OPTIONS, templates=tmp_path))


def test_template_without_body_field_is_an_input_error(tmp_path: Path) -> None:
    source = zipfile.ZipFile(ROOT / "templates/sag.docx")
    out = zipfile.ZipFile(tmp_path / "sag.docx", "w")
    for info in source.infolist():
        data = source.read(info)
        if info.filename == "word/document.xml":
            assert b"{{p body }}" in data
            data = data.replace(b"{{p body }}", b"ingen tekst her")
        out.writestr(info, data)
    out.close()
    with pytest.raises(InputError, match=r"har ikke feltet \{\{p body \}\}"):
        docx_writer.render(reference_document(), dataclasses.replace(OPTIONS, templates=tmp_path))


def test_text_like_the_body_mark_is_only_text() -> None:
    """The body takes the place of a marked paragraph after rendering; case text
    that copies the mark loses its private-use characters and stays where it is."""
    mark = docx_writer._BODY_MARK
    data = render(body_doc(Paragraph(text("før")), Paragraph(text(mark)), Paragraph(text("efter")),
                           title=mark, header=mark))
    assert paragraphs(data) == ["før", mark.strip("\ue000"), "efter"]
    assert part_text(data, "word/header1.xml") == mark.strip("\ue000")
    assert "\ue000" not in part_text(data, "word/document.xml")
