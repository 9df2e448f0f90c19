"""``sagsfremstilling new``, driven as a caseworker and a secretary would: by the command line.

Each test gets a small content root of its own (the repository's settings, a few
planned meetings written here), runs the command in a subprocess and reads the
files it wrote.  The promise under test: a new case passes ``check`` as soon as
its title and text are written, and ``new`` never replaces a file.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sagsfremstilling.project import load_settings
from sagsfremstilling.scaffold import append_item
from sagsfremstilling.settings import BUILTIN_PARTS
from sagsfremstilling.yamlread import load_text, load_yaml

REPO = Path(__file__).resolve().parents[1]

MTU = """\
# yaml-language-server: $schema=../schemas/moede.schema.json
udvalg: MTU
dato: 2030-03-11
start: "14:00"
slut: "17:00"
sted: Mødelokale 1, Rådhuset, Grenaa
status: planlagt
# Sekretariatets note: punkterne kommer i den rækkefølge, de står.
punkter: []  # tom endnu
"""

OEK = """\
# yaml-language-server: $schema=../schemas/moede.schema.json
udvalg: ØK
dato: 2030-03-26
start: "08:00"
slut: "12:00"
sted: Mødelokale 1, Rådhuset, Grenaa
status: planlagt
punkter:
  # budgetsagen først
  - sag: 2030/budget
# Mødet holdes i mødelokale 1.
"""

OEK_HELD = """\
udvalg: ØK
dato: 2030-03-12
status: afholdt
"""

BUDGET = """\
titel: Budget
sagsgang:
  - udvalg: ØK
    dato: 2030-03-26
"""


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sagsfremstilling", *args], cwd=root,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A content root with planned MTU and ØK meetings, no KB meeting, one case on ØK."""
    root = tmp_path / "indhold"
    (root / "meetings").mkdir(parents=True)
    (root / "cases" / "2030").mkdir(parents=True)
    shutil.copy(REPO / "sagsfremstilling.yaml", root)
    (root / "meetings" / "mtu-2030-03-11.yaml").write_text(MTU, encoding="utf-8")
    (root / "meetings" / "oek-2030-03-26.yaml").write_text(OEK, encoding="utf-8")
    (root / "meetings" / "oek-2030-03-12.yaml").write_text(OEK_HELD, encoding="utf-8")
    (root / "cases" / "2030" / "budget.yaml").write_text(BUDGET, encoding="utf-8")
    return root


