"""The neutral document tree that every writer translates.

Modelled on pandoc's AST: blocks (heading, paragraph, list, table, quote) hold
inlines (text, strong, emphasis, link, line break).  Compose decides *what* a
paper says and builds this tree; writers decide only *how it looks*.

Every node is a frozen dataclass with a ``type`` tag, so ``to_data`` turns a
whole Document into plain JSON-ready dicts (the PDF writer hands exactly that
to Typst as ``sys_inputs``; the HTML writer gives it to Jinja2).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Union

# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    text: str
    type: str = field(default="text", init=False)


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]
    type: str = field(default="strong", init=False)


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]
    type: str = field(default="emph", init=False)


@dataclass(frozen=True)
class Link:
    """A hyperlink; compose guarantees ``url`` is http, https or mailto."""

    url: str
    children: tuple[Inline, ...]
    type: str = field(default="link", init=False)


@dataclass(frozen=True)
class LineBreak:
    type: str = field(default="linebreak", init=False)


Inline = Union[Text, Strong, Emph, Link, LineBreak]

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    """A heading.  ``level`` 1 is the item title (one per paper), 2 a section.

    ``role`` names what the heading is for, so a template can style it:
    ``title``, ``section``, ``decision`` (a stage's "Beslutning i …"),
    ``indstilling``, ``bilag``, ``sagsgang``, ``beslutningskompetence``, ``signatures``
    (the referat's signature sheet).
    """

    level: int
    children: tuple[Inline, ...]
    role: str = "section"
    type: str = field(default="heading", init=False)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph.  ``role`` is empty, ``label`` (a bold lead-in such as "Afbud:")
    or ``contents`` (a line of a meeting's contents, naming the next item not yet named)."""

    children: tuple[Inline, ...]
    role: str = ""
    type: str = field(default="paragraph", init=False)


@dataclass(frozen=True)
class ListItem:
    children: tuple[Block, ...]
    type: str = field(default="listitem", init=False)


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list.  Every numbered list starts at ``start``;
    writers must restart numbering for each list (docxtpl issue #425)."""

    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1
    delimiter: str = "."
    """What follows a numbered item's number: "." ("1.") or ")" ("1)")."""
    type: str = field(default="list", init=False)


@dataclass(frozen=True)
class Table:
    """A table with one header row.  Cells hold inlines; ``align`` per column is
    ``""``, ``"left"``, ``"center"`` or ``"right"``."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    align: tuple[str, ...] = ()
    type: str = field(default="table", init=False)


@dataclass(frozen=True)
class Quote:
    children: tuple[Block, ...]
    type: str = field(default="quote", init=False)


Block = Union[Heading, Paragraph, ListBlock, Table, Quote]

# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class Meta:
    """What the page furniture shows, all of it already decided by compose.

    Writers must not look anything up themselves: if it is not here, it is not
    on the page.  Empty strings mean "show nothing".
    """

    title: str
    """The document title (also the DOCX/PDF/HTML title property)."""
    lang: str = "da-DK"
    municipality: str = ""
    header: str = ""
    """Running page header, e.g. "Kommunalbestyrelsen 15-11-2022"."""
    footer: str = "Side {side} af {sider}"
    """Footer pattern; ``{side}`` and ``{sider}`` are replaced by page numbers."""
    item_label: str = ""
    """The item's number as printed, e.g. "1." or "Punkt 139"; empty for none."""
    status_label: str = ""
    """"Åben sag", "Lukket punkt" …; empty for none."""
    case_number: str = ""
    """"Sagsnr.: 13/650" or empty when not shown to this audience."""
    watermark: str = ""
    """Printed on every page when set, e.g. "UDKAST" for an unapproved referat."""
    date: str = ""
    """ISO date (YYYY-MM-DD) the document speaks for; used for metadata only."""


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...]
    type: str = field(default="document", init=False)


# --------------------------------------------------------------------------- helpers


def text(s: str) -> tuple[Inline, ...]:
    """Inlines for a plain string."""
    return (Text(s),) if s else ()


def to_data(node: Any) -> Any:
    """Turn a node (or tuple of nodes) into plain dicts and lists, ``type`` first."""
    if isinstance(node, tuple | list):
        return [to_data(n) for n in node]
    if hasattr(node, "__dataclass_fields__"):
        out: dict[str, Any] = {"type": getattr(node, "type", type(node).__name__.lower())}
        for f in fields(node):
            if f.name != "type":
                out[f.name] = to_data(getattr(node, f.name))
        return out
    return node


def plain_text(node: Any) -> str:
    """The text of inlines or blocks, for titles, bookmarks and tests."""
    if isinstance(node, tuple | list):
        return "".join(plain_text(n) for n in node)
    if isinstance(node, Text):
        return node.text
    if isinstance(node, LineBreak):
        return "\n"
    if isinstance(node, ListItem | Quote):
        return "\n".join(plain_text(b) for b in node.children)
    if isinstance(node, ListBlock):
        return "\n".join(plain_text(i) for i in node.items)
    if isinstance(node, Table):
        rows = (node.header,) + node.rows
        return "\n".join(" ".join(plain_text(c) for c in r) for r in rows)
    return plain_text(getattr(node, "children", ()))
