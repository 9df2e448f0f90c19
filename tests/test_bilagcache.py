"""The bilag cache: a PDF that passed the check is not opened again until it changes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from sagsfremstilling import bilagcache, bilagcheck

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KORT = "bilag/2022/kort.pdf"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of its own, and no verdict left in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(bilagcache.ENV, str(folder))
    bilagcheck.clear_cache()
    yield folder
    bilagcheck.clear_cache()


def new_run() -> None:
    """What a new process starts with: the cache on disk, nothing in memory."""
    bilagcache.store().save()
    bilagcheck.clear_cache()


def unopened(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pypdf opened a bilag the cache knew")

    monkeypatch.setattr(pypdf, "PdfReader", refuse)


def root_in(folder: Path) -> Path:
    shutil.copytree(FIXTURES / "base", folder)
    return folder


def test_a_bilag_that_passed_is_not_opened_again(tmp_path: Path, cache: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = root_in(tmp_path / "root")
    pages = len(pypdf.PdfReader(root / KORT).pages)
    assert bilagcheck.bilag_problem(root, KORT) is None
    new_run()
    assert json.loads((cache / bilagcache.FILE).read_text())["pages"] == {
        bilagcache.Store(cache).files[str((root / KORT).resolve())][4]: pages}
    unopened(monkeypatch)
    assert bilagcheck.bilag_problem(root, KORT) is None
    assert bilagcheck.page_count(root / KORT) == pages


def test_a_fresh_clone_finds_its_bilag_by_content(tmp_path: Path, cache: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert bilagcheck.bilag_problem(root_in(tmp_path / "a"), KORT) is None
    new_run()
    clone = root_in(tmp_path / "b")  # other path, other inode, other times
    unopened(monkeypatch)
    assert bilagcheck.bilag_problem(clone, KORT) is None


def test_a_changed_bilag_is_checked_again(tmp_path: Path, cache: Path) -> None:
    root = root_in(tmp_path / "root")
    assert bilagcheck.bilag_problem(root, KORT) is None
    new_run()
    pdf = root / KORT
    data = pdf.read_bytes()
    pdf.write_bytes(data[:8] + b"\0" * (len(data) - 8))  # same size, same name, broken
    assert bilagcheck.bilag_problem(root, KORT) == (
        f"PDF-filen '{KORT}' er beskadiget og kan ikke læses; gem eller eksportér den som PDF igen")


def test_a_bilag_with_a_problem_is_not_remembered(tmp_path: Path, cache: Path) -> None:
    root = root_in(tmp_path / "root")
    pdf = root / KORT
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=1, height=1)
    with open(pdf, "wb") as out:
        writer.write(out)
    assert "er kun 0,4 × 0,4 mm" in str(bilagcheck.bilag_problem(root, KORT))
    new_run()
    assert not (cache / bilagcache.FILE).exists()
    assert "er kun 0,4 × 0,4 mm" in str(bilagcheck.bilag_problem(root, KORT))


@pytest.mark.parametrize("content", ["{ikke json", '{"rules": "andre regler", "files": {}, "pages": {}}',
                                     '{"rules": null}', "[]", "RULES:[]", 'RULES:{"files": [], "pages": []}',
                                     'RULES:{"files": {"PDF": [1, 2, 3, 4, [5]]}, "pages": {"x": true}}',
                                     'RULES:{"files": {"PDF": [1, 2, 3, 4, "x"]}, "pages": {"x": 0}}'])
def test_a_cache_that_does_not_fit_is_not_used(tmp_path: Path, cache: Path, content: str) -> None:
    root = root_in(tmp_path / "root")
    cache.mkdir()
    if content.startswith("RULES:"):  # made under these rules, but not by Store
        shape = json.loads(content.removeprefix("RULES:").replace('"PDF"', json.dumps(str((root / KORT).resolve()))))
        content = json.dumps({"rules": bilagcache.rules(), **shape} if isinstance(shape, dict) else shape)
    (cache / bilagcache.FILE).write_text(content)
    assert bilagcheck.bilag_problem(root, KORT) is None
    new_run()
    assert json.loads((cache / bilagcache.FILE).read_text())["rules"] == bilagcache.rules()


def test_a_cache_entry_from_other_rules_does_not_pass_a_broken_bilag(tmp_path: Path, cache: Path) -> None:
    root = root_in(tmp_path / "root")
    assert bilagcheck.bilag_problem(root, KORT) is None
    new_run()
    saved = json.loads((cache / bilagcache.FILE).read_text())
    saved["rules"] = "regler fra en anden version"
    (cache / bilagcache.FILE).write_text(json.dumps(saved))
    (root / KORT).write_bytes(b"%PDF-1.7\nikke mere")
    assert bilagcheck.bilag_problem(root, KORT) == (
        f"PDF-filen '{KORT}' er beskadiget og kan ikke læses; gem eller eksportér den som PDF igen")


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(bilagcache.ENV, "off")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    bilagcheck.clear_cache()
    assert bilagcheck.bilag_problem(root_in(tmp_path / "root"), KORT) is None
    new_run()
    assert not (tmp_path / "home").exists()


def test_the_default_folder_is_the_users_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(bilagcache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert bilagcache.cache_folder() == tmp_path / "xdg" / "sagsfremstilling"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert bilagcache.cache_folder() == tmp_path / "home" / ".cache" / "sagsfremstilling"


def test_check_writes_the_cache_when_it_ends(tmp_path: Path, cache: Path) -> None:
    root = root_in(tmp_path / "root")
    done = subprocess.run([sys.executable, "-m", "sagsfremstilling", "check"], cwd=root,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    saved = json.loads((cache / bilagcache.FILE).read_text())
    assert set(saved["files"]) == {str(p.resolve()) for p in (root / "bilag").rglob("*.pdf")}
