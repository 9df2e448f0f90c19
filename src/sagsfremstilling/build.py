"""``sagsfremstilling build``: every meeting's packets into build/, incrementally, in parallel.

The stages, in order, and why:

1. **Nothing changed?**  Compare the recorded input stamps and outputs with the
   disk (``buildstate.unchanged``); if all match, stop.  This needs no project,
   so a no-op rebuild of a year takes a fraction of a second.
2. **Validate everything** (``render.load_valid_project``): any problem anywhere
   stops the build with located messages, before anything is written.
3. **Plan**: each meeting's items per audience (``packet.plan_meeting``) and,
   from those, one task per output file with the inputs it is made from.
4. **Run** the tasks whose key changed (``buildrun``), in worker processes;
   every file is written atomically.
5. **Tidy**: delete outputs no task makes any more (a case taken off a
   meeting, a deleted meeting), then record the state; the state only ever
   describes files already on disk, so a build killed at any point is simply
   finished by the next one.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .buildstate import (
    SETTINGS_FILE,
    Hasher,
    MeetingRecord,
    State,
    tool_fingerprint,
    unchanged,
    watched_files,
)
from .errors import InputError, Problem
from .progress import Reporter, Summary
from .progress import reporter as make_reporter
from .timestamps import source_date_epoch

LOCK_FILE = ".sagsfremstilling.lock"


def main(args: argparse.Namespace) -> int:
    """The command: exit 0 when every output is built, 1 on bad input or a failed output."""
    root = args.root.resolve() if args.root else _find_root(Path.cwd())
    out_dir = (args.output or root / "build").resolve()
    jobs = args.jobs or os.cpu_count() or 1
    if jobs < 1:
        print("sagsfremstilling build: fejl: -j skal være mindst 1", file=sys.stderr)
        return 2
    summary = build(root, out_dir, args.meetings or None, jobs, make_reporter())
    for problem in summary.problems:
        print(problem, file=sys.stderr)
    print(summary.line())
    return 0 if summary.ok else 1


def build(root: Path, out_dir: Path, meeting_ids: list[str] | None = None, jobs: int = 1,
          reporter: Reporter | None = None) -> Summary:
    """Build ``meeting_ids`` (all when None) of the content ``root`` into ``out_dir``.

    Raises ``InputError`` when the content has problems; nothing is written then."""
    started = time.perf_counter()
    reporter = reporter or Reporter(io.StringIO())
    tool, epoch = tool_fingerprint(), source_date_epoch(root)
    state = State.load(out_dir)
    same, hasher = unchanged(state, root, out_dir, tool, epoch, meeting_ids)
    if same:
        summary = Summary(unchanged=sorted(rel for mid in (meeting_ids or state.meetings)
                                           for rel in state.meetings[mid].outputs), noop=True)
        if hasher.seen != {rel: state.inputs[rel] for rel in hasher.seen}:
            with _locked(out_dir):  # refresh stamps after a touch, so the next run is stat-only
                state.inputs.update(hasher.seen)
                state.save(out_dir)
        summary.seconds = time.perf_counter() - started
        return summary

    from .render import load_valid_project

    project = load_valid_project(root)
    wanted = _selected(project, meeting_ids)
    with _locked(out_dir):
        _remove_temp_files(out_dir)
        shutil.rmtree(out_dir / ".cache" / "memo", ignore_errors=True)  # = buildtasks.MEMO, left by a kill
        state = State.load(out_dir)  # again: another build may have finished meanwhile
        summary = _run(project, root, out_dir, wanted, meeting_ids is None, jobs, reporter, state,
                       Hasher(root, state.inputs), tool, epoch)
    summary.seconds = time.perf_counter() - started
    return summary


def _run(project: Any, root: Path, out_dir: Path, wanted: list[str], everything: bool, jobs: int,
         reporter: Reporter, state: State, hasher: Hasher, tool: str, epoch: int) -> Summary:
    from . import buildrun, packet
    from . import buildtasks as bt
    from .writers import RenderOptions

    options = RenderOptions(templates=root / "templates", timestamp=epoch)
    ctx = bt.Context(root, out_dir, tool, epoch, options, project=project)
    watched = watched_files(root)
    inputs = bt.Inputs(ctx, tuple(r for r in watched if r == SETTINGS_FILE or r.startswith("templates/")))
    for rel in watched:
        _digest(ctx, hasher, rel)

    # Which meetings changed at all: one key per meeting, from its inputs alone.
    old = state.meetings
    new: dict[str, MeetingRecord] = {}
    keys: dict[str, str] = {}
    for mid in wanted:
        for rel in inputs.meeting(mid)[0]:
            _digest(ctx, hasher, rel)
        keys[mid] = bt.meeting_key(ctx, inputs, mid)
        record = old.get(mid)
        if record and record.key == keys[mid] and all(
                o.intact(out_dir / rel) for rel, o in record.outputs.items()):
            new[mid] = record
    changed = [mid for mid in wanted if mid not in new]

    # Plan the changed meetings (in the workers): what each gives and what
    # each file is made from.
    pool = buildrun.make_pool(ctx, jobs, reporter=reporter) if changed else None
    try:
        buildrun.plan_all(ctx, pool, changed, packet.AUDIENCES)
    except BaseException:
        if pool is not None:
            pool.shutdown()
        raise
    for mid in changed:
        new[mid] = MeetingRecord()
    tasks = {t.out: t for mid in changed for t in bt.meeting_tasks(ctx, inputs, mid)}
    for rel in {rel for t in tasks.values() for rel in t.inputs}:
        _digest(ctx, hasher, rel)
    gone = {mid for mid in old if everything and mid not in project.meetings}

    def checkpoint(final: bool = False, complete: bool = False) -> None:
        """Save a state that describes only what is on disk now (see the module docstring)."""
        meetings = {mid: rec for mid, rec in old.items()
                    if mid not in wanted and not (final and mid in gone)}
        for mid in wanted:
            if mid not in changed:
                meetings[mid] = new[mid]
                continue
            merged = MeetingRecord("", dict(old[mid].outputs) if mid in old else {})
            merged.outputs.update(new[mid].outputs)  # an output not rebuilt yet keeps its old record
            if final:
                merged.outputs = {rel: o for rel, o in merged.outputs.items() if rel in tasks}
                failed = any(tasks[t].meeting == mid for t in runner.failed)
                merged.key = "" if failed else keys[mid]
            meetings[mid] = merged
        State(tool, epoch, dict(hasher.seen) if complete else {}, meetings).save(out_dir)

    # Run what changed; each output is recorded as soon as it is on disk.
    runner = buildrun.Runner(ctx, tasks, old, new, reporter, checkpoint)
    reporter.start(len(tasks))
    try:
        runner.run(pool, renew=lambda: buildrun.make_pool(ctx, jobs, always=True, reporter=reporter))
    finally:
        reporter.close()
        if runner.pool is not None:
            runner.pool.shutdown()

    # Tidy: outputs no task makes any more, then the final state.
    summary = Summary(sorted(runner.built), sorted(runner.unchanged),
                      sorted(runner.failed))
    summary.unchanged += sorted(rel for mid in wanted if mid not in changed for rel in new[mid].outputs)
    summary.timings = dict(sorted(runner.timings.items()))
    summary.problems = runner.tracebacks + sorted({p for ps in runner.failed.values() for p in ps})
    for mid in sorted(old):
        if mid in changed:
            summary.removed += buildrun.remove_stale(out_dir, old[mid], set(tasks), reporter)
        elif mid in gone:
            summary.removed += buildrun.remove_stale(out_dir, old[mid], set(), reporter)
    shutil.rmtree(out_dir / bt.MEMO, ignore_errors=True)
    shutil.rmtree(out_dir / bt.CACHE / "dele", ignore_errors=True)  # packet parts of earlier versions
    checkpoint(final=True, complete=not summary.failed)
    return summary


def _digest(ctx: Any, hasher: Hasher, rel: str) -> None:
    if rel not in ctx.digests:
        sha = hasher.digest(rel)
        if sha is not None:
            ctx.digests[rel] = sha


def _selected(project: Any, meeting_ids: list[str] | None) -> list[str]:
    known = sorted(project.meetings)
    if meeting_ids is None:
        return known
    missing = [mid for mid in meeting_ids if mid not in known]
    if missing:
        raise InputError([Problem(f"meetings/{mid}.yaml", 0, 0, f"mødet '{mid}' findes ikke i meetings/")
                          for mid in missing])
    return sorted(set(meeting_ids))


def _find_root(start: Path) -> Path:
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    from .project import find_root

    return find_root(start)  # raises the located InputError


@contextlib.contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """One build at a time per build folder: a second one waits."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / LOCK_FILE, "a") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; builds must not overlap
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_temp_files(out_dir: Path) -> None:
    """Temporary files a killed build left behind (``.name.XXXX.tmp``)."""
    for dirpath, _, filenames in os.walk(out_dir):
        for name in filenames:
            if name.startswith(".") and name.endswith(".tmp"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(dirpath, name))
