"""What the bilag check learned about each PDF, kept between runs.

``bilagcheck`` opens every bilag with pypdf and looks at every page: about
2 ms for a one-page PDF and 25 ms for sixty pages.  A municipality's year holds
thousands of bilag, and every ``check`` and every build that has anything to do
checks them all again, though a bilag hardly ever changes once it is filed.

So a PDF that passed is remembered by its content (sha256) with its page count,
in ``bilag.json`` in the user's cache folder (``$XDG_CACHE_HOME/sagsfremstilling``,
else ``~/.cache/sagsfremstilling``; ``SAGSFREMSTILLING_CACHE`` names another
folder, or ``off``).  The file's path, size, inode and change times lead to its
content without reading it again; a file that changed in any way is read and
hashed, and a content the cache knows needs no pypdf.  A fresh clone (new paths,
new times) still finds its bilag by content.

Only passes are kept: a bilag with a problem is checked again every time, so
its message is always the current one.  The entries are valid only for the
rules they were made under (``rules()``: the check's code and the pypdf
version); other rules start an empty cache.  A cache that cannot be read or
written is simply not used: it never stops a check.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ENV = "SAGSFREMSTILLING_CACHE"
FILE = "bilag.json"
KEPT = 50_000
"""Files remembered at most; past that, only those seen in the last run stay."""


def cache_folder() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "nej") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sagsfremstilling"


def rules() -> str:
    """The check's own code and pypdf's version: a verdict holds only under them."""
    here = Path(__file__).resolve().parent
    parts = [(here / "bilagcheck.py").read_bytes()]
    for entry in sys.path:
        if entry.endswith("-packages") and os.path.isdir(entry):
            parts += sorted(n.encode() for n in os.listdir(entry) if n.lower().startswith("pypdf-"))
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


class Store:
    """``files``: real path → [size, mtime_ns, ctime_ns, inode, sha256];
    ``pages``: sha256 → page count of a PDF that passed."""

    def __init__(self, folder: Path | None):
        self.path = None if folder is None else folder / FILE
        self.rules = rules()
        self.files: dict[str, list[Any]] = {}
        self.pages: dict[str, int] = {}
        self.seen: set[str] = set()
        self.dirty = False
        if self.path is not None:
            with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("rules") == self.rules:
                    self.files = {k: v for k, v in data["files"].items() if _entry(v)}
                    self.pages = {k: v for k, v in data["pages"].items()
                                  if type(v) is int and v > 0}  # noqa: E721 - not a bool

    def pages_of(self, real: str, info: os.stat_result) -> tuple[int | None, str]:
        """(the page count of a PDF that passed before, or None; its sha256)."""
        self.seen.add(real)
        stamp = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
        known = self.files.get(real)
        if known is not None and known[:4] == stamp and known[4] in self.pages:
            return self.pages[known[4]], known[4]
        with open(real, "rb") as handle:
            sha = hashlib.file_digest(handle, "sha256").hexdigest()
        if sha in self.pages:
            self.files[real] = [*stamp, sha]
            self.dirty = True
            return self.pages[sha], sha
        return None, sha

    def passed(self, real: str, info: os.stat_result, sha: str, pages: int) -> None:
        """Remember that the PDF at ``real`` (content ``sha``) passed, with ``pages`` pages."""
        self.files[real] = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, sha]
        self.pages[sha] = pages
        self.dirty = True

    def save(self) -> None:
        """Write the cache (atomically) when it learned anything; never raises."""
        if self.path is None or not self.dirty:
            return
        files = self.files
        if len(files) > KEPT:
            files = {k: v for k, v in files.items() if k in self.seen}
        pages = {sha: self.pages[sha] for sha in sorted({v[4] for v in files.values()}) if sha in self.pages}
        data = {"rules": self.rules, "files": dict(sorted(files.items())), "pages": pages}
        with contextlib.suppress(OSError):
            from .outputs import write_atomic

            write_atomic(self.path, json.dumps(data, separators=(",", ":")).encode("utf-8"))
            self.dirty = False


def content_hash(path: Path) -> str:
    """A file's sha256, without reading it again where its stamp (size, times, inode)
    is one the cache or this process already hashed: what a seal compares bilag by."""
    real = os.path.realpath(path)
    info = os.stat(real)
    known = store().files.get(real)
    if known is not None and known[:4] == [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]:
        return str(known[4])
    with open(real, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _entry(value: Any) -> bool:
    """Whether a ``files`` entry read back has the shape ``Store`` wrote."""
    return (isinstance(value, list) and len(value) == 5 and all(type(n) is int for n in value[:4])
            and isinstance(value[4], str))


_STORE: Store | None = None


def store() -> Store:
    """This process's cache, read on first use and written when the process ends."""
    global _STORE
    if _STORE is None:
        _STORE = Store(cache_folder())
        atexit.register(_STORE.save)
    return _STORE


def forget() -> None:
    """Drop this process's copy (tests that change the cache folder or the files)."""
    global _STORE
    if _STORE is not None:
        atexit.unregister(_STORE.save)
    _STORE = None
