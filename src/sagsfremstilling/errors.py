"""The one family of expected failures: bad input, said in Danish, with a place.

Anything that is not an ``InputError`` is a bug in the tool and may show a
traceback; an ``InputError`` never does (the CLI prints its problems and exits 1).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem: ``cases/2022/x.yaml:14:7: <besked>``.

    ``line`` and ``col`` are 1-based; 0 means "the file as a whole".
    """

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class ValueErrorAt(ValueError):
    """A validator's error about a value below the one it validates (one entry of a
    mapping, say): ``at`` is that value's path from there, so the message can point
    at its own line rather than the mapping's first."""

    def __init__(self, message: str, *at: str | int):
        super().__init__(message)
        self.at = at


class InputError(Exception):
    """Bad input: one or more located problems for the person who wrote it."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = sorted(problems if isinstance(problems, list) else [problems])
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(Exception):
    """A municipality's template (Word, Typst or HTML) is broken.

    Not a case problem and not a bug in the tool: the CLI prints it without a
    traceback, naming the template, so the secretariat can mend it."""


def problem_count(n: int) -> str:
    """ "1 fejl" / "3 fejl" – Danish has one form, but keep the wording in one place."""
    return f"{n} fejl"
