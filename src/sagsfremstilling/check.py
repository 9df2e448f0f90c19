"""``sagsfremstilling check``: every problem in every file, at once, located.

Reading (``project.load_project``) catches what one file can show by itself:
YAML syntax, unknown keys, wrong types, dates that do not exist.  This module
adds the rules that need several files at once, and ``render``/``build`` call
``validate_project`` too, so nothing is written from a project that does not
hold together:

* committee codes in a sagsgang or a meeting exist in the settings;
* people named in attendance, inhabilitet and votes belong to that committee,
  or carry their party (a guest, a former member);
* every "Ad. N" and every ændringsforslag points at an existing indstilling point;
* a case's stages never go back in time;
* a stage (committee, date) has a meeting file that lists the case, and every
  case a meeting lists exists and is routed to that meeting; an approved
  (``godkendt``) meeting has a decision in each of its cases;
* a meeting file is named ``<udvalg>-ÅÅÅÅ-MM-DD.yaml`` with the date of the
  meeting (the prefix is free: ``oek``, ``kb``, ``byraad``; lower-case ASCII,
  because the id becomes file names and addresses in build/);
* bilag are PDFs inside the content root (``bilagcheck``);
* no case or meeting file is silently ignored (``.yml``, a meeting in a sub-folder).

A decision recorded while the meeting is still ``planlagt`` or ``indkaldt`` is
not an error: the secretariat writes decisions during the meeting, before the
status changes.

The rules live in ``checkrules`` (and ``bilagcheck`` for the files); this
module is the command and ``validate_project``, the one entry point.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .checkrules import Index, case_rules, meeting_rules, stray_files
from .errors import InputError, Problem, problem_count
from .project import SEAL_SUFFIX, Project, find_root, load_project
from .settings import SETTINGS_FILE

# ---------------------------------------------------------------- the command


def main(args: argparse.Namespace) -> int:
    """Print every problem as ``path:line:col: besked`` and a count; exit 0 clean, 1 not,
    2 for a PATH that does not exist or lies outside the content root."""
    cwd = Path.cwd()
    typed: list[Path] = list(getattr(args, "paths", None) or [])
    paths = [cwd / p for p in typed]
    for shown, path in zip(typed, paths, strict=True):
        if not path.exists():
            return _usage(f"stien '{shown}' findes ikke")
    try:
        root = _root(args.root, cwd, paths)
        for shown, path in zip(typed, paths, strict=True):
            if not _within(path, [root]):
                return _usage(f"stien '{shown}' ligger uden for indholdsmappen {root}")
        problems, project = check_root(root, paths)
    except InputError as exc:  # no content root, or settings that cannot be read
        problems, project = exc.problems, None
    for problem in problems:
        print(problem)
    if problems:
        print(problem_count(len(problems)))
        return 1
    cases, meetings = _counted(project, paths)
    print(f"Alt i orden: {cases} {'sag' if cases == 1 else 'sager'}, "
          f"{meetings} {'møde' if meetings == 1 else 'møder'}")
    return 0


def _usage(message: str) -> int:
    """A mistake in the command line, said like argparse says its own (exit 2)."""
    print(f"sagsfremstilling check: fejl: {message}", file=sys.stderr)
    return 2


def _root(given: Path | None, cwd: Path, paths: list[Path]) -> Path:
    """--root, else the nearest root above the working directory, else above the first PATH."""
    if given is not None:
        if not (given / SETTINGS_FILE).is_file():
            raise InputError(Problem(str(given), 0, 0, f"mappen har ingen {SETTINGS_FILE}"))
        return given
    try:
        return find_root(cwd)
    except InputError:
        if not paths:
            raise
        return find_root(paths[0] if paths[0].is_dir() else paths[0].parent)


def check_root(root: Path, only: Sequence[Path] = ()) -> tuple[list[Problem], Project]:
    """Load and validate everything under ``root``; report problems of files under ``only``
    (all when empty).  Raises ``InputError`` when the settings themselves cannot be read."""
    project, problems = load_project(root)
    problems = sorted(set(problems) | set(validate_project(project)))
    problems += sealed_problems(project, problems)
    if only:
        problems = [p for p in problems if _within(root / p.path, only)]
    return problems, project


def _within(path: Path, only: Sequence[Path]) -> bool:
    real = path.resolve()
    return any(real == o.resolve() or real.is_relative_to(o.resolve()) for o in only)


def _counted(project: Project | None, only: Sequence[Path]) -> tuple[int, int]:
    if project is None:
        return 0, 0
    root = project.root

    def keep(shown: str) -> bool:
        return not only or _within(root / shown, only)

    return (sum(keep(p) for p in project.case_paths.values()),
            sum(keep(p) for p in project.meeting_paths.values()))


def sealed_problems(project: Project, problems: list[Problem]) -> list[Problem]:
    """Approved referater that no longer say what was sealed (``seal``).  Only for a
    project without other problems: the comparison composes sealed items, which
    needs a project that holds together."""
    if problems or not any((project.root / "meetings").glob(f"*{SEAL_SUFFIX}")):
        return []
    from .seal import problems as seal_problems  # composing: imported only where a seal is

    return seal_problems(project)


# ---------------------------------------------------------------- the rules


def validate_project(project: Project) -> list[Problem]:
    """Every cross-file problem of a loaded project, sorted.  Reused by render and build:
    they stop when this (or ``load_project``) returns anything."""
    index = Index.build(project)  # look-ups shared by all rules, built once
    problems: list[Problem] = []
    for cid in sorted(project.cases):  # route, decisions, bilag
        problems += case_rules(index, cid, project.cases[cid])
    for mid in sorted(project.meetings):  # name, committee, people, items
        problems += meeting_rules(index, mid, project.meetings[mid])
    problems += stray_files(project)  # files the loader would skip without a word
    return sorted(set(problems))
