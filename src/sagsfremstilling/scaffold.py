"""``sagsfremstilling new``: start a case or a meeting with one command.

Caseworkers come from Word; the file they start from is their template.  So a
new case file holds every section of the settings' catalogue, in the printed
order, each under a short Danish comment (the section's ``hjælp``), and the
schema line that lets the editor complete and check fields while they type.

The sagsgang is the one part that cannot be left blank: every stage needs a
date, and ``check`` wants a meeting file for that date which lists the case.
The rule, chosen so that a new case passes ``check`` as soon as its title and
text are written:

* the first stage is ``--moede`` (which must be that committee's meeting and
  not yet held), or else the committee's first ``planlagt`` meeting from today;
* each later stage is the committee's first ``planlagt`` meeting after the
  stage before it;
* a stage with no such meeting, and every stage after it, is written as
  commented-out lines with a note on how to finish it, so the route is visible
  but the file stays valid;
* the case is added to the agenda (``punkter``) of every meeting it was dated
  to, by appending one line to that file's text: comments and layout of the
  secretariat's file are kept, and the edit is re-read and compared before it
  is written.  A file whose ``punkter`` cannot be appended to that way is left
  alone, with a note saying which line to add.

Nothing is written until every input is checked, and no existing file is ever
replaced: ``new`` only creates files and appends to agendas.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Problem
from .model import Møde
from .outputs import slug, write_atomic
from .project import find_root, load_meeting, load_settings, shown_path, suggest
from .settings import BUILTIN_PARTS, SETTINGS_FILE, Indstillinger, Sektion, Udvalg
from .yamlread import load_text

OPEN_FOR_ITEMS = ("planlagt", "indkaldt")
"""Meeting states that still take new items when named with --moede."""


@dataclass(frozen=True, order=True)
class Where(Problem):
    """A problem with a command-line argument or a whole file: ``--sagsgang: besked``.

    There is no line and column to give, so none is printed."""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _refuse(where: str, message: str) -> InputError:
    return InputError(Where(where, 0, 0, message))


@dataclass(frozen=True)
class Stage:
    """One stop on the route: a committee, and its meeting when one is known."""

    code: str
    meeting_id: str | None = None
    day: dt.date | None = None


# ---------------------------------------------------------------- the command


def main(args: argparse.Namespace) -> int:
    root = args.root.resolve() if getattr(args, "root", None) else find_root(Path.cwd())
    settings, _ = load_settings(root)
    if args.kind == "moede":
        return new_meeting(root, settings, args.committee, args.date)
    return new_case(root, settings, args.title, args.sagsgang, args.moede)


def new_case(root: Path, settings: Indstillinger, title: str, route: str,
             first_meeting: str | None, today: dt.date | None = None) -> int:
    """Write ``cases/<år>/<slug>.yaml`` and put the case on its meetings' agendas."""
    title = " ".join(title.split())
    if not re.search(r"\w", title):
        raise _refuse("TITEL", "titlen er tom; skriv sagens titel i anførselstegn, "
                               "fx \"Ny cykelsti langs Vestergade\"")
    codes = [_committee(settings, code, "--sagsgang").kode for code in _split(route)]
    meetings = _meetings(root)
    stages = plan_route(codes, meetings, first_meeting, today or dt.date.today())
    year = stages[0].day.year if stages[0].day else (today or dt.date.today()).year
    cid = f"{year}/{slug(title)}"
    path = root / "cases" / f"{cid}.yaml"
    if path.exists():
        raise _refuse(shown_path(root, path), "filen findes allerede, og 'new' overskriver aldrig "
                                              "en fil; vælg en anden titel, eller ret i den fil")
    edits, notes = _agenda_edits(root, stages, meetings, cid)
    write_atomic(path, case_text(settings, title, stages).encode("utf-8"))
    print(f"Oprettet {shown_path(root, path)}")
    for meeting_path, text, added in edits:
        write_atomic(meeting_path, text.encode("utf-8"))
        print(f"Sat på {'tillægsdagsordenen' if added else 'dagsordenen'}: {shown_path(root, meeting_path)}")
    for note in notes:
        print(note)
    print(f"Skriv nu teksten og indstillingen, og se sagen med: "
          f"sagsfremstilling preview {shown_path(root, path)}")
    return 0


