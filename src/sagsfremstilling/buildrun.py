"""Run the build's tasks: in dependency order, in parallel, skipping what is up to date.

A task makes one file.  Before it runs, its *key* (``buildtasks.task_key``) is
compared with the key the state recorded for that file; equal keys and an
intact file mean the task is skipped.  Tasks whose key depends on other files'
bytes (``moede.json``, ``manifest.json``) get their key once those are done.

Work goes to worker processes (``buildpool``), one batch per worker at a time:
a single task, or a meeting's packet PDFs together (``BATCHED``).  ``-j 1``
runs everything in this process until it has grown past the memory budget,
then in one worker.  Either way the bytes are the same: a task's output
depends only on its inputs.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import buildtasks as bt
from .buildpool import Pool, WorkerDied
from .buildstate import MeetingRecord, Output
from .errors import InputError
from .progress import Reporter

CHECKPOINT_SECONDS = 5.0
WORKER_MEMORY = 350 * 1024 * 1024
"""A worker that holds more than this after a batch is replaced by a fresh one
(``buildpool``), and a batch stops early once its worker holds more; a -j 1
build that grows past it hands the rest of its work to one worker process,
replaced the same way.  Typst keeps what it has laid out for the life of a
process, 50-120 MB for a big packet, and has no call to let it go; so the
largest process stays under this plus one packet (the target is 500 MB).
Measured on a year of 1,000 cases: 300 MB gave 293 s and 358 MB at most,
380 MB gave 282 s and 434 MB."""


def make_pool(ctx: bt.Context, jobs: int, *, always: bool = False,
              reporter: Reporter | None = None) -> Pool | None:
    """``jobs`` worker processes, already started; None for -j 1 (the build's
    own process does the work) unless ``always``."""
    bt.CONTEXT = ctx  # for -j 1
    if jobs <= 1 and not always:
        return None
    bt.preload()
    return Pool(ctx, jobs, WORKER_MEMORY, reporter)


def plan_all(ctx: bt.Context, pool: Pool | None, meetings: list[str], audiences: tuple[str, ...]) -> None:
    """Plan ``meetings`` for every audience, in the workers; fills ``ctx.plans``
    and ``ctx.bilag``.  A problem found while planning stops the build."""
    jobs = [(mid, audience) for mid in meetings for audience in audiences]
    results = [bt.plan(*job) for job in jobs] if pool is None else pool.map(bt.plan, jobs)
    problems = sorted({p for r in results if r[0] == "fail" for p in r[1]})
    if problems:
        raise InputError(problems)
    for job, (_, made, bilag) in zip(jobs, results):
        ctx.plans[job] = made
        ctx.bilag[job] = bilag


PRIORITY = {"packet_pdf": 0, "oparl": 0, "manifest": 0, "packet_docx": 1, "index": 2,
            "item": 2, "bilag": 3}
"""Work on the long chain first: a packet PDF is the slowest single file and
the meeting's JSON waits for it, so it goes before the items that only fill the gaps."""


BATCHED = frozenset({"packet_pdf"})
"""Kinds whose ready tasks of one meeting go to one worker together, one after
another: Typst keeps what it laid out, so the public packet after the internal
one, and the referat after the dagsorden, lay out again only what differs
(about 40 % less work for the four packets of a meeting)."""


BATCH_ORDER = {("dagsorden", "intern"): 0, ("dagsorden", "offentlig"): 1,
               ("referat", "offentlig"): 2, ("referat", "intern"): 3}
"""Within a batch, each packet next to the one it differs least from."""


