"""Fuzzing: whatever arrives, the answer is a located error or a document, never an exception.

Four stages, each with its own property:

* the YAML reader: any text or bytes gives ``Loaded`` or ``InputError`` (with a
  position inside the file), never another exception;
* the model: any nested data, written as a case or meeting file, gives a model
  or located problems;
* the Markdown parser: any text gives clean blocks; every visible character of
  plain text survives (modulo ``textclean.clean``); marked personal data never
  survives redaction;
* the writers: any Document built from ``document.py``'s node types gives a
  PDF that pypdf opens, a DOCX that python-docx opens and HTML that parses.

Seeds are fixed (``derandomize=True``) and example counts bounded, so a run is
repeatable and its time predictable.  A failure prints the smallest example;
add it as an ``@example`` when fixing the bug.
"""

from __future__ import annotations

import io
import logging
import re
import string
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sagsfremstilling.document import (
    Block, Document, Emph, Heading, Inline, LineBreak, Link, ListBlock, ListItem, Meta, Paragraph,
    Quote, Strong, Table, Text, plain_text,
)
from sagsfremstilling.errors import InputError
from sagsfremstilling.markdown import parse
from sagsfremstilling.markdown import plain as markdown_plain
from sagsfremstilling.project import load_case, load_meeting, load_settings
from sagsfremstilling.textclean import clean
from sagsfremstilling.writers import RenderOptions, render
from sagsfremstilling.yamlread import Loaded, load_text, load_yaml

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = RenderOptions(templates=ROOT / "templates", timestamp=1_668_470_400)

FUZZ = settings(derandomize=True, deadline=None, max_examples=300,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
"""Cheap stages: 300 examples each, the same ones on every run."""
MODEL = settings(FUZZ, max_examples=150)
"""Each example writes a file and validates it twice."""
SLOW = settings(FUZZ, max_examples=100)
"""Documents are costly to generate, and Typst and python-docx cost milliseconds each."""

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                        "\ufeff\ufffe\uffff\ue000-\uf8ff\ud800-\udfff]")
"""What ``textclean.clean`` promises never reaches a Document."""


# ---------------------------------------------------------------- the YAML reader

_YAML_BITS = st.sampled_from([
    "titel: ", "sagsgang:", "\n", "  ", "- ", ": ", "'", '"', "|", ">", "&a ", "*a", "!!str ",
    "!x ", "<<: ", "? ", "[", "]", "{", "}", ",", "#", "---\n", "...\n", "%YAML 1.1\n", "\t",
    "\\", "\\x0b", "\\0", "\\ud800", "\r\n", "\ufeff", "\u00a0", "æøå", "2022-02-30", "ja", "~",
    "0x1F", "1e9", ".inf", "=", "@", "`",
])
yaml_like = st.lists(st.one_of(_YAML_BITS, st.text(max_size=8)), max_size=40).map("".join)


def _assert_located(err: InputError, text: str) -> None:
    lines = text.count("\n") + 2
    for problem in err.problems:
        assert problem.path == "x.yaml"
        assert problem.message.strip()
        assert "Traceback" not in problem.message
        assert 0 <= problem.line <= lines, (problem, lines)
        assert problem.col >= 0


@FUZZ
@given(st.one_of(st.text(max_size=200), yaml_like))
@example("a: \"\\ud800\"")  # a lone surrogate escape
@example("[" * 2000)  # deeper than any nesting limit
@example("a: &x [1]\nb: *x")
@example("!!python/object/apply:os.system ['true']")
def test_yaml_reader_text_gives_data_or_located_error(text: str) -> None:
    try:
        loaded = load_text(text, "x.yaml")
    except InputError as err:
        _assert_located(err, text)
        return
    assert isinstance(loaded, Loaded)
    _assert_plain(loaded.data)


def _assert_plain(data: Any) -> None:
    """Only what the reader promises: dicts with str keys, lists, str, None."""
    if isinstance(data, dict):
        for key, value in data.items():
            assert isinstance(key, str)
            _assert_plain(value)
    elif isinstance(data, list):
        for value in data:
            _assert_plain(value)
    else:
        assert data is None or isinstance(data, str), type(data)


@FUZZ
@given(st.binary(max_size=300))
@example(b"titel: \xe6\xf8\xe5\n")  # Latin-1
@example(b"\xff\xfet\x00i\x00")  # UTF-16 with BOM
@example(b"\xef\xbb\xbftitel: x\r\n")  # UTF-8 BOM and CRLF
def test_yaml_reader_bytes_give_data_or_located_error(tmp_path_factory: pytest.TempPathFactory,
                                                      raw: bytes) -> None:
    path = tmp_path_factory.mktemp("y") / "x.yaml"
    path.write_bytes(raw)
    try:
        loaded = load_yaml(path, "x.yaml")
    except InputError as err:
        _assert_located(err, raw.decode("utf-8", "replace"))
        return
    _assert_plain(loaded.data)


