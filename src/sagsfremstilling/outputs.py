"""Writing outputs safely: atomic files and ASCII file names.

Every output is written to a temporary name beside its target and renamed into
place, so a crash or a kill leaves either the old file or the new one, never a
half-written one.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa",
                           "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(title: str, limit: int = 60) -> str:
    """'Ændret praksis for dialogforum' → 'aendret-praksis-for-dialogforum'."""
    text = unicodedata.normalize("NFKD", title.translate(_TRANSLIT))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:limit].rstrip("-") or "uden-titel"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are for others to read (a web server)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
