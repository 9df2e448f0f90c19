"""The cross-file rules behind ``sagsfremstilling check`` (see ``check.py`` for the list).

Each rule is a plain function on the loaded project and returns located
problems; ``Index`` holds the look-ups they share, built once, so checking a
thousand cases stays linear.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import danish
from .agenda import item_number
from .bilagcheck import bilag_problem
from .errors import Problem
from .model import (Afstemning, Beslutning, FraMøde, Møde, Person, Sag, Sektionstekst, Stedfortræder,
                    parse_points)
from .project import Project, shown_path, suggest
from .settings import SETTINGS_FILE, Udvalg
from .yamlread import Loaded

Loc = tuple[str | int, ...]


@dataclass
class Index:
    """Look-ups built once per project, so the rules stay linear in the number of files."""

    project: Project
    names: dict[str, set[str]] = field(default_factory=dict)
    """Committee code → names of its members and substitutes."""
    routed: dict[tuple[str, dt.date], set[str]] = field(default_factory=dict)
    """(committee, date) → ids of the cases with a stage there."""
    meeting_at: dict[tuple[str, dt.date], str] = field(default_factory=dict)
    """(committee, date) → id of its meeting (the first by id, when two clash)."""
    listed: dict[str, set[str]] = field(default_factory=dict)
    """Meeting id → ids of the cases it lists."""
    case_files: set[str] = field(default_factory=set)
    """Ids of every case file found, valid or not."""
    unsure_dates: set[str] = field(default_factory=set)
    """Dates of meeting files that could not be read ('*': unknown), so a stage on
    such a date is not also told that its meeting is missing."""

    @classmethod
    def build(cls, project: Project) -> Index:
        index = cls(project)
        for committee in project.settings.udvalg:
            people = committee.medlemmer + committee.stedfortrædere
            index.names[committee.kode] = {m.navn for m in people}
        for cid, case in project.cases.items():
            for stage in case.sagsgang:
                index.routed.setdefault((stage.udvalg, stage.dato), set()).add(cid)
        for mid in sorted(project.meetings):
            meeting = project.meetings[mid]
            index.meeting_at.setdefault((meeting.udvalg, meeting.dato), mid)
            index.listed[mid] = {item.sag for item in meeting.punkter}
        # Files on disk, valid or not: a case or meeting file with its own problems must not
        # also be reported as missing by every file that refers to it.
        root = project.root
        cases = root / "cases"
        index.case_files = {p.relative_to(cases).with_suffix("").as_posix()
                            for p in cases.rglob("*.yaml")}
        for path in (root / "meetings").glob("*.yaml"):
            if path.stem in project.meetings:
                continue
            data = getattr(project.sources.get(shown_path(root, path)), "data", None)
            day = data.get("dato") if isinstance(data, dict) else None
            match = _MEETING_ID.fullmatch(path.stem)
            index.unsure_dates.add(str(day) if day else match.group(1) if match else "*")
        return index

    def committee(self, src: Loaded, loc: Loc, code: str) -> tuple[Udvalg | None, list[Problem]]:
        """The committee for ``code``, or a problem with a suggestion."""
        found = self.project.settings.committee(code)
        if found is not None:
            return found, []
        codes = [u.kode for u in self.project.settings.udvalg]
        return None, [src.problem(loc, (
            f"udvalget '{code}' findes ikke i {SETTINGS_FILE}{_code_hint(code, codes)}; "
            f"brug en af: {', '.join(codes)}"))]

    def person(self, src: Loaded, loc: Loc, person: Person, committee: Udvalg, day: dt.date) -> list[Problem]:
        """A named person belongs to the committee on ``day``, or says which party they are from."""
        if person.parti.strip():
            return []
        where = loc + ("navn",) if loc + ("navn",) in src.values else loc
        if person.navn in self.names[committee.kode]:
            return _not_on_day(src, where, person.navn, committee, day,
                               "ret navnet eller datoen, eller angiv partiet med 'parti:'")
        hint = suggest(person.navn, sorted(self.names[committee.kode]))
        return [src.problem(where, f"'{person.navn}' er hverken medlem af eller stedfortræder i "
                                   f"{committee.navn} i {SETTINGS_FILE}{hint}; ret navnet, "
                                   "eller angiv partiet med 'parti:'")]

    def known_name(self, src: Loaded, loc: Loc, name: str, committee: Udvalg,
                   role: str, day: dt.date) -> list[Problem]:
        """A name without a party field (stedfortræder 'for', inhabil 'stedfortræder'),
        in the committee on ``day``."""
        if not name.strip():
            return []
        if name in self.names[committee.kode]:
            return _not_on_day(src, loc, name, committee, day, "ret navnet eller datoen")
        hint = suggest(name, sorted(self.names[committee.kode]))
        return [src.problem(loc, f"'{name}' ({role}) er hverken medlem af eller stedfortræder i "
                                 f"{committee.navn} i {SETTINGS_FILE}{hint}; ret navnet")]


def _not_on_day(src: Loaded, loc: Loc, name: str, committee: Udvalg, day: dt.date, fix: str) -> list[Problem]:
    """A known name whose entries ('fra', 'til') all lie outside ``day``: a member
    of the last election period named at a meeting of the next, say."""
    entries = [(what, p) for what, people in (("medlem", committee.medlemmer),
                                              ("stedfortræder", committee.stedfortrædere))
               for p in people if p.navn == name]
    if any(p.on(day) for _, p in entries):
        return []
    periods = "; ".join(what + (f" fra {p.fra}" if p.fra else "") + (f" til {p.til}" if p.til else "")
                        for what, p in entries)
    return [src.problem(loc, f"'{name}' var ikke medlem af eller stedfortræder i {committee.navn} "
                             f"den {day} ({periods} i {SETTINGS_FILE}); {fix}")]


def _code_hint(code: str, codes: list[str]) -> str:
    """Suggest 'ØK' for 'OEK', 'oek' or 'øk' too, which difflib alone would miss."""
    for candidate in codes:
        if _ascii(candidate) == _ascii(code):
            return f" (mente du '{candidate}'?)"
    return suggest(code, codes)


def _ascii(text: str) -> str:
    """'ØK' → 'oek', as Danish letters are spelt in file names and addresses."""
    text = text.casefold()
    for danish, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(danish, plain)
    return text


def case_rules(index: Index, cid: str, case: Sag) -> list[Problem]:
    """The rules for one case: its route, its decisions and its bilag."""
    project = index.project
    src = project.sources[project.case_paths[cid]]
    problems: list[Problem] = []
    if case.beslutningskompetence:
        problems += index.committee(src, ("beslutningskompetence",), case.beslutningskompetence)[1]
    points = len(case.indstilling.punkter) if case.indstilling else 0
    seen: dict[tuple[str, dt.date], int] = {}
    for i, stage in enumerate(case.sagsgang):
        loc: Loc = ("sagsgang", i)
        committee, found = index.committee(src, loc + ("udvalg",), stage.udvalg)
        problems += found
        if i and stage.dato < case.sagsgang[i - 1].dato:
            before = case.sagsgang[i - 1]
            problems.append(src.problem(loc + ("dato",), (
                f"datoen {stage.dato} ligger før den forrige behandling ({before.udvalg} "
                f"{before.dato}); skriv sagsgangen i tidsorden")))
        key = (stage.udvalg, stage.dato)
        if key in seen:
            problems.append(src.problem(loc, (
                f"sagen står allerede på {stage.udvalg}-mødet den {stage.dato} (linje "
                f"{src.where(('sagsgang', seen[key]))[0]}); slet den ene")))
            continue
        seen[key] = i
        if committee is None:
            continue
        problems += _stage_meeting(index, src, loc, cid, stage.udvalg, stage.dato,
                                   stage.beslutning is not None)
        if stage.beslutning is not None:
            problems += decision_rules(index, src, loc + ("beslutning",), stage.beslutning,
                                       committee, points, stage.dato)
            problems += absent_voters(index, src, loc + ("beslutning",), cid, stage.udvalg,
                                      stage.dato, stage.beslutning)
    for k, bilag in enumerate(case.bilag):
        message = bilag_problem(project.root, bilag.fil)
        if message:
            problems.append(src.problem(("bilag", k, "fil"), message))
    problems += _from_a_stage(src, case)
    if project.settings.bilag.numbered:
        problems += _bilag_references(src, case)
    return problems


def _from_a_stage(src: Loaded, case: Sag) -> list[Problem]:
    """A section or bilag that came later ('fra') names the date of a meeting on the
    case's route: any other date is a slip, and would hide it from the wrong papers."""
    days = sorted({stage.dato for stage in case.sagsgang})
    listed = danish.join_and([str(d) for d in days], "eller")
    problems = []
    groups: list[tuple[Loc, Sequence[FraMøde]]] = [(("ekstra_sektioner",), case.ekstra_sektioner),
                                                   (("bilag",), case.bilag)]
    groups += [((key,), versions) for key, versions in case.sektionsudgaver.items()]
    for where, entries in groups:
        for k, entry in enumerate(entries):
            if entry.fra is not None and entry.fra not in days:
                problems.append(src.problem(where + (k, "fra"), (
                    f"'fra: {entry.fra}' er ikke datoen for et møde i sagens sagsgang; skriv {listed}")))
    for key, versions in case.sektionsudgaver.items():
        problems += _versions(src, key, versions)
    return problems