# ---------------------------------------------------------------- the model

_CASE_KEYS = ["titel", "sagsnummer", "lukket", "offentlig_titel", "sagsgang", "udvalg", "dato",
              "punkt", "beslutning", "udfald", "tekst", "ad", "punkter", "afbud", "navn", "parti",
              "grund", "afstemninger", "for", "imod", "antal", "partier", "medlemmer",
              "indstilling", "indstiller", "bilag", "fil", "offentlig", "sagsfremstilling",
              "ekstra_sektioner", "overskrift", "udtalelser", "art", "af", "citat", "start",
              "status", "sag", "nummer", "ukendt"]
_SCALARS = st.one_of(
    st.none(), st.sampled_from(["ja", "nej", "2022-11-15", "2022-02-30", "KB", "ØK", "XX", "7",
                                "-1", "99999999999999999999", "16:00", "25:61", "godkendt",
                                "1-2", "1, 3", "9-1", "0", "", "bilag/2022/kort.pdf", "../x.pdf"]),
    st.text(max_size=20), st.integers(), st.booleans(), st.floats(allow_nan=True),
)
nested = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(_CASE_KEYS), inner, max_size=6)),
    max_leaves=30,
)


@pytest.fixture(scope="module")
def settings_model() -> Any:
    return load_settings(ROOT)[0]


def _write_yaml(folder: Path, data: Any) -> Path:
    path = folder / "cases" / "2022" / "x.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@MODEL
@given(st.one_of(nested, st.dictionaries(st.sampled_from(_CASE_KEYS), nested, max_size=8)))
@example({"titel": "x", "sagsgang": [{"udvalg": "KB", "dato": "2022-02-30"}]})
@example({"titel": "x", "lukket": "ja", "sagsgang": [{"udvalg": "KB", "dato": "2022-11-15"}]})
@example({"titel": ["x"], "sagsgang": "KB", "sagsfremstilling": {"a": 1}})
def test_case_data_gives_model_or_located_problems(tmp_path_factory: pytest.TempPathFactory,
                                                   settings_model: Any, data: Any) -> None:
    root = tmp_path_factory.mktemp("root")
    path = _write_yaml(root, data)
    problems: list[Any] = []
    case, loaded = load_case(path, root, settings_model, problems)
    assert (case is None) == bool(problems), problems
    lines = path.read_text(encoding="utf-8").count("\n") + 1
    for problem in problems:
        assert problem.path == "cases/2022/x.yaml"
        assert problem.message.strip()
        assert 0 <= problem.line <= lines
    meeting_problems: list[Any] = []
    meeting, _ = load_meeting(path, root, meeting_problems)
    assert (meeting is None) == bool(meeting_problems)


# ---------------------------------------------------------------- the Markdown parser

def _assert_clean_blocks(blocks: tuple[Block, ...] | tuple[Inline, ...]) -> None:
    for node in blocks:
        if isinstance(node, Text):
            assert not _FORBIDDEN.search(node.text), repr(node.text)
        elif isinstance(node, Link):
            assert node.url.lower().startswith(("http://", "https://", "mailto:")), node.url
            _assert_clean_blocks(node.children)
        elif isinstance(node, Table):
            for row in (node.header, *node.rows):
                for cell in row:
                    _assert_clean_blocks(cell)
        elif isinstance(node, ListBlock):
            _assert_clean_blocks(node.items)
        elif hasattr(node, "children"):
            _assert_clean_blocks(node.children)


_MARKDOWN_BITS = st.sampled_from([
    "*", "**", "_", "`", "```\n", "[", "](", ")", "](javascript:alert(1))", "](http://x)", "<",
    ">", "> ", "# ", "- ", "1. ", "  ", "\n", "\n\n", "|", "||", "|-|", "\\", "&amp;", "&#0;",
    "<script>", "<!--", "{{ 7*7 }}", "#read(\"/etc/passwd\")", "$x$", "\x0b", "\x00", "\u202e",
    "\ue000", "\ue0010\ue001", "\ufeff", "\r\n", "e\u0301", "👍", "<https://x>", "![a](b)",
])
markdown_like = st.lists(st.one_of(_MARKDOWN_BITS, st.text(max_size=6)), max_size=40).map("".join)


@FUZZ
@given(st.one_of(st.text(max_size=300), markdown_like), st.sampled_from([None, "[udeladt]"]))
@example("a \ue0000\ue001 b", None)  # a pasted private-use character once faked a ||mark||
@example("a\x00b", None)
def test_markdown_gives_clean_blocks(source: str, redact: str | None) -> None:
    blocks = parse(source, redact)
    assert all(isinstance(b, Heading | Paragraph | ListBlock | Table | Quote) for b in blocks)
    _assert_clean_blocks(blocks)


