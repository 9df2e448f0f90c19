"""One stage's decision as blocks, in Danish conventions.

The heading ("Beslutning i Økonomiudvalget den 08-11-2022"), the decision text
or per-point lines ("Ad. 1-2 Tiltrådt."), votes ("For stemte: A, C og V (5)"),
statements, amendments, inhabilitet, substitutes and the "Afbud:" lines with
parties, all worded by the settings.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from . import danish
from .agenda import item_number
from .document import Block, Heading, Paragraph, text
from .markdown import parse, parse_inline
from .model import AdPunkter, Afstemning, Behandling, Beslutning, Fravær, Inhabil, Stemmer, parse_points
from .project import Project
from .settings import Indstillinger
from .textclean import clean

if TYPE_CHECKING:
    from .compose import View


def _fill(pattern: str, **values: object) -> str:
    from .compose import fill

    return fill(pattern, **values)


def _party(settings: Indstillinger, committee: str, name: str, given: str, day: dt.date | None) -> str:
    """The party written for a person, or the one the settings know: the entry that
    holds on ``day`` first (a member who changed party has one entry for each
    period, with 'fra' and 'til'), this committee's before the others'."""
    if given:
        return given
    udvalg = settings.committee(committee)
    people = (udvalg.medlemmer + udvalg.stedfortrædere) if udvalg else []
    for others in settings.udvalg:
        people += others.medlemmer + others.stedfortrædere
    named = [p for p in people if p.navn == name]
    held = [p for p in named if day is None or p.on(day)]
    return (held or named)[0].parti if named else ""


def person(settings: Indstillinger, committee: str, name: str, party: str = "",
           day: dt.date | None = None) -> str:
    """'Diana Therese Mikkelsen (Løsgænger)', as the settings write a name with its
    party (``navneform``) on ``day``; a name without a party stands alone."""
    party = _party(settings, committee, name, party, day)
    return clean(_fill(settings.navneform, navn=name, parti=party) if party else name)


def _line(s: str, redact: str | None, role: str = "") -> Paragraph:
    return Paragraph(parse_inline(s, redact) or text(clean(s)), role=role)


def _is_current(project: Project, stage: Behandling, view: View) -> bool:
    """Whether ``stage`` is the meeting the paper is made for."""
    return view.meeting_id is not None and project.meeting_for(stage.udvalg, stage.dato) == view.meeting_id


def heading_for(project: Project, stage: Behandling, view: View, number: int | None) -> str:
    settings = project.settings
    pattern = settings.beslutning.overskrift
    if _is_current(project, stage, view) and settings.beslutning.overskrift_aktuel:
        pattern = settings.beslutning.overskrift_aktuel
    return _fill_stage(project, pattern, stage, number)


def _fill_stage(project: Project, pattern: str, stage: Behandling, number: int | None) -> str:
    """``pattern`` with a stage's fields: {udvalg}, {kode}, {dato:FORMAT} and {punkt}."""
    return _fill(pattern, udvalg=project.settings.committee_name(stage.udvalg), kode=stage.udvalg,
                 dato=stage.dato, punkt=number if number is not None else "")


def _one_line(project: Project, stage: Behandling, view: View) -> str:
    """The pattern that stands for an earlier stage's heading and outcome text
    (beslutning.tidligere_linje, catalogue 5.2 'Upstream one-liner'), or ''."""
    decision = stage.beslutning
    if decision is None or decision.udfald is None or _is_current(project, stage, view):
        return ""
    return project.settings.beslutning.tidligere_linje.get(decision.udfald, "")


def _ad_line(settings: Indstillinger, ad: AdPunkter) -> str:
    points = parse_points(ad.punkter)
    b = settings.beslutning
    if len(points) == 1:
        return _fill(b.ad_enkelt, punkt=points[0], tekst=ad.tekst)
    if points == list(range(points[0], points[-1] + 1)):
        return _fill(b.ad_interval, fra=points[0], til=points[-1], tekst=ad.tekst)
    return _fill(b.ad_liste, punkter=danish.join_and([str(p) for p in points]), tekst=ad.tekst)


