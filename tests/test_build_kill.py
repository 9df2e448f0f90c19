"""A build killed with SIGKILL at any moment leaves whole files, and the next one finishes.

The settings change (every output is rebuilt), then ``sagsfremstilling build``
runs in a child process and is killed at seeded random moments.  After each
kill every output on disk must be exactly either the old file or the new one
(never a torn file), no worker may live on, and the state must still load.
A final build must complete, leave no temporary file, and equal a clean build.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sagsfremstilling.build import build
from sagsfremstilling.buildstate import State
from sagsfremstilling.synthetic import YearSpec, make_year

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1668470400"
SPEC = YearSpec(cases=5, meetings=3, ahead=0, closed_share=0.3, bilag_share=0.6, seed=25, bilag_files=3)
KILLS = 3


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not any(s.startswith(".") for s in p.relative_to(out).parts)}


def temp_files(out: Path) -> list[str]:
    return [p.name for p in out.rglob(".*.tmp")]


def _gone(pgid: int, wait: float = 5.0) -> bool:
    """Whether every process of the killed build's session has ended."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_a_killed_build_leaves_whole_files_and_the_next_one_finishes(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tmp_path / "root"
    make_year(root, REPO, SPEC)
    assert build(root, root / "build", None, 2).ok
    old = files(root / "build")
    settings = root / "sagsfremstilling.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("Norddjurs Kommune", "Djurs Kommune"),
                        encoding="utf-8")
    clean_root = tmp_path / "clean"
    shutil.copytree(root, clean_root, ignore=shutil.ignore_patterns("build"))
    assert build(clean_root, clean_root / "build", None, 2).ok
    new = files(clean_root / "build")
    assert all(old.get(rel) != data for rel, data in new.items() if rel.endswith("index.html"))

    env = {**os.environ, "CI": "true", "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, "-m", "sagsfremstilling", "build", "-j", "2"]
    rng = random.Random(2023)
    for _ in range(KILLS):
        child = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.5, 4.0))
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert _gone(child.pid), "a worker outlived the killed build"
        for rel, data in files(root / "build").items():
            assert data in (old.get(rel), new.get(rel)), f"{rel} is neither the old nor the new file"
        State.load(root / "build")  # never torn: loads, whatever it holds

    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert temp_files(root / "build") == []
    assert files(root / "build") == new
    assert build(root, root / "build", None, 2).noop
