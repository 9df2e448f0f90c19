"""``moede.json``: one meeting shaped after OParl 1.1, for others to reuse.

OParl (https://oparl.org/spezifikation/) is the German open standard for
council information systems; its objects fit a Danish meeting well.  The file
is one ``Meeting`` with its objects embedded where OParl would link them:
``agendaItem`` → ``AgendaItem`` → ``consultation`` (a ``Consultation``) →
``paper`` (a ``Paper``), and ``File`` objects for every file in the folder,
with ``sha512Checksum``, ``size``, ``mimeType`` and ``accessUrl``.  Ids and
URLs are absolute in the public version when the settings give the address it
is published at (``møde.adresse``, e.g. ``https://norddjurs.dk/moeder/{moede}/``),
as OParl wants them; otherwise, and always in the internal version, they are
relative to the folder (``moede.json#punkt-3``, ``punkter/03-….pdf``).

Extensions keep OParl's rule of a prefix: ``sagsfremstilling:sagsgang``.
In the public version a closed item is an ``AgendaItem`` with ``number``,
``name`` (its public title) and ``public: false`` only, plus its
``resolutionText`` where the settings publish closed decisions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import danish
from . import meeting_compose as mc
from .compose import fill
from .document import plain_text
from .writers import RenderOptions

if TYPE_CHECKING:
    from .packet import ItemPlan, MeetingPlan
    from .project import Project

OPARL = "https://schema.oparl.org/1.1/"
MEETING_ID = "moede.json"
TIMEZONE = "Europe/Copenhagen"
MIME = {"pdf": "application/pdf", "html": "text/html",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
ROLES = {"beslutning": "Beslutning", "orientering": "Orientering", "drøftelse": "Drøftelse",
         "meddelelse": "Meddelelse", "medlemsforslag": "Medlemsforslag"}


def meeting_json(project: Project, plan: MeetingPlan, options: RenderOptions,
                 files: dict[str, bytes]) -> bytes:
    """The meeting as OParl-shaped JSON: sorted keys, UTF-8, same input → same bytes."""
    meeting = project.meetings[plan.meeting_id]
    latest = plan.editions[-1]
    cover = mc.cover(project, plan.meeting_id, latest, plan.public)  # type: ignore[arg-type]
    stamp = dt.datetime.fromtimestamp(options.timestamp, dt.UTC).isoformat().replace("+00:00", "Z")
    day = danish.format_date(meeting.dato, project.settings.datoer.prosa)
    obj: dict[str, Any] = {
        "type": OPARL + "Meeting",
        "id": MEETING_ID,
        "name": f"{cover.committee}, {day}",
        "meetingState": meeting.status,
        "cancelled": False,
        "organization": [{"type": OPARL + "Organization", "id": f"{MEETING_ID}#udvalg",
                          "name": cover.committee, "shortName": meeting.udvalg}],
        "agendaItem": [],
        "web": "index.html",
        "created": stamp,
        "modified": stamp,
    }
    if meeting.start:
        obj["start"] = _when(meeting.dato, meeting.start)
    if meeting.slut:
        obj["end"] = _when(meeting.dato, meeting.slut)
    if meeting.sted:
        obj["location"] = {"type": OPARL + "Location", "id": f"{MEETING_ID}#sted",
                           "description": meeting.sted}
    _put(obj, "invitation", _file("dagsorden.pdf", files, stamp))
    _put(obj, "resultsProtocol", _file("referat.pdf", files, stamp))
    obj["auxiliaryFile"] = _files([f"{d}.docx" for d in plan.documents]
                                  + [f"{d}.pdf" for d in plan.documents if d == mc.SUPPLEMENT], files, stamp)
    from .packet import shown_items

    for order, (item, s) in enumerate(zip(plan.items, shown_items(project, plan, latest)), start=1):
        obj["agendaItem"].append(_agenda_item(project, plan, item, s, order, files, stamp))
    address = project.settings.møde.adresse
    if plan.public and address:
        _absolute(obj, fill(address, moede=plan.meeting_id))
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


ADDRESSES = frozenset({"id", "meeting", "agendaItem", "web", "accessUrl", "downloadUrl"})
"""Keys whose text values are addresses relative to the meeting's folder."""


