"""Meeting + audience + edition → what the meeting-level documents say.

Compose (``compose.py``) decides what one case paper says; this module decides,
once, what the *meeting* documents say to each audience: the cover (committee,
date, time, place, members, absences), the table of contents, the item list of
``index.html`` and ``moede.json``, and which bilag files a reader gets.  The
assembly (``packet``, ``packetpdf``, ``oparl``) only lays these values out,
so no writer can show a closed item's title, case number or bilag by
forgetting a check.

Item titles, numbers, case numbers and status labels are taken from the
Document that ``compose_case`` makes for the same view, so the cover, the
contents and the paper itself can never disagree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from . import danish
from .agenda import agenda, group_of, signature_number, supplementary
from . import compose
from .compose import Udgave, View, compose_case, fill
from .decisions import absence_around, decision_blocks, person
from .document import Block, Document, Heading, ListBlock, ListItem, Meta, Paragraph, Strong, text
from .markdown import parse, plain
from .model import Fravær, Møde
from .outputs import slug
from .project import Project
from .textclean import clean

@dataclass(frozen=True)
class BilagShown:
    """One bilag file a reader of this audience gets."""

    index: int
    """1-based position in the case's bilag list; the same in both audiences, so
    "bilag 3" names the same file in the public and the internal version."""
    title: str
    """As the settings name a bilag (``bilag.titel``): "Kort over strækningen", "Bilag 1: …"."""
    source: Path
    """The PDF in the content root."""
    file_name: str
    """``03-1-kort-over-straekningen.pdf``: item number, position, the title's slug."""
    label: str = ""
    """The bilag in a packet's contents and over its pages: "Bilag: Kort …", or the
    title alone when the settings' name already says so ("Bilag 1: Kort …")."""


@dataclass(frozen=True)
class ItemShown:
    """One agenda item as an audience sees it in the meeting-level documents."""

    number: int
    label: str
    """The number as printed, e.g. "3." (settings: møde.punkt)."""
    title: str
    case_number: str
    """"Sagsnr.: 13/650", or empty when the audience may not see it."""
    status: str
    """"Lukket punkt" for a closed item, else empty (the contents stay quiet for open ones)."""
    closed: bool
    public_stub: bool
    bilag: tuple[BilagShown, ...]
    decision: tuple[Block, ...]
    """This meeting's decision (without its heading) in a referat, as the audience
    may read it: for a public closed item only where the settings publish closed
    decisions, and then without names or votes.  Empty in a dagsorden."""
    supplementary: bool = False
    """Put on the agenda after it was sent out (the meeting file's 'tillæg: ja')."""
    group: int = 0
    """An open item's group by its case type (``agenda.group_of``; settings: møde.grupper)."""


@dataclass(frozen=True)
class Cover:
    """The cover of a dagsorden or referat: every line already worded."""

    municipality: str
    committee: str
    edition_title: str
    art: str
    """"Ekstraordinært møde", or what the settings print for an ordinary meeting
    (møde.forside.ordinært, empty by default)."""
    facts: tuple[tuple[str, str], ...]
    """(label, value): date, start, end, place."""
    members_title: str
    members: tuple[tuple[str, str], ...]
    """("Kasper Juhl Vestergaard (V)", "Borgmester")."""
    absences: tuple[tuple[str, tuple[str, ...]], ...]
    """("Afbud:", ("Diana Therese Mikkelsen (Løsgænger), sygdom", …)), only non-empty groups."""
    notes: tuple[tuple[str, tuple[Block, ...]], ...]
    """Referat only: ("Godkendelse af dagsorden", blocks), ("Bemærkninger", blocks)."""
    closing: str
    """"Mødet hævet kl. 19.12." in a referat where set, else empty."""
    watermark: str
    """"UDKAST" on a referat whose meeting is not yet approved."""
    logo: str
    """The logo's path relative to the templates folder, or empty."""


# --------------------------------------------------------------------------- views


def stage_index(project: Project, meeting_id: str, case_id: str) -> int:
    """Where in the case's route the meeting's stage is."""
    meeting = project.meetings[meeting_id]
    route = project.cases[case_id].sagsgang
    return next(i for i, s in enumerate(route) if s.udvalg == meeting.udvalg and s.dato == meeting.dato)


