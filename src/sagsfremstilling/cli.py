"""Command line: ``sagsfremstilling <kommando>``.

Only argument parsing lives here.  Each command is a function ``main(args) ->
int`` in its own module, imported when that command runs, so ``check`` starts
fast.  Bad input (``InputError``) becomes located Danish lines and exit 1;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from pathlib import Path

from . import __version__
from .errors import InputError, TemplateError, problem_count

COMMANDS: dict[str, str] = {
    "check": "sagsfremstilling.check:main",
    "render": "sagsfremstilling.render:main",
    "build": "sagsfremstilling.build:main",
    "schema": "sagsfremstilling.schema:main",
    "new": "sagsfremstilling.scaffold:main",
    "preview": "sagsfremstilling.preview:main",
    "godkend": "sagsfremstilling.seal:main",
}


_ARGPARSE_DANISH: list[tuple[str, str]] = [
    # argparse's own phrases (Python 3.11-3.13), in the order they must be tried.
    (r"the following arguments are required: ", "mangler: "),
    (r"one of the arguments (.+) is required", r"et af argumenterne \1 skal angives"),
    (r"^argument (\S+): ", r"argumentet \1: "),
    (r"not allowed with argument", "kan ikke bruges sammen med"),
    (r"invalid choice: ", "ugyldigt valg: "),
    (r"\(choose from ", "(vælg mellem "),
    (r"unrecognized arguments: ", "ukendte argumenter: "),
    (r"expected one argument", "forventer én værdi"),
    (r"expected at most one argument", "forventer højst én værdi"),
    (r"expected at least one argument", "forventer mindst én værdi"),
    (r"invalid int value: ", "ugyldigt helt tal: "),
    (r"invalid \w+ value: ", "ugyldig værdi: "),
    (r"ambiguous option: (\S+) could match ", r"tvetydigt tilvalg: \1 kan betyde "),
    (r"ignored explicit argument ", "overflødig værdi "),
]


class _DanishParser(argparse.ArgumentParser):
    """argparse with its fixed English phrases in Danish."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="vis denne hjælp og afslut")

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, danish in _ARGPARSE_DANISH:
            message = re.sub(pattern, danish, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fejl: {message}\n")

    def format_help(self) -> str:
        return (super().format_help().replace("usage:", "brug:")
                .replace("positional arguments:", "argumenter:")
                .replace("optional arguments:", "tilvalg:")
                .replace("options:", "tilvalg:"))

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "brug:")


