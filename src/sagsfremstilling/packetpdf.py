"""The PDF packet: cover and contents, items, bilag, bookmarks, stamps.

Two passes, because the contents print page numbers: first every part is
counted (item papers, bilag), then the cover and contents are laid out with
the real numbers, and again while their own page count moves the numbers
after them.  ``pdfassemble`` then merges, bookmarks and stamps; the kit for
the stamps (``pdfstamp``) is made here, from the settings' footer pattern.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import meeting_compose as mc
from . import pdfassemble, pdfstamp
from .compose import Udgave, fill
from .document import to_data
from .project import Project
from .writers import RenderOptions
from .writers.pdf import compile_typst, displayable

COVER_TEMPLATE = Path("forside.typ")
STAMP_TEMPLATE = Path("stempel.typ")
MAX_FRONT_PASSES = 4
"""The contents' own length can shift every page number after it; the front is
laid out again until its page count stops changing."""


def packet(project: Project, meeting_id: str, edition: Udgave, public: bool,
           shown: list[mc.ItemShown], item_pdfs: list[bytes], options: RenderOptions) -> bytes:
    """The packet PDF of ``shown`` items, whose in-packet papers are ``item_pdfs``."""
    items = [(s, pdf, [b.source.read_bytes() for b in s.bilag]) for s, pdf in zip(shown, item_pdfs)]
    counts = [(pdfassemble.page_count(pdf), [pdfassemble.page_count(b) for b in bilag])
              for _, pdf, bilag in items]
    cover, links = front(project, meeting_id, edition, public, shown, counts, options)
    parts = [pdfassemble.Part(cover, links=links)]
    for (s, pdf, bilag), (pages, bilag_pages) in zip(items, counts):
        # Bilag bookmarks count on from the item's first page, into the parts after it.
        children, offset = [], pages
        for b, n in zip(s.bilag, bilag_pages):
            children.append(pdfassemble.Bookmark(b.title, offset))
            offset += n
        parts.append(pdfassemble.Part(pdf, (pdfassemble.Bookmark(f"{s.label} {s.title}", 0,
                                                                 tuple(children)),)))
        parts.extend(pdfassemble.Part(b) for b in bilag)
    sizes = [g.size for p in parts for g in pdfassemble.geometry(p.pdf)]
    info = pdfassemble.Info(mc.packet_title(project, meeting_id, edition), project.settings.kommune,
                            "da-DK", options.timestamp)
    return pdfassemble.assemble(parts, stamps(project, meeting_id, edition, sizes, options), info)


def front(project: Project, meeting_id: str, edition: Udgave, public: bool, shown: list[mc.ItemShown],
          counts: list[tuple[int, list[int]]], options: RenderOptions) -> tuple[bytes, tuple[int, ...]]:
    """Cover and contents with the real page numbers, laid out again until the
    number of front pages (which moves every number after it) stays put; and
    the 0-based page each contents line links to, in the order of the lines."""
    front_pages = guess_front_pages(shown)
    for _ in range(MAX_FRONT_PASSES):
        entries = []
        targets: list[int] = []
        page = front_pages + 1
        for s, (pages, bilag_pages) in zip(shown, counts):
            targets.append(page - 1)
            entry: dict[str, Any] = {"label": s.label, "title": s.title, "status": s.status,
                                     "page": page, "link": len(targets), "bilag": []}
            page += pages
            for b, n in zip(s.bilag, bilag_pages):
                targets.append(page - 1)
                entry["bilag"].append({"title": b.title, "page": page, "link": len(targets)})
                page += n
            entries.append(entry)
        data = displayable(_front_data(project, meeting_id, edition, public, entries), options,
                           keep=frozenset({"logo"}))
        pdf = compile_typst(COVER_TEMPLATE, data, options, tagged=False)
        actual = pdfassemble.page_count(pdf)
        if actual == front_pages:
            return pdf, tuple(targets)
        front_pages = actual
    raise RuntimeError("the contents' page count did not settle")


def guess_front_pages(shown: list[mc.ItemShown]) -> int:
    """Usually right the first time: the cover, and some 42 contents lines a page
    (a title of more than 65 characters takes two)."""
    lines = sum(1 + len(s.title) // 65 + sum(1 + len(b.title) // 80 for b in s.bilag) for s in shown)
    return 1 + max(1, -(-lines // 42))


def _front_data(project: Project, meeting_id: str, edition: Udgave, public: bool,
                entries: list[dict[str, Any]]) -> dict[str, Any]:
    meta = mc.packet_meta(project, meeting_id, edition)
    cover = mc.cover(project, meeting_id, edition, public)
    data = asdict(cover)
    data["notes"] = [[label, to_data(body)] for label, body in cover.notes]
    return {
        "meta": {"title": meta.title, "lang": meta.lang, "municipality": meta.municipality,
                 "header": meta.header, "footer": "", "watermark": ""},
        "cover": data,
        "contents": {"title": project.settings.møde.indhold, "entries": entries},
    }


def stamps(project: Project, meeting_id: str, edition: Udgave, sizes: list[tuple[float, float]],
           options: RenderOptions) -> pdfassemble.Stamps:
    """"Side X af Y" for every page and, on a draft referat, "UDKAST"; set with a
    kit Typst makes once for the packet (see ``pdfstamp``)."""
    meta = mc.packet_meta(project, meeting_id, edition)
    total = len(sizes)
    labels = tuple(fill(meta.footer, side=n, sider=total) if meta.footer else ""
                   for n in range(1, total + 1))
    labels = tuple(displayable(list(labels), options))
    distinct = tuple(dict.fromkeys((round(w, 3), round(h, 3)) for w, h in sizes))
    data = {"title": meta.title, "lang": "da", "chars": pdfstamp.kit_chars(labels),
            "watermark": meta.watermark, "sizes": [list(size) for size in distinct]}
    kit = compile_typst(STAMP_TEMPLATE, displayable(data, options), options, tagged=False)
    return pdfassemble.Stamps(labels, kit, distinct, bool(meta.watermark))
