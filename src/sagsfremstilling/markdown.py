"""Markdown as caseworkers write it → Document blocks.

CommonMark plus tables (markdown-it-py), with three adjustments for people who
come from Word:

* nested lists indented by two spaces work for numbered lists too (CommonMark
  wants the child under the parent's text, three spaces after "1. ");
* a list straight after a paragraph line works, whatever number it starts with;
* ``||Navn Navnesen||`` marks personal data: kept in the internal version,
  replaced by a fixed placeholder in the public one (``redact``).

Raw HTML is never passed through (it is text), links other than http, https
and mailto become their text, images become their alt text, headings inside
case text become sub-headings (level 3) so the paper's outline stays valid.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from .document import (
    Block, Emph, Heading, Inline, LineBreak, Link, ListBlock, ListItem, Paragraph, Quote, Strong,
    Table, Text,
)
from .textclean import clean

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_PARSER.disable(["html_block", "html_inline", "image"], ignoreInvalid=True)

_LIST_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +|$)")
# A mark hugs its text, ||Jens Jensen||, so "plan A || plan B" stays prose and
# cannot pair with the opening bars of a real mark later in the text.
_PERSONAL = re.compile(r"\|\|(?=\S)(.+?)(?<=\S)\|\|", re.DOTALL)
_BARS = re.compile(r"\|\|")
_WRAPPED = re.compile(r"[ \t]*\n[ \t]*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def normalise_lists(source: str) -> str:
    """Re-indent list items so that two spaces per level nest, and separate a
    list from a paragraph line right above it."""
    out: list[str] = []
    stack: list[tuple[int, int]] = []  # (indent as typed, content column after re-indent)
    previous_kind = "blank"
    for line in source.split("\n"):
        if not line.strip():
            out.append("")
            previous_kind = "blank"
            continue
        indent = len(line) - len(line.lstrip(" "))
        match = _LIST_ITEM.match(line)
        if match and previous_kind == "text" and not stack and not _may_interrupt(match.group(2)):
            # "15. marts 2022 …" wrapped onto its own line is prose, not a list.
            match = None
        if match:
            while stack and stack[-1][0] >= indent:
                stack.pop()
            new_indent = stack[-1][1] if stack else 0
            marker = match.group(2)
            if previous_kind == "text" and not stack:
                out.append("")
            stack.append((indent, new_indent + len(marker) + 1))
            out.append(" " * new_indent + marker + " " + line[match.end():])
            previous_kind = "item"
            continue
        if indent == 0:
            stack.clear()
            out.append(line)
        else:
            parents = [col for typed, col in stack if typed < indent]
            out.append(" " * (parents[-1] if parents else indent) + line.lstrip(" "))
        previous_kind = "text" if not stack else "item"
    return "\n".join(out)


def _may_interrupt(marker: str) -> bool:
    """Whether a list marker may start a list right under a paragraph line:
    bullets and a list numbered from 1, as in CommonMark; "2023." may not."""
    return not marker[0].isdigit() or marker[:-1] == "1"


def _public_marks(source: str) -> str:
    """``source`` with every span the public version must withhold written as a hugging mark.

    Internally only hugging marks count, and other bars print as typed.  In
    public a name must never print because its bars were typed loosely, so the
    bars outside hugging marks count too: "|| Jens Jensen ||" and a mark whose
    closing bars are missing would otherwise print the name.  They pair in order
    within a paragraph (a line break inside a mark is only a wrapped line), and
    bars left without a partner withhold the rest of their paragraph.  Prose
    that uses "||" loses a little text in public; a table row's "||" (an empty
    cell) is left alone.
    """
    spans = [(m.start(), m.end()) for m in _PERSONAL.finditer(source)]
    loose = [m.start() for m in _BARS.finditer(source)
             if not any(a <= m.start() < b for a, b in spans)
             and not _in_table_row(source, m.start())]
    ends = [m.start() for m in _PARAGRAPH_BREAK.finditer(source)] + [len(source)]
    for end in ends:
        bars = [b for b in loose if b < end]
        loose = loose[len(bars):]
        spans += [(a, b + 2) for a, b in zip(bars[0::2], bars[1::2])]
        if len(bars) % 2:
            spans.append((bars[-1], end))
    out, pos = [], 0
    for a, b in sorted(spans):
        if b <= pos:
            continue
        if a < pos:  # overlaps the span before: extend it
            out[-1] = "||x||"
        else:
            out.append(source[pos:a])
            out.append("||x||")
        pos = b
    out.append(source[pos:])
    return "".join(out)


def _in_table_row(source: str, at: int) -> bool:
    line_start = source.rfind("\n", 0, at) + 1
    return source[line_start:at].lstrip(" ").startswith("|")


def _protect_personal(source: str, redact: str | None = None) -> tuple[str, list[str]]:
    """Swap ||…|| spans for private-use placeholders before parsing, so Markdown
    inside them cannot split a mark across nodes."""
    found: list[str] = []
    if redact is not None:
        source = _public_marks(source)

    def keep(m: re.Match[str]) -> str:
        found.append(_WRAPPED.sub(" ", m.group(1)))  # a wrapped line, as anywhere in a paragraph
        return f"\ue000{len(found) - 1}\ue001"

    return _PERSONAL.sub(keep, source), found


_SLOT = re.compile("\ue000(\\d+)\ue001")


class _Converter:
    def __init__(self, personal: list[str], redact: str | None):
        self.personal = personal
        self.redact = redact

    def text(self, s: str) -> str:
        def put(m: re.Match[str]) -> str:
            return self.redact if self.redact is not None else self.personal[int(m.group(1))]

        return clean(_SLOT.sub(put, s))

    # ----------------------------------------------------------------- inlines
    def inlines(self, nodes: list[SyntaxTreeNode]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            t = node.type
            if t in ("text", "code_inline", "html_inline"):
                s = self.text(node.content)
                if out and isinstance(out[-1], Text):
                    out[-1] = Text(out[-1].text + s)
                elif s:
                    out.append(Text(s))
            elif t == "softbreak":
                if out and isinstance(out[-1], Text):
                    out[-1] = Text(out[-1].text + " ")
                else:
                    out.append(Text(" "))
            elif t == "hardbreak":
                out.append(LineBreak())
            elif t == "strong":
                out.append(Strong(self.inlines(node.children)))
            elif t == "em":
                out.append(Emph(self.inlines(node.children)))
            elif t == "link":
                href = str(node.attrs.get("href", ""))
                children = self.inlines(node.children)
                if href.lower().startswith(_SAFE_SCHEMES):
                    out.append(Link(self.text(href), children))
                else:
                    out.extend(children)
            elif t == "image":
                out.extend(self.inlines(node.children))
            else:
                out.extend(self.inlines(node.children))
        return tuple(out)

    # ------------------------------------------------------------------ blocks
    def blocks(self, nodes: list[SyntaxTreeNode]) -> list[Block]:
        out: list[Block] = []
        for node in nodes:
            t = node.type
            if t == "paragraph":
                inl = self.inlines(node.children[0].children if node.children else [])
                if inl:
                    out.append(Paragraph(inl))
            elif t == "heading":
                out.append(Heading(3, self.inlines(node.children[0].children), role="subsection"))
            elif t in ("bullet_list", "ordered_list"):
                items = tuple(ListItem(tuple(self.blocks(i.children))) for i in node.children)
                start = int(node.attrs.get("start", 1)) if t == "ordered_list" else 1
                # "1) …" stays "1)": the caseworker's own numbering, as typed
                delimiter = ")" if t == "ordered_list" and node.markup == ")" else "."
                out.append(ListBlock(ordered=t == "ordered_list", items=items, start=start, delimiter=delimiter))
            elif t == "blockquote":
                out.append(Quote(tuple(self.blocks(node.children))))
            elif t in ("code_block", "fence"):
                lines = self.text(node.content.rstrip("\n")).split("\n")
                inl: list[Inline] = []
                for i, line in enumerate(lines):
                    if i:
                        inl.append(LineBreak())
                    inl.append(Text(line))
                out.append(Paragraph(tuple(inl)))
            elif t == "table":
                out.append(self.table(node))
            elif t == "hr":
                continue
            else:
                out.extend(self.blocks(node.children))
        return out

    def table(self, node: SyntaxTreeNode) -> Table:
        header: tuple[tuple[Inline, ...], ...] = ()
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        align: tuple[str, ...] = ()
        for section in node.children:
            for tr in section.children:
                cells = tuple(self.inlines(c.children[0].children if c.children else [])
                              for c in tr.children)
                if section.type == "thead":
                    header = cells
                    align = tuple(_align(c.attrs.get("style", "")) for c in tr.children)
                else:
                    rows.append(cells)
        return Table(header=header, rows=tuple(rows), align=align)


def _align(style: object) -> str:
    m = re.search(r"text-align:(\w+)", str(style))
    return m.group(1) if m else ""


def parse(source: str, redact: str | None = None) -> tuple[Block, ...]:
    """Parse case Markdown into blocks; ``redact`` replaces ||personal data||.

    The source is cleaned first: that removes the private-use characters the
    placeholders are made of (pasted text cannot fake one) and NUL, which
    CommonMark would otherwise turn into U+FFFD instead of dropping it.  A text
    without bars reads the same in both versions, so it is parsed once for both."""
    cleaned = clean(source)
    return _parse(cleaned, redact if "||" in cleaned else None)


@lru_cache(maxsize=4096)
def _parse(cleaned: str, redact: str | None) -> tuple[Block, ...]:
    protected, personal = _protect_personal(cleaned, redact)
    tree = SyntaxTreeNode(_PARSER.parse(normalise_lists(protected)))
    return tuple(_Converter(personal, redact).blocks(tree.children))


def plain(source: str, redact: str | None = None) -> str:
    """A one-line text field (a title, a bilag title) as printed: cleaned, and
    with ||personal data|| unwrapped, or replaced when ``redact`` is given."""
    if redact is not None:
        source = _public_marks(source)
    return clean(_PERSONAL.sub(lambda m: m.group(1) if redact is None else redact, source))


def parse_inline(source: str, redact: str | None = None) -> tuple[Inline, ...]:
    """Inlines of a one-paragraph text (decision lines, list points)."""
    blocks = parse(source, redact)
    if len(blocks) == 1 and isinstance(blocks[0], Paragraph):
        return blocks[0].children
    return ()
