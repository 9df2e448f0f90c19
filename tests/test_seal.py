"""Approved minutes, sealed (``sagsfremstilling godkend``, ``seal.py``): a change to what
an approved referat says is refused by check and build, naming the item; what came later
('fra', a later version) passes; a renewed seal takes a correction in.

Runs the real command line on a copy of the worked example."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
STI = "cases/2022/stiforbindelse-vivild-auning.yaml"  # MTU 07-11 (approved), ØK 06-12, KB 13-12
MTU = "mtu-2022-11-07"


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true", "SOURCE_DATE_EPOCH": "1700000000", "SAGSFREMSTILLING_CACHE": "off"}
    return subprocess.run([sys.executable, "-m", "sagsfremstilling", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The worked example with only the MTU meeting of 7 November sealed."""
    dest = tmp_path / "indhold"
    for name in ("cases", "meetings", "bilag", "templates"):
        shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "sagsfremstilling.yaml", dest)
    for seal in (dest / "meetings").glob("*.godkendt.json"):  # the example's own
        seal.unlink()
    done = _cli(dest, "godkend", MTU)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Forseglet: meetings/{MTU}.godkendt.json (2 punkter)\n"
    return dest


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _refused(root: Path) -> list[str]:
    done = _cli(root, "check")
    assert done.returncode == 1, done.stdout
    return done.stdout.strip().split("\n")[:-1]


def test_the_seal_is_what_the_referat_says_and_the_same_every_time(root: Path) -> None:
    seal = root / "meetings" / f"{MTU}.godkendt.json"
    data = json.loads(seal.read_text(encoding="utf-8"))
    assert [(i["nummer"], i["sag"]) for i in data["punkter"]] == [
        (1, "2022/hastighedsdaempning-bredgade-oerum"), (2, "2022/stiforbindelse-vivild-auning")]
    assert len(data["punkter"][0]["bilag"]) == 2 and all(len(h) == 64 for h in data["punkter"][0]["bilag"])
    first = seal.read_bytes()
    assert _cli(root, "check").returncode == 0
    again = _cli(root, "godkend", MTU)
    assert again.stdout == f"Forseglet igen: meetings/{MTU}.godkendt.json (2 punkter)\n"
    assert seal.read_bytes() == first


def test_a_changed_text_in_an_approved_referat_is_refused_by_check_and_build(root: Path) -> None:
    _replace(root / STI, "      38.000 kr. årligt fra 2024, der indarbejdes i budget 2024–2027.\n  - fra:",
             "      39.000 kr. årligt fra 2024, der indarbejdes i budget 2024–2027.\n  - fra:")  # MTU's økonomi
    [line] = _refused(root)
    assert line.startswith(f"meetings/{MTU}.yaml:7:9: referatet er godkendt og forseglet i "
                           f"meetings/{MTU}.godkendt.json, men punkt 2 ('Anlægsbevilling til stiforbindelse "
                           "mellem Vivild og Auning') siger nu noget andet under 'Økonomiske konsekvenser';")
    assert line.endswith(f"eller kør 'sagsfremstilling godkend {MTU}', hvis det godkendte referat skal ændres")
    build = _cli(root, "build", "-o", "ud")
    assert build.returncode == 1 and line in build.stderr and not (root / "ud").exists()
    # Sealed again, the correction is the approved text.
    assert _cli(root, "godkend", MTU).returncode == 0
    assert _cli(root, "check").returncode == 0


def test_what_came_after_the_meeting_leaves_the_seal_alone(root: Path) -> None:
    # The økonomi version written for ØK, a later decision, a bilag 'fra' ØK's meeting.
    _replace(root / STI, "      der indarbejdes i budget 2024–2027.\n\n",
             "      der indarbejdes i budget 2024–2028.\n\n")
    _replace(root / STI, "    fil: bilag/2022/stiforbindelse-vivild-auning-oversigtskort.pdf\n",
             "    fil: bilag/2022/stiforbindelse-vivild-auning-oversigtskort.pdf\n"
             "  - titel: Nyt kort\n    fil: bilag/2022/lokalplan-075-kortbilag-1.pdf\n    fra: 2022-12-06\n")
    done = _cli(root, "check")
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(("what", "path", "old", "new", "says"), [
    ("the cover", f"meetings/{MTU}.yaml", 'hævet: "15.40"', 'hævet: "15.45"',
     "forsiden (deltagere, tider, godkendelse af dagsordenen eller bemærkninger) siger nu noget andet"),
    ("a decision heading in the settings", "sagsfremstilling.yaml",
     "  overskrift: Beslutning i {udvalg} den {dato:dd-mm-åååå}",
     "  overskrift: Beslutning truffet i {udvalg} den {dato:dd-mm-åååå}", "punkt 1 ("),
])
def test_the_cover_and_the_settings_words_are_sealed_too(root: Path, what: str, path: str, old: str,
                                                         new: str, says: str) -> None:
    _replace(root / path, old, new)
    assert any(says in line for line in _refused(root)), what


