"""Is a bilag path safe, and is the file behind it a PDF the packet can use?

A case names its bilag by a path relative to the content root. The path is
written by a person and read by the build, so it must not reach outside the
root (``..``, absolute paths, symbolic links that leave it), and the file must
be a PDF that pypdf can open without a password: the packet embeds its pages,
and an encrypted or broken file would otherwise fail late, in the middle of a
build, or silently drop the bilag.

Checking is cheap: the first bytes tell a PDF from anything else; pypdf opens a
file only when the header is right, and the verdict is cached by (path, mtime,
size) so a build that checks the same bilag for many cases opens it once.  A
PDF that passed is also remembered between runs, by its content
(``bilagcache``), and is not opened again until it changes.  The check counts
the pages too (``page_count``), which the packet needs: the build's workers are
forked after the check and find the count made.
"""

from __future__ import annotations

import difflib
import logging
import os
import stat
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .yamlread import os_reason

PDF_MAGIC = b"%PDF-"


def bilag_problem(root: Path, fil: str) -> str | None:
    """A Danish message saying what is wrong with bilag path ``fil``, or None."""
    text = fil.strip()
    if not text:
        return "'fil' er tom; skriv stien til PDF-filen, fx 'bilag/2022/kort.pdf'"
    if "\\" in text:
        return f"brug / i stien, ikke \\ (skriv '{text.replace(chr(92), '/')}')"
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return ("stien må ikke være absolut; læg bilaget i indholdsmappen og skriv stien derfra, "
                "fx 'bilag/2022/kort.pdf'")
    if ".." in PurePosixPath(text).parts:
        return ("stien må ikke indeholde '..'; læg bilaget i indholdsmappen og skriv stien derfra, "
                "fx 'bilag/2022/kort.pdf'")
    path = root / text
    try:
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(_real(root)):  # even if what it points to is missing
            return (f"bilaget '{text}' er et link, der peger uden for indholdsmappen; "
                    "læg selve filen i indholdsmappen")
        info = path.stat()
    except FileNotFoundError:
        return f"bilaget '{text}' findes ikke{_sibling_hint(path, text)}"
    except OSError as exc:  # a symlink loop, no permission …
        return f"bilaget '{text}' kan ikke læses ({os_reason(exc)})"
    if not stat.S_ISREG(info.st_mode):
        return f"'{text}' er ikke en fil; skriv stien til selve PDF-filen"
    if info.st_size == 0:
        return f"bilaget '{text}' er en tom fil (0 byte); gem PDF-filen igen"
    return _pdf_problem(str(real), info.st_mtime_ns, info.st_size, text)


def page_count(path: Path) -> int:
    """The pages of a bilag PDF the check has passed, counted when the check
    opened it (or now, for a file it has not seen in this version)."""
    real = os.path.realpath(path)
    info = os.stat(real)
    key = (real, info.st_mtime_ns, info.st_size)
    if key not in _PAGES:
        from pypdf import PdfReader

        _PAGES[key] = len(PdfReader(real, strict=False).pages)
    return _PAGES[key]


_PAGES: dict[tuple[str, int, int], int] = {}
"""(real path, mtime, size) → pages, for every PDF the check opened."""


@lru_cache(maxsize=16)
def _real(root: Path) -> Path:
    return root.resolve()


def _sibling_hint(path: Path, text: str) -> str:
    """' (mente du 'bilag/kort.pdf'?)' when a file next to it has a similar name."""
    try:
        names = sorted(p.name for p in path.parent.iterdir() if p.is_file())
    except OSError:
        return ""
    match = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    if not match:
        return ""
    return f" (mente du '{(PurePosixPath(text).parent / match[0]).as_posix()}'?)"


@lru_cache(maxsize=4096)
def _pdf_problem(real: str, mtime_ns: int, size: int, shown: str) -> str | None:
    """Header first, then pypdf; (mtime, size) in the key make a changed file be read again."""
    try:
        with open(real, "rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        return f"bilaget '{shown}' kan ikke læses ({os_reason(exc)})"
    if PDF_MAGIC not in head:
        return f"bilaget '{shown}' er ikke en PDF-fil; gem eller eksportér det som PDF"
    return _open_problem(real, mtime_ns, size, shown)


def _open_problem(real: str, mtime_ns: int, size: int, shown: str) -> str | None:
    from . import bilagcache

    cache = bilagcache.store()
    try:
        info = os.stat(real)
        known, sha = cache.pages_of(real, info)
    except OSError:  # gone or unreadable since: pypdf below says what
        info, known, sha = None, None, ""
    if known is not None:  # passed before, in this content (``bilagcache``)
        _PAGES[(real, mtime_ns, size)] = known
        return None

    from pypdf import PdfReader  # imported late: most checks never get here

    damaged = (f"PDF-filen '{shown}' er beskadiget og kan ikke læses; "
               "gem eller eksportér den som PDF igen")
    # pypdf logs every repair it makes to a sloppy PDF; the caseworker needs only our verdict.
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(real, strict=False)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # noqa: BLE001 - e.g. AES without a crypto library
                opened = False
            if not opened:
                return (f"PDF-filen '{shown}' er beskyttet med adgangskode eller kryptering; "
                        "gem en udgave uden adgangskode")
        if len(reader.pages) == 0:
            return f"PDF-filen '{shown}' har ingen sider"
        for number, page in enumerate(reader.pages, start=1):
            problem = _page_size_problem(shown, number, float(page.mediabox.width),
                                         float(page.mediabox.height))
            if problem:
                return problem
        _PAGES[(real, mtime_ns, size)] = len(reader.pages)
        if info is not None:
            cache.passed(real, info, sha, len(reader.pages))
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on a broken file
        return damaged
    finally:
        log.setLevel(level)
    return None


MIN_PAGE_PT = 72.0
"""A bilag page must be at least an inch (2.54 cm) each way: the packet prints
"Bilag: …" over its top and "Side X af Y" over its foot, and a smaller page is a
broken export, not a document."""
MAX_PAGE_PT = 14400.0
"""At most 200 inches (5.08 m) each way, the largest page PDF allows."""


def _page_size_problem(shown: str, number: int, width: float, height: float) -> str | None:
    w, h = abs(width), abs(height)
    size = f"{_mm(w)} × {_mm(h)} mm"
    if min(w, h) < MIN_PAGE_PT:
        return (f"side {number} i PDF-filen '{shown}' er kun {size}; en side skal være mindst "
                "2,5 cm på hver led, så sidetal og bilagets navn kan stå på den. "
                "Gem bilaget igen som PDF i en almindelig papirstørrelse")
    if max(w, h) > MAX_PAGE_PT:
        return (f"side {number} i PDF-filen '{shown}' er {size}; en PDF-side kan højst være "
                "5 meter på hver led. Gem bilaget igen som PDF i en almindelig papirstørrelse")
    return None


def _mm(points: float) -> str:
    """Points as whole millimetres, or tenths below 10 mm, with a Danish decimal comma."""
    mm = points * 25.4 / 72
    return f"{mm:.0f}" if mm >= 10 else f"{mm:.1f}".replace(".", ",")


def clear_cache() -> None:
    """Forget cached verdicts (tests that rewrite a file within one mtime tick)."""
    from . import bilagcache

    _pdf_problem.cache_clear()
    _PAGES.clear()
    bilagcache.forget()