def _versions(src: Loaded, key: str, versions: list[Sektionstekst]) -> list[Problem]:
    """A section in versions: the first may stand from the start, every later one
    names the meeting it begins at, each later than the one before."""
    problems = []
    for k, (before, version) in enumerate(zip(versions, versions[1:]), start=1):
        if version.fra is None:
            problems.append(src.problem((key, k), (
                f"kun den første udgave af '{key}' kan stå uden 'fra'; skriv datoen for det møde, "
                "hvor denne udgave afløser den forrige")))
        elif before.fra is not None and version.fra <= before.fra:
            problems.append(src.problem((key, k, "fra"), (
                f"udgaverne af '{key}' skal stå i tidsorden: {version.fra} kommer ikke efter {before.fra}")))
    return problems


BILAG_REFERENCE = re.compile(r"(?:\bjf\.|\bse|\()\s*bilag\s+(\d+)(?:\s*[-–]\s*(\d+))?", re.IGNORECASE)
"""'jf. bilag 2', 'jf. bilag 4-6', 'Se bilag 1', '(bilag 3)': a case pointing at its own bilag."""


def _bilag_references(src: Loaded, case: Sag) -> list[Problem]:
    """Where bilag are numbered, a reference in the case's text must name one it has."""
    texts: list[tuple[Loc, str]] = [((key,), text or "") for key, text in case.sektioner.items()]
    texts += [((key, k, "tekst"), v.tekst or "") for key, versions in case.sektionsudgaver.items()
              for k, v in enumerate(versions)]
    texts += [(("ekstra_sektioner", i, "tekst"), e.tekst) for i, e in enumerate(case.ekstra_sektioner)]
    if case.indstilling:
        texts += [(("indstilling", "punkter", j), p) for j, p in enumerate(case.indstilling.punkter)]
    count = len(case.bilag)
    has = f"kun {count} bilag" if count else "ingen bilag"
    problems = []
    for loc, text in texts:
        for m in BILAG_REFERENCE.finditer(text):
            low, high = int(m.group(1)), int(m.group(2) or m.group(1))
            if low < 1 or high > count or high < low:
                problems.append(src.problem(loc, (
                    f"'{' '.join(m.group(0).split())}' henviser til et bilag, sagen ikke har; den har "
                    f"{has} (bilagene tælles fra 1 i den rækkefølge, de står under 'bilag')")))
    return problems


