"""PDF writer: the Document as JSON into a Typst template, out as tagged PDF/UA-1.

The template (``sag.typ`` in the municipality's template folder) reads the
Document from ``sys.inputs.data``; case text is never spliced into Typst source,
so nothing in a case file can run as Typst code.  Fonts come only from
``<templates>/fonts`` (system fonts are ignored) and every date is fixed by
``options.timestamp``, so equal inputs give byte-identical PDFs on any machine.

``compile_typst`` is the shared entry point for other Typst templates (the
meeting packet, ``moede.typ``) so they get the same fonts, tags and dates.
"""

from __future__ import annotations

import json
import logging
import re
import struct
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import typst

from ..document import Document, to_data
from ..errors import TemplateError
from . import RenderOptions, typst_stage

EXTENSION = ".pdf"
TEMPLATE = Path("sag.typ")
REPLACEMENT = "\ufffd"
"""Shown for a character no shipped font has; PDF/UA-1 forbids undrawable text."""

log = logging.getLogger(__name__)


class TypstTemplateError(TemplateError, RuntimeError):
    """A Typst template failed to compile: a bug in the template, not in the case."""


def render(doc: Document, options: RenderOptions) -> bytes:
    """The paper as PDF bytes, laid out by ``sag.typ``: tagged PDF/UA-1."""
    data = displayable(to_data(doc), options, keep=frozenset({"url", "title"}))
    return compile_typst(TEMPLATE, data, options)


def compile_typst(template: Path, data: Any, options: RenderOptions, *,
                  content: Path | None = None, standards: tuple[str, ...] = ("ua-1",)) -> bytes:
    """Compile a Typst template from ``options.templates`` to PDF bytes.

    ``data`` must be JSON-serialisable; the template reads it with
    ``json(sys.inputs.data)``.  Typst's root is a private folder
    (``typst_stage``): the template folder is ``/skabeloner`` in it, so templates
    may ``#import "lib/house.typ"``; ``content`` (the content root), when given,
    is ``/indhold``, which is how the packet reads the bilag.  Nothing else can
    be read.  The PDF is tagged and meets ``standards`` (PDF/UA-1 unless told
    otherwise), uses only the fonts in ``<templates>/fonts`` and takes its dates
    from ``options.timestamp``, so the bytes are reproducible.  Pass printed
    text through ``displayable`` first, or a character the fonts lack (an
    emoji) fails the PDF/UA-1 check.

    Compilers are cached per template folder, and the inputs Typst sees never
    change, so a later compile in the same process reuses what Typst laid out
    before and lays out again only what differs.  Raises ``TypstTemplateError``
    with Typst's own message when the template does not compile.
    """
    templates = options.templates.resolve()
    content = None if content is None else content.resolve()
    path = (templates / template).resolve()
    if not path.is_relative_to(templates) or not path.is_file():
        raise TypstTemplateError(f"Typst-skabelonen {path} findes ikke i {templates}")
    tools = _toolchain(templates)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    try:
        with tools.lock:
            folder = typst_stage.stage(templates, content)
            main = typst_stage.main_file(folder, path.relative_to(templates))
            data_file = folder / typst_stage.DATA.lstrip("/")
            data_file.write_text(text, encoding="utf-8")
            try:
                pdf, warnings = tools.compiler.compile_with_warnings(
                    input=str(main),
                    format="pdf",
                    sys_inputs={"data": typst_stage.DATA},
                    pdf_standards=list(standards),
                    root=str(folder),
                    timestamp=options.timestamp,
                )
            finally:
                data_file.unlink(missing_ok=True)
    except typst.TypstError as err:
        raise TypstTemplateError(_describe(path, err, folder, templates, content)) from err
    for warning in warnings:
        log.warning("%s", _unstaged(str(getattr(warning, "diagnostic", None) or warning), folder, templates,
                                      content))
    if not isinstance(pdf, bytes):
        raise TypstTemplateError(f"{path}: Typst gav ingen enkelt PDF")
    return pdf