def _who(settings: Indstillinger, committee: str, votes: Stemmer, day: dt.date | None) -> dict[str, str]:
    """The fields of a vote line: {navne} (parties, then members), {antal} (the
    count, or empty when it is not known), {hvem} ("A, V og … (5)", or the count
    alone) and {partisæt} (the same as a set, "A+V+C", catalogue 5.4)."""
    names = [person(settings, committee, m.navn, m.parti, day) for m in votes.medlemmer]
    who = [clean(p).strip() for p in votes.partier] + names
    joined = danish.join_and(who)
    # Without an explicit count, members can be counted only when no party
    # (of unknown size) stands beside them.
    count = votes.antal
    if count is None and votes.medlemmer and not votes.partier:
        count = len(votes.medlemmer)
    shown = joined if count is None else f"{joined} ({count})" if joined else str(count)
    return {"hvem": shown, "navne": joined, "antal": "" if count is None else str(count),
            "partisæt": "+".join(w for w in who if w)}


def vote_blocks(settings: Indstillinger, committee: str, vote: Afstemning, redact: str | None,
                day: dt.date | None = None) -> list[Block]:
    b = settings.beslutning
    out: list[Block] = []
    if vote.emne:
        out.append(_line(_fill(b.afstemning_emne, emne=vote.emne), redact))
    result = [_line(vote.resultat, redact)] if vote.resultat else []
    if b.afstemning_resultat == "før":
        out += result
    for pattern, votes in ((b.afstemning_for, vote.for_), (b.afstemning_imod, vote.imod),
                           (b.afstemning_undlod, vote.undlod)):
        fields = _who(settings, committee, votes, day)
        if fields["hvem"]:
            out.append(Paragraph(text(_fill(pattern, **fields) + ".")))
    if b.afstemning_resultat == "efter":
        out += result
    return out


def _absence(settings: Indstillinger, committee: str, people: list[Fravær],
             redact: str | None, day: dt.date | None) -> list[Paragraph]:
    """One line per person: 'Navn (Parti)', with the reason as the settings put it
    (``absence_around``); a reason may carry ||personal data|| (an illness, say)
    and is redacted."""
    lines = []
    for p in people:
        line = person(settings, committee, p.navn, p.parti, day)
        if p.grund.strip():
            before, after = absence_around(settings, line)
            reason = parse_inline(p.grund, redact) or text(clean(p.grund))
            lines.append(Paragraph(text(before) + reason + (text(after) if after else ())))
        else:
            lines.append(Paragraph(text(line)))
    return lines


def _conflict_line(project: Project, stage: Behandling, entry: Inhabil) -> str:
    """'X (V) deltog ikke … på grund af inhabilitet.', with the substitute and the legal
    basis where the case names them; or, where the committee found the member not
    inhabil ('inhabil: nej'), 'Udvalget vurderede, at X (V) ikke var inhabil.'"""
    settings, b = project.settings, project.settings.beslutning
    who = person(settings, stage.udvalg, entry.navn, entry.parti, stage.dato)
    basis = clean(entry.hjemmel).strip().rstrip(".")
    if not entry.inhabil:
        line = _fill(b.habil, navn=who, udvalg=settings.committee_name(stage.udvalg))
        return _fill(b.habil_hjemmel, linje=line, hjemmel=basis) if basis else line
    if entry.stedfortræder:
        sub = person(settings, stage.udvalg, entry.stedfortræder, day=stage.dato)
        line = _fill(b.inhabil_stedfortræder, navn=who, stedfortræder=sub)
    else:
        line = _fill(b.inhabil, navn=who)
    return _fill(b.inhabil_hjemmel, linje=line, hjemmel=basis) if basis else line


def absence_around(settings: Indstillinger, name: str) -> tuple[str, str]:
    """The text before and after the reason in an absence line with a reason
    (beslutning.fravær_grund, e.g. '{navn}, {grund}' or '{navn} ({grund})')."""
    filled = _fill(settings.beslutning.fravær_grund, navn=name, grund="\0")
    before, _, after = filled.partition("\0")
    return clean(before), clean(after)


