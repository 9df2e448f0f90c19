"""The build's tasks: which files a meeting gives, what each is made from, how it is made.

One task makes one file.  Its key hashes everything the file is made from:
the tool, ``SOURCE_DATE_EPOCH``, the bytes of its input files (for an item:
``packet.item_inputs``; for a packet: ``packet.meeting_inputs``; always the
settings and every template), the part of the meeting plan it shows, and, for
the files that describe other files (``moede.json``, ``manifest.json``), those
files' digests.  So a changed case changes the keys of that case's items and
of the packets that contain it, and of nothing else.

``execute`` runs in a worker process (or in this one for ``-j 1``): it renders,
writes atomically and returns the digest, never the bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .buildstate import Output, digest
from .errors import InputError

CACHE = ".cache"
MEMO = f"{CACHE}/memo"
"""Rendered Documents of the running build, by content (see ``_memo_render``)."""
FORMATS = ("docx", "pdf", "html")
Result = tuple[Any, ...]
"""('ok', key, sha256, size, mtime_ns, seconds, the worker's memory in bytes),
('fail', [located lines]) for bad input found late, ('bug', one line, traceback),
or ('later',) for a task of a batch stopped early (``execute_batch``)."""


@dataclass(frozen=True)
class Task:
    out: str
    """The output path relative to the build folder."""
    kind: str
    meeting: str
    audience: str
    case_id: str = ""
    variant: str = ""
    """The format of an item, the edition of a packet."""
    deps: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    """Root-relative input files."""
    salt: str = ""
    """What the plan says about this file (numbers, titles, closed or not)."""
    content_key: bool = False
    """The key includes the digests of ``deps`` (files that describe other files)."""

    @property
    def folder(self) -> str:
        return f"{self.meeting}/{self.audience}"


@dataclass
class Context:
    """What every task needs; workers get it by fork (or rebuild it when spawned)."""

    root: Path
    out_dir: Path
    tool: str
    epoch: int
    options: Any
    """writers.RenderOptions."""
    plans: dict[tuple[str, str], Any] = field(default_factory=dict)
    """(meeting id, audience) → packet.MeetingPlan."""
    bilag: dict[tuple[str, str], list[tuple[str, Path]]] = field(default_factory=dict)
    """(meeting id, audience) → the bilag files its folder gets: (file name, source)."""
    digests: dict[str, str] = field(default_factory=dict)
    """Input path → sha256 (only used in the main process, for keys)."""
    project: Any = None

    def portable(self) -> Context:
        """A copy cheap to send to a spawned worker, which loads the project itself."""
        return replace(self, project=None, digests={})


CONTEXT: Context | None = None
"""Set in the main process before workers fork, or by ``init_worker``."""


def init_worker(ctx: Context | None) -> None:
    """Start a worker: die with the build (a killed build must not leave workers
    writing on), and, when spawned, read the project (already validated)."""
    _die_with_parent()
    if ctx is not None:
        from .project import load_project

        global CONTEXT
        ctx.project = load_project(ctx.root)[0]
        CONTEXT = ctx


def preload() -> None:
    """Import what the tasks use (the writers, Typst, python-docx, Jinja), in the
    build's process before it forks its workers: they share the modules instead
    of each importing them again, and so does every fresh worker that replaces
    one grown past its memory budget (about 0.3 s each).  Importing starts no
    thread, so forking stays safe (``buildpool.fork_is_safe``)."""
    from . import meeting_index, oparl, packet  # noqa: F401
    from .writers import FORMATS, writer

    for fmt in FORMATS:
        writer(fmt)


def _die_with_parent() -> None:
    """Linux: ask the kernel for SIGKILL when the build process dies (even by SIGKILL)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def task_key(ctx: Context, task: Task, results: dict[str, Output]) -> str:
    parts = [ctx.tool, str(ctx.epoch), task.kind, task.out, task.variant, task.salt]
    parts += [f"{rel}={ctx.digests.get(rel)}" for rel in task.inputs]
    if task.content_key:
        parts += [f"{dep}={results[dep].sha256}" for dep in task.deps]
    return digest(*parts)


# ---------------------------------------------------------------- the graph


class Inputs:
    """What a file is made from, as precisely as can be said cheaply.

    ``packet.item_inputs`` lists an item's case and bilag, the meetings on its
    route (and, for running numbering, the committee's other meetings that
    year) and every *other* case on those meetings, because they decide the
    item numbers.  Two refinements, both checked against ``packet.item_inputs``
    by the tests:

    * other cases' files are replaced by what they decide: each of those
      meetings' agenda (number, case, closed), so a typo in one case does not
      rebuild every paper on its meetings;
    * the list is derived here from the model in one pass, memoised per case,
      instead of calling ``item_inputs`` thousands of times (it walks the
      templates folder on every call; a year has 2,000 items and more).
    """

    def __init__(self, ctx: Context, common: tuple[str, ...]):
        from .agenda import agenda, numbering_period

        project = ctx.project
        self.ctx, self.common = ctx, common
        self.root = ctx.root.resolve()
        self.meeting_of = {shown: mid for mid, shown in project.meeting_paths.items()}
        self._agenda = agenda
        self._numbers: dict[str, str] = {}
        self._cases: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._period: dict[tuple[str, int], list[str]] = {}
        """Meetings by numbering period (``agenda.numbering_period``)."""
        for mid, m in sorted(project.meetings.items()):
            period = numbering_period(project, m)
            if period is not None:
                self._period.setdefault(period, []).append(mid)

    def numbers(self, meeting_id: str) -> str:
        if meeting_id not in self._numbers:
            self._numbers[meeting_id] = repr([(a.number, a.case_id, a.closed)
                                              for a in self._agenda(self.ctx.project, meeting_id)])
        return self._numbers[meeting_id]

    def relative(self, path: Path) -> str:
        path = path if path.is_absolute() else self.root / path
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def _case(self, case_id: str) -> tuple[frozenset[str], frozenset[str]]:
        """(the case's own files, the meetings whose files and numbers it depends on)."""
        if case_id not in self._cases:
            project = self.ctx.project
            case = project.cases[case_id]
            own = {project.case_paths[case_id]} | {self.relative(Path(b.fil)) for b in case.bilag}
            meetings = {m for s in case.sagsgang if (m := project.meeting_for(s.udvalg, s.dato))}
            self._cases[case_id] = (frozenset(own), frozenset(meetings))
        return self._cases[case_id]

    def _expand(self, meetings: set[str]) -> set[str]:
        """``meetings`` and, for running numbering, every meeting numbered with them."""
        from .agenda import numbering_period

        project = self.ctx.project
        periods = {numbering_period(project, project.meetings[mid]) for mid in meetings} - {None}
        return meetings | {other for period in periods for other in self._period[period]}  # type: ignore[index]

    def _result(self, files: set[str], meetings: set[str]) -> tuple[tuple[str, ...], str]:
        meetings = self._expand(meetings)
        paths = set(self.common) | files | {self.ctx.project.meeting_paths[m] for m in meetings}
        return tuple(sorted(paths)), digest(*(f"{m}:{self.numbers(m)}" for m in sorted(meetings)))

    def item(self, meeting_id: str, case_id: str) -> tuple[tuple[str, ...], str]:
        """(files, salt) of one item's papers."""
        own, meetings = self._case(case_id)
        return self._result(set(own), set(meetings) | {meeting_id})

    def meeting(self, meeting_id: str) -> tuple[tuple[str, ...], str]:
        """(files, salt) of the meeting-wide files: the union over its items."""
        files: set[str] = set()
        meetings = {meeting_id}
        project = self.ctx.project
        for p in project.meetings[meeting_id].punkter:
            if p.sag in project.cases:
                own, route = self._case(p.sag)
                files |= own
                meetings |= route
        return self._result(files, meetings)


def meeting_key(ctx: Context, inputs: Inputs, meeting_id: str) -> str:
    """One key for all of a meeting's outputs: unchanged key, nothing to plan."""
    files, salt = inputs.meeting(meeting_id)
    return digest(ctx.tool, str(ctx.epoch), meeting_id, salt,
                  *[f"{rel}={ctx.digests.get(rel)}" for rel in files])


def meeting_tasks(ctx: Context, inputs: Inputs, meeting_id: str) -> list[Task]:
    """Every file of one meeting, both audiences, as ``packet.meeting_files`` makes them."""
    from . import packet
    from .meeting_compose import SUPPLEMENT

    project = ctx.project
    tasks: list[Task] = []
    meeting_in, meeting_salt = inputs.meeting(meeting_id)
    for audience in packet.AUDIENCES:
        plan = ctx.plans[(meeting_id, audience)]
        base = f"{meeting_id}/{audience}"
        head = repr((plan.meeting_id, plan.audience, plan.documents))
        whole = digest(repr(plan), meeting_salt)  # a digest: a year has 20,000 tasks
        item_in = {item.number: inputs.item(meeting_id, packet.case_of(project, plan, item))
                   for item in plan.items}
        files: list[str] = []
        for item in plan.items:
            if not item.has_files:
                continue
            files_in, salt = item_in[item.number]
            for fmt in packet.ITEM_FORMATS:
                out = f"{base}/punkter/{item.stem}.{fmt}"
                tasks.append(Task(out, "item", meeting_id, audience, str(item.number), fmt,
                                  inputs=files_in, salt=digest(head, repr(item), salt)))
                files.append(out)
        for name, path in ctx.bilag[(meeting_id, audience)]:
            out = f"{base}/bilag/{name}"
            source = inputs.relative(path)
            tasks.append(Task(out, "bilag", meeting_id, audience, variant=source, inputs=(source,)))
            files.append(out)
        for document in plan.documents:
            document_in, document_salt = meeting_in, whole
            if document == SUPPLEMENT:  # only the added items: made from theirs alone
                added = packet.document_items(project, plan, document)
                document_in = tuple(sorted({rel for item in added for rel in item_in[item.number][0]}))
                document_salt = digest(head, *(repr(item) + item_in[item.number][1] for item in added))
            out = f"{base}/{document}.pdf"
            tasks.append(Task(out, "packet_pdf", meeting_id, audience, variant=document,
                              inputs=document_in, salt=document_salt))
            files.append(out)
            out = f"{base}/{document}.docx"
            tasks.append(Task(out, "packet_docx", meeting_id, audience, variant=document,
                              inputs=document_in, salt=document_salt))
            files.append(out)
        out = f"{base}/index.html"
        tasks.append(Task(out, "index", meeting_id, audience, inputs=meeting_in, salt=whole))
        files.append(out)
        oparl = f"{base}/moede.json"
        tasks.append(Task(oparl, "oparl", meeting_id, audience, deps=tuple(sorted(files)),
                          inputs=meeting_in, salt=whole, content_key=True))
        tasks.append(Task(f"{base}/manifest.json", "manifest", meeting_id, audience,
                          deps=(*sorted(files), oparl), salt=whole, content_key=True))
    return tasks


def spec_for(ctx: Context, task: Task, key: str) -> tuple[Any, ...]:
    """What a worker needs to make ``task``: small and picklable."""
    extra = list(task.deps) if task.kind in ("oparl", "manifest") else None
    plan = ctx.plans[(task.meeting, task.audience)]
    return (task.kind, task.out, task.meeting, task.audience, task.case_id, task.variant, key, extra, plan)


# ---------------------------------------------------------------- in the worker


def plan(meeting: str, audience: str) -> Result:
    """One meeting's plan for one audience, and the bilag its folder gets
    (``packet.bilag_files``).  Run in workers: planning may compose items."""
    from . import packet

    ctx = CONTEXT
    assert ctx is not None, "worker context missing"
    try:
        made = packet.plan_meeting(ctx.project, meeting, audience)
        bilag = [(rel.removeprefix("bilag/"), source) for rel, source in packet.bilag_files(ctx.project, made)]
    except InputError as exc:
        return ("fail", exc.problems)
    made = dataclasses.replace(made, memo={})  # its composed papers stay here, not in every task
    return ("ok", made, bilag)


def execute(spec: tuple[Any, ...]) -> Result:
    """Make one file and write it atomically; return its digest, or the problems."""
    from .outputs import write_atomic

    kind, out, meeting, audience, case_id, variant, key, extra, plan = spec
    ctx = CONTEXT
    assert ctx is not None, "worker context missing"
    ctx.plans[(meeting, audience)] = plan
    started = time.perf_counter()
    try:
        data = _render(ctx, kind, meeting, audience, case_id, variant, extra)
        path = ctx.out_dir / out
        write_atomic(path, data)
        return ("ok", key, hashlib.sha256(data).hexdigest(), len(data), path.stat().st_mtime_ns,
                time.perf_counter() - started, resident_bytes())
    except InputError as exc:
        return ("fail", [str(p) for p in exc.problems])
    except Exception as exc:  # noqa: BLE001 - a bug: keep the traceback for the person who reports it
        return ("bug", f"{type(exc).__name__}: {exc}".splitlines()[0], traceback.format_exc())
    finally:
        _forget_renders()


def execute_batch(specs: list[tuple[Any, ...]], memory_budget: int) -> list[Result]:
    """Make several files one after another, in this worker (``buildrun.BATCHED``).
    Once the worker holds more than ``memory_budget`` bytes, the rest come back
    undone, as ``("later",)``, for a fresh worker: a batch of big packets would
    otherwise grow one worker far past the budget before it can be replaced."""
    results: list[Result] = []
    for spec in specs:
        if results and resident_bytes() > memory_budget:
            results.append(("later",))
        else:
            results.append(execute(spec))
    return results


def resident_bytes() -> int:
    """This process's resident memory now (Linux; 0 where it cannot be read)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _forget_renders() -> None:
    """Empty the writers' in-process memo after each task.  A worker lives for
    the whole build, its memo keeps every Document it saw as a key, and across
    a year that grows to most of a gigabyte; reuse between tasks comes from the
    build's own memo on disk (``_memo_render``)."""
    try:
        from .rendermemo import RENDERED
    except ImportError:
        return
    RENDERED.clear()


def _memo_render(ctx: Context, kind: str, doc: Any, make: Callable[[], bytes]) -> bytes:
    """Render ``doc``, or reuse the bytes made for an equal Document earlier in this
    build: an open item usually reads the same in the public and the internal
    version, and rendering is most of a build's work.  The memo lives for one
    build (``MEMO``), so templates and tool are the same for every entry."""
    from .outputs import write_atomic

    name = digest(kind, repr(doc))
    path = ctx.out_dir / MEMO / name[:2] / name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        data = make()
        write_atomic(path, data)
        return data


def _render(ctx: Context, kind: str, meeting: str, audience: str, number: str, variant: str,
            extra: Any) -> bytes:
    from . import meeting_compose as mc
    from . import packet
    from .writers import render

    project, options = ctx.project, ctx.options
    plan = ctx.plans[(meeting, audience)]
    item = next((i for i in plan.items if str(i.number) == number), None)
    if kind == "item" and item is None:
        raise ValueError(f"item {number} is not in the plan of {meeting}/{audience}")
    if kind == "item":  # packet.render_item, through the memo
        assert item is not None
        cid = packet.case_of(project, plan, item)
        edition = mc.latest_edition(project, meeting, cid)
        doc = mc.item_document(project, meeting, cid, edition, plan.public)
        return _memo_render(ctx, variant, doc, lambda: render(variant, doc, options))
    if kind == "packet_pdf":
        return packet.render_packet_pdf(project, plan, variant, options)  # type: ignore[no-any-return]
    if kind == "packet_docx":
        return packet.render_packet_docx(project, plan, variant, options)  # type: ignore[no-any-return]
    if kind == "bilag":
        return (ctx.root / variant).read_bytes()
    if kind == "index":
        return packet.render_index_html(project, plan, options)  # type: ignore[no-any-return]
    base = f"{meeting}/{audience}/"
    files = {rel.removeprefix(base): (ctx.out_dir / rel).read_bytes() for rel in extra or ()}
    if kind == "oparl":
        return packet.render_oparl_json(project, plan, options, files)  # type: ignore[no-any-return]
    if kind == "manifest":
        return packet.manifest(plan, files)  # type: ignore[no-any-return]
    raise ValueError(f"unknown task kind {kind!r}")
