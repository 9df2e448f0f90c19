"""What a paper says for a given meeting, edition and audience (compose)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sagsfremstilling import danish
from sagsfremstilling.agenda import item_number
from sagsfremstilling.compose import compose_case, resolve_view
from sagsfremstilling.document import plain_text
from sagsfremstilling.errors import InputError
from sagsfremstilling.markdown import normalise_lists, parse
from sagsfremstilling.project import load_project

ROOT = Path(__file__).resolve().parents[1]
REF = "2022/aendret-praksis-dialogforum"


@pytest.fixture(scope="module")
def project():  # type: ignore[no-untyped-def]
    p, problems = load_project(ROOT)
    assert problems == []
    return p


def _headings(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [plain_text(b) for b in doc.blocks if b.type == "heading"]


def test_default_view_is_after_latest_decision(project) -> None:  # type: ignore[no-untyped-def]
    view = resolve_view(project, REF)
    assert (view.meeting_id, view.udgave) == ("kb-2022-11-15", "referat")


def test_agenda_never_shows_this_meetings_decision(project) -> None:  # type: ignore[no-untyped-def]
    doc = compose_case(project, REF, resolve_view(project, REF, "kb-2022-11-15", "dagsorden"))
    heads = _headings(doc)
    assert "Beslutning i Økonomiudvalget den 08-11-2022" in heads
    assert not any(h.startswith("Beslutning i Kommunalbestyrelsen") for h in heads)


def test_the_current_decision_may_stand_without_a_heading(project) -> None:  # type: ignore[no-untyped-def]
    """beslutning.overskrift_over_aktuel (catalogue 5.2: 'No heading – result sentence
    only'): the meeting's own decision loses its heading, earlier ones keep theirs."""
    import dataclasses

    view = resolve_view(project, REF, "kb-2022-11-15", "referat")
    before = compose_case(project, REF, view)
    assert "Beslutning i Kommunalbestyrelsen den 15-11-2022" in _headings(before)
    b = project.settings.beslutning.model_copy(update={"overskrift_over_aktuel": False})
    changed = dataclasses.replace(project, settings=project.settings.model_copy(update={"beslutning": b}))
    after = compose_case(changed, REF, view)
    heads = _headings(after)
    assert "Beslutning i Økonomiudvalget den 08-11-2022" in heads
    assert not any(h.startswith("Beslutning i Kommunalbestyrelsen") for h in heads)
    assert len(after.blocks) == len(before.blocks) - 1  # the heading alone is gone


def test_an_earlier_decision_may_stand_as_one_line(project) -> None:  # type: ignore[no-untyped-def]
    """beslutning.tidligere_linje (catalogue 5.2: 'Upstream one-liner', Aalborg): an
    earlier committee's outcome as one sentence instead of a heading and 'Anbefales.';
    the meeting's own decision and outcomes without a line keep their heading."""
    import dataclasses

    cid = "2022/budgetopfoelgning-30-september-2022"
    b = project.settings.beslutning.model_copy(update={"tidligere_linje": {
        "anbefalet": "{udvalg} anbefaler indstillingen ({kode}, {dato:d. måned åååå}, pkt. {punkt})."}})
    changed = dataclasses.replace(project, settings=project.settings.model_copy(update={"beslutning": b}))
    view = resolve_view(project, cid, "kb-2022-11-15", "referat")
    before = [plain_text(x) for x in compose_case(project, cid, view).blocks]
    after = [plain_text(x) for x in compose_case(changed, cid, view).blocks]
    heading = before.index("Beslutning i Økonomiudvalget den 08-11-2022")
    assert before[heading + 1] == "Anbefales."
    number = item_number(project, "oek-2022-11-08", cid)
    line = f"Økonomiudvalget anbefaler indstillingen (ØK, 8. november 2022, pkt. {number})."
    assert after == before[:heading] + [line] + before[heading + 2:]
    assert "Beslutning i Kommunalbestyrelsen den 15-11-2022" in after
    # In ØK's own minutes the decision is the current one: heading and text as before.
    own = resolve_view(project, cid, "oek-2022-11-08", "referat")
    assert ([plain_text(x) for x in compose_case(changed, cid, own).blocks]
            == [plain_text(x) for x in compose_case(project, cid, own).blocks])


def test_what_came_later_stays_off_the_earlier_papers(project) -> None:  # type: ignore[no-untyped-def]
    """'fra' on a section or bilag: the supplement and the note written for MTU's
    meeting on 7 November are not on the agenda or the approved minutes of 10 October,
    in the paper or in the packet's bilag; the case on its own has them."""
    from sagsfremstilling import meeting_compose as mc

    cid = "2022/hastighedsdaempning-bredgade-oerum"
    supplement = "Supplerende sagsfremstilling til mødet den 7. november 2022"
    note = "Notat fra besigtigelsen den 24. oktober 2022"
    for meeting_id, later in (("mtu-2022-10-10", False), ("mtu-2022-11-07", True), (None, True)):
        for udgave in ("dagsorden", "referat"):
            view = resolve_view(project, cid, meeting_id, udgave if meeting_id else None)
            lines = [plain_text(b) for b in compose_case(project, cid, view).blocks]
            assert (supplement in lines) is later, (meeting_id, udgave)
            assert any(note in line for line in lines) is later, (meeting_id, udgave)
            assert any("Hastighedsmåling på Bredgade" in line for line in lines)
        if meeting_id:
            number = item_number(project, meeting_id, cid)
            files = [b.title for b in mc.bilag_shown(project, meeting_id, number, cid, public=True)]
            assert files == ["Hastighedsmåling på Bredgade, september 2022"] + ([note] if later else [])


def test_a_section_in_versions_prints_the_one_begun_by_the_meeting(project) -> None:  # type: ignore[no-untyped-def]
    """A text section written as versions ('fra'): MTU's and ØK's approved minutes keep
    the first økonomi text; KB's papers have the one rewritten after ØK's amendment.  The
    case on its own is its paper after its latest decision (ØK's), so the first text."""
    cid = "2022/stiforbindelse-vivild-auning"
    for meeting_id, udgave, amount in (("mtu-2022-11-07", "dagsorden", "38.000 kr."),
                                       ("mtu-2022-11-07", "referat", "38.000 kr."),
                                       ("oek-2022-12-06", "referat", "38.000 kr."),
                                       ("kb-2022-12-13", "dagsorden", "31.000 kr."),
                                       (None, None, "38.000 kr.")):
        view = resolve_view(project, cid, meeting_id, udgave)  # type: ignore[arg-type]
        lines = [plain_text(b) for b in compose_case(project, cid, view).blocks]
        start = lines.index("Økonomiske konsekvenser")
        economy = " ".join(lines[start + 1:start + 4])
        assert amount in economy and ({"38.000 kr.", "31.000 kr."} - {amount}).pop() not in economy, meeting_id
        assert lines.count("Økonomiske konsekvenser") == 1


def test_mtu_meeting_shows_no_later_stage(project) -> None:  # type: ignore[no-untyped-def]
    doc = compose_case(project, REF, resolve_view(project, REF, "mtu-2022-10-10", "referat"))
    heads = _headings(doc)
    assert heads.count("Beslutning i Miljø- og teknikudvalget den 10-10-2022") == 1
    assert not any("Økonomiudvalget" in h or "Kommunalbestyrelsen" in h for h in heads)


def test_meta_header_and_item_label(project) -> None:  # type: ignore[no-untyped-def]
    doc = compose_case(project, REF, resolve_view(project, REF, "kb-2022-11-15"))
    assert doc.meta.header == "Kommunalbestyrelsen 15-11-2022"
    assert doc.meta.footer == "Side {side} af {sider}"
    assert doc.meta.status_label == "Åben sag"
    assert doc.meta.item_label.endswith(".")


def test_unknown_meeting_is_input_error(project) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as err:
        resolve_view(project, REF, "kb-2099-01-01")
    assert "findes ikke" in str(err.value)


def test_empty_sections_follow_settings(project) -> None:  # type: ignore[no-untyped-def]
    doc = compose_case(project, REF, resolve_view(project, REF, "kb-2022-11-15"))
    heads = _headings(doc)
    assert "Høring" not in heads  # tom: udelad
    assert heads[-1] == "Bilag:"  # tom: overskrift


def test_a_standing_item_leaves_out_the_empty_sections_of_other_case_types(project) -> None:  # type: ignore[no-untyped-def]
    """Sektion.sagstyper: Norddjurs prints "Ingen økonomiske konsekvenser." and an empty
    "Bilag:" for decisions, not for a standing item such as Meddelelser (catalogue 3.x)."""
    import dataclasses

    cid = "2022/orientering-vedligeholdelse-vandloeb-2022"
    bare = project.cases[cid].model_copy(update={"bilag": [], "sektioner": {
        k: v for k, v in project.cases[cid].sektioner.items() if k not in ("økonomi", "sammenhæng")}})

    def headings(sagstype: str) -> list[str]:
        case = bare.model_copy(update={"sagstype": sagstype})
        changed = dataclasses.replace(project, cases={**project.cases, cid: case})
        return _headings(compose_case(changed, cid, resolve_view(changed, cid)))

    as_decision = headings("orientering")
    assert "Økonomiske konsekvenser" in as_decision and "Bilag:" in as_decision
    heads = headings("meddelelse")
    assert heads == [h for h in as_decision if h not in (
        "Økonomiske konsekvenser", "Sammenhæng til andre politikker/strategier og fagområder", "Bilag:")]
    assert "Sagsfremstilling" in heads


def test_decision_competence_is_a_part_the_catalogue_may_place(project) -> None:  # type: ignore[no-untyped-def]
    """'beslutningskompetence' in the settings' catalogue prints the deciding committee
    by name under its heading (catalogue 2.5); without it in the catalogue, nothing."""
    import dataclasses

    from sagsfremstilling.settings import Sektion

    cid = "2022/aendret-praksis-dialogforum"
    case = project.cases[cid].model_copy(update={"beslutningskompetence": "KB"})
    parts = list(project.settings.sektioner)
    parts.insert(1, Sektion(nøgle="beslutningskompetence", overskrift="Beslutningskompetence"))
    with_part = dataclasses.replace(project, cases={**project.cases, cid: case},
                                    settings=project.settings.model_copy(update={"sektioner": parts}))
    doc = compose_case(with_part, cid, resolve_view(with_part, cid))
    texts = [plain_text(b) for b in doc.blocks]
    at = texts.index("Beslutningskompetence")
    assert texts[at - 2:at + 2] == ["Sagsgang", "MTU, ØK, KB", "Beslutningskompetence", "Kommunalbestyrelsen"]
    without = dataclasses.replace(project, cases={**project.cases, cid: case})
    assert "Beslutningskompetence" not in _headings(compose_case(without, cid, resolve_view(without, cid)))


@pytest.mark.parametrize("kind", ["pr_møde", "løbende", "løbende_valgperiode"])
def test_numbering_restarts_per_meeting_per_year_or_per_election_term(project, kind: str) -> None:  # type: ignore[no-untyped-def]
    """Catalogue 2.1: 12 councils restart per meeting, 15 run on through the year or
    the term (which begins on 1 January after the elections: 2022, 2026 …)."""
    import dataclasses

    from sagsfremstilling.agenda import agenda

    december = project.meetings["kb-2022-12-13"]
    january = december.model_copy(update={"dato": dt.date(2023, 1, 17)})
    changed = dataclasses.replace(
        project, meetings={**project.meetings, "kb-2023-01-17": january}, agendas={},
        settings=project.settings.model_copy(update={"nummerering": kind}))
    november_items = len(agenda(changed, "kb-2022-11-15"))
    first = {mid: agenda(changed, mid)[0].number for mid in ("kb-2022-11-15", "kb-2022-12-13", "kb-2023-01-17")}
    december_items = len(agenda(changed, "kb-2022-12-13"))
    assert first == {
        "pr_møde": {"kb-2022-11-15": 1, "kb-2022-12-13": 1, "kb-2023-01-17": 1},
        "løbende": {"kb-2022-11-15": 1, "kb-2022-12-13": 1 + november_items, "kb-2023-01-17": 1},
        "løbende_valgperiode": {"kb-2022-11-15": 1, "kb-2022-12-13": 1 + november_items,
                                "kb-2023-01-17": 1 + november_items + december_items},
    }[kind]


def test_a_numbered_signature_sheet_takes_the_number_after_the_last_item(project) -> None:  # type: ignore[no-untyped-def]
    """møde.underskriftsark_som_punkt (catalogue 1.8): the sheet is numbered after the
    meeting's last item, and in running numbering the committee's next meeting starts
    after it, whether or not the referat exists yet, so no number ever moves."""
    import dataclasses

    from sagsfremstilling import meeting_compose as mc
    from sagsfremstilling.agenda import agenda, signature_number

    møde = project.settings.møde.model_copy(update={"underskriftsark": "Underskriftsark",
                                                     "underskriftsark_som_punkt": True})
    changed = dataclasses.replace(project, agendas={}, settings=project.settings.model_copy(
        update={"nummerering": "løbende", "møde": møde}))
    november = agenda(changed, "kb-2022-11-15")
    assert signature_number(changed, "kb-2022-11-15") == november[-1].number + 1 == len(november) + 1
    assert agenda(changed, "kb-2022-12-13")[0].number == len(november) + 2
    sheet = mc.signature_sheet(changed, "kb-2022-11-15", "referat")
    assert sheet is not None and sheet.heading == f"{len(november) + 1}. Underskriftsark"
    assert mc.signature_sheet(changed, "kb-2022-11-15", "dagsorden") is None
    # Not numbered without the setting, nor without a sheet.
    for update in ({"underskriftsark_som_punkt": False}, {"underskriftsark": ""}):
        plain = dataclasses.replace(changed, agendas={}, settings=changed.settings.model_copy(
            update={"møde": møde.model_copy(update=update)}))
        assert signature_number(plain, "kb-2022-11-15") is None
        assert agenda(plain, "kb-2022-12-13")[0].number == len(november) + 1


@pytest.mark.parametrize("form", ["liste", "linje"])
def test_a_single_point_may_stand_as_a_line_of_its_own(project, form: str) -> None:  # type: ignore[no-untyped-def]
    """indstilling.ét_punkt (catalogue 4.3: a single unnumbered 'at …' in 4 councils)."""
    import dataclasses

    cid = "2022/aendret-praksis-dialogforum"
    ind = project.cases[cid].indstilling.model_copy(update={"punkter": ["at praksis ændres"], "tekst": ""})
    case = project.cases[cid].model_copy(update={"indstilling": ind})
    settings = project.settings.model_copy(update={"indstilling": project.settings.indstilling.model_copy(
        update={"ét_punkt": form})})
    changed = dataclasses.replace(project, cases={**project.cases, cid: case}, settings=settings)
    blocks = compose_case(changed, cid, resolve_view(changed, cid)).blocks
    at = next(i for i, b in enumerate(blocks) if b.type == "heading" and plain_text(b) == "Indstilling")
    after = blocks[at + 2]
    if form == "linje":
        assert after.type == "paragraph" and plain_text(after) == "at praksis ændres"
    else:
        assert after.type == "list" and after.ordered and plain_text(after) == "at praksis ændres"


def test_the_route_may_name_the_committees(project) -> None:  # type: ignore[no-untyped-def]
    """sagsgang_navne (catalogue 2.6: full committee names in the route)."""
    import dataclasses

    changed = dataclasses.replace(project, settings=project.settings.model_copy(
        update={"sagsgang_navne": True, "sagsgang_skilletegn": " – "}))
    texts = [plain_text(b) for b in compose_case(changed, REF, resolve_view(changed, REF)).blocks]
    assert texts[texts.index("Sagsgang") + 1] == "Miljø- og teknikudvalget – Økonomiudvalget – Kommunalbestyrelsen"


def test_a_member_proposal_names_its_proposer_and_has_its_own_opener(project) -> None:  # type: ignore[no-untyped-def]
    """sagstype medlemsforslag, forslagsstiller and indstilling.indledning_pr_type
    (catalogue 2.7: 'Forslag fra <parti>', 'Medlemsforslag … (Stillet af …)')."""
    import dataclasses

    from sagsfremstilling.settings import Sektion

    cid = "2022/medlemsforslag-traeplantning"
    case = project.cases[cid].model_copy(update={"sagstype": "medlemsforslag", "forslagsstiller": "Enhedslisten"})
    parts = list(project.settings.sektioner)
    parts.insert(1, Sektion(nøgle="forslagsstiller", overskrift="Forslag fra"))
    ind = project.settings.indstilling.model_copy(update={"indledning_pr_type": {
        "medlemsforslag": "{indstiller} foreslår{til}, at {tekst}"}})
    changed = dataclasses.replace(project, cases={**project.cases, cid: case}, settings=project.settings.model_copy(
        update={"sektioner": parts, "indstilling": ind}))
    texts = [plain_text(b) for b in compose_case(changed, cid, resolve_view(changed, cid)).blocks]
    assert texts[texts.index("Forslag fra") + 1] == "Enhedslisten"
    opener = texts[texts.index("Indstilling") + 1]
    assert " foreslår" in opener and " indstiller" not in opener
    plain_case = dataclasses.replace(project, settings=changed.settings)  # a decision case keeps its opener
    other = [plain_text(b) for b in compose_case(plain_case, REF, resolve_view(plain_case, REF)).blocks]
    assert " indstiller" in other[other.index("Indstilling") + 1] and "Forslag fra" not in other


def test_a_meeting_lists_the_members_the_committee_had_that_day(project) -> None:  # type: ignore[no-untyped-def]
    """Medlem.fra/til: after an election (or a resignation) a past meeting's cover and
    signature sheet still name the members of its day."""
    import dataclasses

    from sagsfremstilling import meeting_compose as mc
    from sagsfremstilling.settings import Medlem

    kb = project.settings.committee("KB")
    leaving = kb.medlemmer[2].model_copy(update={"til": dt.date(2022, 11, 30)})
    coming = Medlem(navn="Ny Efterfølger", parti="Løsgænger", fra=dt.date(2022, 12, 1))
    members = [*kb.medlemmer[:2], leaving, coming, *kb.medlemmer[3:]]
    udvalg = [u.model_copy(update={"medlemmer": members}) if u.kode == "KB" else u for u in project.settings.udvalg]
    møde = project.settings.møde.model_copy(update={"underskriftsark": "Underskriftsark"})
    changed = dataclasses.replace(project, settings=project.settings.model_copy(
        update={"udvalg": udvalg, "møde": møde}))

    def named(mid: str) -> list[str]:
        return [name for name, _ in mc.cover(changed, mid, "referat", False).members]

    assert leaving.navn + " (Løsgænger)" in named("kb-2022-11-15")
    assert "Ny Efterfølger (Løsgænger)" not in named("kb-2022-11-15")
    assert "Ny Efterfølger (Løsgænger)" in named("kb-2022-12-13")
    assert leaving.navn + " (Løsgænger)" not in named("kb-2022-12-13")
    sheet = mc.signature_sheet(changed, "kb-2022-11-15", "referat")
    assert sheet is not None and "Ny Efterfølger (Løsgænger)" not in sheet.names


def test_a_member_who_changed_party_is_named_with_the_party_of_the_day(project) -> None:  # type: ignore[no-untyped-def]
    """Two entries for one name, each with its period ('fra', 'til'): a paper names
    the member with the party they had on the meeting's day, on the cover and
    under the decisions alike."""
    import dataclasses

    from sagsfremstilling import meeting_compose as mc
    from sagsfremstilling.decisions import person

    kb = project.settings.committee("KB")
    first = kb.medlemmer[1]
    before = first.model_copy(update={"til": dt.date(2022, 11, 30)})
    after = first.model_copy(update={"parti": "Løsgænger", "fra": dt.date(2022, 12, 1)})
    members = [kb.medlemmer[0], before, after, *kb.medlemmer[2:]]
    udvalg = [u.model_copy(update={"medlemmer": members}) if u.kode == "KB" else u for u in project.settings.udvalg]
    changed = dataclasses.replace(project, settings=project.settings.model_copy(update={"udvalg": udvalg}))
    settings = changed.settings
    assert first.parti != "Løsgænger"
    assert person(settings, "KB", first.navn, day=dt.date(2022, 11, 15)) == f"{first.navn} ({first.parti})"
    assert person(settings, "KB", first.navn, day=dt.date(2022, 12, 13)) == f"{first.navn} (Løsgænger)"
    november = [name for name, _ in mc.cover(changed, "kb-2022-11-15", "referat", False).members]
    december = [name for name, _ in mc.cover(changed, "kb-2022-12-13", "referat", False).members]
    assert f"{first.navn} ({first.parti})" in november and f"{first.navn} (Løsgænger)" not in november
    assert f"{first.navn} (Løsgænger)" in december and f"{first.navn} ({first.parti})" not in december


def test_a_members_dates_must_be_in_order() -> None:
    from pydantic import ValidationError

    from sagsfremstilling.settings import Medlem

    with pytest.raises(ValidationError, match="ligger før 'fra'"):
        Medlem(navn="A", fra=dt.date(2026, 1, 1), til=dt.date(2025, 12, 31))


def test_danish_dates_and_amounts() -> None:
    day = dt.date(2022, 11, 15)
    assert danish.format_date(day, "d. måned åååå") == "15. november 2022"
    assert danish.format_date(day, "dd-mm-åååå") == "15-11-2022"
    assert danish.format_date(day, "ugedag den d. måned åååå") == "tirsdag den 15. november 2022"
    assert danish.format_amount(1527000) == "1.527.000 kr."
    assert danish.format_amount(-3751000) == "-3.751.000 kr."
    assert danish.join_and(["A", "C", "V"]) == "A, C og V"


def test_danish_sorting() -> None:
    names = ["Åse", "Ærø", "Zenia", "Østen", "Aage", "Anders"]
    assert sorted(names, key=danish.sort_key) == ["Anders", "Zenia", "Ærø", "Østen", "Aage", "Åse"]


def test_pattern_cannot_reach_into_objects() -> None:
    with pytest.raises(KeyError):
        danish.fill("{udvalg.__class__}", udvalg="x")
    assert danish.fill("Beslutning i {udvalg} den {dato:dd-mm-åååå}", udvalg="{{ 7*7 }}",
                       dato=dt.date(2022, 11, 8)) == "Beslutning i {{ 7*7 }} den 08-11-2022"


def test_markdown_two_space_nesting_and_list_after_paragraph() -> None:
    src = "Tekst\n1. et\n  1. under\n2. to\n"
    assert normalise_lists(src) == "Tekst\n\n1. et\n   1. under\n2. to\n"
    blocks = parse(src)
    assert [b.type for b in blocks] == ["paragraph", "list"]
    assert blocks[1].items[0].children[1].type == "list"


def test_markdown_keeps_a_parenthesis_numbering_as_typed() -> None:
    """'1) …' in case text stays '1)' (ListBlock.delimiter), nested and with its start."""
    blocks = parse("Tekst\n1) et\n  1) under\n2) to\n\n3. tre\n")
    outer, under, dotted = blocks[1], blocks[1].items[0].children[1], blocks[2]
    assert (outer.delimiter, under.delimiter, dotted.delimiter) == (")", ")", ".")
    assert (outer.start, dotted.start) == (1, 3)


def test_markdown_refuses_raw_html_and_unsafe_links() -> None:
    blocks = parse("<script>x</script> [a](javascript:alert(1)) [b](https://x.dk)")
    text = plain_text(blocks)
    assert "<script>x</script>" in text and "javascript:" in text
    links = [i for i in blocks[0].children if i.type == "link"]
    assert [link.url for link in links] == ["https://x.dk"]


def test_personal_data_mark() -> None:
    assert plain_text(parse("Klage fra ||Jens Hansen||.")) == "Klage fra Jens Hansen."
    assert plain_text(parse("Klage fra ||Jens Hansen||.", "[udeladt]")) == "Klage fra [udeladt]."


def test_forbidden_characters_are_removed() -> None:
    assert plain_text(parse("a\x0bb\x0cc\u202ed")) == "a b cd"


def _decision_lines(project, case_id: str, meeting_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    doc = compose_case(project, case_id, resolve_view(project, case_id, meeting_id, "referat"))
    return [plain_text(b) for b in doc.blocks if b.type == "paragraph"]


def test_votes_may_name_their_parties_as_a_set(project) -> None:  # type: ignore[no-untyped-def]
    """{partisæt} (catalogue 5.4, Stevns: '5 medlemmer (A+V+C) anbefaler forslaget.')."""
    import dataclasses

    b = project.settings.beslutning.model_copy(update={
        "afstemning_for": "{antal} medlemmer ({partisæt}) anbefaler indstillingen",
        "afstemning_imod": "{antal} medlemmer ({partisæt}) kan ikke anbefale indstillingen"})
    changed = dataclasses.replace(project, settings=project.settings.model_copy(update={"beslutning": b}))
    lines = _decision_lines(changed, "2022/lokalplan-075-skovvej-nord-auning", "kb-2022-11-15")
    assert "6 medlemmer (V+A+C+O) anbefaler indstillingen." in lines
    assert "2 medlemmer (F+Ø) kan ikke anbefale indstillingen." in lines


def test_a_line_may_follow_the_points_of_the_indstilling(project) -> None:  # type: ignore[no-untyped-def]
    """indstilling.efter_punkterne (catalogue 4.2, Copenhagen: the proposing
    administrations in parentheses after the points)."""
    import dataclasses

    ind = project.settings.indstilling.model_copy(update={"efter_punkterne": "({indstiller})"})
    changed = dataclasses.replace(project, settings=project.settings.model_copy(update={"indstilling": ind}))
    view = resolve_view(project, REF, "kb-2022-11-15", "referat")
    before = [plain_text(b) for b in compose_case(project, REF, view).blocks]
    after = [plain_text(b) for b in compose_case(changed, REF, view).blocks]
    points = next(i for i, b in enumerate(compose_case(project, REF, view).blocks) if b.type == "list")
    indstiller = project.cases[REF].indstilling.indstiller.strip()
    assert after == before[:points + 1] + [f"({indstiller})"] + before[points + 1:]


@pytest.mark.parametrize(("form", "ordered", "delimiter"), [
    ("nummereret", True, "."), ("parentes", True, ")"), ("punkttegn", False, ".")])
def test_the_points_are_numbered_as_the_settings_say(project, form: str, ordered: bool,  # type: ignore[no-untyped-def]
                                                     delimiter: str) -> None:
    """indstilling.punktform (catalogue 4.3: '1. at …', 'At 1) …', bullets)."""
    import dataclasses

    ind = project.settings.indstilling.model_copy(update={"punktform": form})
    changed = dataclasses.replace(project, settings=project.settings.model_copy(update={"indstilling": ind}))
    doc = compose_case(changed, REF, resolve_view(changed, REF, "kb-2022-11-15", "referat"))
    points = next(b for b in doc.blocks if b.type == "list")
    assert (points.ordered, points.delimiter) == (ordered, delimiter)


def test_the_route_may_be_a_dated_line_for_each_treatment(project) -> None:  # type: ignore[no-untyped-def]
    """sagsgang_linje (catalogue 2.6, Aarhus' 'Sagens forløb': '19-08-2019 Magistraten'):
    every treatment, a postponed item's two visits to a committee included."""
    import dataclasses

    changed = dataclasses.replace(project, settings=project.settings.model_copy(
        update={"sagsgang_linje": "{dato:dd-mm-åååå} {udvalg} ({kode})"}))
    cid = "2022/hastighedsdaempning-bredgade-oerum"
    lines = [plain_text(b) for b in compose_case(changed, cid, resolve_view(changed, cid)).blocks]
    start = lines.index("Sagsgang")
    assert lines[start + 1:start + 3] == ["10-10-2022 Miljø- og teknikudvalget (MTU)",
                                          "07-11-2022 Miljø- og teknikudvalget (MTU)"]
    plain = [plain_text(b) for b in compose_case(project, cid, resolve_view(project, cid)).blocks]
    assert plain[plain.index("Sagsgang") + 1] == "MTU"


def test_the_route_may_be_a_table_of_every_committee(project) -> None:  # type: ignore[no-untyped-def]
    """sagsgang_tabel (catalogue 2.6, Herning's routing matrix): every committee of the
    settings, 'x' where the case goes, '(x)' where only for information."""
    import dataclasses

    cid = "2022/budgetopfoelgning-30-september-2022"  # ØK, then KB
    case = project.cases[cid]
    informed = [case.sagsgang[0].model_copy(update={"til_orientering": True}), *case.sagsgang[1:]]
    changed = dataclasses.replace(
        project, settings=project.settings.model_copy(update={"sagsgang_tabel": True}),
        cases={**project.cases, cid: case.model_copy(update={"sagsgang": informed})})
    blocks = compose_case(changed, cid, resolve_view(changed, cid, "kb-2022-11-15", "referat")).blocks
    start = next(i for i, b in enumerate(blocks) if plain_text(b) == "Sagsgang")
    table = blocks[start + 1]
    assert table.type == "table"
    assert [plain_text(c) for c in table.header] == [u.kode for u in project.settings.udvalg]
    marks = dict(zip([plain_text(c) for c in table.header], [plain_text(c) for c in table.rows[0]], strict=True))
    assert marks == {"KB": "x", "ØK": "(x)", "MTU": ""}


def test_amendment_is_voted_before_the_proposal(project) -> None:  # type: ignore[no-untyped-def]
    lines = _decision_lines(project, "2022/lokalplan-075-skovvej-nord-auning", "kb-2022-11-15")
    amendment = next(i for i, line in enumerate(lines) if line.startswith("Ændringsforslag fra"))
    main_vote = lines.index("Afstemning om indstillingen:")
    assert amendment < main_vote
    assert "For stemte: V, A, C og O (6)." in lines
    assert "Undlod at stemme: Diana Therese Mikkelsen (Løsgænger) (1)." in lines


def test_vote_lines_may_put_the_count_first(project) -> None:  # type: ignore[no-untyped-def]
    """{antal} and {navne} (catalogue: "For stemte 6: …", "For: 6 (…)")."""
    import dataclasses

    b = project.settings.beslutning.model_copy(update={
        "afstemning_for": "For stemte {antal}: {navne}", "afstemning_undlod": "Undlod ({antal}): {navne}"})
    changed = dataclasses.replace(project, settings=project.settings.model_copy(update={"beslutning": b}))
    lines = _decision_lines(changed, "2022/lokalplan-075-skovvej-nord-auning", "kb-2022-11-15")
    assert "For stemte 6: V, A, C og O." in lines
    assert "Undlod (1): Diana Therese Mikkelsen (Løsgænger)." in lines


def test_a_votes_result_may_come_before_who_voted_what(project) -> None:  # type: ignore[no-untyped-def]
    """beslutning.afstemning_resultat (catalogue: the result first, then the lists)."""
    import dataclasses

    result = "Indstillingen blev godkendt med 6 stemmer mod 2. 1 medlem undlod at stemme."
    lines = _decision_lines(project, "2022/lokalplan-075-skovvej-nord-auning", "kb-2022-11-15")
    assert lines.index("For stemte: V, A, C og O (6).") < lines.index(result)
    b = project.settings.beslutning.model_copy(update={"afstemning_resultat": "før"})
    changed = dataclasses.replace(project, settings=project.settings.model_copy(update={"beslutning": b}))
    first = _decision_lines(changed, "2022/lokalplan-075-skovvej-nord-auning", "kb-2022-11-15")
    topic = first.index("Afstemning om indstillingen:")
    assert first[topic + 1] == result and first.index("For stemte: V, A, C og O (6).") == topic + 2
    assert sorted(first) == sorted(lines)


def test_a_numbered_amendment_says_its_number(project) -> None:  # type: ignore[no-untyped-def]
    """Ændringsforslag.nummer (catalogue 1.6: budget meetings number their amendments)."""
    import dataclasses

    cid = "2022/lokalplan-075-skovvej-nord-auning"
    lines = _decision_lines(project, cid, "kb-2022-11-15")
    plain = next(line for line in lines if line.startswith("Ændringsforslag fra"))
    case = project.cases[cid]
    stages = list(case.sagsgang)
    k = next(i for i, st in enumerate(stages) if st.beslutning and st.beslutning.ændringsforslag)
    decision = stages[k].beslutning
    numbered = decision.model_copy(update={"ændringsforslag": [
        decision.ændringsforslag[0].model_copy(update={"nummer": "V-3"}), *decision.ændringsforslag[1:]]})
    stages[k] = stages[k].model_copy(update={"beslutning": numbered})
    changed = dataclasses.replace(project, cases={**project.cases, cid: case.model_copy(update={"sagsgang": stages})})
    after = _decision_lines(changed, cid, "kb-2022-11-15")
    assert plain.replace("Ændringsforslag fra", "Ændringsforslag nr. V-3 fra", 1) in after
    assert plain not in after


def test_an_amendment_names_the_point_it_amends(project) -> None:  # type: ignore[no-untyped-def]
    """Ændringsforslag.punkt fills {til} (beslutning.ændringsforslag_til, catalogue 5.8:
    'ad. 2 ændres til'); without a point, {til} is empty."""
    import dataclasses

    cid = "2022/lokalplan-075-skovvej-nord-auning"
    lines = _decision_lines(project, cid, "kb-2022-11-15")
    assert any(line.startswith("Ændringsforslag fra Louise Ølgaard Hansen (Ø) til punkt 2: Lokalplanforslaget")
               for line in lines)
    case = project.cases[cid]
    stages = list(case.sagsgang)
    k = next(i for i, st in enumerate(stages) if st.beslutning and st.beslutning.ændringsforslag)
    decision = stages[k].beslutning
    pointless = decision.model_copy(update={"ændringsforslag": [
        decision.ændringsforslag[0].model_copy(update={"punkt": None}), *decision.ændringsforslag[1:]]})
    stages[k] = stages[k].model_copy(update={"beslutning": pointless})
    changed = dataclasses.replace(project, cases={**project.cases, cid: case.model_copy(update={"sagsgang": stages})})
    assert any(line.startswith("Ændringsforslag fra Louise Ølgaard Hansen (Ø): Lokalplanforslaget")
               for line in _decision_lines(changed, cid, "kb-2022-11-15"))


def test_inhabil_substitute_is_named_once(project) -> None:  # type: ignore[no-untyped-def]
    lines = _decision_lines(project, "2022/stiforbindelse-vivild-auning", "mtu-2022-11-07")
    assert ("Bjarne Åkjær Nielsen (V) var inhabil. I stedet deltog Peter Ringgaard Kjær (V). "
            "Inhabiliteten følger af forvaltningslovens § 3, stk. 1, nr. 3.") in lines
    assert not any("deltog som stedfortræder for Bjarne" in line for line in lines)


def test_inhabil_line_names_its_legal_basis_once(project) -> None:  # type: ignore[no-untyped-def]
    from sagsfremstilling.decisions import decision_blocks
    from sagsfremstilling.model import Inhabil

    cid = "2022/stiforbindelse-vivild-auning"
    stage = project.cases[cid].sagsgang[0]
    decision = stage.beslutning.model_copy(update={
        "inhabilitet": [Inhabil(navn="Bjarne Åkjær Nielsen", hjemmel=" forvaltningslovens § 3. ")],
        "stedfortrædere": []})
    view = resolve_view(project, cid, "mtu-2022-11-07", "referat")
    blocks = decision_blocks(project, cid, stage.model_copy(update={"beslutning": decision}), view, None)
    assert ("Bjarne Åkjær Nielsen (V) deltog ikke i behandlingen af sagen på grund af inhabilitet. "
            "Inhabiliteten følger af forvaltningslovens § 3.") in [plain_text(b) for b in blocks]


def test_a_member_found_not_inhabil_is_said_so_with_the_vote(project) -> None:  # type: ignore[no-untyped-def]
    """'inhabil: nej' (catalogue 5.9, Næstved: 'Byrådet vurderede at … ikke ses at være
    inhabil …, jævnfør forvaltningslovens § 3', and the vote on it, catalogue 8.10)."""
    from sagsfremstilling.decisions import decision_blocks
    from sagsfremstilling.model import Afstemning, Inhabil

    cid = "2022/stiforbindelse-vivild-auning"
    stage = project.cases[cid].sagsgang[0]
    vote = Afstemning.model_validate({
        "emne": "Bjarne Åkjær Nielsens habilitet", "for": {"antal": 5}, "imod": {"partier": ["O"]},
        "resultat": "Udvalget fandt med 5 stemmer mod 1, at han ikke var inhabil."})
    decision = stage.beslutning.model_copy(update={
        "inhabilitet": [Inhabil(navn="Bjarne Åkjær Nielsen", inhabil=False, hjemmel="forvaltningslovens § 3.",
                                begrundelse="Hans nevø bor på vejen.", afstemning=vote)],
        "stedfortrædere": []})
    view = resolve_view(project, cid, "mtu-2022-11-07", "referat")
    lines = [plain_text(b) for b in
             decision_blocks(project, cid, stage.model_copy(update={"beslutning": decision}), view, None)]
    start = lines.index("Miljø- og teknikudvalget vurderede, at Bjarne Åkjær Nielsen (V) ikke var inhabil. "
                        "Jf. forvaltningslovens § 3.")
    assert lines[start + 1:start + 6] == [
        "Hans nevø bor på vejen.", "Afstemning om Bjarne Åkjær Nielsens habilitet:", "For stemte: 5.",
        "Imod stemte: O.", "Udvalget fandt med 5 stemmer mod 1, at han ikke var inhabil."]
    assert not any("inhabilitet." in line for line in lines)


def test_public_closed_item_is_title_only(project) -> None:  # type: ignore[no-untyped-def]
    cid = "2022/salg-af-kirkestien-4-vivild"
    doc = compose_case(project, cid, resolve_view(project, cid, "kb-2022-11-15", offentlig=True))
    assert [plain_text(b) for b in doc.blocks] == ["Salg af ejendom"]
    assert doc.meta.title == "Salg af ejendom" and doc.meta.case_number == ""
    assert doc.meta.status_label == "Lukket punkt"


def test_prose_line_starting_with_a_date_is_not_a_list() -> None:
    blocks = parse("Mødet blev holdt den\n15. marts 2022 i Auning.")
    assert [b.type for b in blocks] == ["paragraph"]


def test_personal_mark_in_one_line_fields() -> None:
    from sagsfremstilling.markdown import plain

    assert plain("Klage fra ||Jens Hansen||") == "Klage fra Jens Hansen"
    assert plain("Klage fra ||Jens Hansen||", "[udeladt]") == "Klage fra [udeladt]"


def test_personal_mark_hugs_its_text_and_unclosed_marks_are_withheld() -> None:
    text = "Valget stod mellem plan A || plan B. Borgeren ||Jens Jensen|| har klaget."
    assert plain_text(parse(text)) == text.replace("||Jens Jensen||", "Jens Jensen")
    assert "Jens Jensen" not in plain_text(parse(text, "[X]"))
    # A line break inside a mark is only a wrapped line: an unclosed mark withholds
    # the rest of its paragraph, not just of its line.
    unclosed = "Borgeren ||Jens\nJensen har klaget.\n\nNyt afsnit."
    assert [plain_text(b) for b in parse(unclosed, "[X]")] == ["Borgeren [X]", "Nyt afsnit."]
