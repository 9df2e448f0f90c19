"""Read a YAML file into plain data plus the position of every value.

We take the parser's *events* (from libyaml when PyYAML has it) and build dicts,
lists and strings from them ourselves, instead of letting PyYAML compose and
construct objects, which buys four things:

* no YAML 1.1 surprises: every scalar stays the string the caseworker typed
  (``nej``, ``10:30``, ``0800``); pydantic converts only where the schema asks
  for a number, a date or a yes/no, and ``ja``/``nej`` are ours to define;
* positions: ``Loaded.where(loc)`` maps a pydantic error location back to
  ``line:col``;
* safety: tags (``!!python/object``), aliases (the "billion laughs" bomb),
  duplicate keys, tabs in indentation, too deep nesting, too long lists, too
  long texts and too large files are refused with a located Danish message,
  never a traceback (the bounds and what they buy are in ``limits``);
* speed: libyaml does the scanning in C, so a thousand case files read in
  about half a second.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

try:  # libyaml's parser in C: the same events, thirty times faster than PyYAML's Python
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

from .errors import InputError, Problem

from .limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_LIST_ITEMS, MAX_TEXT_CHARS, thousands
from .limits import shown as quoted

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_LIST_ITEMS", "MAX_TEXT_CHARS", "Loaded", "load_text",
           "load_yaml", "os_reason"]

_NULLS = {"", "~", "null", "Null", "NULL"}

Loc = tuple[str | int, ...]


@dataclass
class Loaded:
    """A YAML file read into plain data, with where each value and key stands."""

    path: str
    """The path as shown in messages (relative to the content root)."""
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The 1-based (line, col) of the value (or key) at ``loc``, or of its
        nearest located parent when the value itself is missing."""
        loc = tuple(loc)
        while True:
            if key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]

    def problem(self, loc: Loc, message: str, *, key: bool = False) -> Problem:
        line, col = self.where(loc, key=key)
        return Problem(self.path, line, col, message)


class _Refused(Exception):
    def __init__(self, mark: Any, message: str):
        self.mark = mark
        self.message = message


class _PyParser(Reader, Scanner, Parser):
    """PyYAML's own parser, for when libyaml is missing; it yields the same events."""

    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)


def _parser(text: str) -> Any:
    return _CParser(text) if _CParser is not None else _PyParser(text)


_ALIAS = "YAML-henvisninger (*navn) er ikke tilladt; skriv teksten ud hvert sted"


def _compose(parser: Any, out: Loaded) -> Any:
    """The single document of the stream as plain data, positions recorded in ``out``."""
    parser.get_event()  # StreamStartEvent
    if parser.check_event(StreamEndEvent):
        return None  # an empty file, or only comments
    parser.get_event()  # DocumentStartEvent
    data = _value(parser.get_event(), parser, (), out, 0)
    parser.get_event()  # DocumentEndEvent
    if parser.check_event(DocumentStartEvent):
        raise _Refused(parser.peek_event().start_mark,
                       "filen må kun indeholde én sag eller ét møde; slet linjen '---' og det, "
                       "der følger")
    return data


def _value(event: Any, parser: Any, loc: Loc, out: Loaded, depth: int) -> Any:
    """The value that starts with ``event``; one event fetched per node (this is the hot loop)."""
    kind = type(event)
    if kind is AliasEvent:
        raise _Refused(event.start_mark, _ALIAS)
    if event.tag is not None and event.tag != "!":
        shown = event.tag.replace("tag:yaml.org,2002:", "!!")
        raise _Refused(event.start_mark,
                       f"YAML-mærket '{shown}' er ikke tilladt; skriv værdien uden mærke")
    mark = event.start_mark
    out.values[loc] = (mark.line + 1, mark.column + 1)
    if kind is ScalarEvent:
        if len(event.value) > MAX_TEXT_CHARS:
            raise _Refused(mark, f"teksten er for lang ({thousands(len(event.value))} tegn; "
                                 f"højst {thousands(MAX_TEXT_CHARS)}); del den op, eller læg den "
                                 "i et bilag")
        return None if not event.style and event.value in _NULLS else event.value
    if depth >= MAX_DEPTH:
        raise _Refused(mark, f"for dyb indlejring (højst {MAX_DEPTH} niveauer); "
                             "skriv strukturen fladere")
    if kind is SequenceStartEvent:
        items: list[Any] = []
        while type(item := parser.get_event()) is not SequenceEndEvent:
            if len(items) == MAX_LIST_ITEMS:
                raise _Refused(mark, f"listen har mere end {MAX_LIST_ITEMS} elementer; del sagen "
                                     "op, eller læg listen i et bilag")
            items.append(_value(item, parser, loc + (len(items),), out, depth + 1))
        return items
    result: dict[str, Any] = {}
    while type(key_event := parser.get_event()) is not MappingEndEvent:
        if type(key_event) is AliasEvent:
            raise _Refused(key_event.start_mark, _ALIAS)
        if type(key_event) is not ScalarEvent or key_event.tag not in (None, "!"):
            raise _Refused(key_event.start_mark, "et feltnavn skal være en enkelt tekst")
        key, key_loc = key_event.value, loc + (key_event.value,)
        if key in result:
            raise _Refused(key_event.start_mark, f"feltet '{quoted(key)}' står to gange (første "
                                                 f"gang i linje {out.keys[key_loc][0]}); slet det ene")
        out.keys[key_loc] = _pos(key_event.start_mark)
        result[key] = _value(parser.get_event(), parser, key_loc, out, depth + 1)
    return result


