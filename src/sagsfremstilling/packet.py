"""A meeting's packet for each audience: dagsorden and referat, public and internal.

``write_meeting`` writes, for ``offentlig`` and ``intern`` alike::

    build/<id>/<audience>/
        dagsorden.pdf  dagsorden.docx      the whole meeting, one file each
        tillaegsdagsorden.pdf/.docx        the items added after the agenda went out, if any
        referat.pdf    referat.docx        once the meeting has decisions
        punkter/NN-<slug>.{pdf,docx,html}  each item: the referat once decided, else the dagsorden
        bilag/NN-n-<slug>.pdf              the bilag this audience may read
        index.html  moede.json  manifest.json

The build command (``build.py``) calls the functions below one by one so it can
hash inputs, cache and parallelise; ``write_meeting`` is the plain,
non-incremental way to the same bytes.

Choices, so the public version cannot say more than it may:

* A closed item in the public version (``ItemPlan.public_stub``) has *no*
  punkter files: the index shows its number, public title and "Lukket punkt"
  without a link; the packets show its public title (and its decision, only
  where the settings publish closed decisions) on a page of its own; its
  ``case_id`` in the plan is None, so no caller can name a file after it.
* A bilag marked not public is not copied, linked or merged in the public
  version; the item's own list says "Bilaget er ikke offentligt".
* What each audience sees is decided in ``compose`` (one paper) and
  ``meeting_compose`` (cover, contents, index); this module only assembles.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import meeting_compose as mc
from . import packetpdf
from .agenda import agenda, numbering_period, supplementary
from .compose import Udgave
from .document import Document
from .outputs import write_atomic
from .project import Project
from .rendermemo import RENDERED, fingerprint
from .settings import SETTINGS_FILE
from .writers import RenderOptions, render

AUDIENCES = ("offentlig", "intern")
ITEM_FORMATS = ("pdf", "docx", "html")
INDEX_TEMPLATE = "html/moede.html.j2"


@dataclass(frozen=True)
class ItemPlan:
    """One agenda item as a given audience sees it."""

    number: int
    case_id: str | None
    """None for a closed item in the public version: its id is a file name that
    may say what the item is about."""
    stem: str
    """``03-cykelsti-oersted-allingaabro``, from the title this audience may see."""
    closed: bool
    public_stub: bool
    """A closed item in the public version: number, public title, nothing else."""

    @property
    def has_files(self) -> bool:
        """Whether the item gets ``punkter/<stem>.*`` files (public stubs do not)."""
        return not self.public_stub


@dataclass(frozen=True)
class MeetingPlan:
    meeting_id: str
    audience: str
    editions: tuple[str, ...]
    """("dagsorden",), or ("dagsorden", "referat") once the meeting has decisions."""
    documents: tuple[str, ...]
    """The whole-meeting documents (``meeting_compose.documents``): the editions, with
    "tillaegsdagsorden" after the dagsorden when items were added."""
    items: tuple[ItemPlan, ...]
    memo: dict[tuple[object, ...], object] = field(
        default_factory=dict, compare=False, hash=False, repr=False)
    """Papers already composed for this plan (compose is pure, the plan is tied
    to one loaded project), so the packet, index and JSON compose each item once.
    Empty when the plan is made, so a plan is cheap to send to a worker."""

    @property
    def public(self) -> bool:
        return self.audience == "offentlig"


def plan_meeting(project: Project, meeting_id: str, audience: str) -> MeetingPlan:
    """The items, numbers and file stems of one meeting for one audience."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; expected one of {AUDIENCES}")
    public = audience == "offentlig"
    items = []
    for a in agenda(project, meeting_id):
        stub = public and a.closed
        stem = mc.item_stem(a.number, mc.shown_title(project, meeting_id, a.case_id, public))
        items.append(ItemPlan(a.number, None if stub else a.case_id, stem, a.closed, stub))
    return MeetingPlan(meeting_id, audience, mc.editions(project, meeting_id),
                       mc.documents(project, meeting_id), tuple(items))


# --------------------------------------------------------------------------- inputs


def meeting_inputs(project: Project, meeting_id: str) -> list[Path]:
    """Every file the meeting's outputs are made from (for incremental builds)."""
    paths: set[Path] = set(_common_inputs(project))
    for a in agenda(project, meeting_id):
        paths.update(item_inputs(project, meeting_id, a.case_id))
    return sorted(paths)