def new_meeting(root: Path, settings: Indstillinger, code: str, date: str) -> int:
    """Write ``meetings/<kode>-<dato>.yaml``, with place and times from the committee's
    latest meeting, because they rarely change."""
    committee = _committee(settings, code, "UDVALG")
    day = _date(date)
    path = root / "meetings" / f"{meeting_prefix(committee.kode)}-{day.isoformat()}.yaml"
    if path.exists():
        raise _refuse(shown_path(root, path), "filen findes allerede, og 'new' overskriver aldrig "
                                              "en fil")
    meetings = _meetings(root)
    same = [mid for mid, m in meetings.items() if m.udvalg == committee.kode and m.dato == day]
    if same:
        raise _refuse("DATO", f"{committee.kode} har allerede et møde den {day}: "
                              f"meetings/{same[0]}.yaml")
    earlier = sorted((m.dato, mid) for mid, m in meetings.items() if m.udvalg == committee.kode)
    model = meetings[earlier[-1][1]] if earlier else None
    write_atomic(path, meeting_text(committee, day, model).encode("utf-8"))
    print(f"Oprettet {shown_path(root, path)}")
    return 0


# ---------------------------------------------------------------- inputs


def _split(route: str) -> list[str]:
    codes = [c.strip() for c in re.split(r"[,;\s]+", route) if c.strip()]
    if not codes:
        raise _refuse("--sagsgang", "skriv udvalgenes koder i rækkefølge, fx MTU,ØK,KB")
    return codes


def _committee(settings: Indstillinger, code: str, where: str) -> Udvalg:
    """The committee for ``code``; 'oek' or 'øk' is suggested as 'ØK', never guessed."""
    found = settings.committee(code)
    if found is not None:
        return found
    codes = [u.kode for u in settings.udvalg]
    plain = {meeting_prefix(c): c for c in codes}
    hint = (f" (mente du '{plain[meeting_prefix(code)]}'?)" if meeting_prefix(code) in plain
            else suggest(code, codes))
    raise _refuse(where, f"udvalget '{code}' findes ikke i {SETTINGS_FILE}{hint}; "
                         f"brug en af: {', '.join(codes)}")


def _date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise _refuse("DATO", f"'{text}' er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, fx 2023-03-28")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise _refuse("DATO", f"datoen '{text}' findes ikke") from None


def meeting_prefix(code: str) -> str:
    """'ØK' → 'oek', 'MTU' → 'mtu': committee codes as ASCII file names."""
    text = code.casefold()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(danish, ascii_)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "moede"


def _meetings(root: Path) -> dict[str, Møde]:
    """The meeting files that can be read; a broken one is simply not offered as a date."""
    found: dict[str, Møde] = {}
    for path in sorted((root / "meetings").glob("*.yaml")):
        meeting, _ = load_meeting(path, root, [])
        if meeting is not None:
            found[path.stem] = meeting
    return found


# ---------------------------------------------------------------- the route


def plan_route(codes: list[str], meetings: dict[str, Møde], first_meeting: str | None,
               today: dt.date) -> list[Stage]:
    """Date each stage by the rule in the module docstring."""
    stages: list[Stage] = []
    after: dt.date | None = None
    for i, code in enumerate(codes):
        if i == 0 and first_meeting:
            mid = _first(first_meeting, code, meetings)
        elif stages and stages[-1].meeting_id is None:
            mid = None
        else:
            mid = _next_planned(code, meetings, after, today)
        if i == 0 and mid is None:
            raise _refuse("--sagsgang", f"{code} har intet planlagt møde fra {today}; angiv mødet "
                                        f"med --moede ID, eller opret det først med "
                                        f"'sagsfremstilling new moede {code} ÅÅÅÅ-MM-DD'")
        day = meetings[mid].dato if mid else None
        stages.append(Stage(code, mid, day))
        after = day or after
    return stages


def _first(meeting_id: str, code: str, meetings: dict[str, Møde]) -> str:
    meeting_id = Path(meeting_id).stem if meeting_id.endswith(".yaml") else meeting_id
    meeting = meetings.get(meeting_id)
    if meeting is None:
        raise _refuse("--moede", f"mødet '{meeting_id}' findes ikke i meetings/"
                                 f"{suggest(meeting_id, sorted(meetings))}")
    if meeting.udvalg != code:
        raise _refuse("--moede", f"{meeting_id} er et {meeting.udvalg}-møde, men sagsgangen "
                                 f"begynder med {code}; angiv {code}s møde, eller ret --sagsgang")
    if meeting.status not in OPEN_FOR_ITEMS:
        raise _refuse("--moede", f"mødet {meeting_id} er {meeting.status}, så der kan ikke komme "
                                 "nye punkter på; vælg et senere møde")
    return meeting_id


def _next_planned(code: str, meetings: dict[str, Møde], after: dt.date | None,
                  today: dt.date) -> str | None:
    """The committee's first planned meeting after the previous stage (or from today)."""
    fits = sorted((m.dato, mid) for mid, m in meetings.items()
                  if m.udvalg == code and m.status == "planlagt"
                  and (m.dato > after if after else m.dato >= today))
    return fits[0][1] if fits else None


# ---------------------------------------------------------------- the files


