"""The HTML writer: structure, accessibility, hostile text and determinism.

Pages are parsed, never string-matched for structure: lxml.html for queries and
html.parser for a strict nesting check of exactly what the writer emitted.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
from sample_documents import reference_document, rich_document

from sagsfremstilling.document import (
    Document,
    Heading,
    Link,
    ListBlock,
    ListItem,
    Meta,
    Paragraph,
    Quote,
    Text,
    plain_text,
    text,
)
from sagsfremstilling.writers import RenderOptions, html

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
OPTIONS = RenderOptions(templates=TEMPLATES, timestamp=0)
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
VOID = {"meta", "br", "link", "img", "hr", "input", "col", "wbr", "source", "area", "base"}


def page(doc: Document, options: RenderOptions = OPTIONS) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html.render(doc, options))


def body_text(tree: lxml.html.HtmlElement) -> str:
    return " ".join(tree.body.text_content().split())


def heading_levels(tree: lxml.html.HtmlElement) -> list[int]:
    return [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def doc_with(blocks: tuple, **meta: str) -> Document:  # type: ignore[type-arg]
    return Document(Meta(title=meta.pop("title", "Titel"), **meta), blocks)


class _Nesting(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()


@pytest.mark.parametrize("make", [reference_document, rich_document])
def test_page_is_well_formed_and_self_contained(make):  # type: ignore[no-untyped-def]
    out = html.render(make(), OPTIONS).decode("utf-8")
    checker = _Nesting()
    checker.feed(out)
    checker.close()
    assert checker.open == []
    assert out.startswith('<!doctype html>\n<html lang="da">')
    tree = lxml.html.document_fromstring(out)
    assert tree.xpath("//script") == []
    assert tree.xpath("//@*[starts-with(name(), 'on')]") == []
    assert tree.xpath("//link | //img | //iframe | //object") == []
    assert tree.xpath("//@style") == []
    assert len(tree.xpath("/html/head/style")) == 1


def test_head_has_charset_viewport_csp_and_title():
    tree = page(reference_document())
    assert tree.get("lang") == "da"
    head = tree.head
    assert head[0].tag == "meta" and head[0].get("charset") == "utf-8"
    csp = head.xpath("meta[@http-equiv='Content-Security-Policy']/@content")
    assert len(csp) == 1 and csp[0].startswith(CSP)
    assert head.xpath("meta[@name='viewport']/@content") == ["width=device-width, initial-scale=1"]
    assert head.findtext("title") == "Ændret praksis for afholdelse af dialogforum"


def test_header_title_and_case_line():
    tree = page(reference_document())
    [header] = tree.xpath("//body/header")
    assert header.xpath("p/text()") == ["Norddjurs Kommune", "Kommunalbestyrelsen 15-11-2022"]
    [h1] = tree.xpath("//h1")
    assert h1.getparent().tag == "article" and h1.getparent().getparent().tag == "main"
    assert h1.text_content() == "1. Ændret praksis for afholdelse af dialogforum"
    info = h1.getnext()
    assert info.get("class") == "sagsinfo"
    assert info.xpath("span/text()") == ["Sagsnr.: 22/1234", "Åben sag"]


def test_case_line_and_header_left_out_when_empty():
    tree = page(doc_with((Heading(1, text("Titel"), role="title"),)))
    assert tree.xpath("//header | //*[@class='sagsinfo'] | //*[@class='punktnr']") == []
    assert tree.xpath("//h1")[0].text_content() == "Titel"


@pytest.mark.parametrize("make", [reference_document, rich_document])
def test_one_h1_and_levels_never_skip(make):  # type: ignore[no-untyped-def]
    levels = heading_levels(page(make()))
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_heading_levels_are_repaired():
    blocks = (
        Heading(4, text("før titel")),
        Heading(1, text("Titel"), role="title"),
        Heading(4, text("for dyb")),
        Heading(3, text("stadig")),
        Heading(1, text("anden titel")),
        Quote((Heading(2, text("i citat")),)),
    )
    assert heading_levels(page(doc_with(blocks))) == [2, 1, 2, 3, 2, 2]


def test_blocks_data_can_start_below_a_packet_title():
    blocks = html.blocks_data(reference_document(), top=2)
    headings = [b for b in blocks if b["type"] == "heading"]
    assert [h["level"] for h in headings[:3]] == [2, 3, 3]
    assert [h["title"] for h in headings[:2]] == [True, False]


def test_reference_text_in_order_with_roles():
    """Every line of every block, as the published paper has them, in order."""
    doc = reference_document()
    tree = page(doc)
    content, at = body_text(tree), 0
    for block in doc.blocks:
        for line in plain_text(block).split("\n"):
            at = content.index(" ".join(line.split()), at)
    assert len(tree.xpath("//h2[@class='decision']")) == 3
    for role in ("sagsgang", "indstilling", "bilag"):
        assert len(tree.xpath(f"//h2[@class='{role}']")) == 1
    assert tree.xpath("//p[@class='label']/text()") == ["Afbud:"]
    [ol] = tree.xpath("//ol")
    assert ol.get("start") == "1" and len(ol.xpath("li")) == 2


def test_lists_nest_and_restart():
    tree = page(rich_document())
    [ul] = tree.xpath("//ul")
    first, second = ul.xpath("li")
    assert first.xpath("p/text()") == ["Første punkt"]
    assert first.xpath("ol/li/p/text()") == ["Indlejret et", "Indlejret to"]
    assert second.xpath("p/text()") == ["Andet punkt"]
    assert [ol.get("start") for ol in tree.xpath("//ol")] == ["1", "1", "1"]
    start_at_3 = ListBlock(ordered=True, items=(ListItem((Paragraph(text("tre")),)),), start=3)
    assert page(doc_with((start_at_3,))).xpath("//ol/@start") == ["3"]
    paren = ListBlock(ordered=True, items=(ListItem((Paragraph(text("et")),)),), delimiter=")")
    tree = page(doc_with((paren, start_at_3)))
    assert tree.xpath("//ol/@class") == ["parentes"]  # "1)": the stylesheet's ::marker
    assert 'ol.parentes > li::marker { content: counter(list-item) ") "; }' in "".join(tree.xpath("//style/text()"))


def test_table_quote_inlines():
    tree = page(rich_document())
    [table] = tree.xpath("//div[@class='tabel']/table")
    assert table.xpath("thead/tr/th/@scope") == ["col", "col"]
    assert table.xpath("thead/tr/th[2]/@class") == ["align-right"]
    assert table.xpath("thead/tr/th[1]/@class") == []
    assert table.xpath("tbody/tr/td[2]/@class") == ["align-right", "align-right"]
    assert table.xpath("tbody/tr[2]/td/text()") == ["Å-renovering", "-3.751.000 kr."]
    assert tree.xpath("//blockquote/p/text()") == ["”Citat fra en borger.”"]
    [p] = tree.xpath("//p[strong]")
    assert p.xpath("strong/text()") == ["fed"] and p.xpath("em/text()") == ["kursiv"]
    assert p.xpath("a/@href") == ["https://www.norddjurs.dk/"]
    assert p.xpath("a/@rel") == ["noopener"]
    assert len(p.xpath("br")) == 1


def test_hostile_text_stays_text():
    out = html.render(rich_document(), OPTIONS).decode("utf-8")
    tree = lxml.html.document_fromstring(out)
    content = body_text(tree)
    for literal in (
        "{{ 7*7 }}",
        "{% for x in y %}",
        "<script>alert(1)</script>",
        '#read("/etc/passwd")',
    ):
        assert literal in content
    assert "49" not in content
    title = "Budget 2023 – anlæg <b>& {{ titel }}"
    assert tree.findtext(".//title") == title
    assert tree.xpath("//h1")[0].text_content() == "7. " + title
    assert tree.xpath("//b") == []


def test_hostile_document_cannot_inject_markup():
    evil = "<img src=x onerror=alert(1)> </style><script>alert(2)</script> {{ config }} {% raw %}"
    doc = doc_with(
        (
            Heading(1, text(evil), role="title"),
            Heading(2, text(evil), role='x" onclick="alert(3)'),
            Paragraph(
                (Link('https://a.dk/?q="><script>alert(4)</script>', text(evil)),), role=evil
            ),
        ),
        title=evil,
        municipality=evil,
        header=evil,
        item_label=evil,
        case_number=evil,
        status_label=evil,
        watermark=evil,
    )
    tree = page(doc)
    assert tree.xpath("//script | //img | //@onclick | //@onerror") == []
    assert tree.findtext(".//title") == evil
    assert body_text(tree).count(" ".join(evil.split())) == 9
    assert tree.xpath("//a/@href") == ['https://a.dk/?q="><script>alert(4)</script>']


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "//evil.example",
        "ftp://x.dk",
        "",
    ],
)
def test_unsafe_link_renders_text_only(url: str):
    doc = doc_with((Paragraph((Text("Se "), Link(url, text("her")), Text("."))),))
    tree = page(doc)
    assert tree.xpath("//a") == []
    assert tree.xpath("//main//p/text()") == ["Se her."]
    assert "script:" not in html.render(doc, OPTIONS).decode("utf-8").lower()


@pytest.mark.parametrize(
    "url", ["http://x.dk", "https://x.dk/a?b=1&c=2", "mailto:post@norddjurs.dk"]
)
def test_safe_link_is_emitted(url: str):
    tree = page(doc_with((Paragraph((Link(url, text("her")),)),)))
    assert tree.xpath("//a/@href") == [url]


def test_watermark_banner_only_when_set():
    marked = page(rich_document()).xpath("//body/p[@class='vandmaerke']")
    assert [p.text for p in marked] == ["UDKAST"] and marked[0].get("role") == "note"
    assert page(reference_document()).xpath("//*[@class='vandmaerke']") == []


def test_same_document_same_bytes():
    first = html.render(reference_document(), OPTIONS)
    html.environment.cache_clear()
    html._stylesheets.clear()
    assert html.render(reference_document(), OPTIONS) == first
    assert html.render(rich_document(), OPTIONS) == html.render(rich_document(), OPTIONS)
    later = RenderOptions(templates=TEMPLATES, timestamp=1_700_000_000)
    assert html.render(reference_document(), later) == first


def test_one_stylesheet_for_all_pages():
    styles = {page(make()).findtext(".//style") for make in (reference_document, rich_document)}
    [css] = styles
    assert "@media print" in css and "@page" in css and "70ch" in css
    assert css.strip() == (TEMPLATES / "html/stil.css").read_text(encoding="utf-8").strip()


def test_stylesheet_cannot_close_style(tmp_path: Path):
    shutil.copytree(TEMPLATES / "html", tmp_path / "html")
    (tmp_path / "html/stil.css").write_text(
        "p{}</style><script>alert(1)</script>", encoding="utf-8"
    )
    tree = page(reference_document(), RenderOptions(templates=tmp_path, timestamp=0))
    assert tree.xpath("//script") == []


def test_environment_is_cached_and_strict():
    env = html.environment(TEMPLATES)
    assert env is html.environment(TEMPLATES)
    assert env.autoescape is True
    with pytest.raises(Exception, match="meta"):
        env.get_template("html/base.html.j2").render(stylesheet="")


def test_render_page_lets_packet_pages_extend_base(tmp_path: Path):
    shutil.copytree(TEMPLATES / "html", tmp_path / "html")
    (tmp_path / "html/pakke.html.j2").write_text(
        '{% extends "html/base.html.j2" %}{% import "html/blokke.html.j2" as b %}'
        "{% block title %}Dagsorden – {{ meta.title }}{% endblock %}"
        "{% block content %}<h1>{{ overskrift }}</h1>{% for item in items %}"
        "{{ b.item(item.meta, item.blocks) }}{% endfor %}{% endblock %}",
        encoding="utf-8",
    )
    ref = reference_document()
    items = [{"meta": ref.meta, "blocks": html.blocks_data(ref, top=2)}]
    meta = Meta(title="Kommunalbestyrelsen", municipality="Norddjurs Kommune")
    out = html.render_page(
        "html/pakke.html.j2",
        {"meta": meta, "overskrift": "Dagsorden <1>", "items": items},
        RenderOptions(templates=tmp_path, timestamp=0),
    )
    tree = lxml.html.document_fromstring(out)
    assert tree.findtext(".//title") == "Dagsorden – Kommunalbestyrelsen"
    assert tree.xpath("//h1/text()") == ["Dagsorden <1>"]
    assert tree.xpath("//h2")[0].text_content().startswith("1. Ændret praksis")
    assert set(heading_levels(tree)) == {1, 2, 3}
    assert tree.xpath("//header/p/text()") == ["Norddjurs Kommune"]
    assert tree.findtext(".//style") == page(ref).findtext(".//style")


@dataclass(frozen=True)
class _Odd:
    type: str = "odd"


def test_unknown_node_type_is_a_bug():

    with pytest.raises(TypeError, match="odd"):
        html.render(Document(Meta(title="x"), (_Odd(),)), OPTIONS)  # type: ignore[arg-type]