def _absolute(node: Any, base: str) -> None:
    """Prefix every relative address under ``node`` with ``base`` (ending in "/")."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ADDRESSES and isinstance(value, str):
                node[key] = base + value
            else:
                _absolute(value, base)
    elif isinstance(node, list):
        for value in node:
            _absolute(value, base)


def _agenda_item(project: Project, plan: MeetingPlan, item: ItemPlan, s: mc.ItemShown, order: int,
                 files: dict[str, bytes], stamp: str) -> dict[str, Any]:
    from .packet import case_of

    cid = case_of(project, plan, item)
    item_id = f"{MEETING_ID}#punkt-{s.number}"
    out: dict[str, Any] = {
        "type": OPARL + "AgendaItem",
        "id": item_id,
        "meeting": MEETING_ID,
        "number": str(s.number),
        "order": order,
        "name": s.title,
        "public": not s.closed,
    }
    if s.decision:
        out["resolutionText"] = "\n".join(plain_text(b) for b in s.decision)
    if item.public_stub:
        return out  # number, public title, public: false (and a published decision): nothing else
    case = project.cases[cid]
    web = f"punkter/{item.stem}.html"
    out["web"] = web
    if s.decision:  # the item's own file is its referat once the meeting has decided it
        _put(out, "resolutionFile", _file(f"punkter/{item.stem}.pdf", files, stamp, s.title))
        stage = case.sagsgang[mc.stage_index(project, plan.meeting_id, cid)]
        if stage.beslutning and stage.beslutning.udfald:
            out["result"] = project.settings.beslutning.udfald.get(stage.beslutning.udfald, "")
    paper: dict[str, Any] = {
        "type": OPARL + "Paper",
        "id": f"{MEETING_ID}#sag-{s.number}",
        "name": s.title,
        "paperType": ROLES.get(case.sagstype, case.sagstype),
        "auxiliaryFile": [f for b in s.bilag
                          if (f := _file(f"bilag/{b.file_name}", files, stamp, b.title)) is not None],
        "web": web,
        "sagsfremstilling:sagsgang": [
            {"udvalg": st.udvalg, "dato": st.dato.isoformat()} for st in case.sagsgang],
    }
    _put(paper, "mainFile", _file(f"punkter/{item.stem}.pdf", files, stamp, s.title))
    if case.sagsnummer:
        paper["reference"] = case.sagsnummer
    paper["date"] = case.sagsgang[0].dato.isoformat()
    out["consultation"] = {
        "type": OPARL + "Consultation",
        "id": f"{item_id}-behandling",
        "meeting": MEETING_ID,
        "agendaItem": item_id,
        "paper": paper,
        "authoritative": case.beslutningskompetence == project.meetings[plan.meeting_id].udvalg,
        "role": ROLES.get(case.sagstype, case.sagstype),
    }
    return out


def _put(obj: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` only when there is a value: OParl leaves out what is not known."""
    if value is not None:
        obj[key] = value


def _files(paths: list[str], files: dict[str, bytes], stamp: str) -> list[dict[str, Any]]:
    return [f for path in paths if (f := _file(path, files, stamp)) is not None]


def _file(path: str, files: dict[str, bytes], stamp: str, name: str = "") -> dict[str, Any] | None:
    """A File for ``path`` among the files written, or None when it was not written."""
    data = files.get(path)
    if data is None:
        return None
    file_name = path.rsplit("/", 1)[-1]
    return {
        "type": OPARL + "File",
        "id": f"{MEETING_ID}#fil-{path}",
        "name": name or file_name,
        "fileName": file_name,
        "mimeType": MIME.get(file_name.rsplit(".", 1)[-1], "application/octet-stream"),
        "size": len(data),
        "sha512Checksum": hashlib.sha512(data).hexdigest(),
        "accessUrl": path,
        "downloadUrl": path,
        "created": stamp,
        "modified": stamp,
    }


def _when(day: dt.date, clock: dt.time) -> str:
    """Local Danish time with its offset ("2022-11-15T16:00:00+01:00")."""
    try:
        zone: dt.tzinfo | None = ZoneInfo(TIMEZONE)
    except ZoneInfoNotFoundError:  # no time zone data: a local time without offset
        zone = None
    return dt.datetime.combine(day, clock, tzinfo=zone).isoformat()