def decided(project: Project, meeting_id: str, case_id: str) -> bool:
    """Whether the meeting has recorded its decision on the case."""
    case = project.cases[case_id]
    return case.sagsgang[stage_index(project, meeting_id, case_id)].beslutning is not None


def item_view(project: Project, meeting_id: str, case_id: str, edition: Udgave, public: bool,
              in_packet: bool) -> View:
    return View(meeting_id, stage_index(project, meeting_id, case_id), edition, public, in_packet)


def item_document(project: Project, meeting_id: str, case_id: str, edition: Udgave, public: bool,
                  in_packet: bool = False) -> Document:
    """The item's paper.  Inside a packet the watermark is left to the packet,
    which stamps it on every page (cover and bilag too), so it is never doubled.

    Remembered for the project it was made from: a build composes the same paper
    for the item's files, both packets and the meeting's index and JSON."""
    key = (meeting_id, case_id, edition, public, in_packet)
    with _COMPOSED_LOCK:
        found = _COMPOSED.get(key)
        if found is not None and found[0] is project:
            _COMPOSED.move_to_end(key)
            return found[1]
    doc = compose_case(project, case_id, item_view(project, meeting_id, case_id, edition, public,
                                                   in_packet))
    if in_packet and doc.meta.watermark:
        doc = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, watermark=""))
    with _COMPOSED_LOCK:
        _COMPOSED[key] = (project, doc)
        if len(_COMPOSED) > COMPOSED_KEPT:
            _COMPOSED.popitem(last=False)
    return doc


COMPOSED_KEPT = 1024
"""Papers remembered per process: a meeting's items in all their views, a few
meetings over (some 10 MB at most)."""
_COMPOSED: OrderedDict[tuple[object, ...], tuple[Project, Document]] = OrderedDict()
_COMPOSED_LOCK = threading.Lock()


SUPPLEMENT = "tillaegsdagsorden"
"""The whole-meeting document of the items added after the agenda went out; it
shows them as the dagsorden does (``edition_of``)."""


def edition_of(document: str) -> Udgave:
    """The edition a whole-meeting document shows its items in."""
    if document not in ("dagsorden", SUPPLEMENT, "referat"):
        raise ValueError(f"unknown meeting document {document!r}")
    return "referat" if document == "referat" else "dagsorden"


def documents(project: Project, meeting_id: str) -> tuple[str, ...]:
    """The whole-meeting documents: the dagsorden; a tillægsdagsorden when items
    were added after it went out (settings: møde.tillægsdagsorden); the referat
    once the meeting has decided any item."""
    out = ["dagsorden"]
    added = supplementary(project.meetings[meeting_id])
    if clean(project.settings.møde.tillægsdagsorden).strip() and any(
            a.case_id in added for a in agenda(project, meeting_id)):
        out.append(SUPPLEMENT)
    return (*out, *editions(project, meeting_id)[1:])


def editions(project: Project, meeting_id: str) -> tuple[Udgave, ...]:
    """The agenda always; the minutes once the meeting has decided any of its items."""
    ids = [i.case_id for i in agenda(project, meeting_id)]
    if any(decided(project, meeting_id, cid) for cid in ids):
        return ("dagsorden", "referat")
    return ("dagsorden",)


def latest_edition(project: Project, meeting_id: str, case_id: str) -> Udgave:
    """What a single item's file shows: the minutes once decided, else the agenda."""
    return "referat" if decided(project, meeting_id, case_id) else "dagsorden"


# --------------------------------------------------------------------------- items


def item_shown(project: Project, meeting_id: str, case_id: str, edition: Udgave,
               public: bool, doc: Document | None = None) -> ItemShown:
    """What the meeting documents say about one item, taken from its own paper
    (``doc``: that paper in the packet, when the caller has it already)."""
    case = project.cases[case_id]
    number = next(i.number for i in agenda(project, meeting_id) if i.case_id == case_id)
    doc = doc or item_document(project, meeting_id, case_id, edition, public, in_packet=True)
    stub = public and case.lukket
    bilag = bilag_shown(project, meeting_id, number, case_id, public)
    decision: tuple[Block, ...] = ()
    if edition == "referat" and decided(project, meeting_id, case_id) and (
            not stub or project.settings.lukket.offentliggør_beslutning):
        view = item_view(project, meeting_id, case_id, edition, public, in_packet=True)
        redact = project.settings.lukket.personoplysning if public else None
        decision = tuple(decision_blocks(project, case_id, case.sagsgang[view.stage], view, redact,
                                         closed=stub, heading=False))
    return ItemShown(
        number=number,
        label=doc.meta.item_label or fill(project.settings.møde.punkt, nummer=number),
        title=doc.meta.title,
        case_number=doc.meta.case_number,
        status=project.settings.lukket.mærkat if case.lukket else "",
        closed=case.lukket,
        public_stub=stub,
        bilag=bilag,
        decision=decision,
        supplementary=case_id in supplementary(project.meetings[meeting_id]),
        group=0 if case.lukket else group_of(project, case.sagstype),
    )