def test_a_swapped_bilag_file_is_refused(root: Path) -> None:
    pdf = root / "bilag/2022/hastighedsmaaling-bredgade-oerum.pdf"
    pdf.write_bytes(pdf.read_bytes().replace(b"%%EOF", b"%%EOF\n% ny udgave", 1))
    [line] = _refused(root)
    assert "bilagene til punkt 1 ('Ansøgning om hastighedsdæmpning på Bredgade i Ørum') er ikke de samme" in line


def test_only_an_approved_meeting_is_sealed_and_a_seal_needs_its_meeting(root: Path) -> None:
    done = _cli(root, "godkend", "kb-2022-12-13")
    assert done.returncode == 1
    assert done.stderr.startswith("meetings/kb-2022-12-13.yaml:7:9: referatet kan kun forsegles, når mødet "
                                  "er godkendt; sæt 'status: godkendt' først")
    _replace(root / "meetings" / f"{MTU}.yaml", "status: godkendt", "status: afholdt")
    assert any("mødet har et segl" in line for line in _refused(root))
    _replace(root / "meetings" / f"{MTU}.yaml", "status: afholdt", "status: godkendt")
    shutil.copy(root / "meetings" / f"{MTU}.godkendt.json", root / "meetings" / "mtu-2022-11-08.godkendt.json")
    assert _refused(root) == ["meetings/mtu-2022-11-08.godkendt.json:0:0: seglet hører til et møde, der ikke "
                              "findes (meetings/mtu-2022-11-08.yaml); slet det, eller giv mødefilen sit navn igen"]


@pytest.mark.parametrize("broken", ["", "{", '{"punkter": 3}', '{"forside": "x", "punkter": [{"indhold": 1}]}'])
def test_a_broken_seal_is_said_where_it_is_never_a_traceback(root: Path, broken: str) -> None:
    (root / "meetings" / f"{MTU}.godkendt.json").write_text(broken, encoding="utf-8")
    [line] = _refused(root)
    assert line.startswith(f"meetings/{MTU}.godkendt.json:0:0: seglet kan ikke læses (")
    assert line.endswith(f"skriv det igen med 'sagsfremstilling godkend {MTU}'")


def test_a_verdict_is_remembered_and_any_input_of_the_referat_undoes_it(
        root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache of verdicts (``segl.json``): a second check does not compose a sealed
    meeting again; a change to an earlier meeting on an item's route (whose afbud its
    decision repeats) still reaches the sealed referat and is refused."""
    from sagsfremstilling import bilagcache, seal
    from sagsfremstilling.check import check_root

    monkeypatch.setenv("SAGSFREMSTILLING_CACHE", str(tmp_path / "cache"))
    bilagcache.forget()
    kb = "kb-2022-11-15"  # its items went through ØK on 8 November
    assert _cli(root, "godkend", kb).returncode == 0
    assert check_root(root)[0] == []
    held = json.loads((tmp_path / "cache" / "segl.json").read_text(encoding="utf-8"))["held"]
    assert sorted(k.rsplit("\0", 1)[1] for k in held) == [kb, MTU]

    def composed(*args: object) -> list[object]:
        raise AssertionError("composed again, though nothing it is made from changed")

    with monkeypatch.context() as m:
        m.setattr(seal, "_against_seal", composed)
        assert check_root(root)[0] == []
    # ØK's afbud stands under ØK's decision in KB's referat ('gentag_afbud').
    _replace(root / "meetings" / "oek-2022-11-08.yaml", "  - Diana Therese Mikkelsen\n", "  - Jan Petersen\n")
    found = [str(p) for p in check_root(root)[0]]
    assert found and all(line.startswith(f"meetings/{kb}.yaml:7:9: referatet er godkendt") for line in found)
    assert "punkt 1 (" in found[0] and all("siger nu noget andet" in line for line in found)
    bilagcache.forget()


def test_without_a_name_every_approved_meeting_without_a_seal_is_sealed(root: Path) -> None:
    done = _cli(root, "godkend")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:-1] == [
        f"Forseglet: meetings/{mid}.godkendt.json ({n} punkter)"
        for mid, n in (("kb-2022-11-15", 5), ("mtu-2022-10-10", 5), ("oek-2022-11-08", 6), ("oek-2022-12-06", 1))]
    assert _cli(root, "godkend").stdout == "Ingen godkendte møder uden segl.\n"
    assert _cli(root, "check").returncode == 0