def decision_blocks(project: Project, case_id: str, stage: Behandling, view: View,
                    redact: str | None, *, closed: bool = False, heading: bool = True) -> list[Block]:
    """Heading and body of one stage's decision (the stage has one); the body alone
    without ``heading``, or for the current meeting where the settings print none
    (beslutning.overskrift_over_aktuel)."""
    settings = project.settings
    b = settings.beslutning
    decision: Beslutning = stage.beslutning  # type: ignore[assignment]
    meeting_id = project.meeting_for(stage.udvalg, stage.dato)
    meeting = project.meetings.get(meeting_id) if meeting_id else None
    number = stage.punkt
    if number is None and meeting_id:
        number = item_number(project, meeting_id, case_id)
    out: list[Block] = []
    one_line = _one_line(project, stage, view)
    if one_line:
        out.append(Paragraph(text(_fill_stage(project, one_line, stage, number))))
    elif heading and (b.overskrift_over_aktuel or not _is_current(project, stage, view)):
        out.append(Heading(2, text(heading_for(project, stage, view, number)), role="decision"))

    if decision.tekst.strip():
        out.extend(parse(decision.tekst, redact))
    for ad in decision.ad:
        out.append(_line(_ad_line(settings, ad), redact))
    if not decision.tekst.strip() and not decision.ad and decision.udfald and not one_line:
        out.append(Paragraph(text(b.udfald.get(decision.udfald, ""))))
    if closed:
        return out  # a public closed item shows the bare decision, never names

    # Amendments are put to the vote before the proposal they amend.
    for amendment in decision.ændringsforslag:
        target = _fill(b.ændringsforslag_til, punkt=amendment.punkt) if amendment.punkt is not None else ""
        if amendment.nummer.strip():
            line = _fill(b.ændringsforslag_nummereret, nummer=clean(amendment.nummer).strip(),
                         af=clean(amendment.af), til=target, tekst=amendment.tekst)
        else:
            line = _fill(b.ændringsforslag, af=clean(amendment.af), til=target, tekst=amendment.tekst)
        out.append(_line(line, redact))
        if amendment.afstemning:
            out.extend(vote_blocks(settings, stage.udvalg, amendment.afstemning, redact, stage.dato))
        said = amendment.afstemning is not None and amendment.afstemning.resultat
        if amendment.udfald and not said:
            out.append(Paragraph(text(_fill(b.ændringsforslag_udfald, udfald=amendment.udfald))))
    for vote in decision.afstemninger:
        out.extend(vote_blocks(settings, stage.udvalg, vote, redact, stage.dato))
    for statement in decision.udtalelser:
        said = f"”{statement.tekst.strip()}”" if statement.citat else statement.tekst.strip()
        pattern = b.udtalelser.get(statement.art, "{af}: {tekst}")
        out.append(_line(_fill(pattern, af=clean(statement.af), tekst=said), redact))
    for entry in decision.inhabilitet:
        out.append(Paragraph(text(_conflict_line(project, stage, entry))))
        if entry.begrundelse.strip():
            out.extend(parse(entry.begrundelse, redact))
        if entry.afstemning:
            out.extend(vote_blocks(settings, stage.udvalg, entry.afstemning, redact, stage.dato))
    substitutes = list(decision.stedfortrædere)
    if meeting and settings.gentag_afbud:
        substitutes = [s for s in meeting.stedfortrædere if s.covers(number)] + substitutes
    # A substitute for an inhabil member is already named in the inhabilitet line.
    covered = {(e.stedfortræder, e.navn) for e in decision.inhabilitet if e.stedfortræder}
    for sub in substitutes:
        if (sub.navn, sub.for_) in covered:
            continue
        who = person(settings, stage.udvalg, sub.navn, sub.parti, stage.dato)
        absent = person(settings, stage.udvalg, sub.for_, day=stage.dato) if sub.for_ else ""
        out.append(Paragraph(text(_fill(b.stedfortræder, navn=who, **{"for": absent}))))
    if decision.bemærkninger.strip():
        out.extend(parse(decision.bemærkninger, redact))

    for label, own, meeting_level in (
        (b.afbud, decision.afbud, meeting.afbud if meeting else []),
        (b.fraværende, decision.fraværende, meeting.fraværende if meeting else []),
        (b.uden_afbud, decision.uden_afbud, meeting.uden_afbud if meeting else []),
    ):
        people = ([m for m in meeting_level if m.covers(number)] if settings.gentag_afbud else []) + list(own)
        if people:
            out.append(Paragraph(text(label), role="label"))
            out.extend(_absence(settings, stage.udvalg, people, redact, stage.dato))
    return out
