"""The PDF packet: cover, contents, every item's paper and its bilag, in one Typst run.

``moede.typ`` lays out the whole meeting at once, so everything that depends on
where a page falls comes from the layout itself: the contents' page numbers and
links, "Side X af Y", one bookmark per item with its bilag under it, page
labels, the draft mark.  The bilag go in as PDF images at their own page size,
so their text stays text.

The packet is tagged (headings, paragraphs, lists, tables, the bilag pages as
figures with alt text) but does not claim PDF/UA-1: Typst refuses to embed other
PDFs under that standard, and a bilag from outside cannot be vouched for anyway.
Each item's own PDF in ``punkter/`` stays PDF/UA-1.

This module gathers the data (worded by ``meeting_compose``) and compiles; the
template may read the content root, as ``/indhold`` (``writers.typst_stage``),
so it reads the bilag by their paths there (``/indhold/bilag/…``), and nothing
a case names that ``check`` has not already confined to the root.  Case text
only ever arrives as JSON data.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import meeting_compose as mc
from .document import Document, to_data
from .bilagcheck import page_count
from .errors import InputError
from .project import Project
from .writers import RenderOptions
from .writers.pdf import TypstTemplateError, compile_typst, displayable
from .writers.typst_stage import content_path

TEMPLATE = Path("moede.typ")
KEEP = frozenset({"logo", "url", "file"})
"""Keys whose values are paths or addresses, not printed text (see ``displayable``)."""


def packet(project: Project, meeting_id: str, edition: str, shown: list[mc.ItemShown],
           docs: list[Document], public: bool, options: RenderOptions) -> bytes:
    """The packet PDF of ``shown`` items, whose papers in the packet are ``docs``;
    ``edition`` names the whole-meeting document (``meeting_compose.documents``)."""
    root = project.root.resolve()
    data = displayable(packet_data(project, meeting_id, edition, public, shown, docs), options, keep=KEEP)
    try:
        pdf = compile_typst(TEMPLATE, data, options, content=root, standards=())
    except TypstTemplateError as err:
        raise _unreadable_bilag(project, shown, err) or err from err
    return with_own_id(pdf)


def packet_data(project: Project, meeting_id: str, edition: str, public: bool,
                shown: list[mc.ItemShown], docs: list[Document]) -> dict[str, Any]:
    """Everything ``moede.typ`` prints, as plain data."""
    root = project.root.resolve()
    meta = mc.packet_meta(project, meeting_id, edition)
    cover = mc.cover(project, meeting_id, edition, public)
    cover_data = asdict(cover)
    cover_data["notes"] = [[label, to_data(body)] for label, body in cover.notes]
    items = []
    groups = mc.group_headings(project, shown, edition)
    for n, (s, doc, group) in enumerate(zip(shown, docs, groups), start=1):
        bilag = [{"key": f"{n}.{k}", "title": b.title, "label": b.label,
                  "file": content_path(_inside(root, b.source)), "pages": page_count(b.source), "alt": b.label}
                 for k, b in enumerate(s.bilag, start=1)]
        items.append({"key": str(n), "label": s.label, "title": s.title, "status": s.status,
                      "group": group, "doc": to_data(doc), "bilag": bilag})
    sheet = mc.signature_sheet(project, meeting_id, edition)
    # A numbered signature sheet is the last item in the contents (not a paper: no doc).
    extra = [{"key": "underskrift", "label": sheet.label, "title": sheet.title, "status": "", "group": "",
              "bilag": []}] if sheet is not None and sheet.label else []
    return {
        "meta": {"title": meta.title, "lang": meta.lang, "municipality": meta.municipality,
                 "header": meta.header, "footer": meta.footer, "watermark": meta.watermark},
        "cover": cover_data,
        "contents": {"title": project.settings.møde.indhold, "extra": extra},
        "items": items,
        "bilag_list": mc.bilag_overview_title(project, shown),
        "signatures": None if sheet is None else {**asdict(sheet), "heading": sheet.heading},
    }


_ID = re.compile(rb"/ID\[\(([A-Za-z0-9+/=]{24})\)\([A-Za-z0-9+/=]{24}\)\]")


def with_own_id(pdf: bytes) -> bytes:
    """``pdf`` with a document identifier from its content.  Typst derives the
    first /ID (and the XMP DocumentID) from the title, which the public and the
    internal packet share; the new one has the same length, so no offset in the
    file moves.  The second /ID (InstanceID) is Typst's own, from the content."""
    found = list(_ID.finditer(pdf[-1024:]))
    if not found:
        return pdf
    old = found[-1].group(1)
    new = base64.b64encode(hashlib.sha256(pdf).digest()[:16])
    return pdf.replace(old, new)


def _inside(root: Path, source: Path) -> str:
    return source.resolve().relative_to(root).as_posix()


def _unreadable_bilag(project: Project, shown: list[mc.ItemShown], err: TypstTemplateError) -> InputError | None:
    """A bilag Typst cannot read (pypdf, which ``check`` uses, was kinder), located
    at its ``fil`` in every case that names it."""
    text, root = str(err), project.root.resolve()
    sources = {b.source.resolve() for s in shown for b in s.bilag}
    bad = {src for src in sources if _inside(root, src) in text}
    problems = [project.sources[project.case_paths[cid]].problem(
                    ("bilag", k, "fil"), f"bilaget '{b.fil}' kan ikke sættes ind i mødepakken, selv om "
                    "det er en PDF; gem det igen som PDF, fx med 'Udskriv som PDF'")
                for cid, case in sorted(project.cases.items()) for k, b in enumerate(case.bilag)
                if (project.root / b.fil).resolve() in bad]
    return InputError(problems) if problems else None
