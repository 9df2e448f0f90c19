"""Read the text back out of DOCX, PDF and HTML, the way a reader would see it.

Used to prove that the three formats say the same thing and that the
reference item is reproduced.  Normalisation removes what legitimately differs
between formats: page furniture (running header, "Side X af Y", watermark),
list markers (Word numbers lists itself, HTML lists carry no marker text),
line-end hyphenation and whitespace.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

import docx
import pypdf


def docx_text(data: bytes) -> str:
    """Body paragraphs and table cells in document order."""
    document = docx.Document(io.BytesIO(data))
    out: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for cell_p in child.iter():
                if cell_p.tag.endswith("}p"):
                    out.append("".join(t.text or "" for t in cell_p.iter() if t.tag.endswith("}t")))
    return "\n".join(out)


def docx_xml(data: bytes) -> str:
    """Every XML part of a DOCX, for leak and metadata checks."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in sorted(z.namelist())
                         if n.endswith((".xml", ".rels")))


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


class _HTMLText(HTMLParser):
    SKIP = {"style", "script", "head", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        if tag in {"p", "li", "h1", "h2", "h3", "h4", "tr", "td", "th", "br", "div", "header"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(data: bytes, main_only: bool = True) -> str:
    text = data.decode("utf-8")
    if main_only and "<main" in text:
        text = text[text.index("<main"): text.index("</main>")]
    parser = _HTMLText()
    parser.feed(text)
    return "".join(parser.parts)


_MARKER = re.compile(r"(?m)^\s*(?:[•·◦▪‣–-]|\d{1,3}[.)]|[a-z][.)])\s+")


def normalise(text: str, furniture: tuple[str, ...] = ()) -> str:
    """Text as a comparable string: no page furniture, no list markers, no
    hyphens or whitespace."""
    lines = []
    for line in text.replace("\u00ad", "").splitlines():
        stripped = line.strip()
        if not stripped or stripped in furniture or re.fullmatch(r"Side \d+ af \d+", stripped):
            continue
        lines.append(_MARKER.sub("", stripped))
    joined = " ".join(lines)
    joined = _MARKER.sub("", joined)
    joined = re.sub(r"(?<!\w)\d{1,3}\.(?=\s)", "", joined)  # list numbers mid-line
    return re.sub(r"[\s\-‐‑–]+", "", joined)


def in_order(haystack: str, needles: list[str]) -> list[str]:
    """The needles that are NOT found in order (empty when all are)."""
    missing = []
    pos = 0
    for needle in needles:
        found = haystack.find(needle, pos)
        if found < 0:
            missing.append(needle)
        else:
            pos = found + len(needle)
    return missing


def pdf_everything(data: bytes) -> list[str]:
    """Every string a PDF shows or carries: its pages' text first, then metadata,
    outline, every object (keys and values, without following references) and
    decompressed stream, and the name trees (embedded files, destinations)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    trailer = reader.trailer
    out = ["".join(page.extract_text() or "" for page in reader.pages)]
    out.append(repr(dict(reader.metadata or {})))
    out.append(repr(reader.outline))
    for number in range(1, int(trailer["/Size"])):  # type: ignore[call-overload]
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 - a free entry in the cross-reference table
            continue
        out.append(_describe(obj))
        if isinstance(obj, pypdf.generic.StreamObject):
            out.append(obj.get_data().decode("latin-1"))
    root = trailer["/Root"]
    if "/Names" in root:  # type: ignore[operator]
        out.append(_describe(root["/Names"]))  # type: ignore[index]
    return out


def _describe(obj: object) -> str:
    """A PDF object's keys and values (strings decoded), without following references."""
    if isinstance(obj, pypdf.generic.DictionaryObject):
        return " ".join(f"{k} {_describe(v)}" for k, v in obj.items())
    if isinstance(obj, pypdf.generic.ArrayObject):
        return " ".join(_describe(v) for v in obj)
    if isinstance(obj, pypdf.generic.IndirectObject):
        return ""
    return str(obj)
