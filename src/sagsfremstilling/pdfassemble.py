"""Merge a meeting packet's parts into one PDF with pypdf.

The packet is made of finished PDFs (cover and contents, each item's paper,
each bilag); this module only joins them: pages in order, one bookmark per
item with its bilag nested under it (a bookmark's page may run past its own
part into the parts after it), page labels that match the printed page
numbers, the stamps (``pdfstamp``: footer "Side X af Y", the draft mark),
metadata and a file identifier derived from the content.

Same parts, same bytes: no clock, no random /ID.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    TextStringObject,
)

from . import pdfstamp

@dataclass(frozen=True)
class Bookmark:
    """An outline entry pointing at ``page`` (0-based, within its part)."""

    title: str
    page: int = 0
    """0-based, counted from the first page of the part the bookmark belongs to."""
    children: tuple[Bookmark, ...] = ()


@dataclass(frozen=True)
class Part:
    """A finished PDF and the bookmarks that point into it."""

    pdf: bytes
    bookmarks: tuple[Bookmark, ...] = ()
    links: tuple[int, ...] = ()
    """Targets (0-based pages of the whole packet) of the part's numbered links.
    A part cannot link to pages it does not have, so it links to its own first
    page at x = k + 1 pt for link k (the contents: Typst keeps x in the /Dest),
    and the link is pointed at ``links[k]`` once the pages are merged."""


@dataclass(frozen=True)
class Geometry:
    """What a stamp needs to know about a page: its visible box and rotation."""

    x0: float
    y0: float
    x1: float
    y1: float
    rotate: int

    @property
    def size(self) -> tuple[float, float]:
        """Width and height as the reader sees the page (after /Rotate)."""
        w, h = self.x1 - self.x0, self.y1 - self.y0
        return (h, w) if self.rotate in (90, 270) else (w, h)

    def matrix(self) -> tuple[float, ...]:
        """Stamp space (upright, origin bottom left) → the page's user space."""
        x0, y0, x1, y1 = self.x0, self.y0, self.x1, self.y1
        return {
            0: (1, 0, 0, 1, x0, y0),
            90: (0, 1, -1, 0, x1, y0),
            180: (-1, 0, 0, -1, x1, y1),
            270: (0, -1, 1, 0, x0, y1),
        }[self.rotate]


@dataclass(frozen=True)
class Info:
    """Document properties of the packet."""

    title: str
    author: str
    lang: str
    timestamp: int


READER_BUDGET = 256 * 1024 * 1024
"""Bytes of PDF kept parsed per thread.  The four packets of a meeting merge the
same bilag and mostly the same item papers; pypdf keeps every object it has
parsed, so a reader reused is a file parsed once."""

_local = threading.local()


def reader(pdf: bytes) -> PdfReader:
    """A parsed ``pdf``, shared by later calls with equal bytes in this thread
    (pypdf readers are not safe to share between threads; cloning out of them
    into a writer leaves them unchanged).  The least recently used go first
    when the budget is spent; a file larger than the budget is not kept."""
    cache: OrderedDict[bytes, PdfReader] | None = getattr(_local, "readers", None)
    if cache is None:
        cache = _local.readers = OrderedDict()
    found = cache.get(pdf)
    if found is not None:
        cache.move_to_end(pdf)
        return found
    parsed = PdfReader(io.BytesIO(pdf))
    if len(pdf) <= READER_BUDGET:
        cache[pdf] = parsed
        while sum(len(k) for k in cache) > READER_BUDGET:
            cache.popitem(last=False)
    return parsed


def page_count(pdf: bytes) -> int:
    return len(reader(pdf).pages)


def geometry(pdf: bytes) -> list[Geometry]:
    """The visible box and rotation of every page of ``pdf``."""
    return [geometry_of(page) for page in reader(pdf).pages]


@dataclass(frozen=True)
class Stamps:
    """What goes on every page: ``labels[i]`` on page ``i`` and the draft mark if
    ``mark``, set with the fonts of ``kit`` (see ``pdfstamp``)."""

    labels: tuple[str, ...]
    kit: bytes
    sizes: tuple[tuple[float, float], ...]
    """The distinct page sizes the kit has a draft-mark page for, in its page order."""
    mark: bool


