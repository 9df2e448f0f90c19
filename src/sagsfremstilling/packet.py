"""A meeting's packet for each audience: dagsorden and referat, public and internal.

``write_meeting`` writes, for ``offentlig`` and ``intern`` alike::

    build/<id>/<audience>/
        dagsorden.pdf  dagsorden.docx      the whole meeting, one file each
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
from collections.abc import Callable
import os
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import meeting_compose as mc
from . import pdfassemble, pdfstamp
from .agenda import agenda
from .compose import Udgave
from .document import Document, Meta, to_data
from .outputs import write_atomic
from .project import Project
from .settings import SETTINGS_FILE
from .writers import RenderOptions, render
from .writers import pdf as pdf_writer
from .writers.pdf import compile_typst, displayable

AUDIENCES = ("offentlig", "intern")
ITEM_FORMATS = ("pdf", "docx", "html")
COVER_TEMPLATE = Path("forside.typ")
STAMP_TEMPLATE = Path("stempel.typ")
INDEX_TEMPLATE = "html/moede.html.j2"
MAX_FRONT_PASSES = 4
"""The contents' own length can shift every page number after it; the front is
laid out again until its page count stops changing (twice in practice)."""


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
    items: tuple[ItemPlan, ...]
    memo: dict[tuple[object, ...], object] = field(
        default_factory=dict, compare=False, hash=False, repr=False)
    """Papers already composed for this plan (compose is pure, the plan is tied
    to one loaded project), so the packet, index and JSON compose each item once."""

    @property
    def public(self) -> bool:
        return self.audience == "offentlig"


def plan_meeting(project: Project, meeting_id: str, audience: str) -> MeetingPlan:
    """The items, numbers and file stems of one meeting for one audience."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; expected one of {AUDIENCES}")
    public = audience == "offentlig"
    items = []
    memo: dict[tuple[object, ...], object] = {}
    for a in agenda(project, meeting_id):
        stub = public and a.closed
        # The title is the one compose prints: a public closed item is known by its public title.
        doc = mc.item_document(project, meeting_id, a.case_id, "dagsorden", public, in_packet=True)
        memo[("doc", a.case_id, "dagsorden", True)] = doc
        items.append(ItemPlan(a.number, None if stub else a.case_id,
                              mc.item_stem(a.number, doc.meta.title), a.closed, stub))
    return MeetingPlan(meeting_id, audience, mc.editions(project, meeting_id), tuple(items), memo)


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
    if project.settings.nummerering == "løbende":
        meetings |= {mid for mid, m in project.meetings.items()
                     for r in list(meetings)
                     if m.udvalg == project.meetings[r].udvalg
                     and m.dato.year == project.meetings[r].dato.year}
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
    return _RENDERED.get((fmt, True, doc, options, _fingerprint(options.templates)),
                         lambda: render(fmt, doc, options))


def item_packet_document(project: Project, plan: MeetingPlan, item: ItemPlan, edition: str) -> Document:
    """The item's paper inside the packet: no footer, no watermark (both stamped)."""
    return _document(project, plan, case_of(project, plan, item), _edition(edition), in_packet=True)


def render_item_packet_pdf(project: Project, plan: MeetingPlan, item: ItemPlan, edition: str,
                           options: RenderOptions) -> bytes:
    """The in-packet PDF of one item, which ``render_packet_pdf`` merges (cacheable)."""
    return packet_pdf(item_packet_document(project, plan, item, edition), options)


def packet_pdf(doc: Document, options: RenderOptions) -> bytes:
    """An in-packet paper as PDF.  Untagged: merging pages drops the structure tree
    anyway, and tagging is most of Typst's time.  The standalone punkter PDFs stay
    tagged PDF/UA-1."""
    return _RENDERED.get(("pdf", False, doc, options, _fingerprint(options.templates)),
                         lambda: pdf_writer.render(doc, options, tagged=False))


def _document(project: Project, plan: MeetingPlan, case_id: str, edition: Udgave,
              in_packet: bool) -> Document:
    key = ("doc", case_id, edition, in_packet)
    if key not in plan.memo:
        plan.memo[key] = mc.item_document(project, plan.meeting_id, case_id, edition, plan.public,
                                          in_packet)
    return plan.memo[key]  # type: ignore[return-value]


class _Memo:
    """Rendered bytes by everything they are made from, bounded, thread-safe.

    An open item's paper is usually the same Document for both audiences; this
    renders it once.  The key holds the Document itself (frozen, hashable), the
    options and the template files' fingerprint, so an edited template is
    never answered from the memo."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...], make: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return value


_RENDERED = _Memo(1024)


def _fingerprint(templates: Path) -> tuple[tuple[str, int, int], ...]:
    """Every template file's path, mtime and size (a stat each: well under a millisecond)."""
    out = []
    for folder, dirs, names in os.walk(templates):
        dirs.sort()
        for name in sorted(names):
            st = os.stat(os.path.join(folder, name))
            out.append((os.path.join(folder, name), st.st_mtime_ns, st.st_size))
    return tuple(out)


# --------------------------------------------------------------------------- packets


