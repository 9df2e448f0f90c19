"""Read a YAML file into plain data plus the position of every value.

PyYAML's *compose* stage gives a node tree with marks; we turn it into dicts,
lists and strings ourselves instead of letting PyYAML construct objects, which
buys three things:

* no YAML 1.1 surprises: every scalar stays the string the caseworker typed
  (``nej``, ``10:30``, ``0800``); pydantic converts only where the schema asks
  for a number, a date or a yes/no, and ``ja``/``nej`` are ours to define;
* positions: ``Loaded.where(loc)`` maps a pydantic error location back to
  ``line:col``;
* safety: tags (``!!python/object``), aliases (the "billion laughs" bomb),
  duplicate keys, tabs in indentation, too deep nesting, too long lists and too
  large files are refused with a located Danish message, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .errors import InputError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A case file is a few kilobytes; two megabytes is far beyond any real one."""
MAX_DEPTH = 24
MAX_LIST_ITEMS = 2000

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


class _Loader(Reader, Scanner, Parser, Composer, SafeConstructor, Resolver):
    """A composer that refuses aliases, explicit tags and runaway nesting."""

    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise _Refused(
                event.start_mark,
                "YAML-henvisninger (*navn) er ikke tilladt; skriv teksten ud hvert sted",
            )
        tag = getattr(event, "tag", None)
        if isinstance(event, ScalarEvent | CollectionStartEvent) and tag not in (None, "!"):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refused(event.start_mark, f"YAML-mærket '{shown}' er ikke tilladt; skriv værdien uden mærke")
        if isinstance(event, CollectionStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _Refused(event.start_mark, f"for dyb indlejring (højst {MAX_DEPTH} niveauer)")
        node = super().compose_node(parent, index)
        if isinstance(event, CollectionStartEvent):
            self._depth -= 1
        return node


_YAML_MESSAGES: list[tuple[str, str]] = [
    ("found character '\\t'", "tabulatortegn er ikke tilladt; ryk ind med mellemrum"),
    ("found unexpected end of stream",
     "et citationstegn eller en parentes, der begynder her, bliver ikke lukket; luk det"),
    ("found unknown escape character", "ukendt escape-sekvens efter \\ i tekst i anførselstegn"),
    ("mapping values are not allowed here", "kolon uventet her; sæt teksten i anførselstegn, hvis den indeholder ': '"),
    ("could not find expected ':'", "der mangler et kolon efter feltnavnet, eller et citationstegn er ikke lukket"),
    ("did not find expected key", "forkert indrykning: feltet står ikke under det, det hører til"),
    ("did not find expected '-' indicator", "forkert indrykning i en liste"),
    ("did not find expected node content", "der mangler en værdi"),
    ("expected <block end>, but found",
     "forkert indrykning: linjen flugter ikke med felterne over den; ret antallet af mellemrum"),
    ("special characters are not allowed", "filen indeholder et kontroltegn, som ikke er tilladt (ofte kopieret fra Word); slet det"),
    ("found undefined alias", "YAML-henvisninger (*navn) er ikke tilladt"),
    ("found character", "tegnet kan ikke stå her; sæt teksten i anførselstegn"),
    ("expected a comment or a line break", "uventet tekst efter værdien; sæt teksten i anførselstegn"),
    ("while scanning", "YAML-syntaksfejl"),
]


def _danish(err: yaml.MarkedYAMLError) -> str:
    raw = f"{err.context or ''} {err.problem or ''}"
    for needle, message in _YAML_MESSAGES:
        if needle in raw:
            return message
    return f"YAML-syntaksfejl ({(err.problem or err.context or '').strip()})"


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


_TAB_INDENT = re.compile(r"^( *)\t", re.MULTILINE)


def load_text(text: str, shown: str) -> Loaded:
    """Parse YAML text; ``shown`` is the path printed in messages."""
    match = _TAB_INDENT.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise InputError(Problem(shown, line, len(match.group(1)) + 1,
                                 "tabulatortegn er ikke tilladt; ryk ind med mellemrum"))
    loaded = Loaded(shown, None)
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
    except _Refused as exc:
        line, col = _pos(exc.mark)
        raise InputError(Problem(shown, line, col, exc.message)) from None
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote is best shown where it opens, not where the file ends.
        opens = "quoted scalar" in (exc.context or "")
        mark = (exc.context_mark if opens else None) or exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        raise InputError(Problem(shown, line, col, _danish(exc))) from None
    except yaml.YAMLError as exc:  # ReaderError and friends carry no mark object
        line, col = 1, 1
        if isinstance(exc, yaml.reader.ReaderError):
            before = text[: exc.position]
            line = before.count("\n") + 1
            col = len(before) - (before.rfind("\n") + 1) + 1
            return_msg = (f"tegnet U+{exc.character:04X} er ikke tilladt (ofte kopieret fra Word); slet det"
                          if isinstance(exc.character, int) else "filen indeholder et ugyldigt tegn")
            raise InputError(Problem(shown, line, col, return_msg)) from None
        raise InputError(Problem(shown, line, col, "YAML kan ikke læses")) from None
    finally:
        if loader is not None:
            loader.dispose()
    loaded.data = _convert(node, (), loaded) if node is not None else None
    return loaded


def load_yaml(path: Path, shown: str | None = None) -> Loaded:
    """Read and parse one YAML file; every failure is an ``InputError``."""
    shown = shown or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(Problem(shown, 0, 0, f"filen er for stor ({size / 1e6:.1f} MB; højst "
                                                  f"{MAX_FILE_BYTES / 1e6:.0f} MB)"))
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(shown, 0, 0, f"filen kan ikke læses ({exc.strerror})")) from None
    return load_text(_decode(raw, shown), shown)


def _convert(node: Node, loc: Loc, out: Loaded) -> Any:
    out.values[loc] = _pos(node.start_mark)
    if isinstance(node, ScalarNode):
        if node.style is None and node.value in _NULLS:
            return None
        return node.value
    if isinstance(node, SequenceNode):
        if len(node.value) > MAX_LIST_ITEMS:
            raise InputError(out.problem(loc, f"listen er for lang ({len(node.value)} elementer; "
                                              f"højst {MAX_LIST_ITEMS})"))
        return [_convert(child, loc + (i,), out) for i, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                line, col = _pos(key_node.start_mark)
                raise InputError(Problem(out.path, line, col, "et feltnavn skal være en enkelt tekst"))
            key = key_node.value
            if key in result:
                line, col = _pos(key_node.start_mark)
                first = out.keys[loc + (key,)]
                raise InputError(Problem(out.path, line, col,
                                         f"feltet '{key}' står to gange (første gang i linje {first[0]})"))
            out.keys[loc + (key,)] = _pos(key_node.start_mark)
            result[key] = _convert(value_node, loc + (key,), out)
        return result
    raise InputError(out.problem(loc, "ukendt YAML-element"))  # pragma: no cover - PyYAML has no others
