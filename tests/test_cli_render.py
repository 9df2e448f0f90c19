"""The render command as a user runs it: outputs, formats, and clean failures."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = "cases/2022/aendret-praksis-dialogforum.yaml"


def _root(tmp_path: Path) -> Path:
    for name in ("cases", "meetings", "bilag", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "sagsfremstilling.yaml", tmp_path)
    return tmp_path


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sagsfremstilling", *args], cwd=root,
                          capture_output=True, text=True, timeout=120)


def test_render_repeated_format_writes_only_those(tmp_path: Path) -> None:
    root = _root(tmp_path)
    result = _run(root, "render", CASE, "--moede", "oek-2022-11-08", "--format", "docx",
                  "--format", "pdf", "-o", "ud")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (root / "ud").iterdir())
    assert [Path(n).suffix for n in names] == [".docx", ".pdf"]
    assert all("oek-2022-11-08-referat" in n for n in names)


def test_render_agenda_edition(tmp_path: Path) -> None:
    root = _root(tmp_path)
    result = _run(root, "render", CASE, "--moede", "oek-2022-11-08", "--udgave", "dagsorden",
                  "--format", "html", "-o", "ud")
    assert result.returncode == 0, result.stderr
    html = next((root / "ud").glob("*.html")).read_text(encoding="utf-8")
    assert "Beslutning i Miljø- og teknikudvalget den 10-10-2022" in html
    assert "Beslutning i Økonomiudvalget" not in html


def test_broken_template_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    root = _root(tmp_path)
    (root / "ud").mkdir()
    (root / "ud" / "old.pdf").write_bytes(b"%PDF-old")
    with (root / "templates" / "sag.typ").open("a", encoding="utf-8") as handle:
        handle.write("\n#let x = (\n")
    result = _run(root, "render", CASE, "--format", "pdf", "-o", "ud")
    assert result.returncode == 1
    assert "fejl i skabelon" in result.stderr and "sag.typ" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (root / "ud").iterdir()) == ["old.pdf"]


def test_unknown_meeting_is_located_message(tmp_path: Path) -> None:
    root = _root(tmp_path)
    result = _run(root, "render", CASE, "--moede", "kb-2030-01-01")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "cases/2022/aendret-praksis-dialogforum.yaml:0:0: mødet 'kb-2030-01-01' findes ikke i meetings/")
    assert "Traceback" not in result.stderr