def fill_in(path: Path) -> None:
    """What a caseworker does after 'new': write the text and the indstilling, nothing else."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("sagsfremstilling: |\n",
                        "sagsfremstilling: |\n  Der skal anlægges en cykelsti langs Ågade.\n\n"
                        "  - første etape i 2030\n  - anden etape i 2031\n")
    text = text.replace("økonomi: |\n", "økonomi: |\n  Anlægget koster **1,2 mio. kr.**\n")
    text = text.replace("  indstiller:\n", "  indstiller: Vej- og ejendomschefen\n")
    text = text.replace("    -\n", "    - cykelstien anlægges som beskrevet\n")
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- new sag


def test_new_case_has_schema_line_every_section_and_dated_stages(root: Path) -> None:
    result = run(root, "new", "sag", "Ny cykelsti på Ågade", "--sagsgang", "MTU,ØK,KB",
                 "--moede", "mtu-2030-03-11")
    assert result.returncode == 0, result.stderr
    path = root / "cases" / "2030" / "ny-cykelsti-paa-aagade.yaml"
    assert result.stdout.splitlines() == [
        "Oprettet cases/2030/ny-cykelsti-paa-aagade.yaml",
        "Sat på dagsordenen: meetings/mtu-2030-03-11.yaml",
        "Sat på dagsordenen: meetings/oek-2030-03-26.yaml",
        "KB har intet planlagt møde endnu; se noten under sagsgang.",
        "Skriv nu teksten og indstillingen, og se sagen med: "
        "sagsfremstilling preview cases/2030/ny-cykelsti-paa-aagade.yaml",
    ]
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/sag.schema.json"
    data = load_yaml(path).data
    assert data["titel"] == "Ny cykelsti på Ågade"
    assert data["sagsgang"] == [{"udvalg": "MTU", "dato": "2030-03-11"},
                                {"udvalg": "ØK", "dato": "2030-03-26"}]
    assert "  # - udvalg: KB\n  #   dato: ÅÅÅÅ-MM-DD\n" in text
    settings, _ = load_settings(root)
    for section in settings.sektioner:
        if section.nøgle not in BUILTIN_PARTS:
            assert data[section.nøgle] == "", section.nøgle
            if section.hjælp:
                assert section.hjælp.split()[0] in text
    # The catalogue's order is the file's order.
    keys = [k for k in data if k in {s.nøgle for s in settings.sektioner}]
    assert keys == [s.nøgle for s in settings.sektioner if s.nøgle in data]
    assert "# Økonomiske konsekvenser: Beløb, finansiering og afledt drift. Tom: \"Ingen" in text


def test_new_case_passes_check_once_title_and_text_are_written(root: Path) -> None:
    assert run(root, "new", "sag", "Ny cykelsti på Ågade", "--sagsgang", "MTU,ØK,KB",
               "--moede", "mtu-2030-03-11").returncode == 0
    path = root / "cases" / "2030" / "ny-cykelsti-paa-aagade.yaml"
    before = run(root, "check")
    assert before.returncode == 1
    assert before.stdout.splitlines() == [
        "cases/2030/ny-cykelsti-paa-aagade.yaml:66:14: 'indstiller' skal være tekst",
        "cases/2030/ny-cykelsti-paa-aagade.yaml:71:6: 'punkter' skal være tekst",
        "2 fejl",
    ]
    fill_in(path)
    after = run(root, "check")
    assert after.returncode == 0, after.stdout
    assert after.stdout == "Alt i orden: 2 sager, 3 møder\n"


def test_agendas_get_one_line_and_keep_their_comments(root: Path) -> None:
    assert run(root, "new", "sag", "Ny cykelsti", "--sagsgang", "MTU,ØK").returncode == 0
    # The first stage is found from today: 2030 is in the future, so the MTU meeting is chosen.
    mtu = (root / "meetings" / "mtu-2030-03-11.yaml").read_text(encoding="utf-8")
    oek = (root / "meetings" / "oek-2030-03-26.yaml").read_text(encoding="utf-8")
    assert mtu == MTU.replace("punkter: []  # tom endnu\n",
                              "punkter: # tom endnu\n  - sag: 2030/ny-cykelsti\n")
    assert oek == OEK.replace("  - sag: 2030/budget\n",
                              "  - sag: 2030/budget\n  - sag: 2030/ny-cykelsti\n")


def test_a_case_put_on_a_summoned_meeting_goes_on_the_supplementary_agenda(root: Path) -> None:
    path = root / "meetings" / "mtu-2030-03-11.yaml"
    path.write_text(MTU.replace("status: planlagt", "status: indkaldt"), encoding="utf-8")
    result = run(root, "new", "sag", "Ny cykelsti", "--sagsgang", "MTU,ØK", "--moede", "mtu-2030-03-11")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:3] == ["Sat på tillægsdagsordenen: meetings/mtu-2030-03-11.yaml",
                                               "Sat på dagsordenen: meetings/oek-2030-03-26.yaml"]
    assert path.read_text(encoding="utf-8").endswith(
        "punkter: # tom endnu\n  - sag: 2030/ny-cykelsti\n    tillæg: ja\n")
    assert "tillæg" not in (root / "meetings" / "oek-2030-03-26.yaml").read_text(encoding="utf-8")
    fill_in(root / "cases" / "2030" / "ny-cykelsti.yaml")
    assert run(root, "check").returncode == 0


def test_later_stages_take_the_next_planned_meeting_after_the_one_before(root: Path) -> None:
    # ØK's meeting on 2030-03-12 is held, and comes before MTU's anyway: the 26th is chosen.
    assert run(root, "new", "sag", "Vej", "--sagsgang", "MTU,ØK", "--moede",
               "meetings/mtu-2030-03-11.yaml").returncode == 0
    data = load_yaml(root / "cases" / "2030" / "vej.yaml").data
    assert [s["dato"] for s in data["sagsgang"]] == ["2030-03-11", "2030-03-26"]


def test_never_overwrites_a_case(root: Path) -> None:
    assert run(root, "new", "sag", "Ny cykelsti", "--sagsgang", "MTU").returncode == 0
    path = root / "cases" / "2030" / "ny-cykelsti.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# min egen note\n", encoding="utf-8")
    mine = path.read_bytes()
    agenda = (root / "meetings" / "mtu-2030-03-11.yaml").read_bytes()
    again = run(root, "new", "sag", "Ny  cykelsti", "--sagsgang", "MTU")
    assert again.returncode == 1
    assert again.stderr == ("cases/2030/ny-cykelsti.yaml: filen findes allerede, og 'new' "
                            "overskriver aldrig en fil; vælg en anden titel, eller ret i den fil\n"
                            "1 fejl\n")
    assert path.read_bytes() == mine
    assert (root / "meetings" / "mtu-2030-03-11.yaml").read_bytes() == agenda


@pytest.mark.parametrize(("args", "message"), [
    (["--sagsgang", "MTU,OEK"], "--sagsgang: udvalget 'OEK' findes ikke i sagsfremstilling.yaml "
                                "(mente du 'ØK'?); brug en af: KB, ØK, MTU"),
    (["--sagsgang", "TMU"], "--sagsgang: udvalget 'TMU' findes ikke i sagsfremstilling.yaml "
                            "(mente du 'MTU'?); brug en af: KB, ØK, MTU"),
    (["--sagsgang", " , "], "--sagsgang: skriv udvalgenes koder i rækkefølge, fx MTU,ØK,KB"),
    (["--sagsgang", "KB"], "--sagsgang: KB har intet planlagt møde fra {today}; angiv "
                           "mødet med --moede ID, eller opret det først med 'sagsfremstilling new "
                           "moede KB ÅÅÅÅ-MM-DD'"),
    (["--sagsgang", "MTU", "--moede", "mtu-2030-03-1"],
     "--moede: mødet 'mtu-2030-03-1' findes ikke i meetings/ (mente du 'mtu-2030-03-11'?)"),
    (["--sagsgang", "MTU,ØK", "--moede", "oek-2030-03-26"],
     "--moede: oek-2030-03-26 er et ØK-møde, men sagsgangen begynder med MTU; angiv MTUs møde, "
     "eller ret --sagsgang"),
    (["--sagsgang", "ØK", "--moede", "oek-2030-03-12"],
     "--moede: mødet oek-2030-03-12 er afholdt, så der kan ikke komme nye punkter på; vælg et "
     "senere møde"),
])
def test_bad_input_is_refused_before_anything_is_written(root: Path, args: list[str],
                                                         message: str) -> None:
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    days = {dt.date.today()}
    result = run(root, "new", "sag", "Ny cykelsti", *args)
    days.add(dt.date.today())  # the command may run just after midnight
    assert result.returncode == 1
    assert result.stderr in {message.replace("{today}", str(day)) + "\n1 fejl\n" for day in days}
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_empty_title_is_refused(root: Path) -> None:
    result = run(root, "new", "sag", " – ", "--sagsgang", "MTU")
    assert result.returncode == 1
    assert result.stderr.startswith("TITEL: titlen er tom;")


def test_title_with_yaml_characters_reads_back_exactly(root: Path) -> None:
    title = 'Orientering: "Plan 2030" # 2 – 50% af §3'
    assert run(root, "new", "sag", title, "--sagsgang", "MTU").returncode == 0
    (path,) = (root / "cases" / "2030").glob("orientering*.yaml")
    assert path.name == "orientering-plan-2030-2-50-af-3.yaml"
    assert load_yaml(path).data["titel"] == title


# ---------------------------------------------------------------- new moede


def test_new_meeting_copies_place_and_times_from_the_committees_latest(root: Path) -> None:
    result = run(root, "new", "moede", "ØK", "2030-04-23")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Oprettet meetings/oek-2030-04-23.yaml\n"
    text = (root / "meetings" / "oek-2030-04-23.yaml").read_text(encoding="utf-8")
    assert text == (
        "# yaml-language-server: $schema=../schemas/moede.schema.json\n"
        "# Økonomiudvalget\n"
        "udvalg: ØK\n"
        "dato: 2030-04-23\n"
        'start: "08:00"\n'
        'slut: "12:00"\n'
        "sted: Mødelokale 1, Rådhuset, Grenaa\n"
        "status: planlagt\n"
        "# Dagsordenens punkter, fx '- sag: 2023/ny-cykelsti'.\n"
        "punkter: []\n")
    assert run(root, "check").returncode == 0


def test_new_meeting_without_an_earlier_one_leaves_place_and_times_open(root: Path) -> None:
    assert run(root, "new", "moede", "KB", "2030-04-09").returncode == 0
    data = load_yaml(root / "meetings" / "kb-2030-04-09.yaml").data
    assert data == {"udvalg": "KB", "dato": "2030-04-09", "start": None, "slut": None,
                    "status": "planlagt", "punkter": []}
    assert run(root, "check").returncode == 0
    # Now KB has a planned meeting, so a new case is routed all the way.
    assert run(root, "new", "sag", "Hele vejen", "--sagsgang", "MTU,ØK,KB").returncode == 0
    case = load_yaml(root / "cases" / "2030" / "hele-vejen.yaml").data
    assert [s["udvalg"] for s in case["sagsgang"]] == ["MTU", "ØK", "KB"]


@pytest.mark.parametrize(("args", "message"), [
    (["OEK", "2030-04-23"], "UDVALG: udvalget 'OEK' findes ikke i sagsfremstilling.yaml "
                            "(mente du 'ØK'?); brug en af: KB, ØK, MTU"),
    (["ØK", "23-04-2030"],
     "DATO: '23-04-2030' er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, fx 2023-03-28"),
    (["ØK", "2030-02-30"], "DATO: datoen '2030-02-30' findes ikke"),
    (["ØK", "2030-03-26"], "meetings/oek-2030-03-26.yaml: filen findes allerede, og 'new' "
                           "overskriver aldrig en fil"),
])
def test_new_meeting_refuses_bad_input(root: Path, args: list[str], message: str) -> None:
    result = run(root, "new", "moede", *args)
    assert result.returncode == 1
    assert result.stderr == f"{message}\n1 fejl\n"


def test_new_meeting_refuses_a_second_meeting_on_the_same_day(root: Path) -> None:
    (root / "meetings" / "oek-2030-03-26.yaml").rename(root / "meetings" / "oeu-2030-03-26.yaml")
    result = run(root, "new", "moede", "ØK", "2030-03-26")
    assert result.returncode == 1
    assert result.stderr == ("DATO: ØK har allerede et møde den 2030-03-26: "
                             "meetings/oeu-2030-03-26.yaml\n1 fejl\n")


# ---------------------------------------------------------------- the agenda edit itself


def test_append_item_to_a_file_without_punkter() -> None:
    assert append_item("udvalg: KB\ndato: 2030-01-01", "2030/x") == (
        "udvalg: KB\ndato: 2030-01-01\npunkter:\n  - sag: 2030/x\n")


def test_append_item_keeps_windows_line_ends_and_item_indentation() -> None:
    text = "udvalg: KB\r\npunkter:\r\n- sag: 2030/a\r\n  nummer: 4\r\nhævet: '19.00'\r\n"
    assert append_item(text, "2030/x") == (
        "udvalg: KB\r\npunkter:\r\n- sag: 2030/a\r\n  nummer: 4\r\n- sag: 2030/x\r\n"
        "hævet: '19.00'\r\n")


def test_append_item_as_supplementary_keeps_the_item_indentation() -> None:
    text = "udvalg: KB\npunkter:\n    - sag: 2030/a\nhævet: '19.00'\n"
    assert append_item(text, "2030/x", supplementary=True) == (
        "udvalg: KB\npunkter:\n    - sag: 2030/a\n    - sag: 2030/x\n      tillæg: ja\nhævet: '19.00'\n")
    assert append_item("udvalg: KB\n", "2030/x", supplementary=True) == (
        "udvalg: KB\npunkter:\n  - sag: 2030/x\n    tillæg: ja\n")


@pytest.mark.parametrize("text", [
    "punkter: [{sag: 2030/a}]\n",         # flow style: a textual append is not certain
    "punkter:\n  - sag: 2030/x\n",        # already listed
    "punkter: |\n  tekst\n",              # not a list at all
])
def test_append_item_declines_what_it_cannot_do_safely(text: str) -> None:
    assert append_item(text, "2030/x") is None


def test_append_item_result_reads_back_as_the_old_data_plus_the_item() -> None:
    new = append_item(OEK, "2030/ny")
    assert new is not None
    old_data, new_data = load_text(OEK, "a").data, load_text(new, "b").data
    assert new_data == {**old_data, "punkter": [{"sag": "2030/budget"}, {"sag": "2030/ny"}]}
