"""Case + meeting + audience + settings → one Document.

Every decision about *what a paper says* is taken here, once, so that DOCX,
PDF and HTML cannot disagree and a closed item cannot leak through a writer
that forgot a check: section order and headings (settings), which decisions
this meeting's version shows (earlier stages always, this meeting's only in
the minutes, later ones never), what a public reader may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from . import danish
from .agenda import item_number
from .decisions import decision_blocks
from .document import Block, Document, Heading, ListBlock, ListItem, Meta, Paragraph, Table, text
from .errors import InputError, Problem
from .markdown import parse, parse_inline, plain
from .model import Behandling, Sag
from .project import Project
from .settings import SETTINGS_FILE, Indstillinger, Sektion
from .textclean import clean

Udgave = Literal["dagsorden", "referat"]


@dataclass(frozen=True)
class View:
    """Which paper to make of a case: for which meeting, which edition, for whom."""

    meeting_id: str | None
    """The meeting the paper is for; None: the case on its own, after its last decision."""
    stage: int
    """Index in the case's sagsgang of that meeting's stage."""
    udgave: Udgave
    offentlig: bool = False
    """The public version: nothing closed, no non-public bilag, no marked personal data."""
    in_packet: bool = False
    """Inside a meeting packet, which stamps its own page numbers."""


def fill(settings_pattern: str, **values: object) -> str:
    """Fill a pattern from the settings; a pattern naming an unknown field is the
    settings author's mistake, reported as such."""
    try:
        return danish.fill(settings_pattern, **values)
    except (KeyError, IndexError, ValueError) as exc:
        raise InputError(Problem(SETTINGS_FILE, 0, 0,
                                 f"mønsteret '{settings_pattern}' kan ikke udfyldes ({exc})")) from None


def resolve_view(project: Project, case_id: str, meeting_id: str | None = None,
                 udgave: Udgave | None = None, offentlig: bool = False) -> View:
    """Work out the stage and the edition the way the command line promises:
    without a meeting, the case as it stands after its latest decision; without
    an edition, the minutes if that meeting has decided, else the agenda."""
    case = project.cases[case_id]
    if meeting_id is None:
        decided = [i for i, s in enumerate(case.sagsgang) if s.beslutning is not None]
        stage = decided[-1] if decided else 0
        meeting_id = project.meeting_for(case.sagsgang[stage].udvalg, case.sagsgang[stage].dato)
    else:
        if meeting_id not in project.meetings:
            raise InputError(Problem(project.case_paths[case_id], 0, 0,
                                     f"mødet '{meeting_id}' findes ikke i meetings/"))
        meeting = project.meetings[meeting_id]
        matches = [i for i, s in enumerate(case.sagsgang)
                   if s.udvalg == meeting.udvalg and s.dato == meeting.dato]
        if not matches:
            raise InputError(Problem(project.case_paths[case_id], 0, 0,
                                     f"sagen skal ikke behandles på mødet '{meeting_id}'"))
        stage = matches[0]
    if udgave is None:
        udgave = "referat" if case.sagsgang[stage].beslutning is not None else "dagsorden"
    return View(meeting_id, stage, udgave, offentlig)


def compose_case(project: Project, case_id: str, view: View) -> Document:
    """The paper for one case as ``view`` says."""
    case = project.cases[case_id]
    settings = project.settings
    redact = settings.lukket.personoplysning if view.offentlig else None
    meta = _meta(project, case_id, case, view)
    blocks: list[Block] = [Heading(1, text(meta.title), role="title")]
    if view.offentlig and case.lukket:
        # A closed item in public: its public title, and its decision only where
        # the settings publish closed decisions.  Nothing else is even looked at.
        if settings.lukket.offentliggør_beslutning:
            for stage in _shown_stages(case, view):
                blocks.extend(decision_blocks(project, case_id, stage, view, redact, closed=True))
        return Document(meta, tuple(blocks))
    for part in settings.sektioner:
        blocks.extend(_part(project, case_id, case, part, view, redact))
    return Document(meta, tuple(blocks))


def shown_title(project: Project, case_id: str, offentlig: bool) -> str:
    """The case's title as a paper for this audience prints it: a closed case
    in public by its public title, ||personal data|| replaced in public.  File
    names, bookmarks and contents lines take their titles from here."""
    case = project.cases[case_id]
    settings = project.settings
    if offentlig and case.lukket:
        title = plain(case.offentlig_titel, settings.lukket.personoplysning)
    else:
        title = plain(f"{case.titel} {case.titelkode}".strip(), settings.lukket.personoplysning if offentlig else None)
    return clean(fill(settings.lukket.titel, titel=title)) if case.lukket else title