def _stage_meeting(index: Index, src: Loaded, loc: Loc, cid: str, code: str, day: dt.date,
                   decided: bool) -> list[Problem]:
    """A stage needs a meeting that lists the case; an approved meeting needs its decision."""
    mid = index.meeting_at.get((code, day))
    if mid is None:
        if str(day) in index.unsure_dates or "*" in index.unsure_dates:
            return []
        return [src.problem(loc, f"der er ingen mødefil for {code} den {day}; opret "
                                 f"meetings/{_slug(code)}-{day}.yaml, eller ret udvalg og dato")]
    meeting_path = index.project.meeting_paths[mid]
    if cid not in index.listed[mid]:
        return [src.problem(loc, f"mødet {mid} har ikke sagen på dagsordenen; tilføj "
                                 f"'- sag: {cid}' under punkter i {meeting_path}")]
    if index.project.meetings[mid].status == "godkendt" and not decided:
        return [src.problem(loc, f"referatet fra {code} den {day} er godkendt, men sagen har "
                                 "ingen beslutning derfra; skriv den under 'beslutning:'")]
    return []


def _slug(code: str) -> str:
    """'ØK' → 'oek': the usual file-name prefix for a committee's meetings."""
    text = _ascii(code)
    return "".join(c if c.isalnum() and c.isascii() else "-" for c in text).strip("-") or "moede"


