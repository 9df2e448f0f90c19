"""``sagsfremstilling schema [sag|moede]``: the JSON Schema an editor validates against.

VS Code's YAML extension reads the ``# yaml-language-server: $schema=…`` line in
a case file and offers completion, the field docstrings as help, and inline
errors.  The schema is the pydantic model's, adjusted to what the file really
holds:

* the text sections are top-level keys named by the settings' catalogue, so
  they are added as properties (the heading, and the catalogue's help text, as
  description) and the internal ``sektioner`` property is hidden;
* committee codes are an ``enum`` of the settings' committees;
* the editor reads YAML 1.2, where ``punkter: 1`` or ``sagsnummer: 2022`` is a
  number, but our reader keeps every value as the text typed: a plain text
  field therefore also accepts a number, so the editor does not flag what
  ``check`` accepts.

Without a content root (no ``sagsfremstilling.yaml`` here or above, and no
``--root``) the catalogue is unknown: the case schema then accepts any further
top-level key as a text section instead of refusing the caseworker's sections.

The repository keeps the output under ``schemas/``; a test regenerates it and
compares, so the committed files cannot go stale.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Møde, Sag
from .project import find_root, load_settings
from .settings import SETTINGS_FILE, Indstillinger

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_TEXT_SECTION: dict[str, Any] = {"anyOf": [
    {"type": ["string", "null"]},
    {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/Sektionstekst"}},
]}
"""A text section: one text, or versions with 'fra' (model.Sektionstekst)."""


def case_schema(settings: Indstillinger | None) -> dict[str, Any]:
    """The case file's schema; ``settings`` supplies the section keys and committee codes."""
    schema = Sag.model_json_schema(by_alias=True)
    schema["properties"].pop("sektioner", None)
    schema["properties"].pop("sektionsudgaver", None)
    if settings is None:
        schema["additionalProperties"] = dict(_TEXT_SECTION, description=(
            "En tekstsektion fra kommunens katalog i sagsfremstilling.yaml, skrevet i Markdown."))
    else:
        for section in settings.sektioner:
            if section.nøgle in settings.text_section_keys:
                schema["properties"][section.nøgle] = dict(
                    _TEXT_SECTION, title=section.overskrift or section.nøgle,
                    description=_section_help(section.overskrift, section.hjælp))
        _committee_enum(schema["$defs"]["Behandling"]["properties"]["udvalg"], settings)
    return _finish(schema, "Sagsfil")


def meeting_schema(settings: Indstillinger | None) -> dict[str, Any]:
    """The meeting file's schema; ``settings`` supplies the committee codes."""
    schema = Møde.model_json_schema(by_alias=True)
    if settings is not None:
        _committee_enum(schema["properties"]["udvalg"], settings)
    return _finish(schema, "Mødefil")


def _section_help(heading: str, help_text: str) -> str:
    heading = heading or "(ingen overskrift)"
    text = f"Tekstsektionen '{heading}', i Markdown."
    return f"{text} {help_text}" if help_text else text


def _committee_enum(prop: dict[str, Any], settings: Indstillinger) -> None:
    prop["enum"] = [u.kode for u in settings.udvalg]
    names = ", ".join(f"{u.kode} = {u.navn}" for u in settings.udvalg)
    prop["description"] = f"{prop.get('description', '')} ({names})".strip()


def _finish(schema: dict[str, Any], title: str) -> dict[str, Any]:
    _accept_numbers_as_text(schema)
    schema["title"] = title
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


def _accept_numbers_as_text(node: Any) -> None:
    """A plain text field (no format, pattern or choices) also accepts a YAML 1.2 number."""
    if isinstance(node, dict):
        constrained = {"format", "pattern", "enum", "const"} & node.keys()
        if node.get("type") == "string" and not constrained:
            node["type"] = ["string", "number"]
        for value in node.values():
            _accept_numbers_as_text(value)
    elif isinstance(node, list):
        for value in node:
            _accept_numbers_as_text(value)


def render(schema: dict[str, Any]) -> str:
    """Deterministic text: sorted keys, Danish letters as themselves, a final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def settings_for(root: Path | None) -> Indstillinger | None:
    """The settings of ``--root``, else of the nearest content root, else None."""
    if root is None:
        try:
            root = find_root(Path.cwd())
        except InputError:
            return None
    elif not (root / SETTINGS_FILE).is_file():
        return None
    return load_settings(root)[0]


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename, so a reader never
    sees half a schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        # mkstemp makes the file private; a schema is as public as the rest of the repository.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(args: argparse.Namespace) -> int:
    settings = settings_for(args.root)
    kind = getattr(args, "kind", None) or "sag"
    schema = case_schema(settings) if kind == "sag" else meeting_schema(settings)
    text = render(schema)
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_atomically(args.output, text)
    return 0