_QUOTE = "et citationstegn eller en parentes, der begynder her, bliver ikke lukket; luk det"
_INDENT = "forkert indrykning: linjen flugter ikke med felterne over den; ret antallet af mellemrum"
_ESCAPE = ("ukendt escape-sekvens efter \\ i tekst i \"anførselstegn\"; skriv \\\\ eller brug "
           "'enkelte'")

_YAML_MESSAGES: list[tuple[str, str]] = [
    # (a phrase in PyYAML's English message, what the caseworker reads instead)
    # Both PyYAML's Python parser and libyaml's wordings are listed where they differ.
    ("found character '\\t'", "tabulatortegn er ikke tilladt; brug mellemrum"),
    ("tab character", "tabulatortegn er ikke tilladt; brug mellemrum"),
    ("exceeded maximum nesting depth",  # libyaml's own limit (1000), met before ours in [[[…
     f"for dyb indlejring (højst {MAX_DEPTH} niveauer); skriv strukturen fladere"),
    ("found undefined tag handle", "YAML-mærker (!navn) er ikke tilladt; skriv værdien uden mærke"),
    ("found unexpected end of stream", _QUOTE),
    ("found unknown escape character", _ESCAPE),
    # "C:\Users" in double quotes: \U (and \x, \u) must be followed by hex digits
    ("hexdecimal number", _ESCAPE),
    ("found invalid Unicode character escape code",  # libyaml: "\ud800", half a surrogate pair
     "escape-sekvensen står for et tegn, der ikke findes; slet den, eller skriv tegnet selv"),
    ("mapping values are not allowed",
     "kolon uventet her; sæt teksten i anførselstegn, hvis den indeholder ': '"),
    ("could not find expected ':'",
     "der mangler et kolon efter feltnavnet, eller et citationstegn er ikke lukket"),
    ("did not find expected key", "forkert indrykning: feltet står ikke under det, det hører til"),
    ("did not find expected '-' indicator", _INDENT),
    ("did not find expected node content", "der mangler en værdi"),
    ("expected a single document",
     "filen må kun indeholde én sag eller ét møde; slet linjen '---' og det, der følger"),
    ("expected ',' or ']'", "en liste i [ ] er ikke lukket, eller der mangler et komma; ret den"),
    ("expected ',' or '}'", "en samling i { } er ikke lukket, eller der mangler et komma; ret den"),
    ("expected <block end>, but found", _INDENT),
    ("special characters are not allowed",
     "filen indeholder et kontroltegn, som ikke er tilladt (ofte kopieret fra Word); slet det"),
    ("found undefined alias", "YAML-henvisninger (*navn) er ikke tilladt"),
    ("found character", "tegnet kan ikke stå her; sæt teksten i anførselstegn"),
    ("expected a comment or a line break",
     "uventet tekst efter værdien; sæt teksten i anførselstegn"),
    ("while scanning", "YAML-syntaksfejl"),
]