def decision_rules(index: Index, src: Loaded, loc: Loc, decision: Beslutning, committee: Udvalg,
                   points: int, day: dt.date) -> list[Problem]:
    """People in the decision belong to the committee; 'Ad. N' points at point N."""
    problems: list[Problem] = []
    for kind in ("afbud", "fraværende", "uden_afbud"):
        for j, absent in enumerate(getattr(decision, kind)):
            problems += index.person(src, loc + (kind, j), absent, committee, day)
            if absent.punkter:
                problems.append(src.problem(loc + (kind, j, "punkter"), (
                    "'punkter' bruges kun i mødefilen; i en sag gælder fraværet hele punktet, "
                    "så slet linjen")))
    problems += substitute_rules(index, src, loc, decision.stedfortrædere, committee, day)
    for j, inhabil in enumerate(decision.inhabilitet):
        problems += index.person(src, loc + ("inhabilitet", j), inhabil, committee, day)
        problems += index.known_name(src, loc + ("inhabilitet", j, "stedfortræder"),
                                     inhabil.stedfortræder, committee, "stedfortræder", day)
        if not inhabil.inhabil and inhabil.stedfortræder.strip():
            problems.append(src.problem(loc + ("inhabilitet", j, "stedfortræder"), (
                f"'{inhabil.navn.strip()}' var ikke inhabil ('inhabil: nej') og deltog selv, så ingen "
                "stedfortræder deltog i stedet; slet 'stedfortræder' eller 'inhabil: nej'")))
        if inhabil.afstemning is not None:
            problems += vote_rules(index, src, loc + ("inhabilitet", j, "afstemning"), inhabil.afstemning,
                                   committee, day)
    for j, vote in enumerate(decision.afstemninger):
        problems += vote_rules(index, src, loc + ("afstemninger", j), vote, committee, day)
    decided: dict[int, int] = {}
    for j, ad in enumerate(decision.ad):
        where = loc + ("ad", j, "punkter")
        for point in parse_points(ad.punkter):
            if not 1 <= point <= points:
                problems.append(src.problem(where, _no_point(point, points)))
                break
            if point in decided:
                problems.append(src.problem(where, (
                    f"punkt {point} har allerede en beslutning (ad nr. {decided[point] + 1}); "
                    "slå dem sammen")))
                break
            decided[point] = j
    numbered: dict[str, int] = {}
    for j, amendment in enumerate(decision.ændringsforslag):
        number = " ".join(amendment.nummer.split())
        if number and number in numbered:
            problems.append(src.problem(loc + ("ændringsforslag", j, "nummer"), (
                f"ændringsforslag nr. {number} står allerede i linje "
                f"{src.where(loc + ('ændringsforslag', numbered[number]))[0]}; giv dem hvert sit nummer")))
        elif number:
            numbered[number] = j
        if amendment.punkt is not None and not 1 <= amendment.punkt <= points:
            problems.append(src.problem(loc + ("ændringsforslag", j, "punkt"),
                                        _no_point(amendment.punkt, points)))
        if amendment.afstemning is not None:
            problems += vote_rules(index, src, loc + ("ændringsforslag", j, "afstemning"),
                                   amendment.afstemning, committee, day)
    return problems


