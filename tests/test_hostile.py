"""Hostile input through the real command line: a located Danish message or a literal document.

The corpus lives in ``tests/hostile/`` (its README says how to add an input):
one file per input, and ``cases.toml`` says what each must give.  Every input
is copied into a fresh content root (the repository's settings and templates,
one meeting, one case, a shelf of good and bad bilag) and run through
``python -m sagsfremstilling check`` and ``render`` in a subprocess with a time
limit.  The test then asserts, for an input that must be refused:

* exit 1 from both commands and exactly the expected ``path:line:col: besked``
  lines (all of them, in order), followed by the count;
* nothing in ``build/`` changed: files seeded there before the run are
  byte-identical afterwards and no file (not even a temporary one) was added;

and for an input that must become a document:

* exit 0 from both, the three files written and no temporary file left;
* every expected text, literally, in the DOCX (python-docx), the PDF (pypdf)
  and the HTML (parsed), and no text that would show the input was run;
* no active content: no script, event handler or non-http(s)/mailto link in
  the HTML, no external DOCX relationship other than such a link, no
  JavaScript or launch action in the PDF;
* with ``--offentlig`` where the manifest asks: what must stay internal is in
  no byte of the public files or their names.

In every run: no ``Traceback`` on stderr, at most ``TIMEOUT`` seconds and ``MEMORY``
bytes of address space per command.
"""

from __future__ import annotations

import io
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import tomllib
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from extract import docx_text, html_text, pdf_everything, pdf_text
from pypdf import PdfReader

from sagsfremstilling.errors import InputError
from sagsfremstilling.limits import MAX_TEXT_CHARS
from sagsfremstilling.yamlread import load_text

REPO = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).resolve().parent / "hostile"
CASE = "cases/2022/hostile.yaml"
MEETING = "kb-2022-11-15"
SEEDED = [f"build/sager/01-ny-legeplads-i-vivild-{MEETING}-referat.{fmt}"
          for fmt in ("docx", "pdf", "html")] + ["build/sager/LÆS-MIG.txt"]
"""Files a person left in build/ before the run; a refused input must not touch them."""
TIMEOUT = 60
"""Seconds for one command on one input: far above the ~2 s any input takes."""
MEMORY = 2 * 2**30
"""Address space for one command (RLIMIT_AS): a normal render needs under 1 GiB."""


# ---------------------------------------------------------------- the manifest

@dataclass(frozen=True)
class Input:
    """One corpus entry: an input file (or a generator) and what it must give."""

    name: str
    file: str = ""
    generate: str = ""
    link: str = ""
    """Instead of a file: ``at`` becomes a symbolic link to this target."""
    at: str = CASE
    error: tuple[str, ...] = ()
    error_like: tuple[str, ...] = ()
    """Regular expressions instead of exact lines: for a bug, whose message is not written yet."""
    shows: tuple[str, ...] = ()
    pdf_shows: tuple[str, ...] | None = None
    absent: tuple[str, ...] = ()
    public_shows: tuple[str, ...] = ()
    public_absent: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    seconds: float = 0.0
    bug: str = ""

    @property
    def public(self) -> bool:
        return bool(self.public_shows or self.public_absent)


def _inputs() -> list[Input]:
    with (HOSTILE / "cases.toml").open("rb") as handle:
        entries = tomllib.load(handle)["input"]
    out = []
    for entry in entries:
        entry = dict(entry)
        name = (entry.pop("name", "") or entry.get("generate", "")
                or entry.get("file", "").removesuffix(".yaml"))
        for key in ("error", "error_like", "shows", "absent", "public_shows", "public_absent",
                    "args"):
            if key in entry:
                entry[key] = tuple(entry[key])
        if "pdf_shows" in entry:
            entry["pdf_shows"] = tuple(entry["pdf_shows"])
        out.append(Input(name=name, **entry))
    return out


INPUTS = _inputs()


def _params() -> list[Any]:
    params = []
    for entry in INPUTS:
        marks = [pytest.mark.xfail(strict=True, reason=entry.bug)] if entry.bug else []
        params.append(pytest.param(entry, id=entry.name, marks=marks))
    return params


# ---------------------------------------------------------------- generated inputs
# Inputs too large to keep in git: each generator returns the bytes of the file.

def _base_case() -> str:
    return (HOSTILE / "root" / CASE).read_text(encoding="utf-8")


def _with_section(text: str) -> bytes:
    base = _base_case()
    old = "  Forældrene i Vivild ønsker en ny legeplads.\n"
    return base.replace(old, "".join(f"  {line}\n" for line in text.split("\n"))).encode()