_MD_SPECIAL = set("\\`*_[]<>#|!&~-+={}") | set(string.whitespace)
plain_words = st.lists(
    st.text(st.characters(exclude_categories=("Cs", "Co", "Cn", "Zl", "Zp", "Cc"),
                          exclude_characters="".join(_MD_SPECIAL)), min_size=1, max_size=12),
    min_size=1, max_size=12,
)


def _visible(s: str) -> str:
    return "".join(c for c in s if not c.isspace())


@FUZZ
@given(st.lists(plain_words.map(" ".join), min_size=1, max_size=5))
@example(["Prisen er {{ 7*7 }} kr.", "#read(\"/etc/passwd\") og $ x $"])
@example(["a\u202eb", "e\u0301"])
def test_plain_text_survives_markdown(lines: list[str]) -> None:
    # Lines that start with a letter are plain paragraph text in CommonMark;
    # "1." at a line start would be a list marker, so each line gets a lead word.
    source = "\n".join("Ord " + line for line in lines)
    assert _visible(plain_text(parse(source))) == _visible(clean(source))


secret = st.text(string.ascii_letters, min_size=4, max_size=10).map(lambda s: f"HEMMELIG{s}")


@FUZZ
@given(markdown_like.filter(lambda s: "|" not in s), secret, markdown_like.filter(lambda s: "|" not in s))
def test_marked_personal_data_never_survives_redaction(before: str, name: str, after: str) -> None:
    source = f"{before}||{name}||{after}"
    assert "HEMMELIG" not in plain_text(parse(source, "[udeladt]"))


@FUZZ
@given(st.text(st.characters(categories=["Cs", "Ll", "So", "Cc", "Co"]), max_size=40))
@example("\ud83d\ude00 \ud800")  # a valid pair from "\\ud83d\\ude00", and a lone half
def test_cleaned_text_always_encodes(text: str) -> None:
    """Whatever a reader hands over, cleaned text encodes as UTF-8 (a lone surrogate
    once reached Typst and failed there with UnicodeEncodeError)."""
    cleaned = clean(text)
    cleaned.encode("utf-8")
    assert not _FORBIDDEN.search(cleaned)
    assert clean("\ud83d\ude00") == "\U0001f600"


_LOOSE_MARKS = ["||{}||", "|| {} ||", "||{} ||", "|| {}||", "||{}"]
"""Ways a caseworker types a mark: hugging (as documented), with spaces inside the bars,
or with the closing bars forgotten."""


@FUZZ
@given(markdown_like.filter(lambda s: "|" not in s), secret,
       markdown_like.filter(lambda s: "|" not in s), st.sampled_from(_LOOSE_MARKS),
       st.integers(0, 3))
@example("Valget stod mellem plan A || plan B. Borgeren ", "HEMMELIGJens", " har klaget.",
         "||{}||", 0)
@example("Borgeren ", "HEMMELIGJens Jensen", " har klaget.", "|| {} ||", 0)
@example("Navn: ", "HEMMELIGJens Jensen", " slut", "||{}||", 13)  # a wrapped line in the mark
def test_loosely_marked_personal_data_never_survives_redaction(
        before: str, name: str, after: str, mark: str, wrap: int) -> None:
    if wrap:
        name = name[:wrap] + "\n" + name[wrap:]
    source = before + mark.format(name) + after
    assert "HEMMELIG" not in plain_text(parse(source, "[udeladt]"))
    assert "HEMMELIG" not in markdown_plain(source.replace("\n", " "), "[udeladt]")


# ---------------------------------------------------------------- the writers

def _safe_text(max_size: int = 30) -> st.SearchStrategy[str]:
    """Text as compose hands it over: cleaned."""
    return st.one_of(
        st.text(max_size=max_size).map(clean),
        st.sampled_from(["{{ 7*7 }}", "{% for x in y %}", "#read(\"/etc/passwd\")", "$ x $",
                         "<script>alert(1)</script>", "]]>", "&amp;", "e\u0301", "👍🏽", "\n",
                         "x" * 300, "\u200b", "\u2028", "Æ" * 3, ""]),
    )


def _inlines(depth: int = 2) -> st.SearchStrategy[tuple[Inline, ...]]:
    leaf = st.one_of(st.builds(Text, _safe_text()), st.just(LineBreak()))
    if depth == 0:
        return st.lists(leaf, max_size=4).map(tuple)
    inner = _inlines(depth - 1)
    # compose promises http, https or mailto (markdown.py drops every other link)
    url = st.tuples(st.sampled_from(["http://", "https://", "mailto:", "HTTPS://"]),
                    st.text(max_size=20).map(clean)).map("".join)
    node = st.one_of(leaf, st.builds(Strong, inner), st.builds(Emph, inner),
                     st.builds(Link, url, inner))
    return st.lists(node, max_size=4).map(tuple)