ABSENCES = {"afbud": "afbud", "fraværende": "fraværende", "uden_afbud": "uden afbud"}
"""The absence lists of a meeting and a decision, and how a message names them."""


def absent_voters(index: Index, src: Loaded, loc: Loc, cid: str, code: str, day: dt.date,
                  decision: Beslutning) -> list[Problem]:
    """Nobody votes on an item they were away from or took no part in for inhabilitet,
    and nobody is away twice over: a protocol that says "Afbud: Jan Petersen" and then
    "For stemte: Jan Petersen" is wrong either way.  The item's absences are its own
    decision's and the meeting's that cover the item (all items, or its number in
    'punkter')."""
    absent: dict[str, str] = {}  # folded name → where it says so, for the message
    problems: list[Problem] = []
    mid = index.meeting_at.get((code, day))
    if mid is not None:
        meeting = index.project.meetings[mid]
        number = item_number(index.project, mid, cid)
        for kind, label in ABSENCES.items():
            for entry in getattr(meeting, kind):
                if entry.covers(number):
                    absent.setdefault(_fold(entry.navn), f"{label} i {index.project.meeting_paths[mid]}")
    for kind, label in ABSENCES.items():
        for j, entry in enumerate(getattr(decision, kind)):
            name = _fold(entry.navn)
            if name in absent:
                problems.append(src.problem(loc + (kind, j), (
                    f"'{entry.navn.strip()}' står allerede under {absent[name]}; skriv personen ét sted")))
            else:
                absent[name] = f"{label} (linje {src.where(loc + (kind, j))[0]})"
    for j, entry in enumerate(decision.inhabilitet):
        if entry.inhabil:  # a member found not inhabil took part, and may vote
            absent.setdefault(_fold(entry.navn), f"inhabilitet (linje {src.where(loc + ('inhabilitet', j))[0]})")
    votes = [(loc + ("afstemninger", j), v) for j, v in enumerate(decision.afstemninger)]
    votes += [(loc + ("ændringsforslag", j, "afstemning"), a.afstemning)
              for j, a in enumerate(decision.ændringsforslag) if a.afstemning is not None]
    for where, vote in votes:
        for side, cast in (("for", vote.for_), ("imod", vote.imod), ("undlod", vote.undlod)):
            for m, member in enumerate(cast.medlemmer):
                if _fold(member.navn) in absent:
                    problems.append(src.problem(where + (side, "medlemmer", m), (
                        f"'{member.navn.strip()}' stemmer her, men står under {absent[_fold(member.navn)]}; "
                        "ret det ene")))
    return problems


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def _no_point(point: int, points: int) -> str:
    if points == 0:
        return (f"'Ad. {point}' peger ikke på et indstillingspunkt, for sagen har ingen; "
                "tilføj punkter under indstilling, eller skriv beslutningen i 'tekst'")
    has = "1 punkt" if points == 1 else f"{points} punkter"
    return (f"'Ad. {point}' peger ikke på et indstillingspunkt, for indstillingen har {has}; "
            "ret nummeret")