def _scalar(text: str) -> str:
    """A YAML scalar for ``text``: plain when that reads back the same, else double-quoted."""
    if re.fullmatch(r"[\w(][\w ,.()/§%+–-]*", text) and not re.search(r"\s$", text):
        return text
    return json.dumps(text, ensure_ascii=False)


def case_text(settings: Indstillinger, title: str, stages: list[Stage]) -> str:
    """The new case file: the settings' catalogue in order, each part with its help."""
    out = [
        "# yaml-language-server: $schema=../../schemas/sag.schema.json",
        "# Ny sag. Skriv teksten under hver 'felt: |' med to mellemrum foran hver linje;",
        "# en tom sektion trykkes, som opsætningen siger. Linjer med # er kun noter til dig.",
        "# Vejledning: docs/vejledning.md  Kontrol: sagsfremstilling check",
        f"titel: {_scalar(title)}",
        "# Fjern # foran de felter, du vil bruge:",
        "# titelkode: (B)               # kode efter titlen, fx (B) eller (O)",
        "# sagsnummer: 23/1234",
        "# kle: 05.01.00",
        "# dokumentnummer: 123456-23",
        "# enhed: Vej og Ejendom",
        "# sagsbehandler: Fornavn Efternavn",
        "# sagstype: orientering        # standard: beslutning; ellers orientering, drøftelse, meddelelse, medlemsforslag",
        f"# beslutningskompetence: {stages[-1].code}     # udvalget med den endelige beslutning",
        "# lukket: ja                    # lukket punkt; kræver offentlig_titel",
        "# offentlig_titel: Salg af ejendom",
    ]
    for part in settings.sektioner:
        key = part.nøgle
        out.append("")
        if key == "sagsgang":
            out += _route_lines(stages)
        elif key == "indstilling":
            out += _indstilling_lines()
        elif key == "bilag":
            out += ["# Bilag: PDF-filer i bilag/-mappen. Fjern # foran linjerne, og ret dem:",
                    "# bilag:",
                    "#   - titel: Kort over området",
                    "#     fil: bilag/2023/kort.pdf",
                    "#     offentlig: nej           # kun hvis bilaget ikke må offentliggøres",
                    "#     fra: ÅÅÅÅ-MM-DD          # kun hvis det kom til senere: datoen for mødet, det hører til"]
        elif key == "ekstra":
            out += ["# Sektioner, som kataloget ikke har, med egen overskrift. Fjern # og ret:",
                    "# ekstra_sektioner:",
                    "#   - overskrift: Tidsplan",
                    "#     tekst: |",
                    "#       Arbejdet begynder i foråret."]
        elif key == "beslutninger":
            out.append("# Beslutningerne skriver sekretariatet under hver behandling i sagsgangen.")
        elif key == "beslutningskompetence":
            pass  # a field of the case, offered above
        elif key == "forslagsstiller":
            out.append("# forslagsstiller: Enhedslisten   # kun for et medlemsforslag (sagstype: medlemsforslag)")
        elif key not in BUILTIN_PARTS:
            out += _comment(_section_help(part)) + [f"{key}: |"]
    return "\n".join(out).rstrip() + "\n"


def _section_help(part: Sektion) -> str:
    """'Økonomiske konsekvenser: Beløb, finansiering … Tom: "Ingen økonomiske konsekvenser."'"""
    words = f"{part.overskrift or part.nøgle}: {part.hjælp}" if part.hjælp else (
        part.overskrift or part.nøgle)
    if part.tom == "tekst":
        words += f' Tom: "{part.tom_tekst}"'
    return words


def _comment(words: str, indent: str = "") -> list[str]:
    return [f"{indent}# {line}" for line in textwrap.wrap(words, width=88 - len(indent))]


def _route_lines(stages: list[Stage]) -> list[str]:
    out = ["# Sagsgang: udvalgene i rækkefølge, hver med mødets dato (ÅÅÅÅ-MM-DD).", "sagsgang:"]
    for stage in stages:
        if stage.day is not None:
            out += [f"  - udvalg: {stage.code}", f"    dato: {stage.day.isoformat()}"]
        else:
            out += [f"  # {stage.code} har endnu intet planlagt møde. Når mødet er oprettet",
                    f"  # (sagsfremstilling new moede {stage.code} ÅÅÅÅ-MM-DD), så fjern # foran",
                    "  # de to linjer, skriv datoen, og bed sekretariatet sætte sagen på",
                    "  # dagsordenen.",
                    f"  # - udvalg: {stage.code}",
                    "  #   dato: ÅÅÅÅ-MM-DD"]
    return out


def _indstilling_lines() -> list[str]:
    return [
        "# Indstilling: trykkes som '<indstiller> indstiller, at' med punkterne nummereret.",
        "indstilling:",
        "  # Hvem der indstiller, fx Vej- og ejendomschefen.",
        "  indstiller:",
        "  # til: Kommunalbestyrelsen via ØK    # modtager og vej, hvis den skal stå",
        "  # tekst: planen fastlægges således, at    # tekst efter 'at', før punkterne",
        "  # Hvert punkt på sin egen linje efter '- '.",
        "  punkter:",
        "    -",
    ]