def item_inputs(project: Project, meeting_id: str, case_id: str) -> list[Path]:
    """The files one item's papers depend on: its case and bilag, the meetings on
    its route (their attendance is repeated under each decision), and what the
    item numbers on those meetings depend on (their other cases' files, and for
    running numbering the committee's earlier meetings that year)."""
    paths: set[Path] = set(_common_inputs(project))
    case = project.cases[case_id]
    paths.add(project.root / project.case_paths[case_id])
    paths.update(project.root / b.fil for b in case.bilag)
    route = {project.meeting_for(s.udvalg, s.dato) for s in case.sagsgang}
    meetings = {m for m in route | {meeting_id} if m}
    periods = {numbering_period(project, project.meetings[m]) for m in meetings} - {None}
    meetings |= {mid for mid, m in project.meetings.items() if numbering_period(project, m) in periods}
    for mid in meetings:
        paths.add(project.root / project.meeting_paths[mid])
        paths.update(project.root / project.case_paths[p.sag]
                     for p in project.meetings[mid].punkter if p.sag in project.case_paths)
    return sorted(paths)


def _common_inputs(project: Project) -> list[Path]:
    templates = project.root / "templates"
    files = [p for p in templates.rglob("*") if p.is_file()] if templates.is_dir() else []
    return [project.root / SETTINGS_FILE, *files]


# --------------------------------------------------------------------------- items


def case_of(project: Project, plan: MeetingPlan, item: ItemPlan) -> str:
    """The case behind an item; a public stub is found by its number."""
    if item.case_id is not None:
        return item.case_id
    return next(a.case_id for a in agenda(project, plan.meeting_id) if a.number == item.number)


def render_item(project: Project, plan: MeetingPlan, item: ItemPlan, fmt: str,
                options: RenderOptions) -> bytes:
    """``punkter/<stem>.<fmt>``: the referat once the meeting has decided the item, else
    the dagsorden.  Public stubs have no such file (see the module docstring)."""
    if item.public_stub:
        raise ValueError(f"item {item.number} is closed: the public version has no file for it")
    cid = case_of(project, plan, item)
    edition = mc.latest_edition(project, plan.meeting_id, cid)
    doc = _document(project, plan, cid, edition, in_packet=False)
    return RENDERED.get((fmt, True, doc, options, fingerprint(options.templates)),
                         lambda: render(fmt, doc, options))


def item_packet_document(project: Project, plan: MeetingPlan, item: ItemPlan, edition: str) -> Document:
    """The item's paper inside the packet: no footer, no watermark (both stamped)."""
    return _document(project, plan, case_of(project, plan, item), _edition(edition), in_packet=True)


def _document(project: Project, plan: MeetingPlan, case_id: str, edition: Udgave,
              in_packet: bool) -> Document:
    key = ("doc", case_id, edition, in_packet)
    if key not in plan.memo:
        plan.memo[key] = mc.item_document(project, plan.meeting_id, case_id, edition, plan.public,
                                          in_packet)
    return plan.memo[key]  # type: ignore[return-value]


# --------------------------------------------------------------------------- packets


def render_packet_pdf(project: Project, plan: MeetingPlan, document: str, options: RenderOptions) -> bytes:
    """dagsorden.pdf / tillaegsdagsorden.pdf / referat.pdf: cover, contents, every
    item followed by its bilag, laid out in one piece (see ``packetpdf``)."""
    shown, docs = _contents(project, plan, document)
    return packetpdf.packet(project, plan.meeting_id, document, shown, docs, plan.public, options)


def render_packet_docx(project: Project, plan: MeetingPlan, document: str, options: RenderOptions) -> bytes:
    """dagsorden.docx / tillaegsdagsorden.docx / referat.docx: cover, contents and every
    item in one Word file, the same items in the same order as the PDF (the writer
    starts each item on a new page)."""
    shown, docs = _contents(project, plan, document)
    c = mc.cover(project, plan.meeting_id, document, plan.public)
    sheet = mc.signature_sheet(project, plan.meeting_id, document)
    numbered = sheet is not None and bool(sheet.label)  # the last item, in the contents
    blocks = mc.cover_blocks(c, shown, project.settings.møde.indhold, mc.group_headings(project, shown, document),
                             extra=[sheet.heading] if numbered and sheet is not None else [])
    for doc in docs:
        blocks.extend(mc.packet_item_blocks(doc))
    if sheet is not None and numbered:  # right after the items: the contents' n+1-th title
        blocks.extend(mc.signature_blocks(sheet))
    overview = mc.bilag_overview_title(project, shown)
    if overview:
        blocks.extend(mc.bilag_overview_blocks(overview, shown))
    if sheet is not None and not numbered:
        blocks.extend(mc.signature_blocks(sheet))
    return render("docx", Document(mc.packet_meta(project, plan.meeting_id, document), tuple(blocks)), options)


def _contents(project: Project, plan: MeetingPlan, document: str) -> tuple[list[mc.ItemShown], list[Document]]:
    """What a whole-meeting document says of each of its items, and their papers:
    every item, or in the tillægsdagsorden those added after the agenda went out."""
    ed = mc.edition_of(document)
    mine = set(document_items(project, plan, document))
    picked = [(item, s) for item, s in zip(plan.items, shown_items(project, plan, ed), strict=True)
              if item in mine]
    return [s for _, s in picked], [item_packet_document(project, plan, item, ed) for item, _ in picked]