_ROLES = st.sampled_from(["", "title", "section", "decision", "indstilling", "bilag", "sagsgang",
                          "label", "subsection", "decisions", "ukendt"])


_INLINES = _inlines()
_CELL = _inlines(1)
_ALIGN = st.sampled_from(["", "left", "center", "right"])


def _table(columns: int) -> st.SearchStrategy[Table]:
    row = st.lists(_CELL, min_size=columns, max_size=columns).map(tuple)
    return st.builds(Table, header=row, rows=st.lists(row, max_size=3).map(tuple),
                     align=st.lists(_ALIGN, min_size=columns, max_size=columns).map(tuple))


_TABLES = st.one_of([_table(n) for n in range(1, 5)])  # built once: flatmap would rebuild per draw


def _blocks(depth: int = 2) -> st.SearchStrategy[tuple[Block, ...]]:
    para = st.builds(Paragraph, _INLINES, role=_ROLES)
    heading = st.builds(Heading, st.integers(1, 6), _INLINES, role=_ROLES)
    if depth == 0:
        return st.lists(st.one_of(para, heading, _TABLES), max_size=4).map(tuple)
    inner = _blocks(depth - 1)
    items = st.lists(st.builds(ListItem, inner), min_size=1, max_size=3).map(tuple)
    lst = st.builds(ListBlock, st.booleans(), items, start=st.integers(0, 10_000))
    quote = st.builds(Quote, inner)
    return st.lists(st.one_of(para, heading, _TABLES, lst, quote), max_size=5).map(tuple)


documents = st.builds(
    Document,
    # compose always gives a title (the case's titel); PDF/UA-1 refuses a document without one
    st.builds(Meta, title=_safe_text().map(lambda s: "T " + s), municipality=_safe_text(), header=_safe_text(),
              footer=st.sampled_from(["Side {side} af {sider}", "", "{x} {side}", "{{side}}"]),
              item_label=_safe_text(5), status_label=_safe_text(), case_number=_safe_text(),
              watermark=st.sampled_from(["", "UDKAST", "{{ 7*7 }}"]),
              date=st.sampled_from(["", "2022-11-15", "2022-02-30", "x"])),
    _blocks(),
)


@pytest.fixture(autouse=True)
def _quiet_pdf_log() -> Any:
    """The PDF writer logs every undrawable character; hypothesis makes thousands."""
    log = logging.getLogger("sagsfremstilling.writers.pdf")
    level = log.level
    log.setLevel(logging.ERROR)
    yield
    log.setLevel(level)


class _StrictHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@SLOW
@given(documents)
def test_pdf_writer_gives_a_pdf_pypdf_opens(doc: Document) -> None:
    data = render("pdf", doc, OPTIONS)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    for page in reader.pages:
        page.extract_text()


@SLOW
@given(documents)
def test_docx_writer_gives_a_docx_python_docx_opens(doc: Document) -> None:
    data = render("docx", doc, OPTIONS)
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs is not None
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None


@SLOW
@given(documents)
def test_html_writer_gives_html_that_parses_without_active_content(doc: Document) -> None:
    page = render("html", doc, OPTIONS).decode("utf-8")
    parser = _StrictHTML()
    parser.feed(page)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "object", "embed", "img"), tag
        assert not any(name.startswith("on") for name in attrs), attrs
        href = attrs.get("href")
        if href is not None:
            assert href.lower().startswith(("http://", "https://", "mailto:", "#")), href


# ---------------------------------------------------------------- writer bugs found here
# Each was a crash (a traceback for the caseworker) from input compose can produce.


def test_pdf_link_ending_in_soft_hyphen() -> None:
    """Markdown "Se [lokal\u00ad](https://x)": a soft hyphen (common in text pasted from
    Word) ending the link text at the end of a paragraph makes Typst fail with "internal
    error: expected link ancestor in logical tree" (typst-pdf link.rs)."""
    pdf = render("pdf", Document(Meta(title="T"), parse("Se [lokal\u00ad](https://norddjurs.dk)")),
                 OPTIONS)
    assert "Se lokal" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_pdf_table_header_link_across_pages() -> None:
    """A Markdown table whose header has a link and which runs onto a second page: the
    repeated header is a PDF artifact, and PDF/UA-1 forbids links in artifacts ("PDF
    artifacts may not contain links", templates/lib/blocks.typ table-node)."""
    rows = "".join(f"| Vej {i} | {i} kr. |\n" for i in range(80))
    source = "| Se [kort](https://norddjurs.dk) | Beløb |\n|---|---|\n" + rows
    reader = pypdf.PdfReader(io.BytesIO(render("pdf", Document(Meta(title="T"), parse(source)), OPTIONS)))
    assert len(reader.pages) >= 2
    assert all("Se kort" in page.extract_text() for page in reader.pages)
