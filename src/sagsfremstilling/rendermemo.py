"""Rendered bytes kept by everything they are made from.

The two audiences of a meeting mostly see the same papers: an open item
without personal data or hidden bilag is one Document for both.  Keyed by
that Document (frozen, hashable), the options and the template files'
fingerprint, a paper is rendered once per process, and an edited template is
never answered from the memo.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path


class Memo:
    """Bytes by key, bounded, thread-safe: the least recently used go first once
    the bytes kept pass ``budget``."""

    def __init__(self, budget: int) -> None:
        self._budget = budget
        self._size = 0
        self._data: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...], make: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            if key not in self._data:
                self._data[key] = value
                self._size += len(value)
            while self._size > self._budget:
                self._size -= len(self._data.popitem(last=False)[1])
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._size = 0


RENDERED = Memo(128 * 1024 * 1024)


def fingerprint(templates: Path) -> tuple[tuple[str, int, int], ...]:
    """Every template file's path, mtime and size (a stat each: well under a millisecond)."""
    out = []
    for folder, dirs, names in os.walk(templates):
        dirs.sort()
        for name in sorted(names):
            st = os.stat(os.path.join(folder, name))
            out.append((os.path.join(folder, name), st.st_mtime_ns, st.st_size))
    return tuple(out)


