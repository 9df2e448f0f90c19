"""The public version of a meeting says nothing of a closed item or a non-public bilag.

Both versions of a meeting are built from a content root in which every field
of the closed item and of the non-public bilag carries its own marker
(``packet_content.MARKERS``).  Every marker must turn up in the internal
outputs (so the search is known to work), and none may turn up anywhere in
the public outputs: file names, the bytes of every file, the XML parts of every
DOCX, and for every PDF its extracted text, its metadata, its outline and every
object and decompressed stream in it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from extract import pdf_everything
from packet_content import FILE_MARKERS, MARKERS, PUBLIC_BILAG_TEXT, PUBLIC_TITLE, make_root

from sagsfremstilling import packet
from sagsfremstilling.project import load_project
from sagsfremstilling.writers import RenderOptions

PLACEHOLDER = "[personoplysning udeladt]"


def _squash(text: str) -> str:
    """Text as a marker search needs it: no line breaks, hyphenation or spaces."""
    text = text.replace("\u00ad", "").replace("-\n", "")
    return re.sub(r"\s+", "", text)


def _pdf_texts(data: bytes) -> list[str]:
    """Everything a PDF could show or carry, as searchable strings (the page text squashed)."""
    out = pdf_everything(data)
    out[0] = _squash(out[0])
    return out


def haystack(folder: Path) -> str:
    """All that a reader of ``folder`` can get at, as one string."""
    parts = []
    for path in sorted(folder.rglob("*")):
        parts.append(path.relative_to(folder).as_posix())
        if not path.is_file():
            continue
        data = path.read_bytes()
        parts.append(data.decode("utf-8", "replace"))
        if path.suffix == ".docx":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                parts.extend(z.read(n).decode("utf-8", "replace") for n in z.namelist())
                parts.append(" ".join(z.namelist()))
        if path.suffix == ".pdf":
            parts.extend(_pdf_texts(data))
    return "\n".join(parts)


def _build(tmp: Path, **settings: object) -> tuple[str, str]:
    settings.setdefault("marks", True)
    settings.setdefault("conflicts_on_cover", True)
    root = make_root(tmp / "root", **settings)  # type: ignore[arg-type]
    # The closed item came on after the agenda went out, so it is in the public
    # tillægsdagsorden too (as a bare public title).
    # The packets end with the list of every bilag (møde.bilagsoversigt), searched too.
    settings_file = root / "sagsfremstilling.yaml"
    settings_text = settings_file.read_text(encoding="utf-8")
    assert "\nmøde:\n" in settings_text
    settings_file.write_text(settings_text.replace("\nmøde:\n", "\nmøde:\n  bilagsoversigt: Bilagsoversigt\n", 1),
                             encoding="utf-8")
    meeting = root / "meetings" / "kb-2022-11-15.yaml"
    text = meeting.read_text(encoding="utf-8")
    assert "  - sag: 2022/lukket-sag\n" in text
    meeting.write_text(text.replace("  - sag: 2022/lukket-sag\n", "  - sag: 2022/lukket-sag\n    tillæg: ja\n"),
                       encoding="utf-8")
    project, problems = load_project(root)
    assert not problems
    options = RenderOptions(templates=root / "templates", timestamp=1_668_470_400)
    out = tmp / "build"
    packet.write_meeting(project, "kb-2022-11-15", out, options)
    return haystack(out / "kb-2022-11-15" / "intern"), haystack(out / "kb-2022-11-15" / "offentlig")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return _build(tmp_path_factory.mktemp("leaks"))


@pytest.mark.parametrize("field", sorted(set(MARKERS) - FILE_MARKERS))
def test_every_marker_is_in_the_internal_version(built: tuple[str, str], field: str) -> None:
    internal, _ = built
    assert MARKERS[field] in internal or MARKERS[field] in _squash(internal)


@pytest.mark.parametrize("field", sorted(MARKERS))
def test_no_marker_is_in_the_public_version(built: tuple[str, str], field: str) -> None:
    _, public = built
    marker = MARKERS[field]
    assert marker.lower() not in public.lower()
    assert marker.lower() not in _squash(public).lower()


def test_source_file_names_reach_no_output(built: tuple[str, str]) -> None:
    """Bilag are renamed after their titles, so not even the internal version names the source."""
    internal, _ = built
    for field in FILE_MARKERS:
        assert MARKERS[field] not in internal


def test_public_version_still_has_what_is_public(built: tuple[str, str]) -> None:
    _, public = built
    assert PUBLIC_TITLE in public
    assert "Lukket punkt" in public
    assert "Bilaget er ikke offentligt" in public
    assert PUBLIC_BILAG_TEXT in public
    assert "tillaegsdagsorden.pdf" in public  # searched too: the closed item is in it
    assert "Bilagsoversigt" in public


def test_personal_data_is_shown_internally_and_replaced_in_public(built: tuple[str, str]) -> None:
    internal, public = built
    assert f"Jens {MARKERS['person']} Hansen" in internal
    assert f"Borgeren {PLACEHOLDER} har skrevet" in public
    assert PLACEHOLDER not in internal


def test_published_closed_decision_shows_the_decision_and_nothing_else(tmp_path: Path) -> None:
    """With ``offentliggør_beslutning: ja`` the decision text is public; names,
    votes, statements and the rest of the item still are not."""
    internal, public = _build(tmp_path, publish_closed=True)
    assert MARKERS["decision"] in public
    for field in sorted(set(MARKERS) - {"decision"}):
        assert MARKERS[field].lower() not in public.lower(), field
        assert MARKERS[field].lower() not in _squash(public).lower(), field


def test_marked_reason_for_absence_is_replaced_in_public(tmp_path: Path) -> None:
    internal, public = _build(tmp_path, reason="||QXGRUNDMARK||", marks=False)
    assert "QXGRUNDMARK" in internal
    assert "QXGRUNDMARK" not in public and "QXGRUNDMARK" not in _squash(public)