def document_items(project: Project, plan: MeetingPlan, document: str) -> list[ItemPlan]:
    """The items a whole-meeting document holds: every item, or in the
    tillægsdagsorden those added after the agenda went out."""
    if document not in plan.documents:
        raise ValueError(f"{plan.meeting_id} has no {document!r}; it has {plan.documents}")
    if document != mc.SUPPLEMENT:
        return list(plan.items)
    later = supplementary(project.meetings[plan.meeting_id])
    return [item for item in plan.items if case_of(project, plan, item) in later]


def shown_items(project: Project, plan: MeetingPlan, edition: str) -> list[mc.ItemShown]:
    """What the meeting documents say of each item in ``edition`` (memoised on the plan)."""
    ed = _edition(edition)
    key = ("shown", ed)
    if key not in plan.memo:
        plan.memo[key] = [
            mc.item_shown(project, plan.meeting_id, cid, ed, plan.public,
                          _document(project, plan, cid, ed, in_packet=True))
            for cid in (case_of(project, plan, i) for i in plan.items)]
    return plan.memo[key]  # type: ignore[return-value]


def bilag_files(project: Project, plan: MeetingPlan) -> list[tuple[str, Path]]:
    """The bilag this audience gets: (path in its folder, source PDF), as ``meeting_files``
    copies them.  Cheap: nothing is composed."""
    return [(f"bilag/{b.file_name}", b.source) for item in plan.items
            for b in mc.bilag_shown(project, plan.meeting_id, item.number, case_of(project, plan, item),
                                    plan.public)]


def _edition(edition: str) -> Udgave:
    if edition not in ("dagsorden", "referat"):
        raise ValueError(f"unknown edition {edition!r}")
    return edition  # type: ignore[return-value]


# --------------------------------------------------------------------------- index, json


def render_index_html(project: Project, plan: MeetingPlan, options: RenderOptions) -> bytes:
    """index.html: the meeting's page, linking every item, bilag and edition."""
    from .meeting_index import index_context
    from .writers.html import render_page

    return render_page(INDEX_TEMPLATE, index_context(project, plan, options), options)


def render_oparl_json(project: Project, plan: MeetingPlan, options: RenderOptions,
                      files: dict[str, bytes]) -> bytes:
    """moede.json: the meeting shaped after OParl 1.1 (see ``oparl``)."""
    from .oparl import meeting_json

    return meeting_json(project, plan, options, files)


# --------------------------------------------------------------------------- writing


def meeting_files(project: Project, plan: MeetingPlan, options: RenderOptions) -> dict[str, bytes]:
    """Every file of one audience's folder, by relative path (manifest included)."""
    files: dict[str, bytes] = {}
    for item in plan.items:
        if item.has_files:
            for fmt in ITEM_FORMATS:
                files[f"punkter/{item.stem}.{fmt}"] = render_item(project, plan, item, fmt, options)
    for rel, source in bilag_files(project, plan):
        files[rel] = source.read_bytes()
    for document in plan.documents:
        files[f"{document}.pdf"] = render_packet_pdf(project, plan, document, options)
        files[f"{document}.docx"] = render_packet_docx(project, plan, document, options)
    files["index.html"] = render_index_html(project, plan, options)
    files["moede.json"] = render_oparl_json(project, plan, options, dict(files))
    files["manifest.json"] = manifest(plan, files)
    return files


def manifest(plan: MeetingPlan, files: dict[str, bytes]) -> bytes:
    """Every file written (the manifest itself aside), with size and sha256, sorted."""
    listing = [{"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
               for path, data in sorted(files.items()) if path != "manifest.json"]
    body = {"audience": plan.audience, "files": listing, "meeting": plan.meeting_id}
    return (json.dumps(body, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def write_meeting(project: Project, meeting_id: str, out_dir: Path, options: RenderOptions) -> list[Path]:
    """Write ``out_dir/<id>/{offentlig,intern}/`` in full; returns the files written.

    Files left from an earlier build that this one did not write are removed
    from those folders, so an item that has since become closed cannot linger
    under its old public name.
    """
    written: list[Path] = []
    for audience in AUDIENCES:
        folder = out_dir / meeting_id / audience
        files = meeting_files(project, plan_meeting(project, meeting_id, audience), options)
        for rel, data in sorted(files.items()):
            write_atomic(folder / rel, data)
            written.append(folder / rel)
        keep = {folder / rel for rel in files}
        for old in sorted(folder.rglob("*"), reverse=True):
            if old.is_file() and old not in keep:
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()
    return written


__all__ = [
    "AUDIENCES", "ITEM_FORMATS", "ItemPlan", "MeetingPlan", "bilag_files", "case_of", "document_items",
    "item_inputs", "item_packet_document", "manifest", "meeting_files",
    "meeting_inputs", "plan_meeting", "render_index_html", "render_item",
    "render_oparl_json", "render_packet_docx", "render_packet_pdf", "shown_items", "write_meeting",
]
