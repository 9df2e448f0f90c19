"""Stamp every page of a packet: "Side X af Y" and, on a draft, the draft mark.

A stamp page per packet page (what Typst would make of "one page per page")
costs pypdf a parse of hundreds of small pages.  Instead Typst sets a *kit*
once per packet (``templates/stempel.typ``): one page showing every character
the footers use, so the house font is embedded with exactly those glyphs, and
one page per distinct page size carrying the draft mark.  Each packet page
then gets a few dozen bytes of content: a white ground, the footer text set in
that embedded font from its glyph codes and widths (right-aligned where the
house footer stands), and the draft mark as one shared Form XObject.

Nothing on a page is parsed or rewritten: the page's own content is wrapped in
``q … Q`` and the stamp follows, marked as an artifact, under a matrix that
puts it upright in the page's visible box (``pdfassemble.Geometry``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
)

FONT_SIZE = 8.0
GREY = 70 / 255
"""house.typ's footer: 8 pt, luma(70)."""
RIGHT = 56.693
"""The right margin (2 cm): where the footer's text ends."""
BASELINE = 37.016
"""The footer's baseline above the bottom edge: a 2.5 cm margin, the footer 40 %
into it, text set from its cap height (as Typst places house.typ's footer)."""
GROUND = (10.0, 3.0, 3.0)
"""White ground around the footer text: left, right, above and below (pt)."""
CAP_HEIGHT = 0.688
"""Liberation Sans' cap height in em, for the top of the white ground."""

_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


@dataclass(frozen=True)
class Glyph:
    font: str
    """The kit page's font resource name, e.g. /f0."""
    code: int
    width: float
    """Advance in text space units (1/1000 em)."""


