"""The body of the DOCX: Document blocks as WordprocessingML.

docxtpl cannot render Markdown and its loops do not restart numbered lists
(docxtpl issue #425), so the body is built here, element by element, and
handed to the template's ``{{p body }}`` as finished XML.  Case text only ever
becomes element text, never template source, so nothing in a case file can
run as Jinja.  Looks come from the template's styles (ids below); this module
decides only which style each node gets.

python-docx supplies the output's parts: hyperlink relationships and the
numbering part, where every list gets its own ``w:num``.  Elements are made
with lxml directly, in schema order, because python-docx's per-property
helpers cost about half a millisecond a paragraph.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from functools import cache

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.numbering import CT_Num
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import OxmlElement
from docx.parts.document import DocumentPart
from lxml import etree
from lxml.etree import SubElement

from ..document import (
    Block,
    Emph,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Meta,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
)
from ..textclean import clean

# Style ids in templates/sag.docx (see make_docx_template.py).
TITLE, SECTION, SUBSECTION, DECISION = "Heading1", "Heading2", "Heading3", "Beslutning"
FACTS, LABEL, LIST, QUOTE = "Sagsoplysninger", "Etiket", "ListParagraph", "Quote"
CELL, TABLE, LINK = "Tabeltekst", "Sagstabel", "Hyperlink"
# The template's w:num for numbered and bulleted lists; each list gets a copy.
ORDERED_NUM_ID, BULLET_NUM_ID = 1, 2

_ALIGN = {"left": "left", "center": "center", "right": "right"}
_VAL = qn("w:val")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# --------------------------------------------------------------------------- text

_SURROGATES = re.compile("[\ud800-\udfff]")
_SPACES = re.compile("[\t\n]+")
_RUN_PARTS = re.compile("([\t\n])")
_Fmt = tuple[str, ...]


def clean_text(s: str, *, one_line: bool = False) -> str:
    """Text that XML, and so Word, can hold: every string passes here on its way in.

    The rules are the project's one place for them, ``textclean.clean`` (form
    feed and vertical tab from copy-paste become spaces, other controls are
    dropped), so a hand-built Document cannot crash lxml either; lone
    surrogates, which UTF-8 cannot encode, go too.  ``one_line`` is for header,
    footer and title: line breaks and tabs become a space.
    """
    s = _SURROGATES.sub("", clean(s))
    return _SPACES.sub(" ", s) if one_line else s


@cache
def _w(tag: str) -> str:
    """``"p"`` -> ``"{…/main}p"``, remembered (qn parses its argument every call)."""
    return qn(f"w:{tag}")


def _el(parent: etree._Element, tag: str, val: object = None) -> etree._Element:
    """A ``w:<tag>`` child, with ``w:val`` when given."""
    e = SubElement(parent, _w(tag))
    if val is not None:
        e.set(_VAL, str(val))
    return e


# --------------------------------------------------------------------------- builder


class BodyBuilder:
    """Appends a Document's blocks to a loose ``w:body`` tied to the output's part.

    The part supplies what the XML refers to: hyperlink relationships and the
    numbering definitions, one ``w:num`` per list.
    """

    def __init__(self, part: DocumentPart, meta: Meta, text_width: int) -> None:
        self._part = part
        self._meta = meta
        self._text_width = text_width
        self._numbering = part.numbering_part.element
        self._body = OxmlElement("w:body", nsdecls={"w": nsmap["w"], "r": nsmap["r"]})
        self._titles = 0
        self._contents = 0
        """Contents lines so far; the titles after them are the items they point to."""
        self._items = 0
        self._num_ids: set[int] | None = None
        self._next_num_id = 1
        self._indents: dict[tuple[int, int], int] = {}
        self._abstract: dict[tuple[int, str], int] = {}
        """The template's list definitions: numId → abstractNumId."""

    def elements(self, blocks: Iterable[Block]) -> list[etree._Element]:
        """The blocks as body-level elements, to go where the template's body stands."""
        for block in blocks:
            self._block(self._body, block, None)
        if len(self._body) == 0 or self._body[-1].tag != _w("p"):
            self._paragraph(self._body, None)  # Word wants a paragraph before sectPr
        return list(self._body)

    # ----------------------------------------------------------------- blocks

    def _block(self, parent: etree._Element, block: Block, style: str | None) -> None:
        """``style`` is the paragraph style the surrounding block imposes (quote)."""
        if isinstance(block, Heading):
            self._heading(parent, block)
        elif isinstance(block, Paragraph) and block.role == "contents":
            self._contents_line(parent, block)
        elif isinstance(block, Paragraph):
            p = self._paragraph(parent, LABEL if block.role == "label" else style)
            self._inlines(p, block.children)
        elif isinstance(block, ListBlock):
            self._list(parent, block, 0, style)
        elif isinstance(block, Table):
            self._table(parent, block)
        elif isinstance(block, Quote):
            for child in block.children:
                self._block(parent, child, QUOTE)
        else:
            raise TypeError(f"unknown block {block!r}")

    def _paragraph(
        self,
        parent: etree._Element,
        style: str | None,
        *,
        page_break: bool = False,
        number: tuple[int, int] | None = None,
        indent: int = 0,
        align: str = "",
        leader_tab: int = 0,
    ) -> etree._Element:
        """A ``w:p`` with its properties in schema order; ``number`` is (numId, ilvl),
        ``leader_tab`` a right tab stop (twips) reached by a dotted leader."""
        p = _el(parent, "p")
        if style or page_break or number or indent or align or leader_tab:
            pPr = _el(p, "pPr")
            if style:
                _el(pPr, "pStyle", style)
            if page_break:
                _el(pPr, "pageBreakBefore")
            if number:
                numPr = _el(pPr, "numPr")
                _el(numPr, "ilvl", number[1])
                _el(numPr, "numId", number[0])
            if leader_tab:
                tab = _el(_el(pPr, "tabs"), "tab", "right")
                tab.set(qn("w:leader"), "dot")
                tab.set(qn("w:pos"), str(leader_tab))
            if indent:
                _el(pPr, "ind").set(qn("w:left"), str(indent))
            if align:
                _el(pPr, "jc", align)
        return p

    def _heading(self, parent: etree._Element, h: Heading) -> None:
        if h.level > 1:
            style = DECISION if h.role == "decision" else SECTION if h.level == 2 else SUBSECTION
            self._inlines(self._paragraph(parent, style), h.children)
            return
        # The item title.  A whole meeting is one Document: every title after
        # the first starts a page, and only the first carries the meta label
        # (compose puts the other items' numbers in their own text).
        first = self._titles == 0
        self._titles += 1
        p = self._paragraph(parent, TITLE, page_break=not first)
        if self._contents and self._items < self._contents:
            self._items += 1
            self._bookmark(p, self._items)
        if first and self._meta.item_label:
            self._run(p, clean_text(self._meta.item_label, one_line=True) + " ")
        self._inlines(p, h.children)
        facts = [s for s in (self._meta.case_number, self._meta.status_label) if s] if first else []
        if facts:
            line = "\t".join(clean_text(s, one_line=True) for s in facts)
            self._run(self._paragraph(parent, FACTS), line)

    def _contents_line(self, parent: etree._Element, block: Paragraph) -> None:
        """A line of a meeting's contents: its text, a dotted leader and the page of
        the item it names (the n-th title after the contents), as a PAGEREF field
        that Word and LibreOffice fill in from their own layout."""
        self._contents += 1
        p = self._paragraph(parent, None, leader_tab=self._text_width)
        self._inlines(p, block.children)
        _el(_el(p, "r"), "tab")
        begin = _el(_el(p, "r"), "fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        begin.set(qn("w:dirty"), "true")  # Word: work out the page on opening
        instr = _el(_el(p, "r"), "instrText")
        instr.set(_SPACE, "preserve")
        instr.text = f" PAGEREF {_bookmark_name(self._contents)} \\h "
        _el(_el(p, "r"), "fldChar").set(qn("w:fldCharType"), "separate")
        _el(_el(p, "r"), "t").text = "?"
        _el(_el(p, "r"), "fldChar").set(qn("w:fldCharType"), "end")

    def _bookmark(self, p: etree._Element, n: int) -> None:
        """Mark the start of title paragraph ``p`` as the n-th contents line's target."""
        at = 1 if len(p) and p[0].tag == _w("pPr") else 0
        for kind in ("bookmarkEnd", "bookmarkStart"):
            mark = etree.Element(_w(kind))
            mark.set(qn("w:id"), str(n))
            if kind == "bookmarkStart":
                mark.set(qn("w:name"), _bookmark_name(n))
            p.insert(at, mark)

    def _list(self, parent: etree._Element, lst: ListBlock, depth: int, style: str | None) -> None:
        depth = min(depth, 8)  # Word has nine list levels; deeper lists share the last
        num_id, indent = self._new_num(lst, depth)
        for item in lst.items:
            numbered = False
            for child in item.children:
                if isinstance(child, ListBlock):
                    self._list(parent, child, depth + 1, style)
                elif not isinstance(child, Paragraph):
                    self._block(parent, child, style)
                else:
                    # The item's first paragraph carries the number; any further
                    # paragraph of the same item is indented to its text.
                    p = self._paragraph(
                        parent,
                        LABEL if child.role == "label" else style or LIST,
                        number=None if numbered else (num_id, depth),
                        indent=indent if numbered else 0,
                    )
                    numbered = True
                    self._inlines(p, child.children)

    def _new_num(self, lst: ListBlock, depth: int) -> tuple[int, int]:
        """A fresh ``w:num`` for this list, so its numbering restarts at ``start``,
        and the text indent of its level in twips (for an item's further paragraphs)."""
        template_num = ORDERED_NUM_ID if lst.ordered else BULLET_NUM_ID
        key = (template_num, lst.delimiter if lst.ordered else "")
        if key not in self._abstract:
            base = int(self._numbering.num_having_numId(template_num).abstractNumId.val)
            self._abstract[key] = base if key[1] in ("", ".") else self._abstract_ending(base, key[1])
        abstract_id = self._abstract[key]
        num = self._numbering._insert_num(CT_Num.new(self._free_num_id(), abstract_id))
        if lst.ordered:
            num.add_lvlOverride(ilvl=depth).add_startOverride(lst.start)
        if (abstract_id, depth) not in self._indents:
            left = self._numbering.xpath(
                f'w:abstractNum[@w:abstractNumId="{abstract_id}"]'
                f'/w:lvl[@w:ilvl="{depth}"]/w:pPr/w:ind/@w:left'
            )
            self._indents[(abstract_id, depth)] = int(left[0]) if left else 425 * (depth + 1)
        return int(num.numId), self._indents[(abstract_id, depth)]

    def _abstract_ending(self, base: int, delimiter: str) -> int:
        """A copy of the template's numbered list definition ``base`` whose numbers end
        in ``delimiter`` ("1)" rather than "1."), made once per document; its id."""
        source = self._numbering.xpath(f'w:abstractNum[@w:abstractNumId="{base}"]')[0]
        clone = copy.deepcopy(source)
        new_id = 1 + max(int(n) for n in self._numbering.xpath("./w:abstractNum/@w:abstractNumId"))
        clone.set(qn("w:abstractNumId"), str(new_id))
        for nsid in clone.xpath("./w:nsid", namespaces=nsmap):  # Word merges definitions sharing an nsid
            clone.remove(nsid)
        for level in clone.xpath(".//w:lvlText", namespaces=nsmap):
            level.set(qn("w:val"), re.sub(r"\.$", delimiter, level.get(qn("w:val"))))
        source.addnext(clone)  # the abstract definitions stand before every w:num
        return new_id

    def _free_num_id(self) -> int:
        """The lowest ``numId`` not yet used, as python-docx's ``add_num`` picks it,
        without its search of every ``w:num`` for each new list (quadratic in a
        meeting's hundreds of lists)."""
        if self._num_ids is None:
            self._num_ids = {int(n) for n in self._numbering.xpath("./w:num/@w:numId")}
        while self._next_num_id in self._num_ids:
            self._next_num_id += 1
        self._num_ids.add(self._next_num_id)
        return self._next_num_id

    def _table(self, parent: etree._Element, table: Table) -> None:
        cols = max([len(table.header)] + [len(r) for r in table.rows])
        if cols == 0:
            return
        width = self._text_width // cols
        tbl = _el(parent, "tbl")
        tblPr = _el(tbl, "tblPr")
        _el(tblPr, "tblStyle", TABLE)
        tblW = _el(tblPr, "tblW")
        tblW.set(qn("w:w"), "5000")
        tblW.set(qn("w:type"), "pct")
        look = _el(tblPr, "tblLook")
        for attr, value in (("firstRow", "1"), ("lastRow", "0"), ("firstColumn", "0"),
                            ("lastColumn", "0"), ("noHBand", "1"), ("noVBand", "1")):  # fmt: skip
            look.set(qn(f"w:{attr}"), value)
        grid = _el(tbl, "tblGrid")
        for _ in range(cols):
            _el(grid, "gridCol").set(qn("w:w"), str(width))
        for r, cells in enumerate((table.header, *table.rows)):
            tr = _el(tbl, "tr")
            if r == 0:  # the header row repeats on every page the table runs over
                _el(_el(tr, "trPr"), "tblHeader")
            for c in range(cols):
                tc = _el(tr, "tc")
                tcW = _el(_el(tc, "tcPr"), "tcW")
                tcW.set(qn("w:w"), str(width))
                tcW.set(qn("w:type"), "dxa")
                align = _ALIGN.get(table.align[c] if c < len(table.align) else "", "")
                p = self._paragraph(tc, CELL, align=align)
                if c < len(cells):
                    self._inlines(p, cells[c], ("b",) if r == 0 else ())

    # ----------------------------------------------------------------- inlines

    def _inlines(self, parent: etree._Element, nodes: Iterable[Inline], fmt: _Fmt = ()) -> None:
        """Runs for inlines; ``fmt`` holds what encloses them: "link", "b", "i"."""
        for n in nodes:
            if isinstance(n, Text):
                self._run(parent, clean_text(n.text), fmt)
            elif isinstance(n, Strong):
                self._inlines(parent, n.children, (*fmt, "b"))
            elif isinstance(n, Emph):
                self._inlines(parent, n.children, (*fmt, "i"))
            elif isinstance(n, Link):
                target = parent
                if "link" not in fmt:  # hyperlinks do not nest; an inner one keeps its text
                    target = _el(parent, "hyperlink")
                    r_id = self._part.relate_to(n.url, RT.HYPERLINK, is_external=True)
                    target.set(qn("r:id"), r_id)
                self._inlines(target, n.children, (*fmt, "link"))
            elif isinstance(n, LineBreak):
                self._run(parent, "\n", fmt)
            else:
                raise TypeError(f"unknown inline {n!r}")

    def _run(self, parent: etree._Element, text: str, fmt: _Fmt = ()) -> None:
        """One ``w:r``: tabs become ``w:tab``, line breaks ``w:br``, the rest ``w:t``."""
        if not text:
            return
        r = _el(parent, "r")
        if fmt:
            rPr = _el(r, "rPr")  # children in schema order: rStyle, b, i
            if "link" in fmt:
                _el(rPr, "rStyle", LINK)
            if "b" in fmt:
                _el(rPr, "b")
            if "i" in fmt:
                _el(rPr, "i")
        for piece in _RUN_PARTS.split(text):
            if piece == "\t":
                _el(r, "tab")
            elif piece == "\n":
                _el(r, "br")
            elif piece:
                t = _el(r, "t")
                t.text = piece
                if piece != piece.strip():
                    t.set(_SPACE, "preserve")


def _bookmark_name(n: int) -> str:
    """A hidden bookmark (Word hides names that start with "_"), named by position only."""
    return f"_Punkt{n}"