def displayable(data: Any, options: RenderOptions, keep: frozenset[str] = frozenset()) -> Any:
    """``data`` with every character the shipped fonts cannot draw replaced by U+FFFD.

    PDF/UA-1 makes Typst refuse text it cannot draw, so one emoji in a case
    would stop a whole meeting's PDF; instead it shows as "\ufffd" and is logged.
    Values under a key in ``keep`` (URLs, metadata) are left untouched.
    """
    tools = _toolchain(options.templates.resolve())
    covered, plain = tools.covered, tools.plain
    missing: set[str] = set()

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            if (value.isascii() and value.isprintable()) or plain.issuperset(value):
                return value
            # Soft hyphens (pasted from Word) are dropped: Typst hyphenates Danish
            # itself, and one ending a link's text crashes its PDF/UA tagging.
            return "".join(_glyph(c, covered, missing) for c in value.replace("\u00ad", ""))
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: v if k in keep else clean(v) for k, v in value.items()}
        return value

    cleaned = clean(data)
    if missing:
        chars = ", ".join(f"{c} (U+{ord(c):04X})" for c in sorted(missing))
        log.warning("Tegn som ingen skrifttype har, vises som \ufffd: %s", chars)
    return cleaned


def font_paths(templates: Path) -> list[Path]:
    """The only places fonts come from: ``<templates>/fonts`` when present."""
    fonts = templates / "fonts"
    return [fonts] if fonts.is_dir() else []


# --------------------------------------------------------------------------- internals


@dataclass(frozen=True)
class _Toolchain:
    compiler: typst.Compiler
    lock: threading.Lock
    """A compiler is not re-entrant; callers may use threads."""
    covered: frozenset[int]
    """Code points some shipped font can draw."""
    plain: frozenset[str]
    """Characters ``_glyph`` leaves as they are: a string of only these needs no cleaning."""


def _toolchain(root: Path) -> _Toolchain:
    """The warm compiler for a template folder, renewed when its fonts change."""
    files = tuple(
        (str(f), f.stat().st_mtime_ns)
        for d in font_paths(root)
        for f in sorted(d.iterdir())
        if f.suffix.lower() in {".ttf", ".otf"}
    )
    return _cached_toolchain(root, files)


@lru_cache(maxsize=8)
def _cached_toolchain(root: Path, files: tuple[tuple[str, int], ...]) -> _Toolchain:
    """One compiler per folder and font set; Typst re-reads templates on every
    compile but loads fonts only here."""
    compiler = typst.Compiler(
        root=str(root),
        font_paths=[str(p) for p in font_paths(root)],
        ignore_system_fonts=True,
    )
    covered: set[int] = set()
    for name, _ in files:
        covered |= _cmap(Path(name).read_bytes())
    drawn = frozenset(covered)
    plain = {c for c in {chr(c) for c in drawn} | set("\n\t\r")
             if c != "\u00ad" and _glyph(c, drawn, set()) == c}
    return _Toolchain(compiler, threading.Lock(), drawn, frozenset(plain))


def _glyph(char: str, covered: frozenset[int], missing: set[str]) -> str:
    """``char`` as PDF/UA-1 can carry it: itself when a font draws it, a space
    for an odd space, nothing for an invisible control, else U+FFFD (noted)."""
    category = unicodedata.category(char)
    if char in "\n\t\r":
        return char
    if category == "Cc" or char == "\ufeff" or (category == "Cf" and ord(char) not in covered):
        return ""
    if ord(char) in covered or category in ("Zl", "Zp"):
        return char
    if category == "Zs":
        return " "
    missing.add(char)
    return REPLACEMENT


def _u16(font: bytes, at: int) -> int:
    return int(struct.unpack_from(">H", font, at)[0])