def _danish(err: yaml.MarkedYAMLError, text: str) -> str:
    raw = f"{err.context or ''} {err.problem or ''}"
    mark = err.problem_mark
    lines = text.splitlines()
    inside_quotes = "quoted scalar" in (err.context or "")  # then the quote before opens it
    if mark is not None and mark.line < len(lines) and not inside_quotes:
        # `titel: "Sag" om noget`: text after a closing quote, not an indentation error.
        if lines[mark.line][: mark.column].rstrip().endswith(("'", '"')):
            return "tekst efter et afsluttende citationstegn; sæt hele teksten i anførselstegn"
        # YAML allows a key (anything before ': ') of at most 1024 characters.
        if "expected ':'" in raw and ": " in lines[mark.line][1024:]:
            return "feltnavnet er for langt (YAML tillader højst 1024 tegn før kolon)"
    for needle, message in _YAML_MESSAGES:
        if needle in raw:
            return message
    return "YAML-syntaksfejl; tjek indrykning, kolon og anførselstegn her"


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _decode(raw: bytes, shown: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        raise InputError(Problem(
            shown, line, col,
            f"filen er ikke UTF-8 (byte 0x{raw[exc.start]:02x}); gem den som UTF-8",
        )) from None
    return text


_BAD_INDENT = re.compile(r"^( *)([\t\u00a0])", re.MULTILINE)
_BAD_INDENT_MESSAGES = {
    "\t": "tabulatortegn er ikke tilladt; ryk ind med mellemrum",
    # A no-break space from Word looks like indentation but would become part of a key.
    "\u00a0": "et hårdt mellemrum (ofte kopieret fra Word) står i indrykningen; ryk ind med "
               "almindelige mellemrum",
}


def load_text(text: str, shown: str) -> Loaded:
    """Parse YAML text; ``shown`` is the path printed in messages."""
    match = _BAD_INDENT.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise InputError(Problem(shown, line, len(match.group(1)) + 1,
                                 _BAD_INDENT_MESSAGES[match.group(2)]))
    loaded = Loaded(shown, None)
    parser = None
    try:
        parser = _parser(text)
        loaded.data = _compose(parser, loaded)
    except _Refused as exc:
        line, col = _pos(exc.mark)
        raise InputError(Problem(shown, line, col, exc.message)) from None
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is best shown where it opens, not where the file ends.
        # A bad escape is shown where it stands.
        problem = exc.problem or ""
        opens = ("quoted scalar" in (exc.context or "") and "escape" not in problem
                 and "hexdecimal" not in problem)
        mark = (exc.context_mark if opens else None) or exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        if "hexdecimal" in problem or "escape code" in problem:  # show the \ of the escape
            col = text.splitlines()[line - 1].rfind("\\", 0, col - 1) + 1 or col
        raise InputError(Problem(shown, line, col, _danish(exc, text))) from None
    except yaml.reader.ReaderError as exc:  # a forbidden character; no mark object
        position = exc.position
        if _CParser is not None:  # libyaml counts UTF-8 bytes, we count characters
            position = len(text.encode()[:position].decode(errors="ignore"))
        before = text[:position]
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        message = (f"tegnet U+{exc.character:04X} er ikke tilladt (ofte kopieret fra Word); "
                   "slet det" if isinstance(exc.character, int)
                   else "filen indeholder et ugyldigt tegn")
        raise InputError(Problem(shown, line, col, message)) from None
    except yaml.YAMLError:  # pragma: no cover - every PyYAML error above has a mark or position
        raise InputError(Problem(shown, 1, 1, "YAML kan ikke læses")) from None
    finally:
        if parser is not None:
            parser.dispose()
    return loaded


_OS_REASONS = {
    errno.ENOENT: "den findes ikke",
    errno.ELOOP: "den er et link, der peger i ring",
    errno.EACCES: "ingen adgang til den",
    errno.EPERM: "ingen adgang til den",
    errno.EISDIR: "det er en mappe",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.ENAMETOOLONG: "navnet er for langt",
}


def os_reason(exc: OSError) -> str:
    """Why a file cannot be read, in Danish (the system's own words are English)."""
    return _OS_REASONS.get(exc.errno or 0, f"systemfejl {exc.errno}")


def _megabytes(size: int) -> str:
    """Bytes as the file manager shows them (MB of 1024 KiB), rounded up, with a Danish
    decimal comma: 2 MiB + 1 byte is "2,1", never "2" like the bound it exceeds."""
    tenths = -(-size * 10 // 2**20)
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10}"


def load_yaml(path: Path, shown: str | None = None) -> Loaded:
    """Read and parse one YAML file; every failure is an ``InputError``."""
    shown = shown or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(Problem(shown, 0, 0, (
                f"filen er for stor ({_megabytes(size)} MB; "
                f"højst {_megabytes(MAX_FILE_BYTES)} MB); "
                "læg store tabeller og tekster i et bilag")))
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(shown, 0, 0,
                                 f"filen kan ikke læses ({os_reason(exc)})")) from None
    return load_text(_decode(raw, shown), shown)