def substitute_rules(index: Index, src: Loaded, loc: Loc, substitutes: Iterable[Stedfortræder],
                     committee: Udvalg, day: dt.date, meeting_file: bool = False) -> list[Problem]:
    """Substitutes are known people; 'punkter' (the meeting file only) names items."""
    problems: list[Problem] = []
    for j, sub in enumerate(substitutes):
        problems += index.person(src, loc + ("stedfortrædere", j), sub, committee, day)
        problems += index.known_name(src, loc + ("stedfortrædere", j, "for"), sub.for_,
                                     committee, "'for'", day)
        where = loc + ("stedfortrædere", j, "punkter")
        if sub.punkter and not meeting_file:
            problems.append(src.problem(where, (
                "'punkter' bruges kun i mødefilen; i en sag gælder stedfortræderen hele punktet, "
                "så slet linjen")))
        elif sub.punkter and not parse_points(sub.punkter):
            problems.append(src.problem(where, (
                f"'{sub.punkter}' er ikke punktnumre; skriv fx 3 eller 3-5 eller 3, 7")))
    return problems


def vote_rules(index: Index, src: Loaded, loc: Loc, vote: Afstemning,
               committee: Udvalg, day: dt.date) -> list[Problem]:
    """Named voters belong to the committee; a count next to names agrees with them."""
    problems: list[Problem] = []
    for side, votes in (("for", vote.for_), ("imod", vote.imod), ("undlod", vote.undlod)):
        for m, member in enumerate(votes.medlemmer):
            problems += index.person(src, loc + (side, "medlemmer", m), member, committee, day)
        if votes.antal is not None and votes.medlemmer and not votes.partier \
                and votes.antal != len(votes.medlemmer):
            problems.append(src.problem(loc + (side, "antal"), (
                f"antal er {votes.antal}, men der står {len(votes.medlemmer)} navne under "
                "medlemmer; ret tallet, eller slet det, så navnene tælles")))
    return problems




# ---------------------------------------------------------------- meetings

_MEETING_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-(\d{4}-\d{2}-\d{2})")


def meeting_rules(index: Index, mid: str, meeting: Møde) -> list[Problem]:
    """The rules for one meeting file: its name, committee, people, times and items."""
    project = index.project
    src = project.sources[project.meeting_paths[mid]]
    problems: list[Problem] = []
    match = _MEETING_ID.fullmatch(mid)
    expected = f"{_slug(meeting.udvalg)}-{meeting.dato}"
    if match is None:
        problems.append(src.problem((), f"mødefilens navn '{mid}.yaml' skal have formen "
                                        f"udvalg-ÅÅÅÅ-MM-DD.yaml med små bogstaver a-z, fx "
                                        f"'{expected}.yaml'; omdøb filen"))
    elif match.group(1) != str(meeting.dato):
        problems.append(src.problem(("dato",), f"filnavnet siger {match.group(1)}, men mødets dato "
                                               f"er {meeting.dato}; ret datoen, eller omdøb filen "
                                               f"til '{mid[: match.start(1)]}{meeting.dato}.yaml'"))
    first = index.meeting_at[(meeting.udvalg, meeting.dato)]
    if first != mid:
        problems.append(src.problem(("dato",), (
            f"der er allerede en mødefil for {meeting.udvalg} den {meeting.dato} "
            f"({project.meeting_paths[first]}); slå de to filer sammen, eller ret datoen")))
    committee, found = index.committee(src, ("udvalg",), meeting.udvalg)
    problems += found
    if committee is not None:
        for kind in ("afbud", "fraværende", "uden_afbud"):
            for j, absent in enumerate(getattr(meeting, kind)):
                problems += index.person(src, (kind, j), absent, committee, meeting.dato)
                if absent.punkter and not parse_points(absent.punkter):
                    problems.append(src.problem((kind, j, "punkter"), (
                        f"'{absent.punkter}' er ikke punktnumre; skriv fx 3 eller 3-5 eller 3, 7")))
        problems += substitute_rules(index, src, (), meeting.stedfortrædere, committee, meeting.dato,
                                     meeting_file=True)
    for name in ("slut", "hævet"):
        time = getattr(meeting, name)
        if meeting.start is not None and time is not None and time < meeting.start:
            problems.append(src.problem((name,), (
                f"'{name}' (kl. {time:%H:%M}) ligger før mødets start (kl. {meeting.start:%H:%M}); "
                "ret klokkeslættet")))
    problems += item_rules(index, src, mid, meeting)
    return problems


