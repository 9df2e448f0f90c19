"""docs/vejledning.md: every example in the caseworkers' guide is true, and so is the editor help.

The guide marks each example with an HTML comment just above its fence:

* ``<!-- eksempel: fil PATH -->``     a whole file; all of them together form a content
  root (with the repository's settings) in which ``check`` finds nothing;
* ``<!-- eksempel: udsnit PATH -->``  top-level fields that replace those of the file at
  PATH; the result must still pass ``check``;
* ``<!-- eksempel: fejl PATH -->``    a broken file written to PATH; the ``text`` block after
  it starts with ``$ sagsfremstilling …``, and every line it shows must be printed by that
  command, exactly;
* ``<!-- eksempel: kørsel -->``       on a ``text`` block: its ``$`` command is run in the
  example root, and the lines shown must be among those printed.

Every ``yaml`` block must carry one of the first three marks.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import typing
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pypdf import PdfWriter

from sagsfremstilling import model
from sagsfremstilling.cli import build_parser
from sagsfremstilling.project import load_case, load_settings
from sagsfremstilling.settings import BUILTIN_PARTS
from sagsfremstilling.yamlread import load_text

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "vejledning.md"
TEXT = GUIDE.read_text(encoding="utf-8")

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_MARK = re.compile(r"^<!-- eksempel: (\S+)(?: (\S+))? -->$")


@dataclass(frozen=True)
class Example:
    line: int
    lang: str
    body: str
    kind: str = ""
    path: str = ""

    @property
    def id(self) -> str:
        return f"linje-{self.line}"


def _examples() -> list[Example]:
    found = []
    for match in _FENCE.finditer(TEXT):
        before = TEXT[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        mark = _MARK.match(before)
        line = TEXT.count("\n", 0, match.start()) + 1
        found.append(Example(line, match.group(1), match.group(2),
                             mark.group(1) if mark else "", (mark.group(2) or "") if mark else ""))
    return found


EXAMPLES = _examples()
FILES = [e for e in EXAMPLES if e.kind == "fil"]
FRAGMENTS = [e for e in EXAMPLES if e.kind == "udsnit"]
BROKEN = [e for e in EXAMPLES if e.kind == "fejl"]
SESSIONS = [e for e in EXAMPLES if e.kind == "kørsel"]


def _after(example: Example) -> Example:
    """The fenced block right after ``example``: the output shown for a broken file."""
    return EXAMPLES[EXAMPLES.index(example) + 1]


def run(root: Path, command: str) -> subprocess.CompletedProcess[str]:
    words = shlex.split(command)
    assert words[0] == "sagsfremstilling", command
    return subprocess.run([sys.executable, "-m", "sagsfremstilling", *words[1:]], cwd=root,
                          capture_output=True, text=True, timeout=120, check=False)


def _shown(block: Example) -> tuple[str, list[str]]:
    """'$ command' and the output lines a text block shows."""
    lines = block.body.rstrip("\n").split("\n")
    assert lines[0].startswith("$ sagsfremstilling "), f"{block.id}: the block must start with '$ '"
    return lines[0][2:], lines[1:]


@pytest.fixture(scope="module")
def example_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Settings + every whole file of the guide + a one-page PDF for every bilag it names."""
    root = tmp_path_factory.mktemp("vejledning") / "indhold"
    root.mkdir()
    shutil.copy(REPO / "sagsfremstilling.yaml", root)
    for example in FILES:
        path = root / example.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(example.body, encoding="utf-8")
    named = "".join(e.body for e in FILES + FRAGMENTS)
    for pdf in sorted(set(re.findall(r"fil: (bilag/\S+\.pdf)", named))):
        (root / pdf).parent.mkdir(parents=True, exist_ok=True)
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        with open(root / pdf, "wb") as handle:
            writer.write(handle)
    return root


@pytest.fixture
def copy_root(example_root: Path, tmp_path: Path) -> Path:
    root = tmp_path / "indhold"
    shutil.copytree(example_root, root)
    return root