class Kit:
    """What Typst set once for a packet: fonts, glyphs and draft-mark pages."""

    def __init__(self, pdf: bytes, sizes: Sequence[tuple[float, float]]) -> None:
        reader = PdfReader(io.BytesIO(pdf))
        resources = reader.pages[0]["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        fonts = resources.get("/Font", DictionaryObject()).get_object()
        self.fonts: dict[str, DictionaryObject] = {str(k): v.get_object() for k, v in fonts.items()}
        self.glyphs: dict[str, Glyph] = {}
        for name, font in sorted(self.fonts.items()):
            for char, (code, width) in _glyphs(font).items():
                self.glyphs.setdefault(char, Glyph(name, code, width))
        self.marks = dict(zip(sizes, reader.pages[1:]))

    def glyph(self, char: str) -> Glyph:
        found = self.glyphs.get(char) or self.glyphs.get("\ufffd") or self.glyphs.get("?")
        if found is None:
            raise ValueError(f"the stamp kit has no glyph for {char!r}")
        return found


def kit_chars(labels: Sequence[str]) -> str:
    """Every character the footers use, once, in a fixed order."""
    return "".join(sorted(set("".join(labels)) - {" "}))


def stamp(writer: PdfWriter, labels: Sequence[str], kit: Kit, mark: bool) -> None:
    """Put ``labels[i]`` (and the draft mark when ``mark``) on page ``i`` of ``writer``."""
    from .pdfassemble import geometry_of

    if len(labels) != len(writer.pages):
        raise ValueError(f"{len(labels)} footers for {len(writer.pages)} pages")
    fonts = {name: writer._add_object(font.clone(writer)) for name, font in kit.fonts.items()}  # noqa: SLF001
    forms: dict[tuple[float, float], IndirectObject] = {}
    before = writer._add_object(_stream(b"q\n"))  # noqa: SLF001
    for page, label in zip(writer.pages, labels):
        geo = geometry_of(page)
        size = _size_key(geo.size)
        resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
        page_fonts = DictionaryObject(resources.get("/Font", DictionaryObject()).get_object())
        names = {}
        for name, ref in fonts.items():
            names[name] = _free(page_fonts, "/SfFont" + name.lstrip("/"))
            page_fonts[NameObject(names[name])] = ref
        resources[NameObject("/Font")] = page_fonts
        ops = [b"Q\nq /Artifact BMC ", _cm(geo.matrix())]
        if mark and size in kit.marks:
            if size not in forms:
                forms[size] = writer._add_object(_form(writer, kit.marks[size]))  # noqa: SLF001
            xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
            mark_name = _free(xobjects, "/SfMark")
            xobjects[NameObject(mark_name)] = forms[size]
            resources[NameObject("/XObject")] = xobjects
            ops.append(f"{mark_name} Do\n".encode("ascii"))
        if label:
            ops.append(_footer(label, geo.size[0], kit, names))
        ops.append(b"EMC Q\n")
        page[NameObject("/Resources")] = resources
        contents = page.get("/Contents")
        own: list[PdfObject] = []
        if contents is not None:
            obj = contents.get_object()
            own = list(obj) if isinstance(obj, ArrayObject) else [contents]
        tail = writer._add_object(_stream(b"".join(ops)))  # noqa: SLF001
        page[NameObject("/Contents")] = ArrayObject([before, *own, tail])


def _footer(label: str, width: float, kit: Kit, names: dict[str, str]) -> bytes:
    """Right-aligned footer text on a white ground, in the kit's fonts."""
    runs: list[tuple[str, list[Glyph]]] = []
    for char in label:
        glyph = kit.glyph(char)
        if not runs or runs[-1][0] != glyph.font:
            runs.append((glyph.font, []))
        runs[-1][1].append(glyph)
    advance = sum(g.width for _, glyphs in runs for g in glyphs) * FONT_SIZE / 1000
    x = width - RIGHT - advance
    left, right, pad = GROUND
    ground = (f"q 1 g {_n(x - left)} {_n(BASELINE - pad)} {_n(advance + left + right)} "
              f"{_n(FONT_SIZE * CAP_HEIGHT + 2 * pad)} re f Q\n")
    text = [f"BT {_n(GREY)} g {_n(x)} {_n(BASELINE)} Td"]
    for font, glyphs in runs:
        codes = "".join(f"{g.code:04X}" for g in glyphs)
        text.append(f"{names[font]} {_n(FONT_SIZE)} Tf <{codes}> Tj")
    text.append("ET\n")
    return (ground + " ".join(text)).encode("ascii")


def _glyphs(font: DictionaryObject) -> dict[str, tuple[int, float]]:
    """char → (code, width) for a Type0 Identity-H font as Typst writes it."""
    to_unicode = font.get("/ToUnicode")
    if font.get("/Subtype") != "/Type0" or to_unicode is None:
        return {}
    cmap = to_unicode.get_object().get_data()
    codes: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in _CHAR.findall(block):
            codes[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in _RANGE.findall(block):
            start = ord(bytes.fromhex(dst.decode()).decode("utf-16-be")[0])
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                codes[code] = chr(start + offset)
    descendants = cast(ArrayObject, font["/DescendantFonts"].get_object())
    descendant = cast(DictionaryObject, descendants[0].get_object())
    widths = _widths(descendant.get("/W", ArrayObject()), float(descendant.get("/DW", 1000)))
    return {text: (code, widths(code)) for code, text in sorted(codes.items()) if len(text) == 1}


def _widths(w: ArrayObject, default: float) -> Callable[[int], float]:
    """A look-up for a CID font's /W array (both its forms)."""
    table: dict[int, float] = {}
    items = [v.get_object() for v in w]
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], ArrayObject):
            for offset, value in enumerate(items[i + 1]):
                table[first + offset] = float(value)
            i += 2
        else:
            for code in range(first, int(items[i + 1]) + 1):
                table[code] = float(items[i + 2])
            i += 3
    return lambda code: table.get(code, default)


def _form(writer: PdfWriter, page: DictionaryObject) -> DecodedStreamObject:
    """A kit page as a Form XObject: its content, its resources, its box."""
    contents = page.get("/Contents")
    data = b""
    if contents is not None:
        obj = contents.get_object()
        streams = list(obj) if isinstance(obj, ArrayObject) else [obj]
        data = b"\n".join(s.get_object().get_data() for s in streams)
    form = _stream(data)
    box = page.mediabox  # type: ignore[attr-defined]
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)),
        NameObject("/Resources"): page.get("/Resources", DictionaryObject()).clone(writer),
    })
    return form


def _free(names: DictionaryObject, wanted: str) -> str:
    """``wanted``, or a variant of it that the page's resources do not use yet."""
    name = wanted
    while name in names:
        name += "x"
    return name


def _size_key(size: tuple[float, float]) -> tuple[float, float]:
    return (round(size[0], 3), round(size[1], 3))


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _n(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _cm(matrix: tuple[float, ...]) -> bytes:
    return (" ".join(_n(v) for v in matrix) + " cm\n").encode("ascii")
