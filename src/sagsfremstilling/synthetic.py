"""A synthetic council year: content for the benchmark and the build tests.

``make_year`` writes a content root (settings and templates copied from a real
one, ``cases/``, ``meetings/``, ``bilag/``) that ``sagsfremstilling check``
accepts: meetings run in three-week cycles (MTU, then ØK a week later, then KB),
each case is routed through one cycle (MTU only, MTU→ØK→KB, ØK→KB, ØK only, a
few postponed to the next cycle), every meeting lists exactly the cases routed
to it, and meetings that are held carry a decision for each of their cases.
The last cycles are still ahead, so the year has agendas without minutes too.

``make_bilag_meeting`` writes one large meeting (issue 4's bench: 40 items,
each with its own multi-page bilag PDF).  Same arguments, same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import synthtext as tx
from .outputs import slug

SETTINGS_FILE = "sagsfremstilling.yaml"
COMMITTEES = (("MTU", "mtu", 0), ("ØK", "oek", 8), ("KB", "kb", 15))
"""(code, file prefix, days after the cycle's Monday)."""
ROUTES = ((("MTU",), 0.35), (("MTU", "ØK", "KB"), 0.33), (("ØK", "KB"), 0.2), (("ØK",), 0.12))
CLOSED_TITLES = ("Salg af ejendom", "Køb af jord", "Personalesag", "Erstatningssag")


@dataclass(frozen=True)
class YearSpec:
    cases: int = 1000
    meetings: int = 50
    year: int = 2023
    seed: int = 2023
    bilag_files: int = 12
    """Distinct bilag PDFs in the pool that cases draw from."""
    bilag_share: float = 0.2
    closed_share: float = 0.05
    ahead: int | None = None
    """Cycles still to come (agendas, no minutes); None: about an eighth of the year."""


@dataclass
class Year:
    """What was written, for the caller that wants to change or inspect it."""

    root: Path
    case_ids: list[str]
    meeting_ids: list[str]


class _Dumper(yaml.CSafeDumper):
    """Block style for multi-line text, as caseworkers write it (``sagsfremstilling: |``)."""


def _str(dumper: yaml.CSafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict[str, Any], schema: str) -> str:
    header = f"# yaml-language-server: $schema=../{'../' if schema == 'sag' else ''}schemas/{schema}.schema.json\n"
    return header + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def copy_setup(source: Path, dest: Path) -> dict[str, Any]:
    """Copy the settings and templates of ``source``; return the settings as data."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / SETTINGS_FILE, dest / SETTINGS_FILE)
    shutil.copytree(source / "templates", dest / "templates", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("cases", "meetings", "bilag"):
        (dest / folder).mkdir(exist_ok=True)
    return yaml.safe_load((source / SETTINGS_FILE).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _Meeting:
    mid: str
    code: str
    day: dt.date
    cycle: int
    held: bool
    approved: bool


def _schedule(spec: YearSpec) -> list[_Meeting]:
    cycles = -(-spec.meetings // 3)
    ahead = max(1, round(cycles * 0.12)) if spec.ahead is None else spec.ahead
    drafts = 1 if cycles >= 4 else 0  # then one held but not yet approved: a draft referat
    start = dt.date(spec.year, 1, 2)
    start += dt.timedelta(days=(7 - start.weekday()) % 7)  # the first Monday
    out: list[_Meeting] = []
    for cycle in range(cycles):
        for code, prefix, offset in COMMITTEES:
            if len(out) == spec.meetings:
                break
            day = start + dt.timedelta(days=21 * cycle + offset)
            out.append(_Meeting(f"{prefix}-{day.isoformat()}", code, day, cycle,
                                held=cycle < cycles - ahead,
                                approved=cycle < cycles - ahead - drafts))
    return out


def _members(settings: dict[str, Any], code: str) -> list[dict[str, str]]:
    committee = next(u for u in settings["udvalg"] if u["kode"] == code)
    return list(committee["medlemmer"])


def _decision(rng: random.Random, settings: dict[str, Any], code: str, kind: str, final: bool,
              points: int) -> dict[str, Any]:
    """One committee's decision in Danish conventions."""
    if kind == "orientering":
        return {"udfald": "taget_til_efterretning"}
    if kind == "drøftelse":
        return {"udfald": "drøftet", "tekst": "Udvalget drøftede sagen."}
    if not final:
        if points > 1 and rng.random() < 0.5:
            return {"ad": [{"punkter": f"1-{points}", "tekst": "Anbefales."}]}
        return {"udfald": "anbefalet"}
    decision: dict[str, Any] = {"udfald": "godkendt"}
    members = _members(settings, code)
    roll = rng.random()
    if roll < 0.15:
        parties = sorted({m["parti"] for m in members})
        against = rng.choice(parties)
        yes = [p for p in parties if p != against]
        decision["afstemninger"] = [{
            "for": {"partier": yes}, "imod": {"partier": [against]},
            "resultat": f"Indstillingen blev godkendt med {len(members) - 1} stemmer mod 1.",
        }]
        decision["udtalelser"] = [{"art": "mindretalsudtalelse", "af": against,
                                   "tekst": tx.paragraph(rng, (1, 2))}]
    elif roll < 0.22:
        decision["bemærkninger"] = "Forvaltningen orienterer udvalget om fremdriften i foråret."
    elif roll < 0.25:
        who = rng.choice(members)
        decision["inhabilitet"] = [{"navn": who["navn"], "begrundelse": "nær familie til ansøgeren"}]
    return decision


def _case(rng: random.Random, settings: dict[str, Any], spec: YearSpec, number: int,
          stages: list[tuple[_Meeting, str]], bilag_pool: list[str]) -> dict[str, Any]:
    """A case file's data; ``stages`` pairs each meeting with 'final', 'route' or 'udsat'."""
    kind = rng.choices(["beslutning", "orientering", "drøftelse"], [0.8, 0.15, 0.05])[0]
    closed = kind == "beslutning" and rng.random() < spec.closed_share
    points = rng.randint(1, 3)
    data: dict[str, Any] = {"titel": tx.title(rng, kind),
                            "sagsnummer": f"{spec.year % 100}/{number:05d}",
                            "enhed": rng.choice(tx.UNITS), "sagsbehandler": rng.choice(tx.WORKERS)}
    if closed:
        data |= {"lukket": "ja", "offentlig_titel": rng.choice(CLOSED_TITLES)}
    if kind != "beslutning":
        data["sagstype"] = kind
    route = []
    for meeting, role in stages:
        stage: dict[str, Any] = {"udvalg": meeting.code, "dato": meeting.day}
        if meeting.held:
            stage["beslutning"] = ({"udfald": "udsat", "tekst": "Udsat til næste møde."}
                                   if role == "udsat" else
                                   _decision(rng, settings, meeting.code, kind, role == "final", points))
        route.append(stage)
    data["sagsgang"] = route
    data["resume"] = tx.paragraph(rng, (1, 2))
    data["sagsfremstilling"] = tx.section_text(rng, rich=rng.random() < 0.7)
    if rng.random() < 0.5:
        data["baggrund"] = tx.section_text(rng, rich=False)
    data["økonomi"] = (tx.section_text(rng, rich=True) if rng.random() < 0.4
                       else "Ingen økonomiske konsekvenser.")
    if kind != "orientering":
        data["indstilling"] = {"indstiller": rng.choice(tx.RECOMMENDERS),
                               "punkter": [tx.paragraph(rng, (1, 1)).rstrip(".") for _ in range(points)]}
    else:
        data["indstilling"] = {"indstiller": rng.choice(tx.RECOMMENDERS),
                               "punkter": ["orienteringen tages til efterretning"]}
    if bilag_pool and rng.random() < spec.bilag_share:
        data["bilag"] = [{"titel": f"Bilag om {rng.choice(tx.TOPICS)}", "fil": fil,
                          **({"offentlig": "nej"} if rng.random() < 0.2 else {})}
                         for fil in rng.sample(bilag_pool, rng.randint(1, 2))]
    return data


def _meeting_data(rng: random.Random, settings: dict[str, Any], meeting: _Meeting,
                  case_ids: list[str]) -> dict[str, Any]:
    status = "godkendt" if meeting.approved else "afholdt" if meeting.held else "indkaldt"
    data: dict[str, Any] = {"udvalg": meeting.code, "dato": meeting.day, "start": "16:00",
                            "slut": "19:00", "sted": "Byrådssalen, Rådhuset, Grenaa", "status": status}
    if meeting.held and rng.random() < 0.4:
        who = rng.choice(_members(settings, meeting.code))
        data["afbud"] = [{"navn": who["navn"], "grund": rng.choice(["sygdom", "ferie", "andet"])}]
    data["punkter"] = [{"sag": cid} for cid in case_ids]
    if meeting.code == "ØK" and meeting.cycle % 4 == 0 and len(case_ids) > 1:
        # Now and then a committee gets an item after the agenda went out: a
        # tillægsdagsorden.  Decided without the generator's random numbers, so
        # everything else stays as it was.
        data["punkter"][-1]["tillæg"] = "ja"
    if meeting.held:
        data["godkendelse_af_dagsorden"] = "Godkendt."
        data["hævet"] = "18:45"
    return data


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def make_year(dest: Path, source: Path, spec: YearSpec = YearSpec()) -> Year:
    """Write a whole synthetic year under ``dest``; ``source`` lends settings and templates."""
    rng = random.Random(spec.seed)
    settings = copy_setup(source, dest)
    pool = []
    for i in range(spec.bilag_files):
        fil = f"bilag/{spec.year}/bilag-{i + 1:02d}.pdf"
        _write(dest / fil, tx.pdf_bytes(f"Bilag {i + 1}: {rng.choice(tx.TOPICS)}", rng.randint(1, 4), rng))
        pool.append(fil)
    schedule = _schedule(spec)
    by_cycle: dict[int, dict[str, _Meeting]] = {}
    for meeting in schedule:
        by_cycle.setdefault(meeting.cycle, {})[meeting.code] = meeting
    listed: dict[str, list[str]] = {m.mid: [] for m in schedule}
    case_ids = []
    for number in range(1, spec.cases + 1):
        cycle = (number - 1) % len(by_cycle)
        here = by_cycle[cycle]
        routes = [r for r, _ in ROUTES if all(code in here for code in r)]
        weights = [w for r, w in ROUTES if r in routes]
        route = rng.choices(routes, weights)[0]
        stages = [(here[code], "final" if k == len(route) - 1 else "route") for k, code in enumerate(route)]
        nxt = by_cycle.get(cycle + 1, {})
        if len(route) == 1 and route[0] in nxt and rng.random() < 0.03:
            stages = [(here[route[0]], "udsat"), (nxt[route[0]], "final")]
        data = _case(rng, settings, spec, number, stages, pool)
        cid = f"{spec.year}/{number:04d}-{slug(data['titel'], 40)}"
        _write(dest / "cases" / f"{cid}.yaml", dump(data, "sag"))
        for meeting, _ in stages:
            listed[meeting.mid].append(cid)
        case_ids.append(cid)
    for meeting in schedule:
        _write(dest / "meetings" / f"{meeting.mid}.yaml",
               dump(_meeting_data(rng, settings, meeting, listed[meeting.mid]), "moede"))
    return Year(dest, case_ids, [m.mid for m in schedule])


def make_bilag_meeting(dest: Path, source: Path, items: int = 40, pages: int = 9,
                       seed: int = 4) -> str:
    """One held KB meeting of ``items`` cases, each with its own ``pages``-page bilag.

    Returns the meeting id.  A few items are closed, a few bilag not public, so
    both audiences differ as they would in life."""
    rng = random.Random(seed)
    settings = copy_setup(source, dest)
    spec = YearSpec(cases=items, meetings=1, bilag_share=1.0, closed_share=0.08)
    meeting = _Meeting("kb-2023-06-20", "KB", dt.date(2023, 6, 20), 0, held=True, approved=True)
    case_ids = []
    for number in range(1, items + 1):
        fil = f"bilag/2023/punkt-{number:02d}.pdf"
        _write(dest / fil, tx.pdf_bytes(f"Bilag til punkt {number}", pages, rng))
        data = _case(rng, settings, spec, number, [(meeting, "final")], [])
        data["bilag"] = [{"titel": f"Notat om {rng.choice(tx.TOPICS)}", "fil": fil,
                          **({"offentlig": "nej"} if number % 10 == 0 else {})}]
        cid = f"2023/punkt-{number:02d}"
        _write(dest / "cases" / f"{cid}.yaml", dump(data, "sag"))
        case_ids.append(cid)
    _write(dest / "meetings" / f"{meeting.mid}.yaml",
           dump(_meeting_data(rng, settings, meeting, case_ids), "moede"))
    return meeting.mid