def render_packet_pdf(project: Project, plan: MeetingPlan, edition: str, options: RenderOptions,
                      item_pdfs: dict[str, bytes] | None = None) -> bytes:
    """dagsorden.pdf / referat.pdf: cover, contents, every item followed by its bilag.

    ``item_pdfs`` maps ``case_id`` (a public stub: its ``stem``) to the item's
    in-packet PDF from ``render_item_packet_pdf``; missing ones are rendered here.
    """
    ed = _edition(edition)
    shown = shown_items(project, plan, ed)
    items: list[tuple[mc.ItemShown, bytes, list[bytes]]] = []
    for item, s in zip(plan.items, shown):
        pdf = (item_pdfs or {}).get(item.case_id or item.stem)
        if pdf is None:
            pdf = render_item_packet_pdf(project, plan, item, ed, options)
        items.append((s, pdf, [b.source.read_bytes() for b in s.bilag]))
    counts = [(pdfassemble.page_count(pdf), [pdfassemble.page_count(b) for b in bilag])
              for _, pdf, bilag in items]
    parts = [pdfassemble.Part(_front(project, plan, ed, shown, counts, options))]
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
    info = pdfassemble.Info(mc.packet_title(project, plan.meeting_id, ed), project.settings.kommune,
                            "da-DK", options.timestamp)
    return pdfassemble.assemble(parts, _stamps(project, plan, ed, sizes, options), info)


def _front(project: Project, plan: MeetingPlan, edition: Udgave, shown: list[mc.ItemShown],
           counts: list[tuple[int, list[int]]], options: RenderOptions) -> bytes:
    """Cover and contents with the real page numbers: laid out again until the
    number of front pages (which moves every number after it) stays put."""
    front_pages = _front_guess(shown)
    for _ in range(MAX_FRONT_PASSES):
        entries = []
        page = front_pages + 1
        for s, (pages, bilag_pages) in zip(shown, counts):
            entry = {"label": s.label, "title": s.title, "status": s.status, "page": page, "bilag": []}
            page += pages
            for b, n in zip(s.bilag, bilag_pages):
                entry["bilag"].append({"title": b.title, "page": page})
                page += n
            entries.append(entry)
        data = displayable(_front_data(project, plan, edition, entries), options, keep=frozenset({"logo"}))
        pdf = compile_typst(COVER_TEMPLATE, data, options, tagged=False)
        actual = pdfassemble.page_count(pdf)
        if actual == front_pages:
            return pdf
        front_pages = actual
    raise RuntimeError("the contents' page count did not settle")


def _front_guess(shown: list[mc.ItemShown]) -> int:
    """Usually right the first time: the cover, and some 42 contents lines a page
    (a title of more than 65 characters takes two)."""
    lines = sum(1 + len(s.title) // 65 + sum(1 + len(b.title) // 80 for b in s.bilag) for s in shown)
    return 1 + max(1, -(-lines // 42))


def _front_data(project: Project, plan: MeetingPlan, edition: Udgave, entries: list[dict]) -> dict:
    meta = mc.packet_meta(project, plan.meeting_id, edition)
    cover = mc.cover(project, plan.meeting_id, edition, plan.public)
    data = asdict(cover)
    data["notes"] = [[label, to_data(body)] for label, body in cover.notes]
    return {
        "meta": {"title": meta.title, "lang": meta.lang, "municipality": meta.municipality,
                 "header": meta.header, "footer": "", "watermark": ""},
        "cover": data,
        "contents": {"title": project.settings.møde.indhold, "entries": entries},
    }


def _stamps(project: Project, plan: MeetingPlan, edition: Udgave, sizes: list[tuple[float, float]],
            options: RenderOptions) -> pdfassemble.Stamps:
    """"Side X af Y" for every page and, on a draft referat, "UDKAST"; set with a
    kit Typst makes once for the packet (see ``pdfstamp``)."""
    meta = mc.packet_meta(project, plan.meeting_id, edition)
    total = len(sizes)
    labels = tuple(mc.fill(meta.footer, side=n, sider=total) if meta.footer else ""
                   for n in range(1, total + 1))
    labels = tuple(displayable(list(labels), options))
    distinct = tuple(dict.fromkeys((round(w, 3), round(h, 3)) for w, h in sizes))
    data = {"title": meta.title, "lang": "da", "chars": pdfstamp.kit_chars(labels),
            "watermark": meta.watermark, "sizes": [list(s) for s in distinct]}
    kit = compile_typst(STAMP_TEMPLATE, displayable(data, options), options, tagged=False)
    return pdfassemble.Stamps(labels, kit, distinct, bool(meta.watermark))


def render_packet_docx(project: Project, plan: MeetingPlan, edition: str, options: RenderOptions) -> bytes:
    """dagsorden.docx / referat.docx: cover, contents and every item in one Word file,
    the same items in the same order as the PDF (the writer starts each item on a new page)."""
    ed = _edition(edition)
    shown = shown_items(project, plan, ed)
    c = mc.cover(project, plan.meeting_id, ed, plan.public)
    blocks = mc.cover_blocks(c, shown, project.settings.møde.indhold)
    for item in plan.items:
        blocks.extend(mc.packet_item_blocks(item_packet_document(project, plan, item, ed)))
    return render("docx", Document(mc.packet_meta(project, plan.meeting_id, ed), tuple(blocks)), options)


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


_shown = shown_items  # the first name of shown_items, which build tasks still use


def bilag_files(project: Project, plan: MeetingPlan) -> list[tuple[str, Path]]:
    """The bilag this audience gets: (path in its folder, source PDF), as ``meeting_files`` copies them."""
    return [(f"bilag/{b.file_name}", b.source)
            for s in shown_items(project, plan, plan.editions[-1]) for b in s.bilag]


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
    for edition in plan.editions:
        files[f"{edition}.pdf"] = render_packet_pdf(project, plan, edition, options)
        files[f"{edition}.docx"] = render_packet_docx(project, plan, edition, options)
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
    "AUDIENCES", "ItemPlan", "MeetingPlan", "Meta", "item_inputs", "meeting_inputs", "plan_meeting",
    "render_index_html", "render_item", "render_item_packet_pdf", "render_oparl_json",
    "render_packet_docx", "render_packet_pdf", "write_meeting",
]
