"""Every ``--help`` and every usage error speaks Danish.

The commands are found by walking the real parser, so a command added later is
tested without touching this file; each is run as a user runs it, in a subprocess.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

import pytest

from sagsfremstilling.cli import build_parser

ENGLISH = [
    "usage:", "options:", "optional arguments", "positional arguments", "show this help",
    "show program's version", "default:", "error:", "argument ", "required", "invalid",
    "choose from", "unrecognized", "expected", "ambiguous", "not allowed", "subcommands",
]


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(build_parser())


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sagsfremstilling", *args], capture_output=True,
                          text=True, timeout=60, check=False)


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text.lower()]


def test_the_walk_finds_every_command() -> None:
    assert {" ".join(c) for c in COMMANDS} >= {
        "", "check", "render", "build", "schema", "new", "new sag", "new moede", "preview", "godkend"}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "sagsfremstilling")
def test_help_is_danish(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"brug: sagsfremstilling{''.join(' ' + c for c in command)} ")
    assert "tilvalg:" in result.stdout
    assert "-h, --help  " in result.stdout and "vis denne hjælp og afslut" in result.stdout
    assert english_in(result.stdout) == []
    # Every option has a help text: beside it, or (a long option) on the next, deeper line.
    lines = result.stdout.splitlines() + [""]
    for line, after in zip(lines, lines[1:]):
        if re.match(r"^  -{1,2}\w", line) and "  " not in line.strip():
            assert re.match(r"^ {8,}\S", after), f"option without help: {line!r}"


@pytest.mark.parametrize(("args", "message"), [
    (["findes-ikke"], "sagsfremstilling: fejl: argumentet KOMMANDO: ugyldigt valg: 'findes-ikke' "
                      "(vælg mellem 'check', 'render', 'build', 'schema', 'new', 'preview', 'godkend')"),
    (["new"], "sagsfremstilling new: fejl: mangler: ART"),
    (["new", "sag", "Titel"], "sagsfremstilling new sag: fejl: mangler: --sagsgang"),
    (["new", "sag", "Titel", "--sagsgang"],
     "sagsfremstilling new sag: fejl: argumentet --sagsgang: forventer én værdi"),
    (["preview", "--port", "otte"], "sagsfremstilling preview: fejl: argumentet --port: "
                                    "ugyldigt helt tal: 'otte'"),
    (["check", "--hurtigt"], "sagsfremstilling: fejl: ukendte argumenter: --hurtigt"),
    (["render", "x.yaml", "--udgave", "kladde"],
     "sagsfremstilling render: fejl: argumentet --udgave: ugyldigt valg: 'kladde' "
     "(vælg mellem 'dagsorden', 'referat')"),
])
def test_usage_errors_are_danish(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("brug: sagsfremstilling")
    assert lines[-1] == message
    assert english_in(result.stderr) == []


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"sagsfremstilling \d+\.\d+\.\d+\n", result.stdout)