# ---------------------------------------------------------------- the examples


def test_every_yaml_example_is_marked_and_the_marks_are_known() -> None:
    assert FILES and FRAGMENTS and BROKEN and SESSIONS
    for example in EXAMPLES:
        if example.lang == "yaml":
            assert example.kind in ("fil", "udsnit", "fejl"), f"{example.id}: unmarked YAML example"
        assert example.kind in ("", "fil", "udsnit", "fejl", "kørsel"), example.id
        if example.kind in ("udsnit", "fejl"):
            assert example.path in {f.path for f in FILES}, f"{example.id}: no file {example.path}"


def test_the_whole_files_pass_check(example_root: Path) -> None:
    result = run(example_root, "sagsfremstilling check")
    assert result.returncode == 0, result.stdout
    cases = sum(e.path.startswith("cases/") for e in FILES)
    meetings = sum(e.path.startswith("meetings/") for e in FILES)
    assert result.stdout == f"Alt i orden: {cases} sager, {meetings} møder\n"


@pytest.mark.parametrize("example", FRAGMENTS, ids=lambda e: e.id)
def test_fragment_passes_check_in_its_file(copy_root: Path, example: Example) -> None:
    path = copy_root / example.path
    base = load_text(path.read_text(encoding="utf-8"), example.path).data
    fragment = load_text(example.body, example.id).data
    assert isinstance(fragment, dict) and fragment
    merged = {**base, **fragment}
    path.write_text(yaml.safe_dump(merged, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run(copy_root, "sagsfremstilling check")
    assert result.returncode == 0, f"{example.id}:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("example", BROKEN, ids=lambda e: e.id)
def test_error_example_prints_the_documented_lines(copy_root: Path, example: Example) -> None:
    (copy_root / example.path).write_text(example.body, encoding="utf-8")
    command, shown = _shown(_after(example))
    result = run(copy_root, command)
    printed = (result.stdout + result.stderr).splitlines()
    assert result.returncode == 1
    assert shown, f"{example.id}: show at least one line of the output"
    for line in shown:
        assert line in printed, f"{example.id}: the guide shows\n  {line}\nbut check printed\n" + \
            "\n".join(f"  {p}" for p in printed)


@pytest.mark.parametrize("example", SESSIONS, ids=lambda e: e.id)
def test_command_session_prints_the_documented_lines(copy_root: Path, example: Example) -> None:
    command, shown = _shown(example)
    result = run(copy_root, command)
    assert result.returncode == 0, result.stderr
    printed = result.stdout.splitlines()
    for line in shown:
        assert line in printed, f"{example.id}: {line!r} not in {printed}"


def test_commands_named_in_the_guide_exist() -> None:
    """Every 'sagsfremstilling …' line parses with the real parser; every 'make X' is a target."""
    parser = build_parser()
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for example in EXAMPLES:
        if example.lang != "text":
            continue
        for line in example.body.splitlines():
            line = line.removeprefix("$ ")
            if line.startswith("sagsfremstilling "):
                parser.parse_args(shlex.split(line)[1:])
            elif line.startswith("make "):
                target = shlex.split(line)[1]
                assert re.search(rf"^{target}:", makefile, re.MULTILINE), line


# ---------------------------------------------------------------- completeness


def _fields(cls: type) -> list[str]:
    return [f.alias or name for name, f in cls.model_fields.items()]  # type: ignore[attr-defined]


@pytest.mark.parametrize("cls", [
    model.Sag, model.Behandling, model.Indstilling, model.Bilag, model.EkstraSektion,
    model.Beslutning, model.AdPunkter, model.Afstemning, model.Stemmer, model.Udtalelse,
    model.Ændringsforslag, model.Fravær, model.Stedfortræder, model.Inhabil, model.Møde,
    model.Sektionstekst,
], ids=lambda c: c.__name__)
def test_every_field_is_named_in_the_guide(cls: type) -> None:
    internal = ("sektioner", "sektionsudgaver")  # the sections, written as top-level fields
    missing = [f for f in _fields(cls) if f not in internal and f"`{f}`" not in TEXT]
    assert not missing, f"{cls.__name__}: {missing}"


def test_every_outcome_is_named_in_the_guide() -> None:
    missing = [u for u in typing.get_args(model.Udfald) if f"`{u}`" not in TEXT]
    assert not missing


def test_section_table_follows_the_settings() -> None:
    settings, _ = load_settings(REPO)
    for section in settings.sektioner:
        if section.nøgle in BUILTIN_PARTS:
            continue
        row = re.search(rf"^\| `{section.nøgle}` \| (.*?) \| (.*?) \|$", TEXT, re.MULTILINE)
        assert row, section.nøgle
        assert row.group(1) == section.overskrift
        expected = f'"{section.tom_tekst}"' if section.tom == "tekst" else "udelades"
        assert row.group(2) == expected, section.nøgle


# ---------------------------------------------------------------- editor help


def test_vscode_maps_the_schemas_onto_cases_and_meetings() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {
        "./schemas/sag.schema.json": ["cases/**/*.yaml"],
        "./schemas/moede.schema.json": ["meetings/*.yaml"],
    }
    assert settings["[yaml]"]["editor.insertSpaces"] is True


SNIPPETS = json.loads((REPO / ".vscode" / "sagsfremstilling.code-snippets")
                      .read_text(encoding="utf-8"))


def expand(body: list[str]) -> str:
    """A snippet body as VS Code inserts it when every field keeps its default."""
    text = "\n".join(body)
    today = {"CURRENT_YEAR": "2023", "CURRENT_MONTH": "03", "CURRENT_DATE": "13"}
    text = re.sub(r"\$\{(CURRENT_[A-Z]+)\}", lambda m: today[m.group(1)], text)
    text = re.sub(r"\$\{\d+\|([^,|]*)[^}]*\|\}", r"\1", text)
    while re.search(r"\$\{\d+:([^${}]*)\}", text):
        text = re.sub(r"\$\{\d+:([^${}]*)\}", r"\1", text)
    return re.sub(r"\$\d+", "", text)


def _indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in text.splitlines() if line.strip())


SNIPPET_PLACES = {
    # Where a caseworker types each snippet: the case around it, and the indentation there.
    "Behandling i sagsgangen": ("sagsgang:\n", 2),
    "Behandling med beslutning": ("sagsgang:\n", 2),
    "Afstemning": ("sagsgang:\n  - udvalg: MTU\n    dato: 2023-03-13\n    beslutning:\n"
                   "      afstemninger:\n", 8),
    "Bilag": ("sagsgang:\n  - udvalg: MTU\n    dato: 2023-03-13\nbilag:\n", 2),
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet_expands_to_a_valid_case_part(tmp_path: Path, name: str) -> None:
    snippet = SNIPPETS[name]
    assert snippet["scope"] == "yaml" and snippet["description"]
    around, indent = SNIPPET_PLACES[name]
    text = "titel: Prøve\n" + around + _indent(expand(snippet["body"]), indent)
    path = tmp_path / "cases" / "2023" / "proeve.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    settings, _ = load_settings(REPO)
    problems: list[object] = []
    case, _ = load_case(path, tmp_path, settings, problems)  # type: ignore[arg-type]
    assert case is not None and not problems, f"{text}\n{problems}"


def test_snippet_choices_are_the_settings_and_the_model() -> None:
    settings, _ = load_settings(REPO)
    codes = {u.kode for u in settings.udvalg}
    bodies = "\n".join("\n".join(s["body"]) for s in SNIPPETS.values())
    for choices in re.findall(r"udvalg: \$\{\d+\|([^|]*)\|\}", bodies):
        assert set(choices.split(",")) == codes
    for choices in re.findall(r"udfald: \$\{\d+\|([^|]*)\|\}", bodies):
        assert choices.split(",") == list(typing.get_args(model.Udfald))
