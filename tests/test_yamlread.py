"""The YAML reader: plain strings, positions, and refusals with a place and a Danish reason.

The resource bounds (file size, nesting depth, list length, alias bombs) each
have a test: they are what keeps a hostile or runaway file from costing more
than a moment.
"""
# ruff: noqa: E501 - an exact message reads best on one line

from __future__ import annotations

from pathlib import Path

import pytest

from sagsfremstilling import yamlread
from sagsfremstilling.errors import InputError, Problem
from sagsfremstilling.yamlread import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_LIST_ITEMS,
    load_text,
    load_yaml,
)


@pytest.fixture(params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml's parser and with PyYAML's Python one (the fallback)."""
    if request.param == "python":
        monkeypatch.setattr(yamlread, "_CParser", None)
    return str(request.param)


def refusal(text: str) -> Problem:
    with pytest.raises(InputError) as caught:
        load_text(text, "x.yaml")
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


# ---------------------------------------------------------------- resource bounds


def test_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "stor.yaml"
    path.write_bytes(b"titel: " + b"x" * MAX_FILE_BYTES + b"\n")
    with pytest.raises(InputError) as caught:
        load_yaml(path, "cases/stor.yaml")
    assert caught.value.problems == [Problem(
        "cases/stor.yaml", 0, 0,
        "filen er for stor (0,6 MB; højst 0,5 MB); læg store tabeller og tekster i et bilag")]


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    # Many fields, each within MAX_TEXT_CHARS, together exactly at the file limit.
    path = tmp_path / "stor.yaml"
    line = b"t000: " + b"x" * 99_993 + b"\n"  # 100,000 bytes
    count, rest = divmod(MAX_FILE_BYTES, len(line))
    lines = [b"t%03d" % i + line[4:] for i in range(count)]
    lines.append(b"rest: " + b"x" * (rest - 7) + b"\n")
    path.write_bytes(b"".join(lines))
    assert path.stat().st_size == MAX_FILE_BYTES
    assert len(load_yaml(path).data) == count + 1


def test_nesting_too_deep_block_style(parser: str) -> None:
    text = "".join(f"{'  ' * i}a{i}:\n" for i in range(MAX_DEPTH + 1)) + "  " * (MAX_DEPTH + 1) + "x: 1\n"
    # The root mapping is level 1, so the mapping under a23 (line 24) is level 25.
    assert refusal(text) == Problem("x.yaml", MAX_DEPTH + 1, 2 * MAX_DEPTH + 1,
                                    "for dyb indlejring (højst 24 niveauer); skriv strukturen fladere")


def test_nesting_at_the_limit_is_read() -> None:
    text = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert load_text(text, "x.yaml").data is not None


def test_very_deep_nesting_is_refused_without_recursion_error() -> None:
    text = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"
    problem = refusal(text)  # libyaml stops at its own limit (1000) before our composer sees it
    assert (problem.line, problem.message) == (
        1, "for dyb indlejring (højst 24 niveauer); skriv strukturen fladere")


def test_list_too_long(parser: str) -> None:
    text = "punkter:\n" + "  - x\n" * (MAX_LIST_ITEMS + 1)
    assert refusal(text) == Problem("x.yaml", 2, 3, (
        "listen har mere end 2000 elementer; del sagen op, eller læg listen i et bilag"))


def test_list_at_the_limit_is_read() -> None:
    text = "punkter:\n" + "  - x\n" * MAX_LIST_ITEMS
    assert len(load_text(text, "x.yaml").data["punkter"]) == MAX_LIST_ITEMS


def test_alias_bomb_is_refused_at_the_first_alias(parser: str) -> None:
    text = 'a: &a ["lol", "lol"]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n'
    assert refusal(text) == Problem("x.yaml", 2, 8,
                                    "YAML-henvisninger (*navn) er ikke tilladt; skriv teksten ud hvert sted")


def test_limits_are_what_the_docs_say() -> None:
    assert (yamlread.MAX_FILE_BYTES, yamlread.MAX_DEPTH, yamlread.MAX_LIST_ITEMS) == (512 * 1024, 24, 2000)


# ---------------------------------------------------------------- values and positions


def test_every_scalar_stays_the_text_typed(parser: str) -> None:
    data = load_text("a: nej\nb: 10:30\nc: 0800\nd: 1.0\ne: 2022-11-08\nf: 'null'\ng: ~\nh:\ni: ''\n",
                     "x.yaml").data
    assert data == {"a": "nej", "b": "10:30", "c": "0800", "d": "1.0", "e": "2022-11-08",
                    "f": "null", "g": None, "h": None, "i": ""}


def test_positions_of_values_and_keys(parser: str) -> None:
    loaded = load_text("# kommentar\ntitel: Sag\nsagsgang:\n  - udvalg: ØK\n    dato: 2022-11-08\n",
                       "x.yaml")
    assert loaded.where(("titel",)) == (2, 8)
    assert loaded.where(("titel",), key=True) == (2, 1)
    assert loaded.where(("sagsgang", 0, "dato")) == (5, 11)
    assert loaded.where(("sagsgang", 0, "beslutning", "afbud")) == (4, 5)  # nearest parent
    assert loaded.problem(("sagsgang", 0, "udvalg"), "besked") == Problem("x.yaml", 4, 13, "besked")


def test_bom_and_crlf(parser: str) -> None:
    loaded = load_text("\ufefftitel: Sag\r\nenhed: Vej\r\n", "x.yaml")
    assert loaded.data == {"titel": "Sag", "enhed": "Vej"}
    assert loaded.where(("enhed",)) == (2, 8)


def test_non_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"titel: Sag\nenhed: Vej og " + b"Ejendom \xe6ndret\n")
    with pytest.raises(InputError) as caught:
        load_yaml(path, "x.yaml")
    assert caught.value.problems == [Problem("x.yaml", 2, 23, "filen er ikke UTF-8 (byte 0xe6); gem den som UTF-8")]


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(("text", "expected"), [
    ("a:\n\tb: 1\n", "x.yaml:2:1: tabulatortegn er ikke tilladt; ryk ind med mellemrum"),
    ("a:\n\u00a0 b: 1\n", "x.yaml:2:1: et hårdt mellemrum (ofte kopieret fra Word) står i indrykningen; ryk ind med almindelige mellemrum"),
    ("a: 1\nb: !!python/object/apply:os.system [ls]\n", "x.yaml:2:4: YAML-mærket '!!python/object/apply:os.system' er ikke tilladt; skriv værdien uden mærke"),
    ("a: !!str 1\n", "x.yaml:1:4: YAML-mærket '!!str' er ikke tilladt; skriv værdien uden mærke"),
    ("a: !lokal x\n", "x.yaml:1:4: YAML-mærket '!lokal' er ikke tilladt; skriv værdien uden mærke"),
    ("a: 1\na: 2\n", "x.yaml:2:1: feltet 'a' står to gange (første gang i linje 1); slet det ene"),
    ("? [a, b]\n: 1\n", "x.yaml:1:3: et feltnavn skal være en enkelt tekst"),
    ("a: 1\n---\nb: 2\n", "x.yaml:2:1: filen må kun indeholde én sag eller ét møde; slet linjen '---' og det, der følger"),
    ("a: [1, 2\nb: 3\n", "x.yaml:2:2: en liste i [ ] er ikke lukket, eller der mangler et komma; ret den"),
    ("a: {x: 1\n", "x.yaml:2:1: en samling i { } er ikke lukket, eller der mangler et komma; ret den"),
    ('a: "Sag" om noget\n', "x.yaml:1:10: tekst efter et afsluttende citationstegn; sæt hele teksten i anførselstegn"),
    ("titel: Sag: noget\n", "x.yaml:1:11: kolon uventet her; sæt teksten i anførselstegn, hvis den indeholder ': '"),
    ("a: hej\x0bdav\n", "x.yaml:1:7: tegnet U+000B er ikke tilladt (ofte kopieret fra Word); slet det"),
    ("a: @hej\n", "x.yaml:1:4: tegnet kan ikke stå her; sæt teksten i anførselstegn"),
    ('a: "c:\\q"\n', "x.yaml:1:7: ukendt escape-sekvens efter \\ i tekst i \"anførselstegn\"; skriv \\\\ eller brug 'enkelte'"),
    ("a: 'åben\nb: 1\n", "x.yaml:1:4: et citationstegn eller en parentes, der begynder her, bliver ikke lukket; luk det"),
])
def test_refused(text: str, expected: str, parser: str) -> None:
    if parser == "python" and "escape" in expected:
        expected = expected.replace(":1:7:", ":1:8:")  # PyYAML points just past the escape
    assert str(refusal(text)) == expected


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_yaml(tmp_path / "findes-ikke.yaml", "cases/findes-ikke.yaml")
    assert caught.value.problems == [Problem("cases/findes-ikke.yaml", 0, 0,
                                             "filen kan ikke læses (den findes ikke)")]