def meeting_text(committee: Udvalg, day: dt.date, model: Møde | None) -> str:
    def clock(value: dt.time | None) -> str:
        return f' "{value.strftime("%H:%M")}"' if value else ""

    start = clock(model.start) if model else ""
    end = clock(model.slut) if model else ""
    place = (f"sted: {_scalar(model.sted)}" if model and model.sted
             else "# sted: Mødelokale 1, Rådhuset    # fjern # og skriv mødestedet")
    return "\n".join([
        "# yaml-language-server: $schema=../schemas/moede.schema.json",
        f"# {committee.navn}",
        f"udvalg: {committee.kode}",
        f"dato: {day.isoformat()}",
        f"start:{start}",
        f"slut:{end}",
        place,
        "status: planlagt",
        "# Dagsordenens punkter, fx '- sag: 2023/ny-cykelsti'.",
        "punkter: []",
    ]) + "\n"


# ---------------------------------------------------------------- agendas


def _agenda_edits(root: Path, stages: list[Stage], meetings: dict[str, Møde],
                  cid: str) -> tuple[list[tuple[Path, str, bool]], list[str]]:
    """The new text of each meeting file the case is dated to, or a note where that cannot be
    done safely.  Nothing is written here."""
    edits: list[tuple[Path, str, bool]] = []
    notes: list[str] = []
    for stage in stages:
        if stage.meeting_id is None:
            notes.append(f"{stage.code} har intet planlagt møde endnu; se noten under sagsgang.")
            continue
        path = root / "meetings" / f"{stage.meeting_id}.yaml"
        if any(p.sag == cid for p in meetings[stage.meeting_id].punkter):
            continue  # listed before the case existed: nothing to add
        old = path.read_text(encoding="utf-8")
        # The agenda has gone out: what comes on now is on the supplementary agenda.
        added = meetings[stage.meeting_id].status == "indkaldt"
        new = append_item(old, cid, shown_path(root, path), supplementary=added)
        if new is None:
            item = f"'- sag: {cid}'" + (" med 'tillæg: ja'" if added else "")
            notes.append(f"{shown_path(root, path)}: tilføj selv {item} under punkter")
        else:
            edits.append((path, new, added))
    return edits, notes


_PUNKTER = re.compile(r"^punkter[ \t]*:[ \t]*(?P<value>[^#\r\n]*?)[ \t]*(?P<comment>#[^\r\n]*)?$")


def append_item(text: str, cid: str, shown: str = "meetings/møde.yaml", *,
                supplementary: bool = False) -> str | None:
    """``text`` with ``- sag: <cid>`` appended to its top-level ``punkter`` list (with
    ``tillæg: ja`` under it when ``supplementary``), or None when the file is not laid
    out so that a plain append is certain to be right."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if _PUNKTER.match(line.rstrip("\r\n"))]

    def entry(indent: str) -> str:
        return f"{indent}- sag: {cid}{newline}" + (f"{indent}  tillæg: ja{newline}" if supplementary else "")

    if not found:
        tail = "" if not text or text.endswith("\n") else newline
        new = f"{text}{tail}punkter:{newline}{entry('  ')}"
    else:
        at = found[0]
        m = _PUNKTER.match(lines[at].rstrip("\r\n"))
        assert m is not None
        value, comment = m.group("value"), m.group("comment")
        if value.replace(" ", "") == "[]":
            lines[at] = f"punkter:{' ' + comment if comment else ''}{newline}"
            lines.insert(at + 1, entry("  "))
        elif value:
            return None
        else:
            last, indent = at, "  "
            for j in range(at + 1, len(lines)):
                line = lines[j]
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                if line[0] not in " -":
                    break
                if last == at:
                    indent = line[: len(line) - len(line.lstrip(" "))]
                last = j
            lines.insert(last + 1, entry(indent))
        new = "".join(lines)
    item = {"sag": cid, "tillæg": "ja"} if supplementary else {"sag": cid}
    return new if _only_appended(text, new, cid, item, shown) else None


def _only_appended(old: str, new: str, cid: str, item: dict[str, str], shown: str) -> bool:
    """Read both texts back: the new one must be the old one plus exactly our item."""
    try:
        before, after = load_text(old, shown).data, load_text(new, shown).data
    except InputError:
        return False
    if not isinstance(before, dict) or not isinstance(after, dict):
        return False
    items = before.get("punkter") or []
    if not isinstance(items, list) or any(isinstance(p, dict) and p.get("sag") == cid
                                          for p in items):
        return False
    expected = {**before, "punkter": [*items, item]}
    return after == expected and list(after) == list(expected)
