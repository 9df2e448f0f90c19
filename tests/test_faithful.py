"""One case, three formats, one text: the DOCX, PDF and HTML say the same thing,
and the reference item is reproduced in full and in order (issue 3)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from extract import docx_text, html_text, in_order, normalise, pdf_text
from sagsfremstilling.compose import compose_case, resolve_view
from sagsfremstilling.project import Project
from sagsfremstilling.render import load_valid_project
from sagsfremstilling.writers import RenderOptions, render

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "norddjurs-dialogforum-2022.txt"
REFERENCE_CASE = "2022/aendret-praksis-dialogforum"
OPTIONS = RenderOptions(templates=ROOT / "templates", timestamp=1_668_470_400)


@lru_cache(maxsize=1)
def project() -> Project:
    return load_valid_project(ROOT)


@lru_cache(maxsize=None)
def _texts(case_id: str, meeting_id: str | None = None, udgave: str | None = None,
           offentlig: bool = False) -> dict[str, str]:
    p = project()
    doc = compose_case(p, case_id, resolve_view(p, case_id, meeting_id, udgave, offentlig))  # type: ignore[arg-type]
    furniture = tuple(x for x in (doc.meta.header, doc.meta.watermark) if x)
    return {
        "docx": normalise(docx_text(render("docx", doc, OPTIONS)), furniture),
        "pdf": normalise(pdf_text(render("pdf", doc, OPTIONS)), furniture),
        "html": normalise(html_text(render("html", doc, OPTIONS)), furniture),
    }


def _reference_lines() -> list[str]:
    # The running page header sits in the middle of the extracted text; it is
    # page furniture, checked separately below.
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    return [normalise(line) for line in lines
            if line.strip() and line.strip() != "Kommunalbestyrelsen 15-11-2022" and normalise(line)]


def _all_case_views() -> list[tuple[str, str]]:
    p = project()
    views = []
    for cid, case in sorted(p.cases.items()):
        for stage in case.sagsgang:
            mid = p.meeting_for(stage.udvalg, stage.dato)
            if mid:
                views.append((cid, mid))
    return views


@pytest.mark.parametrize(("case_id", "meeting_id"), _all_case_views())
def test_three_formats_say_the_same(case_id: str, meeting_id: str) -> None:
    texts = _texts(case_id, meeting_id)
    assert texts["docx"], "empty DOCX text"
    assert texts["docx"] == texts["html"], "DOCX and HTML differ"
    assert texts["pdf"] == texts["html"], "PDF and HTML differ"


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_reference_item_in_full_and_in_order(fmt: str) -> None:
    text = _texts(REFERENCE_CASE, "kb-2022-11-15")[fmt]
    assert in_order(text, _reference_lines()) == []


REFERENCE_PHRASES = [
    "Sagsgang", "MTU, ØK, KB", "Sagsfremstilling", "Baggrund",
    "Sammenhæng til andre politikker/strategier og fagområder", "Økonomiske konsekvenser",
    "Indstilling", "Beslutning i Miljø- og teknikudvalget den 10-10-2022", "Ad. 1. Tiltrådt.",
    "Ad. 2. Tiltrådt.", "Beslutning i Økonomiudvalget den 08-11-2022", "Ad. 1-2 Tiltrådt.", "Afbud:",
    "Diana Therese Mikkelsen (Løsgænger)", "Beslutning i Kommunalbestyrelsen den 15-11-2022",
    "Godkendt.", "Bilag:",
]


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_reference_phrases_in_order(fmt: str) -> None:
    text = _texts(REFERENCE_CASE, "kb-2022-11-15")[fmt]
    assert in_order(text, [normalise(p) for p in REFERENCE_PHRASES]) == []


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_oek_agenda_and_minutes(fmt: str) -> None:
    mtu = normalise("Beslutning i Miljø- og teknikudvalget den 10-10-2022")
    oek = normalise("Beslutning i Økonomiudvalget den 08-11-2022")
    kb = normalise("Beslutning i Kommunalbestyrelsen")
    agenda = _texts(REFERENCE_CASE, "oek-2022-11-08", "dagsorden")[fmt]
    minutes = _texts(REFERENCE_CASE, "oek-2022-11-08", "referat")[fmt]
    assert mtu in agenda and oek not in agenda and kb not in agenda
    assert mtu in minutes and oek in minutes and kb not in minutes
    assert minutes.index(mtu) < minutes.index(oek)


def test_pdf_running_header_and_page_numbers() -> None:
    p = project()
    doc = compose_case(p, REFERENCE_CASE, resolve_view(p, REFERENCE_CASE, "kb-2022-11-15"))
    text = pdf_text(render("pdf", doc, OPTIONS))
    assert "Kommunalbestyrelsen 15-11-2022" in text
    assert "Side 1 af" in text