def bilag_shown(project: Project, meeting_id: str, number: int, case_id: str,
                public: bool) -> tuple[BilagShown, ...]:
    """The bilag files a reader gets with item ``number``: none of a closed item in
    public, in public none marked not public, and none that came after this meeting
    ('fra')."""
    case = project.cases[case_id]
    if public and case.lukket:
        return ()
    day = project.meetings[meeting_id].dato
    out = []
    for n, b in enumerate(case.bilag, start=1):
        if (b.offentlig or not public) and b.shown_on(day):
            title = plain(b.titel, project.settings.lukket.personoplysning if public else None)
            named = compose.bilag_title(project.settings, n, title)
            out.append(BilagShown(n, named, project.root / b.fil, f"{number:02d}-{n}-{slug(title, 50)}.pdf",
                                  named if project.settings.bilag.numbered else f"{clean(project.settings.bilag.mærkat)} {named}"))
    return tuple(out)


def shown_title(project: Project, meeting_id: str, case_id: str, public: bool) -> str:
    """The item's title exactly as its paper prints it, for file names and
    contents lines (compose owns the rule)."""
    return compose.shown_title(project, case_id, public)


def item_stem(number: int, title: str) -> str:
    """``03-cykelsti-oersted-allingaabro``: the file stem of an item's papers."""
    return f"{number:02d}-{slug(title)}"


# --------------------------------------------------------------------------- cover


def packet_title(project: Project, meeting_id: str, edition: str) -> str:
    """"Kommunalbestyrelsen – Dagsorden 15-11-2022": the PDF/DOCX title property."""
    meeting = project.meetings[meeting_id]
    day = danish.format_date(meeting.dato, project.settings.datoer.overskrift)
    return f"{_committee_name(project, meeting)} – {edition_title(project, meeting_id, edition)} {day}"


def edition_title(project: Project, meeting_id: str, edition: str) -> str:
    """"Dagsorden", "Tillægsdagsorden", "Referat" (settings: møde.dagsorden,
    møde.tillægsdagsorden, møde.referat, which may name the committee and the date)
    for a whole-meeting document (``documents``)."""
    meeting = project.meetings[meeting_id]
    texts = project.settings.møde
    pattern = {"dagsorden": texts.dagsorden, SUPPLEMENT: texts.tillægsdagsorden,
               "referat": texts.referat}[edition]
    return clean(fill(pattern,
                      udvalg=_committee_name(project, meeting), kode=meeting.udvalg, dato=meeting.dato))


def packet_meta(project: Project, meeting_id: str, edition: str) -> Meta:
    """Page furniture of the whole-meeting documents."""
    meeting = project.meetings[meeting_id]
    settings = project.settings
    return Meta(
        title=packet_title(project, meeting_id, edition),
        municipality=settings.kommune,
        header=fill(settings.møde.sidehoved, udvalg=_committee_name(project, meeting),
                    kode=meeting.udvalg, dato=meeting.dato),
        footer=settings.møde.sidefod,
        watermark=_watermark(project, meeting, edition),
        date=meeting.dato.isoformat(),
    )


