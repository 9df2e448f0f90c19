"""What a person sees while ``sagsfremstilling build`` works, in Danish.

On a terminal: a rich progress bar.  In CI (``CI`` set) or when the output is a
file or a pipe: plain lines, one per meeting folder finished, which read well in
a log and never redraw.  Either way the build ends with one summary line.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Summary:
    """The outcome of one build; also what the tests inspect."""

    built: list[str] = field(default_factory=list)
    """Outputs written, relative to the build folder."""
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Located messages (and tracebacks of bugs) of the failed outputs."""
    seconds: float = 0.0
    timings: dict[str, tuple[int, float]] = field(default_factory=dict)
    """Task kind → (files made, seconds of work), for the benchmark."""
    noop: bool = False
    """True when the recorded inputs showed nothing to do, before any loading."""

    @property
    def ok(self) -> bool:
        return not self.failed

    def line(self) -> str:
        seconds = f"{self.seconds:.1f}".replace(".", ",")
        text = (f"bygget: {len(self.built)}, uændret: {len(self.unchanged)}, "
                f"fejlet: {len(self.failed)}")
        if self.removed:
            text += f", slettet: {len(self.removed)}"
        return f"{text}, tid: {seconds} s"


class Reporter:
    """Plain lines: a line per finished folder (meeting/audience), nothing per file."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def start(self, total: int) -> None:
        """``total`` tasks to go through, most of them perhaps up to date."""

    def advance(self, rel: str, status: str) -> None:
        """One task finished: ``status`` is 'bygget', 'uændret' or 'fejlet'."""

    def folder_done(self, folder: str, built: int, unchanged: int, failed: int) -> None:
        if built or failed:
            extra = f", {failed} fejlet" if failed else ""
            print(f"{folder}: {built} bygget, {unchanged} uændret{extra}", file=self.stream, flush=True)

    def pause(self) -> None:
        """The build is about to start worker processes: nothing may draw meanwhile."""

    def resume(self) -> None:
        """Workers started: carry on."""

    def removed(self, rel: str) -> None:
        print(f"slettet: {rel}", file=self.stream, flush=True)

    def close(self) -> None:
        pass


class RichReporter(Reporter):
    """A progress bar that counts the files actually being built."""

    def __init__(self, stream: TextIO):
        super().__init__(stream)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskID,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console = Console(file=stream)
        self.progress = Progress(TextColumn("[bold]Bygger"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=self.console, transient=True)
        self.task: TaskID | None = None

    def start(self, total: int) -> None:
        if total:
            self.progress.start()
            self.task = self.progress.add_task("", total=total)

    def advance(self, rel: str, status: str) -> None:
        if self.task is not None:
            if status == "uændret":
                self.progress.update(self.task, advance=1)
            else:
                self.progress.update(self.task, advance=1, description=rel if len(rel) < 60 else "…" + rel[-59:])
        if status == "fejlet":
            self.console.print(f"[red]fejlet:[/red] {rel}")

    def folder_done(self, folder: str, built: int, unchanged: int, failed: int) -> None:
        pass

    def removed(self, rel: str) -> None:
        self.console.print(f"slettet: {rel}")

    def pause(self) -> None:
        """Stop drawing (and the drawing thread) while the build starts workers."""
        if self.task is not None:
            self.progress.stop()

    def resume(self) -> None:
        if self.task is not None:
            self.progress.start()

    def close(self) -> None:
        if self.task is not None:
            self.progress.stop()


def reporter(stream: TextIO | None = None) -> Reporter:
    """A bar on an interactive terminal, plain lines in CI and in logs."""
    stream = stream or sys.stdout
    if os.environ.get("CI") or not stream.isatty():
        return Reporter(stream)
    return RichReporter(stream)