def item_rules(index: Index, src: Loaded, mid: str, meeting: Møde) -> list[Problem]:
    """Every item names an existing case routed here, once, with a number nobody else has."""
    problems: list[Problem] = []
    routed = index.routed.get((meeting.udvalg, meeting.dato), set())
    position: dict[str, int] = {}
    numbers: dict[int, int] = {}
    for j, item in enumerate(meeting.punkter):
        loc: Loc = ("punkter", j)
        if item.sag in position:
            problems.append(src.problem(loc + ("sag",), (
                f"sagen '{item.sag}' står allerede på dagsordenen (linje "
                f"{src.where(('punkter', position[item.sag], 'sag'))[0]}); slet den ene")))
            continue
        position[item.sag] = j
        if item.sag not in index.case_files:
            problems.append(src.problem(loc + ("sag",), _unknown_case(index, item.sag)))
            continue
        case = index.project.cases.get(item.sag)
        if case is None:
            continue  # the case file has its own problems; nothing to compare with
        if item.sag not in routed:
            problems.append(src.problem(loc + ("sag",), (
                f"sagen '{item.sag}' har ingen behandling i {meeting.udvalg} den {meeting.dato}; "
                f"tilføj den i sagsgangen i {index.project.case_paths[item.sag]}, "
                "eller fjern punktet")))
            continue
        here = (meeting.udvalg, meeting.dato)
        stage = next(s for s in case.sagsgang if (s.udvalg, s.dato) == here)
        if item.nummer is not None and stage.punkt is not None and item.nummer != stage.punkt:
            problems.append(src.problem(loc + ("nummer",), (
                f"sagen '{item.sag}' siger punkt {stage.punkt} for dette møde, men her står "
                f"{item.nummer}; ret det ene")))
        number = item.nummer if item.nummer is not None else stage.punkt
        if number is None:
            continue
        if number in numbers:
            where = loc + ("nummer",) if item.nummer is not None else loc + ("sag",)
            problems.append(src.problem(where, (
                f"punktnummeret {number} er allerede brugt af sagen "
                f"'{meeting.punkter[numbers[number]].sag}'; ret nummeret")))
        else:
            numbers[number] = j
    return problems


def _unknown_case(index: Index, name: str) -> str:
    plain = name.strip().removeprefix("cases/").removesuffix(".yaml").removesuffix(".yml")
    if plain != name and plain in index.case_files:
        return f"skriv sagens id uden 'cases/' og '.yaml': '{plain}'"
    hint = suggest(name, sorted(index.case_files))
    return f"sagen '{name}' findes ikke (der er ingen cases/{name}.yaml){hint}; ret id'et"


def stray_files(project: Project) -> list[Problem]:
    """Files the loader would skip without a word: '.yml', meetings in sub-folders."""
    root = project.root
    problems: list[Problem] = []
    for folder, kind in (("cases", "en sagsfil"), ("meetings", "en mødefil")):
        for path in sorted((root / folder).rglob("*.yml")):
            problems.append(Problem(shown_path(root, path), 0, 0, (
                f"filen bliver ikke læst: {kind} skal ende på .yaml; omdøb den til "
                f"'{path.with_suffix('.yaml').name}'")))
    for path in sorted((root / "meetings").glob("*/**/*.yaml")):
        problems.append(Problem(shown_path(root, path), 0, 0, (
            "filen bliver ikke læst: mødefiler skal ligge direkte i meetings/; flyt den derop")))
    return problems
