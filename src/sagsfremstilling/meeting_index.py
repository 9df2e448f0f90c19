"""The context of a meeting's ``index.html`` for one audience.

Every text comes from ``meeting_compose`` (what an audience may see) and every
link from the file names the packet writes, so the page links exactly the
files beside it.  A public closed item has no files: it is listed with its
number, public title and the closed label, and no link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import danish
from . import meeting_compose as mc
from .document import Document, Meta
from .writers import RenderOptions
from .writers.html import blocks_data

if TYPE_CHECKING:
    from .packet import MeetingPlan
    from .project import Project

DOCUMENT_FORMATS = ("pdf", "docx")
ITEM_FORMATS = ("html", "pdf", "docx")
"""The files linked, in this order; the template names each format (``format``)."""


def index_context(project: Project, plan: MeetingPlan, options: RenderOptions) -> dict[str, Any]:
    """Everything ``html/moede.html.j2`` prints, as plain values."""
    from .packet import shown_items

    meeting = project.meetings[plan.meeting_id]
    latest = plan.editions[-1]
    cover = mc.cover(project, plan.meeting_id, latest, plan.public)  # type: ignore[arg-type]
    packet = mc.packet_meta(project, plan.meeting_id, latest)  # type: ignore[arg-type]
    day = danish.format_date(meeting.dato, project.settings.datoer.prosa)
    meta = Meta(title=f"{cover.committee} – {day}", municipality=packet.municipality,
                header=packet.header, footer="", date=packet.date)
    documents = []
    for document in plan.documents:
        m = mc.packet_meta(project, plan.meeting_id, document)
        title = mc.edition_title(project, plan.meeting_id, document)
        documents.append({
            "title": title,
            "note": m.watermark,
            "links": [{"href": f"{document}.{ext}", "format": ext} for ext in DOCUMENT_FORMATS],
        })
    items = []
    shown = shown_items(project, plan, latest)
    for item, s, group in zip(plan.items, shown, mc.group_headings(project, shown), strict=True):
        links = ([{"href": f"punkter/{item.stem}.{ext}", "format": ext} for ext in ITEM_FORMATS]
                 if item.has_files else [])
        items.append({
            "group": group,
            "number": s.number,
            "label": s.label,
            "title": s.title,
            "status": s.status,
            "case_number": s.case_number,
            "href": links[0]["href"] if links else "",
            "links": links,
            "bilag": [{"title": b.title, "href": f"bilag/{b.file_name}"} for b in s.bilag],
            "decision": (blocks_data(Document(meta, s.decision), top=3)
                         if item.public_stub and s.decision else []),
        })
    return {
        "meta": meta,
        "heading": cover.committee,
        "subheading": f"{cover.art + ', ' if cover.art else ''}{day}",
        "facts": [{"label": label.rstrip(":"), "lines": [value]} for label, value in cover.facts]
        + [{"label": label.rstrip(":"), "lines": list(lines)} for label, lines in cover.absences],
        "members_title": cover.members_title,
        "members": [f"{name}, {role}" if role else name for name, role in cover.members],
        "closing": cover.closing,
        "documents": documents,
        "items": items,
    }
