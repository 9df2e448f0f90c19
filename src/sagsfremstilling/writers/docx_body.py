"""The body of the DOCX: Document blocks as WordprocessingML, built with python-docx.

docxtpl cannot render Markdown and its loops do not restart numbered lists
(docxtpl issue #425), so the body is built here, element by element, and
handed to the template's ``{{p body }}`` as finished XML.  Case text only ever
becomes element text, never template source, so nothing in a case file can
run as Jinja.  Looks come from the template's styles (ids below); this module
decides only which style each node gets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import OxmlElement
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.parts.document import DocumentPart
from docx.shared import Twips
from lxml import etree

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

# Style ids in templates/sag.docx (see make_docx_template.py).
TITLE, SECTION, SUBSECTION, DECISION = "Heading1", "Heading2", "Heading3", "Beslutning"
FACTS, LABEL, LIST, QUOTE, CELL = "Sagsoplysninger", "Etiket", "ListParagraph", "Quote", "Tabeltekst"
TABLE, LINK = "Sagstabel", "Hyperlink"
# The template's w:num for numbered and bulleted lists; each list gets a copy.
ORDERED_NUM_ID, BULLET_NUM_ID = 1, 2

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}

# --------------------------------------------------------------------------- text

_BREAKS = re.compile("\r\n?|[\x0b\x0c\u2028\u2029]")
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile("[\t\n]+")


def clean_text(s: str, *, one_line: bool = False) -> str:
    """Text that XML, and so Word, can hold – the one place that decides.

    Copy-paste from Word brings vertical tabs (its manual line break) and form
    feeds (its page break): both become a line break, so the text keeps its
    shape without breaking the page layout.  Other C0 controls and non-
    characters are dropped, because XML 1.0 forbids them and lxml would raise.
    ``one_line`` is for header, footer and title: breaks and tabs become a space.
    """
    s = _NOT_XML.sub("", _BREAKS.sub("\n", s))
    return _SPACES.sub(" ", s) if one_line else s


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

    def xml(self, blocks: Iterable[Block]) -> str:
        """The blocks as a run of body-level XML elements (no ``w:body`` wrapper)."""
        for block in blocks:
            self._block(self._body, block, None)
        xml = etree.tostring(self._body, encoding="unicode")
        return re.sub(r"^<w:body[^>]*?(/>|>)|</w:body>$", "", xml)

    # ----------------------------------------------------------------- blocks

    def _block(self, parent: etree._Element, block: Block, style: str | None) -> None:
        """``style`` is the paragraph style the surrounding block imposes (quote, cell)."""
        if isinstance(block, Heading):
            self._heading(parent, block)
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

    def _paragraph(self, parent: etree._Element, style: str | None) -> CT_P:
        p: CT_P = OxmlElement("w:p")  # type: ignore[assignment]
        if style:
            p.style = style
        parent.append(p)
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
        p = self._paragraph(parent, TITLE)
        if not first:
            p.get_or_add_pPr().pageBreakBefore_val = True
        if first and self._meta.item_label:
            self._run(p, clean_text(self._meta.item_label, one_line=True) + " ")
        self._inlines(p, h.children)
        facts = [s for s in (self._meta.case_number, self._meta.status_label) if s] if first else []
        if facts:
            line = "\t".join(clean_text(s, one_line=True) for s in facts)
            self._run(self._paragraph(parent, FACTS), line)

    def _list(self, parent: etree._Element, lst: ListBlock, depth: int, style: str | None) -> None:
        depth = min(depth, 8)  # Word has nine list levels; deeper lists share the last
        num_id, indent = self._new_num(lst, depth)
        for item in lst.items:
            numbered = False
            for child in item.children:
                if isinstance(child, ListBlock):
                    self._list(parent, child, depth + 1, style)
                    continue
                if not isinstance(child, Paragraph):
                    self._block(parent, child, style)
                    continue
                p = self._paragraph(parent, LABEL if child.role == "label" else style or LIST)
                pPr = p.get_or_add_pPr()
                if numbered:  # a further paragraph of the same item: indented, no number
                    pPr.ind_left = indent
                else:
                    numPr = pPr.get_or_add_numPr()
                    numPr.get_or_add_ilvl().val = depth
                    numPr.get_or_add_numId().val = num_id
                    numbered = True
                self._inlines(p, child.children)

    def _new_num(self, lst: ListBlock, depth: int) -> tuple[int, Twips]:
        """A fresh ``w:num`` for this list, so its numbering restarts at ``start``,
        and the text indent of its level (for an item's further paragraphs)."""
        template_num = ORDERED_NUM_ID if lst.ordered else BULLET_NUM_ID
        abstract_id = self._numbering.num_having_numId(template_num).abstractNumId.val
        num = self._numbering.add_num(abstract_id)
        if lst.ordered:
            num.add_lvlOverride(ilvl=depth).add_startOverride(lst.start)
        left = self._numbering.xpath(
            f'w:abstractNum[@w:abstractNumId="{abstract_id}"]'
            f'/w:lvl[@w:ilvl="{depth}"]/w:pPr/w:ind/@w:left'
        )
        return int(num.numId), Twips(int(left[0]) if left else 425 * (depth + 1))

    def _table(self, parent: etree._Element, table: Table) -> None:
        cols = max([len(table.header)] + [len(r) for r in table.rows])
        if cols == 0:
            return
        rows = (table.header, *table.rows)
        tbl = CT_Tbl.new_tbl(len(rows), cols, Twips(self._text_width))
        tbl.tblStyle_val = TABLE
        tblW = tbl.tblPr.find(qn("w:tblW"))
        tblW.set(qn("w:type"), "pct")
        tblW.set(qn("w:w"), "5000")
        # The header row repeats on every page the table runs over.
        tbl.tr_lst[0].get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for r, (tr, cells) in enumerate(zip(tbl.tr_lst, rows, strict=True)):
            for c, tc in enumerate(tr.tc_lst):
                p = tc.p_lst[0]
                p.style = CELL
                align = table.align[c] if c < len(table.align) else ""
                if align in _ALIGN:
                    p.get_or_add_pPr().jc_val = _ALIGN[align]
                if c < len(cells):
                    self._inlines(p, cells[c], bold=r == 0)
        parent.append(tbl)

    # ----------------------------------------------------------------- inlines

    def _inlines(
        self,
        parent: etree._Element,
        nodes: Iterable[Inline],
        *,
        bold: bool = False,
        italic: bool = False,
        link: bool = False,
    ) -> None:
        for n in nodes:
            if isinstance(n, Text):
                self._run(parent, clean_text(n.text), bold=bold, italic=italic, link=link)
            elif isinstance(n, Strong):
                self._inlines(parent, n.children, bold=True, italic=italic, link=link)
            elif isinstance(n, Emph):
                self._inlines(parent, n.children, bold=bold, italic=True, link=link)
            elif isinstance(n, Link):
                target = parent
                if not link:  # hyperlinks do not nest; an inner link keeps only its text
                    r_id = self._part.relate_to(n.url, RT.HYPERLINK, is_external=True)
                    target = OxmlElement("w:hyperlink", {qn("r:id"): r_id})
                    parent.append(target)
                self._inlines(target, n.children, bold=bold, italic=italic, link=True)
            elif isinstance(n, LineBreak):
                self._run(parent, "\n", bold=bold, italic=italic, link=link)
            else:
                raise TypeError(f"unknown inline {n!r}")

    def _run(
        self,
        parent: etree._Element,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        link: bool = False,
    ) -> None:
        """One ``w:r``; python-docx turns ``\\n`` into ``w:br`` and ``\\t`` into ``w:tab``."""
        if not text:
            return
        r: CT_R = OxmlElement("w:r")  # type: ignore[assignment]
        if bold or italic or link:
            rPr = r.get_or_add_rPr()
            if link:
                rPr.style = LINK
            if bold:
                rPr.get_or_add_b()
            if italic:
                rPr.get_or_add_i()
        r.text = text
        parent.append(r)
