"""Find the content root and read settings, cases and meetings into the model.

Reading gathers every problem of every file before it gives up, so a
caseworker sees them all at once (``check``), each located by ``yamlread``.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem, ValueErrorAt
from .messages import pydantic_message
from .model import Møde, Sag
from .settings import SETTINGS_FILE, Indstillinger
from .yamlread import Loaded, load_yaml

M = TypeVar("M", bound=BaseModel)


@dataclass
class Project:
    """Everything read from a content root: plain, validated data."""

    root: Path
    settings: Indstillinger
    cases: dict[str, Sag] = field(default_factory=dict)
    """Case id ('2022/dialogforum') → case."""
    meetings: dict[str, Møde] = field(default_factory=dict)
    """Meeting id ('kb-2022-11-15') → meeting."""
    sources: dict[str, Loaded] = field(default_factory=dict)
    """Shown path → the loaded YAML, for locating cross-file problems."""
    case_paths: dict[str, str] = field(default_factory=dict)
    meeting_paths: dict[str, str] = field(default_factory=dict)

    def meeting_for(self, committee: str, day: object) -> str | None:
        """The id of the meeting of ``committee`` on ``day``, if there is one."""
        if self._by_stage is None:
            self._by_stage = {(m.udvalg, m.dato): mid for mid, m in sorted(self.meetings.items())}
        return self._by_stage.get((committee, day))

    _by_stage: dict[tuple[str, object], str] | None = field(default=None, repr=False)
    agendas: dict[str, tuple[Any, ...]] = field(default_factory=dict, repr=False, compare=False)
    """Meeting id → its numbered items (``agenda.agenda``), once worked out; a
    project is not changed after it is loaded."""


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding sagsfremstilling.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    raise InputError(Problem(
        str(start), 0, 0,
        f"finder ingen {SETTINGS_FILE} her eller i mapperne over; brug --root MAPPE",
    ))


def case_id(root: Path, path: Path) -> str:
    """'cases/2022/x.yaml' → '2022/x'."""
    try:  # the loader's own paths lie under the root already: no file-system call
        rel = path.relative_to(root / "cases")
        if ".." in rel.parts:
            raise ValueError(path)
    except ValueError:
        rel = path.resolve().relative_to((root / "cases").resolve())
    return rel.with_suffix("").as_posix()


def shown_path(root: Path, path: Path) -> str:
    """The path as messages show it: relative to the content root."""
    try:
        rel = path.relative_to(root)
        if ".." not in rel.parts:
            return rel.as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def validate(loaded: Loaded, model: type[M], problems: list[Problem],
             extra_keys: list[str] = ()) -> M | None:  # type: ignore[assignment]
    """Validate loaded data against ``model``; problems are appended, located."""
    if not isinstance(loaded.data, dict):
        problems.append(loaded.problem((), "filen skal være en samling af felter (nøgle: værdi)"))
        return None
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            cause = err.get("ctx", {}).get("error")
            if isinstance(cause, ValueErrorAt):
                loc += cause.at
            is_key = err["type"] == "extra_forbidden" or "[key]" in loc
            problems.append(loaded.problem(loc, pydantic_message(err, model, loc, extra_keys),
                                           key=is_key))
        return None


def load_settings(root: Path) -> tuple[Indstillinger, Loaded]:
    loaded = load_yaml(root / SETTINGS_FILE, SETTINGS_FILE)
    problems: list[Problem] = []
    settings = validate(loaded, Indstillinger, problems)
    if settings is None:
        raise InputError(problems)
    return settings, loaded


OUTSIDE_LINK = ("filen er et link, der peger uden for indholdsmappen; "
                "læg selve filen i indholdsmappen")


@lru_cache(maxsize=16)
def _real(root: Path) -> str:
    return os.path.realpath(root)


def _read(path: Path, root: Path, problems: list[Problem]) -> Loaded | None:
    """The YAML of one file, or None with its problems appended.

    A file (or a folder on its way) that is a symbolic link out of the content
    root is refused before it is read, as ``bilagcheck`` refuses such a bilag:
    a file elsewhere on the machine must not be read, quoted or printed. A link
    to another file inside the root is read like the file itself.
    """
    shown = shown_path(root, path)
    if not Path(os.path.realpath(path)).is_relative_to(_real(root)):
        problems.append(Problem(shown, 0, 0, OUTSIDE_LINK))
        return None
    try:
        return load_yaml(path, shown)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


SEAL_SUFFIX = ".godkendt.json"
"""meetings/<id>.godkendt.json: the seal of an approved referat (``seal``); not a meeting file."""


def load_case(path: Path, root: Path, settings: Indstillinger,
              problems: list[Problem]) -> tuple[Sag | None, Loaded | None]:
    """Read one case file; its catalogue sections are lifted into ``sektioner``."""
    loaded = _read(path, root, problems)
    if loaded is None:
        return None, None
    data = loaded.data
    section_keys = settings.text_section_keys
    if isinstance(data, dict):
        if "sektioner" in data:
            problems.append(loaded.problem(("sektioner",), "skriv tekstsektionerne direkte som felter, "
                                           "fx 'sagsfremstilling: |'", key=True))
            return None, loaded
        sections = {k: data[k] for k in section_keys if k in data}
        texts = {k: v for k, v in sections.items() if isinstance(v, str) or v is None}
        versions = {k: v for k, v in sections.items()
                    if isinstance(v, list) and v and all(isinstance(e, dict) for e in v)}
        for key in sorted(sections.keys() - texts.keys() - versions.keys()):
            value = sections[key]
            meant_as_versions = isinstance(value, list) and any(isinstance(e, dict) for e in value)
            if meant_as_versions:  # one of them not written as a version ('tekst', 'fra')
                stray = next(i for i, e in enumerate(value) if not isinstance(e, dict))
                problems.append(loaded.problem((key, stray), (
                    f"hver udgave af '{key}' skal have 'tekst' (og efter den første 'fra'), fx "
                    "'- fra: 2022-11-15' og under den 'tekst: |'")))
            else:
                problems.append(loaded.problem((key,), f"'{key}' skal være tekst; brug '|' og skriv "
                                               "teksten på linjerne under"))
        rest = {k: v for k, v in data.items() if k not in sections}
        rest["sektioner"], rest["sektionsudgaver"] = texts, versions
        # A version's message is placed by its position at the top level of the file,
        # not under the 'sektionsudgaver' the model knows it by.
        lift = ("sektionsudgaver",)
        loaded = Loaded(loaded.path, rest,
                        {**loaded.values, **{lift + loc: at for loc, at in loaded.values.items()
                                             if loc and loc[0] in versions}},
                        {**loaded.keys, **{lift + loc: at for loc, at in loaded.keys.items()
                                           if loc and loc[0] in versions}})
    case = validate(loaded, Sag, problems, extra_keys=section_keys)
    return case, loaded


def load_meeting(path: Path, root: Path, problems: list[Problem]) -> tuple[Møde | None, Loaded | None]:
    loaded = _read(path, root, problems)
    if loaded is None:
        return None, None
    return validate(loaded, Møde, problems), loaded


def load_project(root: Path) -> tuple[Project, list[Problem]]:
    """Read every file under ``root``; the problems of all of them are returned together."""
    root = root.resolve()
    settings, settings_loaded = load_settings(root)
    project = Project(root=root, settings=settings)
    project.sources[SETTINGS_FILE] = settings_loaded
    problems: list[Problem] = []
    for path in sorted((root / "cases").rglob("*.yaml")):
        case, loaded = load_case(path, root, settings, problems)
        if loaded is not None:
            project.sources[loaded.path] = loaded
        if case is not None and loaded is not None:
            cid = case_id(root, path)
            project.cases[cid] = case
            project.case_paths[cid] = loaded.path
    for path in sorted((root / "meetings").glob("*.yaml")):
        meeting, loaded = load_meeting(path, root, problems)
        if loaded is not None:
            project.sources[loaded.path] = loaded
        if meeting is not None and loaded is not None:
            project.meetings[path.stem] = meeting
            project.meeting_paths[path.stem] = loaded.path
    return project, problems


def suggest(word: str, choices: list[str]) -> str:
    """' (mente du 'x'?)' for the closest choice, or ''."""
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (mente du '{match[0]}'?)" if match else ""


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
