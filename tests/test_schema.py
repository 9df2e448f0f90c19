"""The editor's JSON Schemas: committed, fresh, and in the shape of the real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sagsfremstilling.project import load_settings
from sagsfremstilling.schema import case_schema, meeting_schema, render, write_atomically
from sagsfremstilling.yamlread import load_yaml

REPO = Path(__file__).resolve().parents[1]
SETTINGS, _ = load_settings(REPO)
REGENERATE = ("run `sagsfremstilling schema -o schemas/sag.schema.json` and "
              "`sagsfremstilling schema moede -o schemas/moede.schema.json`, and commit the result")


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "sagsfremstilling", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("name", "fresh"), [
    ("sag.schema.json", lambda: case_schema(SETTINGS)),
    ("moede.schema.json", lambda: meeting_schema(SETTINGS)),
])
def test_committed_schemas_are_fresh(name: str, fresh: Any) -> None:
    committed = (REPO / "schemas" / name).read_text(encoding="utf-8")
    assert committed == render(fresh()), f"schemas/{name} is stale: {REGENERATE}"


def test_output_is_deterministic_and_plain_utf8() -> None:
    text = render(case_schema(SETTINGS))
    assert text == render(case_schema(SETTINGS))
    assert text.endswith("}\n") and "Økonomiudvalget" in text and "\\u00d8" not in text
    assert list(json.loads(text)) == sorted(json.loads(text))


def test_sections_are_top_level_text_and_sektioner_is_hidden() -> None:
    schema = case_schema(SETTINGS)
    props = schema["properties"]
    assert "sektioner" not in props
    for key in SETTINGS.text_section_keys:  # one text, or versions with 'fra'
        assert props[key]["anyOf"] == [{"type": ["string", "null"]}, {
            "type": "array", "minItems": 1, "items": {"$ref": "#/$defs/Sektionstekst"}}]
    assert props["sammenhæng"]["title"] == (
        "Sammenhæng til andre politikker/strategier og fagområder")
    assert props["sagsfremstilling"]["description"] == (
        "Tekstsektionen 'Sagsfremstilling', i Markdown. "
        "Hvad sagen handler om, og hvad forvaltningen foreslår.")
    assert schema["additionalProperties"] is False


def test_without_settings_any_extra_key_is_a_text_section() -> None:
    schema = case_schema(None)
    assert "sagsfremstilling" not in schema["properties"]
    assert schema["additionalProperties"]["anyOf"][0] == {"type": ["string", "null"]}
    assert "enum" not in schema["$defs"]["Behandling"]["properties"]["udvalg"]


def test_docstrings_committees_and_yaml12_friendly_types() -> None:
    case = case_schema(SETTINGS)
    assert case["properties"]["sagsnummer"]["description"].startswith("Sagsnummeret som fritekst")
    assert case["$defs"]["Behandling"]["properties"]["udvalg"]["enum"] == ["KB", "ØK", "MTU"]
    # `punkter: 1` is a number to a YAML 1.2 editor, but text to us: both are accepted.
    assert case["$defs"]["AdPunkter"]["properties"]["punkter"]["type"] == ["string", "number"]
    assert {"type": "boolean"} in case["properties"]["lukket"]["anyOf"]
    meeting = meeting_schema(SETTINGS)
    start = meeting["properties"]["start"]["anyOf"][0]
    assert start["type"] == "string" and "pattern" in start
    afbud = meeting["properties"]["afbud"]["items"]["anyOf"]
    assert afbud[0] == {"type": ["string", "number"]}  # a plain name is a person too


def _keys_fit(data: Any, schema: dict[str, Any], root: dict[str, Any], where: str) -> list[str]:
    """Keys in ``data`` the schema does not know (a light shape check, not full validation)."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        fits = [_keys_fit(data, option, root, where) for option in schema["anyOf"]
                if _kind_fits(data, option, root)]
        return min(fits, key=len) if fits else [f"{where}: no alternative fits"]
    if isinstance(data, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        bad = []
        for key, value in data.items():
            if key in props:
                bad += _keys_fit(value, props[key], root, f"{where}.{key}")
            elif extra is False:
                bad.append(f"{where}.{key}")
        return bad
    if isinstance(data, list) and "items" in schema:
        return [b for i, v in enumerate(data) for b in _keys_fit(v, schema["items"], root,
                                                                 f"{where}[{i}]")]
    return []


def _kind_fits(data: Any, schema: dict[str, Any], root: dict[str, Any]) -> bool:
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    kinds = schema.get("type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if isinstance(data, dict):
        return "object" in kinds
    if isinstance(data, list):
        return "array" in kinds
    return not {"object", "array"} & set(kinds)


@pytest.mark.parametrize("path", sorted((REPO / "cases").rglob("*.yaml")), ids=lambda p: p.name)
def test_example_cases_fit_the_schema(path: Path) -> None:
    schema = json.loads((REPO / "schemas/sag.schema.json").read_text(encoding="utf-8"))
    data = load_yaml(path).data
    assert set(data) <= set(schema["properties"])
    assert _keys_fit(data, schema, schema, "") == []


@pytest.mark.parametrize("path", sorted((REPO / "meetings").glob("*.yaml")), ids=lambda p: p.name)
def test_example_meetings_fit_the_schema(path: Path) -> None:
    schema = json.loads((REPO / "schemas/moede.schema.json").read_text(encoding="utf-8"))
    assert _keys_fit(load_yaml(path).data, schema, schema, "") == []


def test_example_files_point_at_the_committed_schemas() -> None:
    files = sorted((REPO / "cases").rglob("*.yaml")) + sorted((REPO / "meetings").glob("*.yaml"))
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        if first.startswith("# yaml-language-server: $schema="):
            target = (path.parent / first.split("=", 1)[1]).resolve()
            assert target.is_file(), f"{path.relative_to(REPO)} points at a missing schema"


# ---------------------------------------------------------------- the command


def test_command_prints_the_case_schema_by_default() -> None:
    result = run("schema")
    assert result.returncode == 0, result.stderr
    assert result.stdout == render(case_schema(SETTINGS))


def test_command_writes_the_meeting_schema_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "ud" / "moede.schema.json"
    result = run("schema", "moede", "-o", str(target))
    assert (result.returncode, result.stdout) == (0, "")
    assert target.read_text(encoding="utf-8") == render(meeting_schema(SETTINGS))
    assert [p.name for p in target.parent.iterdir()] == ["moede.schema.json"]  # no temp left


def test_command_outside_a_content_root_gives_the_schema_without_sections(tmp_path: Path) -> None:
    result = run("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == render(case_schema(None))


def test_write_atomically_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "s.json"
    target.write_text("gammel\n")
    target.chmod(0o640)
    write_atomically(target, "ny\n")
    assert target.read_text() == "ny\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]