def _cmap(font: bytes) -> set[int]:
    """Code points a TrueType/OpenType font maps to a glyph (cmap format 12 or 4)."""
    tables = {font[12 + 16 * i : 16 + 16 * i]: 12 + 16 * i for i in range(_u16(font, 4))}
    if b"cmap" not in tables:
        return set()
    cmap = struct.unpack_from(">I", font, tables[b"cmap"] + 8)[0]
    subtables: dict[tuple[int, int], int] = {}
    for i in range(_u16(font, cmap + 2)):
        platform, encoding, offset = struct.unpack_from(">HHI", font, cmap + 4 + 8 * i)
        subtables[(platform, encoding)] = cmap + offset
    for key in ((3, 10), (0, 4), (3, 1), (0, 3)):
        at = subtables.get(key)
        if at is not None and _u16(font, at) == 12:
            groups = struct.unpack_from(">I", font, at + 12)[0]
            spans = (struct.unpack_from(">II", font, at + 16 + 12 * g) for g in range(groups))
            return {c for start, end in spans for c in range(start, end + 1)}
        if at is not None and _u16(font, at) == 4:
            return _cmap4(font, at)
    return set()


def _cmap4(font: bytes, at: int) -> set[int]:
    """Format 4: segments of the Basic Multilingual Plane; glyph 0 means missing."""
    segments = _u16(font, at + 6) // 2
    ends, starts = at + 14, at + 16 + 2 * segments
    deltas, offsets = starts + 2 * segments, starts + 4 * segments
    covered: set[int] = set()
    for s in range(segments):
        start, end = _u16(font, starts + 2 * s), min(_u16(font, ends + 2 * s), 0xFFFD)
        delta, here = _u16(font, deltas + 2 * s), offsets + 2 * s
        offset = _u16(font, here)
        for c in range(start, end + 1):
            glyph = c if offset == 0 else _u16(font, here + offset + 2 * (c - start))
            if (offset == 0 or glyph) and (glyph + delta) & 0xFFFF:
                covered.add(c)
    return covered


def _describe(path: Path, err: typst.TypstError, stage: Path, templates: Path, content: Path | None) -> str:
    """Typst's own diagnostic (message, source location, hints) under our heading,
    with the template folder named as it is, not as the stage links it."""
    head = f"Typst-skabelonen {path} kunne ikke oversættes"
    diagnostic = getattr(err, "diagnostic", None)
    if diagnostic:
        return _unstaged(f"{head}:\n{str(diagnostic).rstrip()}", stage, templates, content)
    lines = [f"{head}: {getattr(err, 'message', err)}"]
    lines += [f"  vink: {hint}" for hint in getattr(err, "hints", None) or ()]
    lines += [f"  spor: {step}" for step in getattr(err, "trace", None) or ()]
    return _unstaged("\n".join(lines), stage, templates, content)


def _unstaged(message: str, stage: Path, templates: Path, content: Path | None) -> str:
    """``message`` as if Typst had started from the template itself: the template
    folder (and the content root) named as they are, not as the stage links them
    (Typst shows paths from the working directory, or from its root), and
    without the step through the stage's include file."""
    links = [(typst_stage.TEMPLATES, templates)] + ([(typst_stage.CONTENT, content)] if content else [])
    for link, real in links:
        message = re.sub(r"[^\s`'\"(]*" + re.escape(f"{stage.name}/{link}"), lambda _: str(real), message)
        message = re.sub(r"(?<![\w/.-])/" + link + "/", lambda _: f"{real}/", message)
    kept: list[str] = []
    step: list[str] = []

    def flush() -> None:
        if stage.name not in "\n".join(step):
            kept.extend(step)
        step.clear()

    for line in message.splitlines():
        if line.startswith("help: while including"):
            flush()
            step.append(line)
        elif step and (not line or line[0] in " │0123456789"):
            step.append(line)
        else:
            flush()
            kept.append(line)
    flush()
    return "\n".join(kept).rstrip()
