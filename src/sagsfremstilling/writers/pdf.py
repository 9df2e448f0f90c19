"""PDF writer: the Document as JSON into a Typst template, out as tagged PDF/UA-1.

The template (``sag.typ`` in the municipality's template folder) reads the
Document from ``sys.inputs.data``; case text is never spliced into Typst source,
so nothing in a case file can run as Typst code.  Fonts come only from
``<templates>/fonts`` (system fonts are ignored) and every date is fixed by
``options.timestamp``, so equal inputs give byte-identical PDFs on any machine.

``compile_typst`` is the shared entry point for other Typst templates (the
meeting packet's cover, contents and page stamps) so they get the same fonts,
standards and dates.
"""

from __future__ import annotations

import json
import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import typst

from ..document import Document, to_data
from . import RenderOptions

EXTENSION = ".pdf"
TEMPLATE = Path("sag.typ")

log = logging.getLogger(__name__)


class TypstTemplateError(RuntimeError):
    """A Typst template failed to compile: a bug in the template, not in the case."""


def render(doc: Document, options: RenderOptions) -> bytes:
    """The paper as PDF bytes, laid out by ``sag.typ``."""
    return compile_typst(TEMPLATE, to_data(doc), options)


def compile_typst(template: Path, data: Any, options: RenderOptions) -> bytes:
    """Compile a Typst template from ``options.templates`` to PDF bytes.

    ``template`` is relative to ``options.templates`` (which is also the Typst
    root, so templates may ``#import "lib/house.typ"`` but cannot read outside
    it).  ``data`` must be JSON-serialisable; the template reads it with
    ``json(bytes(sys.inputs.data))``.  The PDF is tagged PDF/UA-1, uses only
    the fonts in ``<templates>/fonts`` and takes its dates from
    ``options.timestamp``, so the bytes are reproducible.

    Compilers are cached per template folder, so a warm compile skips font
    loading and reuses Typst's memoised layout.  Raises ``TypstTemplateError``
    with Typst's own message when the template does not compile.
    """
    root = options.templates.resolve()
    path = (root / template).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise TypstTemplateError(f"Typst-skabelonen {path} findes ikke i {root}")
    compiler, lock = _compiler(root)
    inputs = {"data": json.dumps(data, ensure_ascii=False, sort_keys=True)}
    try:
        with lock:
            pdf, warnings = compiler.compile_with_warnings(
                input=str(path),
                format="pdf",
                sys_inputs=inputs,
                pdf_standards=["ua-1"],
                timestamp=options.timestamp,
            )
    except typst.TypstError as err:
        raise TypstTemplateError(_describe(path, err)) from err
    for warning in warnings:
        log.warning("%s", getattr(warning, "diagnostic", None) or warning)
    if not isinstance(pdf, bytes):
        raise TypstTemplateError(f"{path}: Typst gav ingen enkelt PDF")
    return pdf


def font_paths(templates: Path) -> list[Path]:
    """The only places fonts come from: ``<templates>/fonts`` when present."""
    fonts = templates / "fonts"
    return [fonts] if fonts.is_dir() else []


def _compiler(root: Path) -> tuple[typst.Compiler, threading.Lock]:
    """The warm compiler for a template folder, renewed when its fonts change."""
    fonts = tuple(
        (str(f), f.stat().st_mtime_ns) for d in font_paths(root) for f in sorted(d.iterdir())
    )
    return _cached_compiler(root, fonts)


@lru_cache(maxsize=8)
def _cached_compiler(
    root: Path, fonts: tuple[tuple[str, int], ...]
) -> tuple[typst.Compiler, threading.Lock]:
    """One compiler per folder and font set; the lock keeps each single-threaded.

    Typst re-reads template files on every compile, but loads fonts only here.
    """
    compiler = typst.Compiler(
        root=str(root),
        font_paths=[str(p) for p in font_paths(root)],
        ignore_system_fonts=True,
    )
    return compiler, threading.Lock()


def _describe(path: Path, err: typst.TypstError) -> str:
    """Typst's own diagnostic (message, source location, hints) under our heading."""
    head = f"Typst-skabelonen {path} kunne ikke oversættes"
    diagnostic = getattr(err, "diagnostic", None)
    if diagnostic:
        return f"{head}:\n{str(diagnostic).rstrip()}"
    lines = [f"{head}: {getattr(err, 'message', err)}"]
    lines += [f"  vink: {hint}" for hint in getattr(err, "hints", None) or ()]
    lines += [f"  spor: {step}" for step in getattr(err, "trace", None) or ()]
    return "\n".join(lines)