class Ready:
    """The tasks that may run now, the most urgent first (then in planning order)."""

    def __init__(self, tasks: dict[str, bt.Task]):
        self.tasks = tasks
        self.order = {tid: n for n, tid in enumerate(tasks)}
        self.heap: list[tuple[int, int, int, str]] = []
        self.live: dict[str, int] = {}
        """Task → the token of its one valid heap entry; entries of tasks that left
        with another's batch stay in the heap until popped, and are skipped."""
        self.tokens = itertools.count()
        self.groups: dict[tuple[str, str], list[str]] = {}
        """(kind, meeting) of a ``BATCHED`` kind → its ready tasks."""

    def append(self, tid: str) -> None:
        task = self.tasks[tid]
        token = self.live[tid] = next(self.tokens)
        heapq.heappush(self.heap, (PRIORITY.get(task.kind, 2), self.order[tid], token, tid))
        if task.kind in BATCHED:
            self.groups.setdefault((task.kind, task.meeting), []).append(tid)

    def pop(self) -> list[str]:
        """The most urgent task, with the ready tasks of its batch (in ``BATCH_ORDER``)."""
        while True:
            _, _, token, tid = heapq.heappop(self.heap)
            if self.live.get(tid) == token:
                break
        task = self.tasks[tid]
        batch = self.groups.pop((task.kind, task.meeting)) if task.kind in BATCHED else [tid]
        for member in batch:
            del self.live[member]
        return sorted(batch, key=lambda t: (BATCH_ORDER.get((self.tasks[t].variant, self.tasks[t].audience), 9),
                                            self.order[t]))

    def __bool__(self) -> bool:
        return bool(self.live)