def cover(project: Project, meeting_id: str, edition: str, public: bool) -> Cover:
    """The cover's lines.  Meeting-level attendance is public record; reasons
    and remarks marked ||…|| are personal data and replaced in public."""
    meeting = project.meetings[meeting_id]
    settings = project.settings
    redact = settings.lukket.personoplysning if public else None
    committee = settings.committee(meeting.udvalg)
    words = settings.møde.forside
    facts = [(clean(words.dato), danish.format_date(meeting.dato, settings.datoer.prosa))]
    if meeting.start:
        facts.append((clean(words.start), clock(project, meeting.start)))
    if meeting.slut:
        facts.append((clean(words.slut), clock(project, meeting.slut)))
    if meeting.sted:
        facts.append((clean(words.sted), clean(meeting.sted)))
    members = tuple((person(settings, meeting.udvalg, m.navn, m.parti, meeting.dato), clean(m.rolle))
                    for m in (committee.members_on(meeting.dato) if committee else []))
    absences = ([(clean(words.tilstede), present(project, meeting))]
                if edition == "referat" and clean(words.tilstede).strip() else [])
    absences += [(label, tuple(_absence_line(project, meeting, p, redact) for p in people))
                for label, people in ((settings.beslutning.afbud, meeting.afbud),
                                      (settings.beslutning.fraværende, meeting.fraværende),
                                      (settings.beslutning.uden_afbud, meeting.uden_afbud)) if people]
    nobody = clean(words.ingen_afbud).strip()
    if nobody and not (meeting.afbud or meeting.fraværende or meeting.uden_afbud):
        absences.append((settings.beslutning.afbud, (nobody,)))
    if meeting.stedfortrædere:
        absences.append((clean(words.stedfortrædere), tuple(
            (clean(fill(words.stedfortræder, navn=person(settings, meeting.udvalg, s.navn, s.parti, meeting.dato),
                        **{"for": person(settings, meeting.udvalg, s.for_, day=meeting.dato)}))
             if s.for_ else person(settings, meeting.udvalg, s.navn, s.parti, meeting.dato))
            + _only_items(project, s.punkter)
            for s in meeting.stedfortrædere)))
    notes: list[tuple[str, tuple[Block, ...]]] = []
    closing = ""
    if edition == "referat":
        for label, source in ((clean(words.godkendelse), meeting.godkendelse_af_dagsorden),
                              (clean(words.bemærkninger), meeting.bemærkninger)):
            if source.strip():
                notes.append((label, parse(source, redact)))
        if meeting.hævet:
            closing = clean(fill(words.hævet, tid=_clock_time(project, meeting.hævet)))
        conflicted = _conflicted(project, meeting_id, public)
        if clean(words.inhabilitet).strip() and conflicted:
            absences.append((clean(words.inhabilitet), conflicted))
    return Cover(
        municipality=settings.kommune,
        committee=_committee_name(project, meeting),
        edition_title=edition_title(project, meeting_id, edition),
        art=clean(words.ekstraordinært if meeting.art == "ekstraordinært" else words.ordinært),
        facts=tuple(facts),
        members_title=clean(words.medlemmer),
        members=members,
        absences=tuple(absences),
        notes=tuple(notes),
        closing=closing,
        watermark=_watermark(project, meeting, edition),
        logo=_logo(project),
    )


def _conflicted(project: Project, meeting_id: str, public: bool) -> tuple[str, ...]:
    """"Bjarne Åkjær Nielsen (V) (punkt 4)" for each member the meeting's decisions
    record as inhabil, with the items (settings: møde.forside.inhabilitet).  The
    public cover leaves out a closed item's: its decision names nobody there."""
    meeting = project.meetings[meeting_id]
    found: dict[str, list[int]] = {}
    for item in agenda(project, meeting_id):
        if public and item.closed:
            continue
        decision = item.case.sagsgang[stage_index(project, meeting_id, item.case_id)].beslutning
        for entry in decision.inhabilitet if decision else ():
            if not entry.inhabil:
                continue
            name = person(project.settings, meeting.udvalg, entry.navn, entry.parti, meeting.dato)
            found.setdefault(name, []).append(item.number)
    return tuple(name + _only_items(project, danish.join_and([str(n) for n in dict.fromkeys(numbers)]))
                 for name, numbers in found.items())


@dataclass(frozen=True)
class SignatureSheet:
    """The last page of a referat where the settings ask for one (møde.underskriftsark)."""

    title: str
    intro: str
    names: tuple[str, ...]
    """Who signs: the committee's members who were there (not away from the whole
    meeting), then the meeting's stedfortrædere, as "Navn (Parti)"."""
    label: str = ""
    """Its number as an item's is printed ("9."), where the sheet is the referat's last,
    numbered item (møde.underskriftsark_som_punkt); else empty."""

    @property
    def heading(self) -> str:
        return f"{self.label} {self.title}" if self.label else self.title


