"""Command line: ``sagsfremstilling <kommando>``.  Filled in by the command modules."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    raise SystemExit("sagsfremstilling: kommandolinjen er ikke bygget endnu")