def _meta(project: Project, case_id: str, case: Sag, view: View) -> Meta:
    settings = project.settings
    public_closed = view.offentlig and case.lukket
    stage = case.sagsgang[view.stage]
    meeting = project.meetings.get(view.meeting_id) if view.meeting_id else None
    number = item_number(project, view.meeting_id, case_id) if view.meeting_id else None
    number = stage.punkt if stage.punkt is not None else number
    draft = view.udgave == "referat" and meeting is not None and meeting.status != "godkendt"
    return Meta(
        title=shown_title(project, case_id, view.offentlig),
        municipality=settings.kommune,
        header=fill(settings.møde.sidehoved, udvalg=settings.committee_name(stage.udvalg),
                    kode=stage.udvalg, dato=stage.dato),
        footer="" if view.in_packet else settings.møde.sidefod,
        item_label=fill(settings.møde.punkt, nummer=number) if number is not None else "",
        status_label=settings.lukket.mærkat if case.lukket else settings.lukket.åben_mærkat,
        case_number=("" if public_closed or not case.sagsnummer
                     else clean(fill(settings.møde.sagsnummer, sagsnummer=case.sagsnummer, kle=case.kle,
                                     dokumentnummer=case.dokumentnummer, enhed=case.enhed,
                                     sagsbehandler=case.sagsbehandler))),
        watermark=settings.møde.udkast if draft else "",
        date=stage.dato.isoformat(),
    )


def _shown_stages(case: Sag, view: View) -> list[Behandling]:
    """Earlier stages with a decision, and this meeting's in the minutes only."""
    shown = [s for s in case.sagsgang[: view.stage] if s.beslutning is not None]
    current = case.sagsgang[view.stage]
    if view.udgave == "referat" and current.beslutning is not None:
        shown.append(current)
    return shown


def _heading(section: Sektion, role: str = "section") -> list[Block]:
    return [Heading(2, text(section.overskrift), role=role)] if section.overskrift else []


def _with_empty_policy(section: Sektion, body: list[Block], role: str = "section",
                       kind: str = "") -> list[Block]:
    """The section with its heading; an empty one as the settings say (``tom``),
    for the case types it belongs to (``sagstyper``), else not at all."""
    if body:
        return _heading(section, role) + body
    if section.sagstyper and kind not in section.sagstyper:
        return []
    if section.tom == "tekst":
        return _heading(section, role) + [Paragraph(text(section.tom_tekst))]
    if section.tom == "overskrift":
        return _heading(section, role)
    return []


def _part(project: Project, case_id: str, case: Sag, part: Sektion, view: View,
          redact: str | None) -> list[Block]:
    settings = project.settings
    key, kind = part.nøgle, case.sagstype
    if key == "sagsgang" and settings.sagsgang_tabel:  # every committee, marked where the case goes
        return _with_empty_policy(part, [_route_table(settings, case)], "sagsgang", kind)
    if key == "sagsgang" and settings.sagsgang_linje.strip():  # a dated line for each treatment
        lines = [Paragraph(text(fill(settings.sagsgang_linje, udvalg=settings.committee_name(s.udvalg),
                                     kode=s.udvalg, dato=s.dato))) for s in case.sagsgang]
        return _with_empty_policy(part, lines, "sagsgang", kind)
    if key == "sagsgang":
        codes = settings.sagsgang_skilletegn.join(
            settings.committee_name(s.udvalg) if settings.sagsgang_navne else s.udvalg
            for s in _route(case))
        return _with_empty_policy(part, [Paragraph(text(codes))], "sagsgang", kind)
    if key == "beslutningskompetence":  # the committee that decides in the end, by name
        code = case.beslutningskompetence.strip()
        named = settings.committee(code)
        return _with_empty_policy(part, [Paragraph(text(named.navn if named else clean(code)))] if code else [],
                                  "beslutningskompetence", kind)
    if key == "forslagsstiller":  # who proposes a medlemsforslag
        who = plain(case.forslagsstiller, redact).strip()
        return _with_empty_policy(part, [Paragraph(text(who))] if who else [], "forslagsstiller", kind)
    if key == "indstilling":
        return _with_empty_policy(part, _indstilling(settings, case, redact), "indstilling", kind)
    if key == "beslutninger":
        body: list[Block] = []
        for stage in _shown_stages(case, view):
            body.extend(decision_blocks(project, case_id, stage, view, redact))
        return _with_empty_policy(part, body, "decisions", kind) if part.overskrift else body
    if key == "bilag":
        return _with_empty_policy(part, _bilag(settings, case, view, redact), "bilag", kind)
    if key == "ekstra":
        blocks: list[Block] = []
        for extra in case.ekstra_sektioner:
            if not extra.shown_on(view_day(case, view)):
                continue
            blocks.append(Heading(2, text(plain(extra.overskrift, redact))))
            blocks.extend(parse(extra.tekst, redact))
        return blocks
    source = case.section(key, view_day(case, view))
    return _with_empty_policy(part, list(parse(source, redact)) if source.strip() else [], kind=kind)


