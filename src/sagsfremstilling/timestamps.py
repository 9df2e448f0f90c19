"""The one date every output carries: SOURCE_DATE_EPOCH.

Set in the environment, it wins (reproducible-builds.org convention).
Otherwise it is the time of the last commit that touched the content root, so a
rebuild of the same commit gives the same bytes; outside git, a fixed date.
"""

from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from pathlib import Path

FALLBACK = 1_640_995_200  # 2022-01-01T00:00:00Z: fixed, so builds outside git are reproducible too


@lru_cache(maxsize=8)
def source_date_epoch(root: Path) -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."],
            cwd=root, capture_output=True, text=True, timeout=10, check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    return int(out) if out.isdigit() else FALLBACK
