"""The build's worker processes: each does one batch of work at a time and is
replaced on its own, as soon as it hands back a batch, once it holds more
memory than the budget.

Typst keeps what it has laid out for the life of a process (tens of MB a
packet; typst-py has no call to let it go), so workers grow.  A
``ProcessPoolExecutor`` can only be replaced whole, once every task in it is
done: one worn worker stopped the others until the slowest finished.  Here the
others carry on while a fresh worker takes the worn one's place.

Workers are forked after the project is loaded, so they share it for free;
where forking is not safe (the process already runs threads, or the platform
has no fork) they are spawned and load the project themselves
(``buildtasks.init_worker``).  The progress bar's drawing thread is stopped
while a worker starts.  A worker that dies (killed, out of memory) hands back
a ``WorkerDied`` for its batch, and is replaced like a worn one.
"""

from __future__ import annotations

import io
import itertools
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for
from multiprocessing.process import BaseProcess
from typing import Any

from . import buildtasks as bt
from .progress import Reporter


class WorkerDied(RuntimeError):
    """A worker process ended while it had work (killed, or out of memory)."""


@dataclass
class _Crash:
    """An exception in a worker outside the tasks' own handling: a bug."""

    trace: str


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job: int | None = None
    """The job it is doing, or None when idle."""


def fork_is_safe() -> bool:
    """Forking copies only the calling thread; a process that already runs other
    threads (a Rust library's pool, a progress bar) may fork a child that hangs."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _serve(conn: Connection, ctx: bt.Context | None) -> None:
    """A worker: do each job it is sent, answer with the result and the memory it holds.
    Ctrl-C is the build's to handle: it stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    bt.init_worker(ctx)
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        job, fn, args = message
        try:
            result: Any = fn(*args)
        except Exception:  # noqa: BLE001 - handed to the build, which reports it as a bug
            result = _Crash(traceback.format_exc())
        conn.send((job, result, bt.resident_bytes()))


class Pool:
    """``jobs`` worker processes for ``ctx``; each is replaced once it holds more
    than ``budget`` bytes after a job."""

    def __init__(self, ctx: bt.Context, jobs: int, budget: int, reporter: Reporter | None = None):
        bt.CONTEXT = ctx  # inherited by forked workers
        self.ctx, self.budget = ctx, budget
        self.reporter = reporter or Reporter(io.StringIO())
        self.numbers = itertools.count()
        self.workers = [self._start() for _ in range(max(jobs, 1))]

    # ------------------------------------------------------------ work

    @property
    def idle(self) -> int:
        return sum(1 for w in self.workers if w.job is None)

    @property
    def busy(self) -> int:
        return len(self.workers) - self.idle

    def submit(self, fn: Callable[..., Any], *args: Any) -> int:
        """Hand ``fn(*args)`` to an idle worker; returns the job's number."""
        worker = next(w for w in self.workers if w.job is None)
        worker.job = next(self.numbers)
        worker.conn.send((worker.job, fn, args))
        return worker.job

    def wait(self, timeout: float | None) -> list[tuple[int, Any]]:
        """The jobs finished within ``timeout`` seconds, with their results (a
        ``WorkerDied`` for a job whose worker ended).  Workers grown past the
        budget, and dead ones, are replaced before this returns."""
        busy = {w.conn: w for w in self.workers if w.job is not None}
        finished: list[tuple[int, Any]] = []
        for conn in wait_for(list(busy), timeout):
            worker = busy[conn]  # type: ignore[index]
            job = worker.job
            assert job is not None
            try:
                _, result, memory = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join(5)
                result, memory = WorkerDied(_ending(worker.process)), None
            worker.job = None
            if isinstance(result, _Crash):
                raise RuntimeError(f"fejl i en arbejdsproces:\n{result.trace}")
            finished.append((job, result))
            if memory is None or memory > self.budget:
                self._replace(worker)
        return finished

    def map(self, fn: Callable[..., Any], jobs: Iterable[tuple[Any, ...]]) -> list[Any]:
        """``fn(*args)`` for every ``args`` in ``jobs``, spread over the workers; results in order."""
        todo = list(enumerate(jobs))
        results: dict[int, Any] = {}
        numbers: dict[int, int] = {}
        while todo or self.busy:
            while todo and self.idle:
                n, args = todo.pop(0)
                numbers[self.submit(fn, *args)] = n
            for job, result in self.wait(None):
                if isinstance(result, WorkerDied):
                    raise result
                results[numbers.pop(job)] = result
        return [results[n] for n in range(len(results))]

    # ------------------------------------------------------------ processes

    def _start(self) -> _Worker:
        self.reporter.pause()
        try:
            method = "fork" if fork_is_safe() else "spawn"
            context = multiprocessing.get_context(method)
            here, there = context.Pipe()
            process = context.Process(target=_serve, args=(there, None if method == "fork" else self.ctx.portable()),
                                      daemon=True)
            process.start()
            there.close()
        finally:
            self.reporter.resume()
        return _Worker(process, here)

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker)
        self.workers[self.workers.index(worker)] = self._start()

    @staticmethod
    def _stop(worker: _Worker) -> None:
        try:
            worker.conn.send(None)
        except (OSError, ValueError):
            pass
        worker.process.join(10)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def shutdown(self) -> None:
        """Stop every worker; one still busy is killed (the build is over or failed)."""
        for worker in self.workers:
            if worker.job is not None:
                worker.process.kill()
            self._stop(worker)
        self.workers = []


def _ending(process: BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        return f"arbejdsprocessen blev stoppet (signal {-code})"
    return f"arbejdsprocessen sluttede uventet (kode {code})"