def signature_sheet(project: Project, meeting_id: str, edition: str) -> SignatureSheet | None:
    """The referat's signature sheet, or None (a dagsorden, or none in the settings).
    Who signs is meeting-level attendance, public record like the cover's."""
    texts = project.settings.møde
    if edition != "referat" or not clean(texts.underskriftsark).strip():
        return None
    number = signature_number(project, meeting_id)
    return SignatureSheet(clean(texts.underskriftsark).strip(), clean(texts.underskriftsark_tekst).strip(),
                          present(project, project.meetings[meeting_id]),
                          "" if number is None else fill(texts.punkt, nummer=number))


def present(project: Project, meeting: Møde) -> tuple[str, ...]:
    """Who was at the meeting, as "Navn (Parti)": the committee's members that day
    who were not away from all of it, then the meeting's stedfortrædere."""
    settings = project.settings
    committee = settings.committee(meeting.udvalg)
    away = {p.navn for p in (*meeting.afbud, *meeting.fraværende, *meeting.uden_afbud) if not p.punkter}
    names = [person(settings, meeting.udvalg, m.navn, m.parti)
             for m in (committee.members_on(meeting.dato) if committee else []) if m.navn not in away]
    names += [person(settings, meeting.udvalg, s.navn, s.parti, meeting.dato) for s in meeting.stedfortrædere]
    return tuple(dict.fromkeys(names))


def bilag_overview_title(project: Project, items: list[ItemShown]) -> str:
    """The heading of the packet's closing list of every bilag (settings:
    møde.bilagsoversigt), or empty: none asked for, or no bilag to list."""
    title = clean(project.settings.møde.bilagsoversigt).strip()
    return title if title and any(s.bilag for s in items) else ""


def bilag_overview_blocks(title: str, items: list[ItemShown]) -> list[Block]:
    """The list of every bilag for the Word packet, which has no bilag pages to
    number: each bilag after its item's number."""
    return [Heading(1, text(title), role="bilagsoversigt"),
            *(Paragraph(text(f"{s.label} {b.title}")) for s in items for b in s.bilag)]


def signature_blocks(sheet: SignatureSheet) -> list[Block]:
    """The signature sheet as Document blocks, for the Word packet: a line to sign
    on over each name."""
    blocks: list[Block] = [Heading(1, text(sheet.heading), role="signatures")]
    if sheet.intro:
        blocks.append(Paragraph(text(sheet.intro)))
    for name in sheet.names:
        blocks += [Paragraph(()), Paragraph(text(SIGNATURE_LINE)), Paragraph(text(name))]
    return blocks


SIGNATURE_LINE = "_" * 45
"""What the Word packet signs on, about 9 cm in the house font; the PDF draws a 9 cm rule."""


def clock(project: Project, value: object) -> str:
    """"kl. 16.00" (settings: møde.forside.klokken)."""
    return clean(fill(project.settings.møde.forside.klokken, tid=_clock_time(project, value)))


def _clock_time(project: Project, value: object) -> str:
    """"16.00" or "16:00", as the settings write a time (datoer.klokkeslæt)."""
    return danish.format_time(_time(value), project.settings.datoer.klokkeslæt[2])


def group_headings(project: Project, items: list[ItemShown], document: str = "dagsorden") -> list[str]:
    """For each item, the group heading to print before it in the contents and on the
    meeting's page: where the open items begin, where those added after the agenda
    went out do, and where the closed ones do (once more wherever a fixed order
    switches between them), as far as the settings name the groups
    (møde.grupper by case type, møde.åbne_punkter, møde.tillæg, møde.lukkede_punkter);
    else empty.  In the tillægsdagsorden every item was added, so those are just open
    items there."""
    texts = project.settings.møde
    added = texts.åbne_punkter if document == SUPPLEMENT else texts.tillæg
    names: dict[object, str] = {"added": added, "closed": texts.lukkede_punkter,
                                **{k: g.overskrift for k, g in enumerate(texts.grupper)},
                                len(texts.grupper): texts.åbne_punkter}
    out: list[str] = []
    before: object = None
    for it in items:
        group = "closed" if it.closed else "added" if it.supplementary else it.group
        out.append(clean(names[group]).strip() if group != before else "")
        before = group
    return out


def cover_blocks(c: Cover, items: list[ItemShown], contents_title: str,
                 groups: list[str] | None = None, extra: list[str] | None = None) -> list[Block]:
    """The cover and contents as Document blocks, for the Word packet.  Its page
    numbers only Word (or LibreOffice) knows, so each contents line has the role
    ``contents`` and the writer points it at the n-th item title after it.
    ``extra``: lines after the items' (a numbered signature sheet), whose titles
    follow the items' in the same order."""
    blocks: list[Block] = [Heading(1, text(c.edition_title), role="title"),
                           Paragraph((Strong(text(c.committee)),))]
    if c.art:
        blocks.append(Paragraph(text(c.art)))
    blocks.extend(Paragraph(text(f"{label} {value}")) for label, value in c.facts)
    if c.members:
        blocks.append(Heading(2, text(c.members_title)))
        blocks.append(ListBlock(False, tuple(
            ListItem((Paragraph(text(f"{name}, {role}" if role else name)),)) for name, role in c.members)))
    for label, lines in c.absences:
        blocks.append(Paragraph(text(label), role="label"))
        blocks.extend(Paragraph(text(line)) for line in lines)
    for label, body in c.notes:
        blocks.append(Heading(2, text(label)))
        blocks.extend(body)
    if c.closing:
        blocks.append(Paragraph(text(c.closing)))
    blocks.append(Heading(1, text(contents_title)))  # a page of its own, as in the PDF
    for it, group in zip(items, groups or [""] * len(items), strict=True):
        if group:
            blocks.append(Paragraph((Strong(text(group)),), role="label"))
        line = f"{it.label} {it.title}" + (f" ({it.status})" if it.status else "")
        blocks.append(Paragraph(text(line), role="contents"))
    blocks.extend(Paragraph(text(line), role="contents") for line in extra or [])
    return blocks


def packet_item_blocks(doc: Document) -> list[Block]:
    """One item's blocks inside the Word packet: the number goes into the title
    text (the writer gives only a document's first title the meta label), and the
    case number and status follow as a line of their own."""
    title, rest = doc.blocks[0], doc.blocks[1:]
    assert isinstance(title, Heading) and title.level == 1
    label = doc.meta.item_label
    head = Heading(1, (text(label + " ") if label else ()) + title.children, role=title.role)
    facts = "   ".join(s for s in (doc.meta.case_number, doc.meta.status_label) if s)
    return [head] + ([Paragraph(text(facts))] if facts else []) + list(rest)


# --------------------------------------------------------------------------- helpers


def _committee_name(project: Project, meeting: Møde) -> str:
    return project.settings.committee_name(meeting.udvalg)


def _watermark(project: Project, meeting: Møde, edition: str) -> str:
    return project.settings.møde.udkast if edition == "referat" and meeting.status != "godkendt" else ""


def _absence_line(project: Project, meeting: Møde, p: Fravær, redact: str | None) -> str:
    line = person(project.settings, meeting.udvalg, p.navn, p.parti, meeting.dato)
    if p.grund.strip():
        before, after = absence_around(project.settings, line)
        line = before + plain(p.grund, redact) + after
    return line + _only_items(project, p.punkter)


def _only_items(project: Project, points: str) -> str:
    """" (punkt 3-5)" after a name on the cover whose absence or substitution
    covers only some items (settings: møde.forside.punkter); empty for the whole
    meeting."""
    return clean(fill(project.settings.møde.forside.punkter, punkter=points)) if points else ""


def _time(value: object) -> dt.time:
    """Meeting clock fields are times or "HH.MM"/"HH:MM" strings, by schema."""
    if isinstance(value, dt.time):
        return value
    hours, minutes = str(value).replace(".", ":").split(":")[:2]
    return dt.time(int(hours), int(minutes))


def _logo(project: Project) -> str:
    """The settings' logo relative to the templates folder, when it lies there."""
    if not project.settings.logo:
        return ""
    path = (project.root / project.settings.logo).resolve()
    templates = (project.root / "templates").resolve()
    if path.is_file() and path.is_relative_to(templates) and path.suffix.lower() in (".svg", ".png"):
        return path.relative_to(templates).as_posix()
    return ""