class Runner:
    """Dependency-ordered execution of ``tasks`` against the recorded outputs."""

    def __init__(self, ctx: bt.Context, tasks: dict[str, bt.Task], old: dict[str, MeetingRecord],
                 new: dict[str, MeetingRecord], reporter: Reporter,
                 checkpoint: Callable[[], None]):
        self.ctx, self.tasks, self.old, self.new = ctx, tasks, old, new
        self.reporter, self.checkpoint = reporter, checkpoint
        self.results: dict[str, Output] = {}
        self.failed: dict[str, list[str]] = {}
        self.built: list[str] = []
        self.unchanged: list[str] = []
        self.tracebacks: list[str] = []
        self.timings: dict[str, tuple[int, float]] = {}
        """Task kind → (count, seconds in workers): where a build's time goes."""
        self.worn = False
        """-j 1: this process has grown past ``WORKER_MEMORY``; the rest goes to a worker."""
        self.pool: Pool | None = None
        self.waiting = {tid: len(t.deps) for tid, t in tasks.items()}
        self.dependents: dict[str, list[str]] = {tid: [] for tid in tasks}
        for tid, task in tasks.items():
            for dep in task.deps:
                self.dependents[dep].append(tid)
        self.folders: dict[str, list[int]] = {}
        self.left_in_folder: dict[str, int] = {}
        for task in tasks.values():
            self.left_in_folder[task.folder] = self.left_in_folder.get(task.folder, 0) + 1

    # ------------------------------------------------------------ decisions

    def _recorded(self, task: bt.Task) -> Output | None:
        record = self.old.get(task.meeting)
        return record.outputs.get(task.out) if record else None

    def _up_to_date(self, task: bt.Task, key: str) -> Output | None:
        old = self._recorded(task)
        if old is not None and old.key == key and old.intact(self.ctx.out_dir / task.out):
            return old
        return None

    # ------------------------------------------------------------ bookkeeping

    def _finish(self, tid: str, output: Output | None, status: str, problems: Sequence[str] = ()) -> None:
        task = self.tasks[tid]
        if output is not None:
            self.results[tid] = output
            self.new.setdefault(task.meeting, MeetingRecord()).outputs[task.out] = output
        else:
            self.failed[tid] = list(problems)
        {"bygget": self.built, "uændret": self.unchanged}.get(status, []).append(task.out)
        counts = self.folders.setdefault(task.folder, [0, 0, 0])
        counts[("bygget", "uændret", "fejlet").index(status)] += 1
        self.left_in_folder[task.folder] -= 1
        if self.left_in_folder[task.folder] == 0:
            self.reporter.folder_done(task.folder, *counts)
        self.reporter.advance(task.out, status)

    def _release(self, tid: str, ready: Ready) -> None:
        for dependent in self.dependents[tid]:
            self.waiting[dependent] -= 1
            if self.waiting[dependent] == 0:
                ready.append(dependent)

    def _fail_dependents(self, tid: str) -> None:
        for dependent in self.dependents[tid]:
            if dependent not in self.failed and dependent not in self.results:
                self._finish(dependent, None, "fejlet", [])
                self._fail_dependents(dependent)

    # ------------------------------------------------------------ the loop

    def run(self, pool: Pool | None, renew: Callable[[], Pool] | None = None) -> None:
        """Run every task in ``pool`` (None: in this process), one batch per idle
        worker, so the most urgent ready task goes next.  ``renew`` makes a pool
        when this process (-j 1) has grown past ``WORKER_MEMORY``; ``self.pool``
        is the pool in use, for the caller to shut down."""
        self.pool = pool
        ready = Ready(self.tasks)
        for tid, n in self.waiting.items():
            if n == 0:
                ready.append(tid)
        running: dict[int, list[str]] = {}
        last_save = time.monotonic()
        while ready or running:
            if pool is None and self.worn and renew is not None:
                pool = self.pool = renew()  # from here on one worker, which can be replaced
            while ready and self._room(pool, renew):
                todo, specs = self._next(ready)
                if not todo:
                    continue
                if pool is None:
                    for tid, spec in zip(todo, specs):
                        self._done(tid, bt.execute(spec), ready)
                else:
                    running[pool.submit(bt.execute_batch, specs, WORKER_MEMORY)] = todo
            if running:
                assert pool is not None
                for job, results in pool.wait(CHECKPOINT_SECONDS):
                    todo = running.pop(job)
                    if isinstance(results, WorkerDied):
                        results = [("bug", str(results), str(results))] * len(todo)
                    for tid, result in zip(todo, results):
                        self._done(tid, result, ready)
            if time.monotonic() - last_save > CHECKPOINT_SECONDS:
                self.checkpoint()
                last_save = time.monotonic()

    def _room(self, pool: Pool | None, renew: Callable[[], Pool] | None) -> bool:
        """Whether another batch can start now: an idle worker, or (-j 1) this
        process, until it has grown past the budget and a worker can take over."""
        if pool is not None:
            return pool.idle > 0
        return not (self.worn and renew is not None)

    def _next(self, ready: Ready) -> tuple[list[str], list[tuple[object, ...]]]:
        """The next batch of tasks that need making, with their specs; the rest of
        what ``ready`` gave is settled here (up to date, or failed before)."""
        todo: list[str] = []
        specs: list[tuple[object, ...]] = []
        for tid in ready.pop():
            task = self.tasks[tid]
            if any(dep in self.failed for dep in task.deps):
                continue  # already failed through _fail_dependents
            key = bt.task_key(self.ctx, task, self.results)
            current = self._up_to_date(task, key)
            if current is not None:
                self._finish(tid, current, "uændret")
                self._release(tid, ready)
                continue
            todo.append(tid)
            specs.append(bt.spec_for(self.ctx, task, key))
        return todo, specs

    def _done(self, tid: str, result: bt.Result, ready: Ready) -> None:
        if result[0] == "ok":
            _, key, sha, size, mtime, seconds, memory = result
            self.worn = self.worn or memory > WORKER_MEMORY
            kind = self.tasks[tid].kind
            count, total = self.timings.get(kind, (0, 0.0))
            self.timings[kind] = (count + 1, total + seconds)
            self._finish(tid, Output(key, sha, size, mtime), "bygget")
            self._release(tid, ready)
        elif result[0] == "later":  # its batch's worker grew too big: to a fresh one
            ready.append(tid)
        elif result[0] == "fail":
            self._finish(tid, None, "fejlet", result[1])
            self._fail_dependents(tid)
        else:  # a bug: the traceback once, a line per file it hit
            _, line, trace = result
            if trace not in self.tracebacks:
                self.tracebacks.append(trace)
            self._finish(tid, None, "fejlet", [f"{self.tasks[tid].out}: intern fejl: {line}"])
            self._fail_dependents(tid)


def remove_stale(out_dir: Path, old: MeetingRecord | None, keep: set[str],
                 reporter: Reporter) -> list[str]:
    """Delete the files ``old`` recorded that no task makes any more, and the
    folders that leaves empty.  Only recorded outputs are ever deleted."""
    removed = []
    for rel in sorted(set(old.outputs) - keep) if old else []:
        path = out_dir / rel
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        removed.append(rel)
        reporter.removed(rel)
        parent = path.parent
        while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed
