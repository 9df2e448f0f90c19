"""Output formats as small registered writers.

Each writer is one module with ``EXTENSION`` and ``render(doc, options) -> bytes``.
Adding a format is one module and one line in ``_REGISTRY``.  Modules are
imported lazily so ``sagsfremstilling check`` never pays for Typst or lxml.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from ..document import Document

_REGISTRY: dict[str, str] = {
    "docx": "sagsfremstilling.writers.docx",
    "pdf": "sagsfremstilling.writers.pdf",
    "html": "sagsfremstilling.writers.html",
}

FORMATS: tuple[str, ...] = tuple(_REGISTRY)


@dataclass(frozen=True)
class RenderOptions:
    """What every writer needs besides the Document."""

    templates: Path
    """The municipality's template folder (``templates/`` in the content root)."""
    timestamp: int
    """Seconds since the epoch (SOURCE_DATE_EPOCH); fixes every date in the output."""


def writer(fmt: str) -> ModuleType:
    """The writer module for ``fmt`` (one of ``FORMATS``)."""
    return importlib.import_module(_REGISTRY[fmt])


def render(fmt: str, doc: Document, options: RenderOptions) -> bytes:
    """Render ``doc`` in ``fmt``; the bytes are deterministic for equal inputs."""
    return writer(fmt).render(doc, options)  # type: ignore[no-any-return]