_PROSE = ("Forvaltningen har modtaget en ansøgning om tilskud til en ny legeplads i Vivild, og den "
          "vurderes at opfylde puljens kriterier. ")


def _prose(chars: int) -> str:
    """Danish prose in paragraphs of about 600 characters, ``chars`` long in all."""
    paragraphs, size = [], 0
    while size < chars:
        paragraph = (_PROSE * 6).strip()[: chars - size]
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars]


GENERATORS: dict[str, Callable[[], bytes]] = {
    # a 10 MB text field: refused by size before it is read
    "big-field-10mb": lambda: _with_section("x" * 10_000_000),
    # 10,000 indstilling points
    "list-10000": lambda: _base_case().replace(
        "    - legepladsen bygges\n", "".join(f"    - punkt {i}\n" for i in range(10_000))).encode(),
    # one section one character over the text bound
    "text-over-limit": lambda: _with_section("y" * (MAX_TEXT_CHARS + 1)),
    # the largest section allowed, in ordinary prose: the time bound for one case
    "largest-allowed-text": lambda: _with_section(_prose(MAX_TEXT_CHARS - 1)),
    # 10,000 levels of [ in one value
    "deep-flow-10000": lambda: ("titel: " + "[" * 10_000 + "]" * 10_000 + "\n").encode(),
    # the settings' decision heading asks for a field padded to a trillion characters
    "settings-format-width": lambda: (REPO / "sagsfremstilling.yaml").read_text(
        encoding="utf-8").replace("{udvalg}", "{udvalg:>999999999999}", 1).encode(),
}


def _input_bytes(entry: Input) -> bytes:
    if entry.generate:
        return GENERATORS[entry.generate]()
    return (HOSTILE / entry.file).read_bytes()


# ---------------------------------------------------------------- the content root

@pytest.fixture(scope="session")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The content root every input starts from, built once."""
    base = tmp_path_factory.mktemp("hostile") / "root"
    shutil.copytree(HOSTILE / "root", base)
    shutil.copy(REPO / "sagsfremstilling.yaml", base)
    shutil.copytree(REPO / "templates", base / "templates")
    shelf = base / "bilag" / "2022"
    for pdf in (HOSTILE / "files").iterdir():  # not-a-pdf, encrypted, corrupt, empty …
        shutil.copy(pdf, shelf / pdf.name)
    (shelf / "mappe.pdf").mkdir()
    os.symlink("kort.pdf", shelf / "genvej.pdf")  # inside the root: allowed
    os.symlink("../../../udenfor/kort.pdf", shelf / "ud.pdf")  # leaves the root
    os.symlink("loop.pdf", shelf / "loop.pdf")
    return base


def _make_root(shelf: Path, tmp: Path, entry: Input) -> Path:
    root = tmp / "root"
    shutil.copytree(shelf, root, symlinks=True)
    (tmp / "udenfor").mkdir()
    shutil.copy(shelf / "bilag" / "2022" / "kort.pdf", tmp / "udenfor" / "kort.pdf")
    (tmp / "udenfor" / "hemmelig.yaml").write_text(
        _base_case().replace("Ny legeplads i Vivild", "HEMMELIG fil uden for indholdsmappen"),
        encoding="utf-8")
    if entry.link:
        os.symlink(entry.link, root / entry.at)
    else:
        (root / entry.at).write_bytes(_input_bytes(entry))
    for seeded in SEEDED:
        (root / seeded).parent.mkdir(parents=True, exist_ok=True)
        (root / seeded).write_bytes(f"Skrevet af en person: {seeded}\n".encode())
    return root


def _build_files(root: Path) -> dict[str, bytes]:
    """Every file under build/, by its path from the root, hidden temporary files included."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "build").rglob("*")) if p.is_file()}


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float


def _run(root: Path, *args: str) -> Run:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1668470400", PYTHONIOENCODING="utf-8")
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "sagsfremstilling", *args], cwd=root, env=env,
                          capture_output=True, timeout=TIMEOUT, check=False,
                          preexec_fn=_bounded_memory)
    run = Run(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"),
              time.monotonic() - start)
    assert "Traceback" not in run.err, run.err
    return run


def _bounded_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _same(lines: list[str], expected: list[str]) -> bool:
    assert lines == expected  # for pytest's diff
    return True


def _alike(lines: list[str], patterns: list[str]) -> bool:
    return len(lines) == len(patterns) and all(re.fullmatch(p, line)
                                               for p, line in zip(patterns, lines))


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------- reading the outputs

def _norm(text: str) -> str:
    """Text as a reader sees it: NFC, no soft hyphens, runs of white space as one space."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def _squash(text: str) -> str:
    """PDF text without line breaks, hyphenation at line ends or spaces."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").replace("-\n", "")
    return re.sub(r"\s+", "", text)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