def _route_table(settings: Indstillinger, case: Sag) -> Table:
    """The route as a matrix (catalogue 2.6, Herning): a column for every committee,
    'x' where the case goes for a decision, '(x)' where only for information."""
    codes = [u.kode for u in settings.udvalg]
    marks = dict.fromkeys(codes, "")
    for stage in case.sagsgang:
        mark = "(x)" if stage.til_orientering else "x"
        if marks.get(stage.udvalg) != "x":  # a decision anywhere on the route outweighs information
            marks[stage.udvalg] = mark
    return Table(header=tuple(text(code) for code in marks), rows=(tuple(text(m) for m in marks.values()),),
                 align=("center",) * len(marks))


def _route(case: Sag) -> list[Behandling]:
    """The route as printed: each committee once, in order (a postponed item
    visits the same committee twice but the route names it once)."""
    seen: list[Behandling] = []
    for stage in case.sagsgang:
        if not seen or seen[-1].udvalg != stage.udvalg:
            seen.append(stage)
    return seen


def _indstilling(settings: Indstillinger, case: Sag, redact: str | None) -> list[Block]:
    ind = case.indstilling
    if ind is None:
        return []
    til = f" til {plain(ind.til, redact)}" if ind.til else ""
    pattern = settings.indstilling.indledning_pr_type.get(case.sagstype, settings.indstilling.indledning)
    opener = fill(pattern, indstiller=plain(ind.indstiller, redact), til=til, tekst=ind.tekst).rstrip()
    blocks: list[Block] = [Paragraph(parse_inline(opener, redact) or text(clean(opener)))]
    if len(ind.punkter) == 1 and settings.indstilling.ét_punkt == "linje":
        blocks.extend(parse(ind.punkter[0], redact))
    elif ind.punkter:
        items = tuple(ListItem(tuple(parse(p, redact)) or (Paragraph(text("")),)) for p in ind.punkter)
        form = settings.indstilling.punktform
        blocks.append(ListBlock(ordered=form != "punkttegn", items=items, delimiter=")" if form == "parentes" else "."))
    if settings.indstilling.efter_punkterne.strip():
        after = fill(settings.indstilling.efter_punkterne, indstiller=plain(ind.indstiller, redact), til=til,
                     tekst=ind.tekst).strip()
        blocks.append(Paragraph(parse_inline(after, redact) or text(clean(after))))
    return blocks


def view_day(case: Sag, view: View) -> dt.date:
    """The date of the meeting the paper is for (of the case's last decision, for the
    case on its own): what a section or bilag that came later ('fra') is held to."""
    return case.sagsgang[view.stage].dato


def _bilag(settings: Indstillinger, case: Sag, view: View, redact: str | None) -> list[Block]:
    items = []
    for n, b in enumerate(case.bilag, start=1):  # numbered in the case file's order, always
        if not b.shown_on(view_day(case, view)):
            continue
        shown = b.titel if (b.offentlig or not view.offentlig) else settings.bilag.ikke_offentligt
        items.append(ListItem((Paragraph(text(bilag_title(settings, n, plain(shown, redact)))),)))
    return [ListBlock(ordered=False, items=tuple(items))] if items else []


def bilag_title(settings: Indstillinger, number: int, title: str) -> str:
    """A bilag as the settings name it: "Kort over strækningen", or "Bilag 1: Kort …"."""
    return fill(settings.bilag.titel, nummer=number, titel=title)