def build_parser() -> argparse.ArgumentParser:
    parser = _DanishParser(
        prog="sagsfremstilling",
        description="Dagsordener og referater fra sagsfiler i YAML: DOCX, PDF og HTML.",
    )
    parser.add_argument("--version", action="version", version=f"sagsfremstilling {__version__}",
                        help="vis versionen og afslut")
    parser.add_argument("--root", type=Path, default=None, metavar="MAPPE",
                        help="indholdsmappen (standard: nærmeste mappe med sagsfremstilling.yaml)")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_DanishParser,
                                title="kommandoer")

    p = sub.add_parser("check", help="kontrollér sager, møder og opsætning",
                       description="Læser alle filer og melder hver fejl som sti:linje:kolonne.")
    p.add_argument("paths", nargs="*", type=Path, metavar="STI",
                   help="filer eller mapper at kontrollere (standard: det hele)")

    p = sub.add_parser("render", help="lav én sag som DOCX, PDF og HTML",
                       description="Laver sagsfremstillingen for én sag, som den står til et møde.")
    p.add_argument("case", type=Path, metavar="SAG.yaml", help="sagsfilen")
    p.add_argument("--moede", metavar="ID", help="mødet, sagen vises til (fx kb-2022-11-15); "
                   "standard: sagens seneste beslutning")
    p.add_argument("--udgave", choices=["dagsorden", "referat"],
                   help="dagsorden (uden mødets beslutning) eller referat; standard: referat, "
                   "hvis mødet har truffet beslutning")
    p.add_argument("--format", action="append", choices=["docx", "pdf", "html"], dest="formats",
                   metavar="FORMAT", help="docx, pdf eller html; kan gentages (standard: alle tre)")
    p.add_argument("--offentlig", action="store_true",
                   help="lav den offentlige udgave (uden lukkede oplysninger)")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="MAPPE",
                   help="hvor filerne skrives (standard: build/sager)")

    p = sub.add_parser("build", help="byg mødepakker til build/",
                       description="Bygger dagsorden og referat, offentlig og intern, for møderne.")
    p.add_argument("meetings", nargs="*", metavar="MOEDE_ID", help="møder at bygge (standard: alle)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="antal processer (standard: antal kerner)")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="MAPPE",
                   help="byggemappen (standard: build/)")

    p = sub.add_parser("schema", help="skriv JSON-skemaet for sagsfiler eller mødefiler",
                       description="Skriver JSON-skemaet, som editoren bruger til hjælp og fejl.")
    p.add_argument("kind", nargs="?", choices=["sag", "moede"], default="sag",
                   help="sag (standard) eller moede")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="FIL",
                   help="skriv til filen i stedet for standardoutput")

    p = sub.add_parser("new", help="opret en ny sag eller et nyt møde",
                       description="Opretter en ny sagsfil eller mødefil; overskriver aldrig.")
    new = p.add_subparsers(dest="kind", metavar="ART", parser_class=_DanishParser, required=True,
                           title="arter")
    q = new.add_parser("sag", help="ny sagsfil", description=(
        "Opretter cases/ÅÅÅÅ/titel.yaml med alle sektioner og sætter sagen på dagsordenen for "
        "sagsgangens planlagte møder. Se docs/vejledning.md."))
    q.add_argument("title", metavar="TITEL", help="sagens titel")
    q.add_argument("--sagsgang", required=True, metavar="KODER",
                   help="udvalgene i rækkefølge, fx MTU,ØK,KB")
    q.add_argument("--moede", metavar="ID", help="det første møde, sagen skal på, fx mtu-2023-03-13 "
                   "(standard: udvalgets næste planlagte møde)")
    q = new.add_parser("moede", help="ny mødefil", description=(
        "Opretter meetings/udvalg-ÅÅÅÅ-MM-DD.yaml med status planlagt; sted og tider hentes fra "
        "udvalgets seneste møde."))
    q.add_argument("committee", metavar="UDVALG", help="udvalgets kode, fx ØK")
    q.add_argument("date", metavar="DATO", help="mødedatoen, ÅÅÅÅ-MM-DD")

    p = sub.add_parser("preview", help="vis sagen i browseren, mens du skriver",
                       description="Starter en lokal server, der viser HTML-udgaven og opdaterer ved hver gemning.")
    p.add_argument("target", nargs="?", metavar="SAG.yaml|MOEDE_ID",
                   help="sagsfilen eller mødet (standard: en oversigt over alle)")
    p.add_argument("--port", type=int, default=8000,
                   help="porten på 127.0.0.1 (standard: 8000; 0 vælger en ledig)")

    p = sub.add_parser("godkend", help="forsegl et godkendt referat",
                       description=("Skriver meetings/MOEDE_ID.godkendt.json, et fingeraftryk af det "
                                    "godkendte referat; check melder derefter, hvis referatet ikke længere "
                                    "siger det samme. Mødet skal have status: godkendt."))
    p.add_argument("meetings", nargs="*", metavar="MOEDE_ID",
                   help="møder at forsegle, fx kb-2022-11-15 (standard: hvert godkendt møde uden segl)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    module_name, func = COMMANDS[args.command].split(":")
    command = getattr(importlib.import_module(module_name), func)
    try:
        return int(command(args))
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(problem_count(len(exc.problems)), file=sys.stderr)
        return 1
    except TemplateError as exc:
        print(f"sagsfremstilling: fejl i skabelon: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
