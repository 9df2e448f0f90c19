"""Hostile input through the real command line: a located Danish message or a literal document.

The corpus lives in ``tests/hostile/`` (see its README); this module runs it.
"""

from __future__ import annotations

import pytest

from sagsfremstilling.errors import InputError
from sagsfremstilling.limits import MAX_TEXT_CHARS
from sagsfremstilling.yamlread import load_text

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
