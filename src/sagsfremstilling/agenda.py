"""A meeting's agenda: which cases, in which order, with which numbers.

The same numbers serve the agenda, the minutes and every case paper, so they
are computed here once: open items first and closed after (unless the meeting
fixes its own order), numbered from 1 per meeting or running through the year
per committee, as the settings say.  A number written in the meeting file wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Møde, Sag
from .project import Project


@dataclass(frozen=True)
class AgendaItem:
    number: int
    case_id: str
    case: Sag

    @property
    def closed(self) -> bool:
        return self.case.lukket


def ordered_case_ids(meeting: Møde, project: Project) -> list[str]:
    """The meeting's case ids in the order they are treated."""
    ids = [p.sag for p in meeting.punkter if p.sag in project.cases]
    if meeting.fast_rækkefølge:
        return ids
    added = supplementary(meeting)

    def place(case_id: str) -> tuple[int, int]:
        # Open items (by the settings' groups), then those added later, then closed items.
        case = project.cases[case_id]
        if case.lukket:
            return (2, 0)
        return (1, 0) if case_id in added else (0, group_of(project, case.sagstype))

    return sorted(ids, key=place)  # stable: each group keeps the meeting file's order


def group_of(project: Project, sagstype: str) -> int:
    """The place of an open item's group (settings: møde.grupper) by its case type;
    one past the last for a type no group names."""
    groups = project.settings.møde.grupper
    return next((k for k, g in enumerate(groups) if sagstype in g.sagstyper), len(groups))


def supplementary(meeting: Møde) -> set[str]:
    """The cases put on the agenda after it was sent out ('tillæg: ja')."""
    return {p.sag for p in meeting.punkter if p.tillæg}


def numbering_period(project: Project, meeting: Møde) -> tuple[str, int] | None:
    """The run of meetings whose items are numbered on from each other: None when
    every meeting starts at 1, else (committee, year), or (committee, first year of
    the election term) for numbering through the term.  Municipal terms begin on
    1 January after the elections: 2022, 2026, 2030 …"""
    kind = project.settings.nummerering
    if kind == "pr_møde":
        return None
    year = meeting.dato.year
    return (meeting.udvalg, year - (year - 2) % 4 if kind == "løbende_valgperiode" else year)


def _first_number(project: Project, meeting_id: str) -> int:
    """1, or for running numbering the count of items on the committee's
    earlier meetings in the period (the year, or the election term), plus one."""
    meeting = project.meetings[meeting_id]
    period = numbering_period(project, meeting)
    if period is None:
        return 1
    earlier = [
        m for mid, m in project.meetings.items()
        if numbering_period(project, m) == period and (m.dato, mid) < (meeting.dato, meeting_id)
    ]
    return 1 + sum(len(ordered_case_ids(m, project)) + numbered_sheet(project) for m in earlier)


def numbered_sheet(project: Project) -> int:
    """1 where every meeting's referat ends with a numbered signature sheet (settings:
    møde.underskriftsark and underskriftsark_som_punkt), which takes a number of its own."""
    møde = project.settings.møde
    return int(bool(møde.underskriftsark.strip()) and møde.underskriftsark_som_punkt)


def signature_number(project: Project, meeting_id: str) -> int | None:
    """The number of the meeting's signature sheet, one past its last item, where the
    sheet is numbered; else None."""
    if not numbered_sheet(project):
        return None
    items = agenda(project, meeting_id)
    return items[-1].number + 1 if items else _first_number(project, meeting_id)


def agenda(project: Project, meeting_id: str) -> list[AgendaItem]:
    """The meeting's items, numbered (worked out once per loaded project: a
    packet asks for every item's number, and running numbering counts every
    earlier meeting of the year)."""
    found = project.agendas.get(meeting_id)
    if found is None:
        found = project.agendas[meeting_id] = tuple(_agenda(project, meeting_id))
    return list(found)


def _agenda(project: Project, meeting_id: str) -> list[AgendaItem]:
    meeting = project.meetings[meeting_id]
    fixed = {p.sag: p.nummer for p in meeting.punkter if p.nummer is not None}
    number = _first_number(project, meeting_id)
    items: list[AgendaItem] = []
    for cid in ordered_case_ids(meeting, project):
        items.append(AgendaItem(fixed.get(cid, number), cid, project.cases[cid]))
        number = fixed.get(cid, number) + 1
    return items


def item_number(project: Project, meeting_id: str, case_id: str) -> int | None:
    """The number ``case_id`` has on ``meeting_id``'s agenda, if it is on it."""
    return next((i.number for i in agenda(project, meeting_id) if i.case_id == case_id), None)
