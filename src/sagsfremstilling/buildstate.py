"""What the last build was made from: the state file behind incremental builds.

``build/.sagsfremstilling-state.json`` records, per meeting, every output it
wrote with the *key* it was made under (a hash of everything it was made
from: input files' bytes, the tool, the plan, the edition) and the output's own
digest, size and mtime; and, for every input file the build read, its
(mtime, size, sha256).  Two uses:

* **the no-op check** (``unchanged``) runs before the project is even loaded:
  stat every input and output; a file whose (mtime, size) still matches is
  taken as unchanged, like make, ninja and git do, and one that does not is
  hashed, so a ``touch`` or a fresh checkout costs a read, not a rebuild;
* **per output**, a key that still matches and an output still on disk as
  written means the output is not rebuilt.

The state is written atomically and only ever describes outputs already on
disk, so a build killed at any point leaves a state the next build can trust.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .outputs import write_atomic

STATE_FILE = ".sagsfremstilling-state.json"
FORMAT = 2
WATCHED = ("cases", "meetings", "templates")
"""Folders whose whole file list is an input: a file added anywhere in them can
change what ``check`` says or what a writer uses."""
SETTINGS_FILE = "sagsfremstilling.yaml"  # = settings.SETTINGS_FILE; not imported, to keep pydantic out
RACY_NS = 2_000_000_000
"""A file modified this close to when its stamp was taken may change again
within the same mtime tick; such stamps are stored without mtime, so the file
is hashed next time (git's 'racily clean' rule)."""

Stamp = list[Any]
"""[mtime_ns, size, sha256] of a file."""


def sha256_file(path: Path | str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def digest(*parts: str) -> str:
    """One key from several strings (each length-prefixed, so no two lists collide)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def tool_fingerprint() -> str:
    """Python's version, the bytes of the tool's own source and the versions of
    every installed package: a changed writer or library must rebuild, even when
    nobody bumped a version.  (The versions are read from the ``*.dist-info``
    folder names, which costs a directory listing, not an import of
    ``importlib.metadata``.)"""
    package = Path(__file__).resolve().parent
    parts = [sys.version]
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".typ", ".j2", ".css", ".docx") and "__pycache__" not in path.parts:
            parts += [path.relative_to(package).as_posix(), sha256_file(path)]
    for entry in sys.path:
        if entry.endswith("-packages") and os.path.isdir(entry):
            parts += sorted(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info")))
    return digest(*parts)


def watched_files(root: Path) -> list[str]:
    """Every file under the watched folders, plus the settings: root-relative, sorted."""
    found = [SETTINGS_FILE] if (root / SETTINGS_FILE).exists() else []
    for folder in WATCHED:
        base = root / folder
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            rel = Path(dirpath).relative_to(root).as_posix()
            found += [f"{rel}/{name}" for name in filenames]
    return sorted(found)


class Hasher:
    """File digests with a stat cache: an input whose (mtime, size) matches the
    recorded stamp is not read again; every file is read at most once a run."""

    def __init__(self, root: Path, known: dict[str, Stamp]):
        self.root = root
        self._base = str(root)
        self.known = known
        self.seen: dict[str, Stamp] = {}
        self.now_ns = time.time_ns()

    def digest(self, rel: str) -> str | None:
        """The file's sha256, or None when it does not exist."""
        if rel in self.seen:
            return str(self.seen[rel][2])
        path = os.path.join(self._base, rel)  # str, not Path: a year has thousands of these
        try:
            info = os.stat(path)
        except OSError:
            return None
        old = self.known.get(rel)
        if old and old[0] == info.st_mtime_ns and old[1] == info.st_size:
            sha = str(old[2])
        else:
            try:
                sha = sha256_file(path)
            except OSError:
                return None
        racy = self.now_ns - info.st_mtime_ns < RACY_NS
        self.seen[rel] = [0 if racy else info.st_mtime_ns, info.st_size, sha]
        return sha

    def changed(self, rel: str) -> bool:
        old = self.known.get(rel)
        return old is None or self.digest(rel) != old[2]


@dataclass
class Output:
    """One file the build wrote."""

    key: str
    """Hash of everything it was made from."""
    sha256: str
    size: int
    mtime_ns: int

    def as_list(self) -> list[Any]:
        return [self.key, self.sha256, self.size, self.mtime_ns]

    def intact(self, path: Path | str) -> bool:
        """Still on disk as written (a person may have deleted or edited it)."""
        try:
            info = os.stat(path)
        except OSError:
            return False
        if info.st_size != self.size:
            return False
        return info.st_mtime_ns == self.mtime_ns or sha256_file(path) == self.sha256


@dataclass
class MeetingRecord:
    key: str = ""
    """``buildtasks.meeting_key`` when every output was built from it; empty while
    a build of the meeting is under way or after one of its outputs failed."""
    outputs: dict[str, Output] = field(default_factory=dict)
    """Output path relative to the build folder → record."""


@dataclass
class State:
    tool: str = ""
    epoch: int = 0
    inputs: dict[str, Stamp] = field(default_factory=dict)
    meetings: dict[str, MeetingRecord] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> State:
        """The recorded state, or an empty one (first build, or an unreadable file)."""
        try:
            data = json.loads((out_dir / STATE_FILE).read_bytes())
            if data.get("format") != FORMAT:
                return cls()
            meetings = {
                mid: MeetingRecord(m["key"], {rel: Output(*rec) for rel, rec in m["outputs"].items()})
                for mid, m in data["meetings"].items()
            }
            return cls(data["tool"], int(data["epoch"]), dict(data["inputs"]), meetings)
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def save(self, out_dir: Path) -> None:
        data = {
            "format": FORMAT, "tool": self.tool, "epoch": self.epoch,
            "inputs": dict(sorted(self.inputs.items())),
            "meetings": {mid: {"key": m.key, "outputs": {rel: o.as_list() for rel, o in sorted(m.outputs.items())}}
                         for mid, m in sorted(self.meetings.items())},
        }
        write_atomic(out_dir / STATE_FILE, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


def unchanged(state: State, root: Path, out_dir: Path, tool: str, epoch: int,
              meeting_ids: list[str] | None) -> tuple[bool, Hasher]:
    """True when nothing the selected meetings' outputs were made from has changed
    and every output is still there: the whole build is a no-op.  Runs on stat
    calls alone for untouched files; needs no project, no pydantic, no Typst."""
    hasher = Hasher(root, state.inputs)
    if state.tool != tool or state.epoch != epoch or not state.meetings:
        return False, hasher
    watched = watched_files(root)
    recorded = sorted(rel for rel in state.inputs
                      if rel == SETTINGS_FILE or rel.split("/", 1)[0] in WATCHED)
    if watched != recorded:
        return False, hasher
    if any(hasher.changed(rel) for rel in state.inputs):
        return False, hasher
    wanted = meeting_ids if meeting_ids is not None else [
        rel.removeprefix("meetings/").removesuffix(".yaml") for rel in watched
        if rel.startswith("meetings/") and rel.endswith(".yaml") and rel.count("/") == 1]
    if meeting_ids is None and set(wanted) != set(state.meetings):
        return False, hasher
    base = str(out_dir)
    for mid in wanted:
        record = state.meetings.get(mid)
        if record is None:
            return False, hasher
        if not all(out.intact(os.path.join(base, rel)) for rel, out in record.outputs.items()):
            return False, hasher
    return True, hasher