_SAFE_URL = ("http://", "https://", "mailto:")


def _assert_no_active_html(data: bytes) -> None:
    parser = _Tags()
    parser.feed(data.decode("utf-8"))
    parser.close()
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "object", "embed", "img", "form", "base"), tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for key in ("href", "src", "action"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value or value.startswith(_SAFE_URL + ("#",)), (tag, key, value)


def _assert_no_active_docx(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert not [n for n in names if n.endswith((".bin", "vbaProject.bin")) or "activeX" in n]
        for name in names:
            if name.endswith(".rels"):
                rels = z.read(name).decode("utf-8")
                for target, mode in re.findall(r'Target="([^"]*)"(?: TargetMode="(\w+)")?', rels):
                    if mode == "External":
                        assert target.lower().startswith(_SAFE_URL), target


def _assert_no_active_pdf(data: bytes) -> None:
    for name in (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/SubmitForm", b"/ImportData",
                 b"/EmbeddedFile", b"/RichMedia"):
        assert name not in data, name
    reader = PdfReader(io.BytesIO(data))
    assert "/OpenAction" not in reader.trailer["/Root"]
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = str(action.get("/URI", "")).lower()
            assert not uri or uri.startswith(_SAFE_URL), uri


def haystack(paths: list[Path]) -> str:
    """All a reader of these files can get at, names included, as one string."""
    parts = []
    for path in paths:
        parts.append(path.name)
        data = path.read_bytes()
        parts.append(data.decode("utf-8", "replace"))
        if path.suffix == ".docx":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                parts.extend(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        elif path.suffix == ".pdf":
            parts.append("\n".join(pdf_everything(data)))
    return "\n".join(parts)


def _texts(paths: list[Path]) -> dict[str, str]:
    """The text a reader sees, per format."""
    by_suffix = {p.suffix: p.read_bytes() for p in paths}
    return {"docx": docx_text(by_suffix[".docx"]), "pdf": pdf_text(by_suffix[".pdf"]),
            "html": html_text(by_suffix[".html"], main_only=False)}


def _assert_shows(texts: dict[str, str], needles: tuple[str, ...],
                  pdf_needles: tuple[str, ...] | None) -> None:
    for fmt, text in texts.items():
        for needle in (pdf_needles if fmt == "pdf" and pdf_needles is not None else needles):
            if fmt == "pdf":
                assert _squash(needle) in _squash(text), (fmt, needle, text[:3000])
            else:
                assert _norm(needle) in _norm(text), (fmt, needle, text[:3000])


def _rendered(root: Path, run: Run) -> list[Path]:
    paths = [(root / line).resolve() for line in _lines(run.out)]
    assert sorted(p.suffix for p in paths) == [".docx", ".html", ".pdf"], run.out
    for path in paths:
        assert path.is_file() and path.is_relative_to((root / "build").resolve()), path
    return paths


# ---------------------------------------------------------------- the corpus

def test_corpus_is_large_enough_and_every_file_is_listed() -> None:
    listed = {e.file for e in INPUTS if e.file and not e.file.startswith("root/")}
    on_disk = {p.relative_to(HOSTILE).as_posix() for p in HOSTILE.rglob("*.yaml")
               if not p.relative_to(HOSTILE).as_posix().startswith("root/")}
    assert on_disk == listed
    assert len(INPUTS) >= 50
    assert len({e.name for e in INPUTS}) == len(INPUTS)
    for entry in INPUTS:
        # one outcome, never both; only a known bug may leave the message open
        assert bool(entry.error or entry.error_like) != bool(entry.shows), entry.name
        assert not entry.error_like or entry.bug, entry.name


@pytest.mark.parametrize("entry", _params())
def test_hostile_input(entry: Input, shelf: Path, tmp_path: Path) -> None:
    root = _make_root(shelf, tmp_path, entry)
    before = _build_files(root)
    check = _run(root, "check")
    render = _run(root, "render", CASE, *entry.args)
    if entry.error or entry.error_like:
        expected = list(entry.error or entry.error_like)
        expected.append(f"{len(expected)} fejl")
        same = _same if entry.error else _alike
        if entry.args:  # the input is in the arguments, which only render takes
            assert (check.code, _lines(check.out)) == (0, ["Alt i orden: 1 sag, 1 møde"])
        else:
            assert check.code == 1 and same(_lines(check.out), expected), check.out + check.err
        assert render.code == 1 and same(_lines(render.err), expected), render.out + render.err
        assert _build_files(root) == before  # not one byte written, no temporary file left
        return
    assert (check.code, _lines(check.out)[-1:]) == (0, ["Alt i orden: 1 sag, 1 møde"]), check.out
    assert render.code == 0, render.err
    if entry.seconds:
        assert render.seconds < entry.seconds, f"{render.seconds:.1f} s"
    paths = _rendered(root, render)
    after = _build_files(root)
    assert after["build/sager/LÆS-MIG.txt"] == before["build/sager/LÆS-MIG.txt"]
    assert not [n for n in after if n.endswith(".tmp")], sorted(after)
    by_suffix = {p.suffix: p.read_bytes() for p in paths}
    _assert_no_active_html(by_suffix[".html"])
    _assert_no_active_docx(by_suffix[".docx"])
    _assert_no_active_pdf(by_suffix[".pdf"])
    _assert_shows(_texts(paths), entry.shows, entry.pdf_shows)
    everything = haystack(paths)
    for text in entry.absent:
        assert text not in everything and _squash(text) not in _squash(everything), text
    if entry.public:
        public = _run(root, "render", CASE, "--offentlig", *entry.args)
        assert public.code == 0, public.err
        paths = _rendered(root, public)
        _assert_shows(_texts(paths), entry.public_shows, None)
        everything = haystack(paths)
        for text in entry.public_absent:
            assert text not in everything and _squash(text) not in _squash(everything), text


# ---------------------------------------------------------------- reader messages the corpus fixed

_ESCAPE = "ukendt escape-sekvens efter \\ i tekst i \"anførselstegn\"; skriv \\\\ eller brug 'enkelte'"


@pytest.mark.parametrize(("text", "expected"), [
    # libyaml says "did not find expected hexdecimal number" for \U, \x, \u without hex
    # digits; the message points at the backslash, not at the first bad digit
    ('fil: "C:\\Users\\kort.pdf"', f"x.yaml:1:9: {_ESCAPE}"),
    # an unknown escape is not "text after a closing quote": the quote before it opens
    ('titel: "a\\q"', f"x.yaml:1:10: {_ESCAPE}"),
    ('titel: "x \\ud800 y"', "x.yaml:1:11: escape-sekvensen står for et tegn, der ikke findes; "
                             "slet den, eller skriv tegnet selv"),
    ('titel: "Sag" om noget', "x.yaml:1:14: tekst efter et afsluttende citationstegn; sæt hele "
                              "teksten i anførselstegn"),
])
def test_escape_messages(text: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        load_text(text, "x.yaml")
    assert [str(p) for p in caught.value.problems] == [expected]


# ---------------------------------------------------------------- the text bound

def test_text_at_the_limit_is_read() -> None:
    text = "sagsfremstilling: " + "x" * MAX_TEXT_CHARS + "\n"
    assert len(load_text(text, "x.yaml").data["sagsfremstilling"]) == MAX_TEXT_CHARS


def test_text_over_the_limit_is_refused_where_it_starts() -> None:
    text = "titel: x\nsagsfremstilling: |\n  " + "æ" * (MAX_TEXT_CHARS + 1) + "\n"
    with pytest.raises(InputError) as caught:
        load_text(text, "x.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "x.yaml:2:19: teksten er for lang (100.002 tegn; højst 100.000); del den op, eller læg "
        "den i et bilag"]


# ---------------------------------------------------------------- an earlier build stays as it was

_BUILD_INPUTS = ["yaml/tab-indentation", "bilag/encrypted", "content/unknown-committee",
                 "text-over-limit"]


@pytest.fixture(scope="session")
def built_shelf(shelf: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The content root after a successful `build`: build/ holds a whole meeting."""
    tmp = tmp_path_factory.mktemp("built")
    root = _make_root(shelf, tmp, Input(name="valid", file="root/" + CASE))
    run = _run(root, "build", "-j", "1")
    assert run.code == 0, run.err
    assert (root / "build" / MEETING / "offentlig" / "index.html").is_file()
    return tmp


@pytest.mark.parametrize("name", _BUILD_INPUTS)
def test_refused_input_leaves_an_earlier_build_alone(name: str, built_shelf: Path,
                                                     tmp_path: Path) -> None:
    """`build` validates everything before it writes anything: a refused input ends in its
    located lines, and every file of the earlier build, its state and cache included, is
    byte-identical afterwards."""
    entry = next(e for e in INPUTS if e.name == name)
    shutil.copytree(built_shelf, tmp_path / "b", symlinks=True)
    root = tmp_path / "b" / "root"
    (root / entry.at).write_bytes(_input_bytes(entry))
    before = _build_files(root)
    run = _run(root, "build", "-j", "1")
    assert (run.code, _lines(run.err)) == (1, [*entry.error, f"{len(entry.error)} fejl"])
    assert _build_files(root) == before
