"""Test-wide settings."""

from __future__ import annotations

import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="sagsfremstilling-cache-")


def pytest_configure() -> None:
    # The bilag cache (``bilagcache``) lives in the user's cache folder; tests get
    # their own, so they neither read nor leave anything there.
    os.environ["SAGSFREMSTILLING_CACHE"] = _CACHE


def pytest_unconfigure() -> None:
    # Drop the process's cache first: it is saved when the process ends, which
    # would make the folder again after it is removed.
    from sagsfremstilling import bilagcache

    bilagcache.forget()
    shutil.rmtree(_CACHE, ignore_errors=True)