def assemble(parts: Sequence[Part], stamps: Stamps | None, info: Info) -> bytes:
    """One PDF of ``parts`` in order, every page stamped."""
    writer = PdfWriter()
    starts: list[int] = []
    for part in parts:
        starts.append(len(writer.pages))
        for page in reader(part.pdf).pages:
            writer.add_page(page)
    if stamps is not None:
        pdfstamp.stamp(writer, stamps.labels, pdfstamp.Kit(stamps.kit, stamps.sizes), stamps.mark)
    for part, start in zip(parts, starts):
        for mark in part.bookmarks:
            _outline(writer, mark, start, None)
        if part.links:
            _retarget(writer, start, start + page_count(part.pdf), part.links)
    total = len(writer.pages)
    if total:
        writer.set_page_label(0, total - 1, style=PageLabelStyle.DECIMAL, start=1)
    _properties(writer, info)
    writer._ID = _file_id(parts, stamps, info)  # noqa: SLF001 (pypdf has no setter)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def geometry_of(page: DictionaryObject) -> Geometry:
    """The visible box (crop box, defaulting to the media box) and the rotation."""
    box = page.cropbox  # type: ignore[attr-defined]
    rotate = int(page.get("/Rotate", 0) or 0) % 360
    return Geometry(float(min(box.left, box.right)), float(min(box.bottom, box.top)),
                    float(max(box.left, box.right)), float(max(box.bottom, box.top)),
                    rotate if rotate in (0, 90, 180, 270) else 0)


# --------------------------------------------------------------------------- the rest


def _outline(writer: PdfWriter, mark: Bookmark, start: int, parent: IndirectObject | None) -> None:
    node = writer.add_outline_item(title=mark.title, page_number=start + mark.page, parent=parent)
    for child in mark.children:
        _outline(writer, child, start, node)


def _retarget(writer: PdfWriter, first: int, end: int, links: tuple[int, ...]) -> None:
    """Point pages ``first``…``end``'s numbered links at their real pages."""
    for page in writer.pages[first:end]:
        for ref in page.get("/Annots", ArrayObject()):
            annot = ref.get_object()
            dest = annot.get("/Dest")
            dest = dest.get_object() if dest is not None else None
            if annot.get("/Subtype") != "/Link" or not isinstance(dest, ArrayObject) or len(dest) < 3:
                continue
            k = round(float(dest[2])) - 1
            if 0 <= k < len(links):
                target = writer.pages[links[k]].indirect_reference
                annot[NameObject("/Dest")] = ArrayObject(
                    [target, NameObject("/XYZ"), NullObject(), NullObject(), NullObject()])


def _pdf_date(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("D:%Y%m%d%H%M%SZ")


def _properties(writer: PdfWriter, info: Info) -> None:
    """Title, author, fixed dates; viewers open the bookmarks and show the title."""
    writer.metadata = {
        "/Title": info.title,
        "/Author": info.author,
        "/Creator": "sagsfremstilling",
        "/Producer": "sagsfremstilling",
        "/CreationDate": _pdf_date(info.timestamp),
        "/ModDate": _pdf_date(info.timestamp),
    }
    root = writer.root_object
    root[NameObject("/Lang")] = TextStringObject(info.lang)
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)})


def _file_id(parts: Sequence[Part], stamps: Stamps | None, info: Info) -> ArrayObject:
    """/ID from the content: equal packets get equal identifiers, different ones differ."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part.pdf).digest())
        digest.update(repr(part.bookmarks).encode("utf-8"))
    digest.update(hashlib.sha256(stamps.kit if stamps else b"").digest())
    digest.update(repr((stamps.labels, stamps.sizes, stamps.mark) if stamps else None).encode("utf-8"))
    digest.update(repr(info).encode("utf-8"))
    ident = ByteStringObject(digest.digest()[:16])
    return ArrayObject([ident, ident])

