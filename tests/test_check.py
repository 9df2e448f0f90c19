"""`sagsfremstilling check`: one broken fixture per rule, with its exact message and place.

Each folder under fixtures/broken/ (and fixtures/passing/) holds only what it
changes: it is laid over a copy of fixtures/base/, a small valid content root
with two committees, two cases and two meetings.  Most replace
cases/2022/test.yaml, the case the base's meetings list; some add or replace a
meeting file, a bilag or the settings.
"""
# ruff: noqa: E501 - an exact message reads best on one line

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sagsfremstilling import bilagcheck, yamlread
from sagsfremstilling.check import check_root, validate_project
from sagsfremstilling.errors import InputError, Problem
from sagsfremstilling.project import load_project

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_root(tmp_path: Path, overlay: Path | None = None) -> Path:
    """A copy of the base root with ``overlay`` laid over it."""
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "base", root)
    if overlay is not None:
        shutil.copytree(overlay, root, dirs_exist_ok=True)
    if overlay is not None and overlay.name == "bilag-symlink-outside":
        # A link cannot be kept in git pointing outside the copy, so it is made here.
        shutil.copy(FIXTURES / "base/bilag/2022/kort.pdf", tmp_path / "udenfor.pdf")
        (root / "bilag/2022/link.pdf").symlink_to(tmp_path / "udenfor.pdf")
    return root


def problems_of(root: Path) -> list[str]:
    try:
        problems, _ = check_root(root)
    except InputError as exc:  # the settings themselves are broken
        problems = exc.problems
    return [str(p) for p in problems]


BROKEN: dict[str, list[str]] = {
    # Reading the YAML: syntax, encoding, safety
    "tab-indent": [
        'cases/2022/test.yaml:3:1: tabulatortegn er ikke tilladt; ryk ind med mellemrum',
    ],
    "unclosed-quote": [
        'cases/2022/test.yaml:1:8: et citationstegn eller en parentes, der begynder her, bliver ikke lukket; luk det',
    ],
    "bad-indentation": [
        'cases/2022/test.yaml:5:4: forkert indrykning: linjen flugter ikke med felterne over den; ret antallet af mellemrum',
    ],
    "not-utf8": [
        'cases/2022/test.yaml:3:6: filen er ikke UTF-8 (byte 0xe6); gem den som UTF-8',
    ],
    "python-tag": [
        "cases/2022/test.yaml:2:13: YAML-mærket '!!python/object/apply:os.system' er ikke tilladt; skriv værdien uden mærke",
    ],
    "alias": [
        'cases/2022/test.yaml:5:9: YAML-henvisninger (*navn) er ikke tilladt; skriv teksten ud hvert sted',
    ],
    "duplicate-key": [
        "cases/2022/test.yaml:9:1: feltet 'titel' står to gange (første gang i linje 1); slet det ene",
    ],
    "not-a-mapping": [
        'cases/2022/test.yaml:1:1: filen skal være en samling af felter (nøgle: værdi)',
    ],
    # The schema: keys, types, values
    "unknown-key": [
        "cases/2022/test.yaml:9:1: ukendt felt 'sagsfremstiling' (mente du 'sagsfremstilling'?)",
    ],
    "unknown-nested-key": [
        "cases/2022/test.yaml:8:5: ukendt felt 'beslutninger' (mente du 'beslutning'?)",
    ],
    "missing-title": [
        "cases/2022/test.yaml:1:1: feltet 'titel' mangler; tilføj 'titel: …'",
    ],
    "list-expected": [
        "cases/2022/test.yaml:11:12: 'punkter' skal være en liste (linjer, der starter med '- ')",
    ],
    "number-expected": [
        "cases/2022/test.yaml:5:12: 'punkt' skal være et helt tal, ikke 'tre'",
    ],
    "section-not-text": [
        "cases/2022/test.yaml:10:3: 'økonomi' skal være tekst; brug '|' og skriv teksten på linjerne under",
    ],
    "impossible-date": [
        "cases/2022/test.yaml:4:11: datoen '2022-02-30' findes ikke; ret den (ÅÅÅÅ-MM-DD)",
    ],
    "unknown-outcome": [
        "cases/2022/test.yaml:8:26: 'vedtaget' er ikke tilladt i 'udfald'; vælg en af: 'godkendt', 'tiltrådt', 'anbefalet', 'taget_til_efterretning', 'drøftet', 'udsat', 'oversendt', 'forkastet', 'trukket'",
    ],
    "closed-without-public-title": [
        "cases/2022/test.yaml:2:9: en lukket sag skal have en offentlig_titel, som må stå i den offentlige udgave; tilføj fx 'offentlig_titel: Salg af ejendom'",
    ],
    "bad-clock": [
        "meetings/oek-2022-11-08.yaml:3:8: '25:00' er ikke et klokkeslæt; skriv fx 16:00",
    ],
    "settings-unknown-key": [
        "sagsfremstilling.yaml:5:5: ukendt felt 'medlemer' (mente du 'medlemmer'?)",
    ],
    "bilag-reference-missing": [
        "cases/2022/test.yaml:12:19: 'jf. bilag 2-3' henviser til et bilag, sagen ikke har; den har kun 1 bilag "
        "(bilagene tælles fra 1 i den rækkefølge, de står under 'bilag')",
        "cases/2022/test.yaml:19:7: 'jf. bilag 2' henviser til et bilag, sagen ikke har; den har kun 1 bilag "
        "(bilagene tælles fra 1 i den rækkefølge, de står under 'bilag')",
    ],
    "settings-unknown-pattern-field": [
        "sagsfremstilling.yaml:41:14: mønsteret har ikke feltet {udvalgg} (mente du {udvalg}?); "
        "det kan bruge {dato}, {kode} og {udvalg}",
        "sagsfremstilling.yaml:43:14: mønsteret har ikke feltet {nummer}; det kan bruge {punkt} og {tekst}",
    ],
    "settings-pattern-mapping": [  # each at its own key or value, not at the mapping's first
        "sagsfremstilling.yaml:42:5: 'anbefalt' kan ikke stå som nøgle under 'tidligere_linje'; vælg en af: "
        "'godkendt', 'tiltrådt', 'anbefalet', 'taget_til_efterretning', 'drøftet', 'udsat', 'oversendt', "
        "'forkastet', 'trukket'",
        "sagsfremstilling.yaml:45:16: mønsteret har ikke feltet {hvem}; det kan bruge {af} og {tekst}",
    ],
    "settings-sheet-number-without-sheet": [
        "sagsfremstilling.yaml:41:30: der er intet underskriftsark at nummerere; skriv også fx "
        "'underskriftsark: Underskriftsark', eller slet linjen",
    ],
    "settings-bad-address": [
        "sagsfremstilling.yaml:41:12: 'adresse' skal være en webadresse med {moede} og / til sidst, "
        "fx https://norddjurs.dk/politik/moeder/{moede}/",
    ],
    # Committees and people
    "unknown-committee": [
        "cases/2022/test.yaml:9:13: udvalget 'OEK' findes ikke i sagsfremstilling.yaml (mente du 'ØK'?); brug en af: KB, ØK",
    ],
    "unknown-committee-meeting": [
        "meetings/kb-2022-12-13.yaml:1:9: udvalget 'BR' findes ikke i sagsfremstilling.yaml; brug en af: KB, ØK",
    ],
    "unknown-member": [
        "cases/2022/test.yaml:11:11: 'Jens Hansen' er hverken medlem af eller stedfortræder i Kommunalbestyrelsen i sagsfremstilling.yaml; ret navnet, eller angiv partiet med 'parti:'",
    ],
    "unknown-member-typo": [
        "meetings/kb-2022-11-15.yaml:5:12: 'Carla Aaby' er hverken medlem af eller stedfortræder i Kommunalbestyrelsen i sagsfremstilling.yaml (mente du 'Carla Åby'?); ret navnet, eller angiv partiet med 'parti:'",
    ],
    "absent-voter": [
        "cases/2022/test.yaml:11:41: 'Bent Øster' stemmer her, men står under afbud (linje 9); ret det ene",
        "cases/2022/test.yaml:19:30: 'Carla Åby' stemmer her, men står under afbud i meetings/kb-2022-11-15.yaml; ret det ene",
        "cases/2022/test.yaml:19:41: 'Erik Enø' stemmer her, men står under inhabilitet (linje 16); ret det ene",
    ],
    "from-not-a-stage": [
        "cases/2022/test.yaml:16:10: 'fra: 2022-11-14' er ikke datoen for et møde i sagens sagsgang; "
        "skriv 2022-11-08 eller 2022-11-15",
        "cases/2022/test.yaml:26:10: 'fra: 2022-11-09' er ikke datoen for et møde i sagens sagsgang; "
        "skriv 2022-11-08 eller 2022-11-15",
    ],
    "section-versions": [
        "cases/2022/test.yaml:15:5: kun den første udgave af 'sagsfremstilling' kan stå uden 'fra'; skriv datoen "
        "for det møde, hvor denne udgave afløser den forrige",
        "cases/2022/test.yaml:19:10: udgaverne af 'økonomi' skal stå i tidsorden: 2022-11-08 kommer ikke efter "
        "2022-11-15",
        "cases/2022/test.yaml:21:10: 'fra: 2022-11-20' er ikke datoen for et møde i sagens sagsgang; skriv "
        "2022-11-08 eller 2022-11-15",
    ],
    "section-version-unknown-field": [
        "cases/2022/test.yaml:15:5: ukendt felt 'tekts' (mente du 'tekst'?)",
    ],
    "habil-with-substitute": [
        "cases/2022/test.yaml:16:26: 'Erik Enø' var ikke inhabil ('inhabil: nej') og deltog selv, så ingen "
        "stedfortræder deltog i stedet; slet 'stedfortræder' eller 'inhabil: nej'",
        "cases/2022/test.yaml:19:43: 'Jens Hansen' er hverken medlem af eller stedfortræder i Kommunalbestyrelsen "
        "i sagsfremstilling.yaml; ret navnet, eller angiv partiet med 'parti:'",
    ],
    "absent-twice": [
        "cases/2022/test.yaml:12:20: 'Carla Åby' står allerede under afbud i meetings/kb-2022-11-15.yaml; skriv personen ét sted",
    ],
    "member-not-on-date": [
        "cases/2022/base.yaml:29:25: 'Erik Enø' var ikke medlem af eller stedfortræder i Kommunalbestyrelsen den "
        "2022-11-15 (medlem til 2022-06-30 i sagsfremstilling.yaml); ret navnet eller datoen, eller angiv partiet "
        "med 'parti:'",
        "cases/2022/test.yaml:11:11: 'Erik Enø' var ikke medlem af eller stedfortræder i Kommunalbestyrelsen den "
        "2022-11-15 (medlem til 2022-06-30 i sagsfremstilling.yaml); ret navnet eller datoen, eller angiv partiet "
        "med 'parti:'",
        "meetings/kb-2022-11-15.yaml:8:28: 'Frida Fjord' var ikke medlem af eller stedfortræder i "
        "Kommunalbestyrelsen den 2022-11-15 (medlem fra 2023-01-01 i sagsfremstilling.yaml); ret navnet eller datoen",
    ],
    "unknown-voter": [
        "cases/2022/test.yaml:12:40: 'Frede Fisker' er hverken medlem af eller stedfortræder i Kommunalbestyrelsen i sagsfremstilling.yaml; ret navnet, eller angiv partiet med 'parti:'",
    ],
    "substitute-for-unknown": [
        "cases/2022/test.yaml:11:34: 'Carl Åby' ('for') er hverken medlem af eller stedfortræder i Kommunalbestyrelsen i sagsfremstilling.yaml (mente du 'Carla Åby'?); ret navnet",
    ],
    "vote-count-mismatch": [
        'cases/2022/test.yaml:12:20: antal er 3, men der står 2 navne under medlemmer; ret tallet, eller slet det, så navnene tælles',
    ],
    "substitute-points": [
        "cases/2022/test.yaml:11:53: 'punkter' bruges kun i mødefilen; i en sag gælder stedfortræderen hele "
        "punktet, så slet linjen",
        "meetings/kb-2022-11-15.yaml:8:48: 'første' er ikke punktnumre; skriv fx 3 eller 3-5 eller 3, 7",
    ],
    "absence-points-in-case": [
        "cases/2022/test.yaml:11:37: 'punkter' bruges kun i mødefilen; i en sag gælder fraværet hele punktet, så slet linjen",
    ],
    # Indstilling points
    "ad-point-missing": [
        "cases/2022/test.yaml:12:20: 'Ad. 7' peger ikke på et indstillingspunkt, for indstillingen har 2 punkter; ret nummeret",
    ],
    "ad-without-indstilling": [
        "cases/2022/test.yaml:10:21: 'Ad. 1' peger ikke på et indstillingspunkt, for sagen har ingen; tilføj punkter under indstilling, eller skriv beslutningen i 'tekst'",
    ],
    "ad-point-twice": [
        'cases/2022/test.yaml:11:21: punkt 2 har allerede en beslutning (ad nr. 1); slå dem sammen',
    ],
    "amendment-number-twice": [
        "cases/2022/test.yaml:13:20: ændringsforslag nr. V-1 står allerede i linje 11; giv dem hvert sit nummer",
    ],
    "amendment-point-missing": [
        "cases/2022/test.yaml:11:55: 'Ad. 3' peger ikke på et indstillingspunkt, for indstillingen har 2 punkter; ret nummeret",
    ],
    # The route and its meetings
    "stage-dates-descending": [
        'cases/2022/test.yaml:7:11: datoen 2022-11-08 ligger før den forrige behandling (KB 2022-11-15); skriv sagsgangen i tidsorden',
    ],
    "stage-twice": [
        'cases/2022/test.yaml:6:5: sagen står allerede på ØK-mødet den 2022-11-08 (linje 3); slet den ene',
    ],
    "stage-without-meeting": [
        'cases/2022/test.yaml:9:5: der er ingen mødefil for KB den 2022-12-13; opret meetings/kb-2022-12-13.yaml, eller ret udvalg og dato',
    ],
    "approved-without-decision": [
        "cases/2022/test.yaml:6:5: referatet fra KB den 2022-11-15 er godkendt, men sagen har ingen beslutning derfra; skriv den under 'beslutning:'",
    ],
    "meeting-not-listing-case": [
        "cases/2022/test.yaml:8:5: mødet kb-2022-11-15 har ikke sagen på dagsordenen; tilføj '- sag: 2022/test' under punkter i meetings/kb-2022-11-15.yaml",
    ],
    "meeting-unknown-case": [
        "meetings/kb-2022-11-15.yaml:7:10: sagen '2022/tset' findes ikke (der er ingen cases/2022/tset.yaml) (mente du '2022/test'?); ret id'et",
    ],
    "meeting-case-with-suffix": [
        "cases/2022/test.yaml:8:5: mødet kb-2022-11-15 har ikke sagen på dagsordenen; tilføj '- sag: 2022/test' under punkter i meetings/kb-2022-11-15.yaml",
        "meetings/kb-2022-11-15.yaml:5:10: skriv sagens id uden 'cases/' og '.yaml': '2022/test'",
    ],
    "meeting-case-not-routed": [
        "meetings/oek-2022-12-06.yaml:5:10: sagen '2022/test' har ingen behandling i ØK den 2022-12-06; tilføj den i sagsgangen i cases/2022/test.yaml, eller fjern punktet",
    ],
    "meeting-id-date-mismatch": [
        "meetings/oek-2022-12-07.yaml:2:7: filnavnet siger 2022-12-07, men mødets dato er 2022-12-06; ret datoen, eller omdøb filen til 'oek-2022-12-06.yaml'",
    ],
    "meeting-id-bad-form": [
        "meetings/oek-06-12-2022.yaml:1:1: mødefilens navn 'oek-06-12-2022.yaml' skal have formen udvalg-ÅÅÅÅ-MM-DD.yaml med små bogstaver a-z, fx 'oek-2022-12-06.yaml'; omdøb filen",
    ],
    "duplicate-meeting": [
        'meetings/oekonomi-2022-11-08.yaml:2:7: der er allerede en mødefil for ØK den 2022-11-08 (meetings/oek-2022-11-08.yaml); slå de to filer sammen, eller ret datoen',
    ],
    "duplicate-item": [
        "meetings/kb-2022-11-15.yaml:7:10: sagen '2022/test' står allerede på dagsordenen (linje 5); slet den ene",
    ],
    "duplicate-number": [
        "meetings/kb-2022-11-15.yaml:6:30: punktnummeret 1 er allerede brugt af sagen '2022/test'; ret nummeret",
    ],
    "number-disagrees": [
        "meetings/oek-2022-11-08.yaml:5:30: sagen '2022/base' siger punkt 1 for dette møde, men her står 2; ret det ene",
    ],
    "number-zero": [
        "meetings/oek-2022-11-08.yaml:5:30: 'nummer' skal være 1 eller derover, ikke 0; punkterne nummereres fra 1",
    ],
    "stage-number-negative": [
        "cases/2022/test.yaml:5:12: 'punkt' skal være 1 eller derover, ikke -1; punkterne nummereres fra 1",
    ],
    "meeting-ends-before-start": [
        "meetings/oek-2022-11-08.yaml:4:7: 'slut' (kl. 12:00) ligger før mødets start (kl. 14:00); ret klokkeslættet",
    ],
    "yml-extension": [
        "meetings/oek-2022-12-06.yml:0:0: filen bliver ikke læst: en mødefil skal ende på .yaml; omdøb den til 'oek-2022-12-06.yaml'",
    ],
    # Bilag
    "bilag-dotdot": [
        "cases/2022/test.yaml:11:10: stien må ikke indeholde '..'; læg bilaget i indholdsmappen og skriv stien derfra, fx 'bilag/2022/kort.pdf'",
    ],
    "bilag-absolute": [
        "cases/2022/test.yaml:11:10: stien må ikke være absolut; læg bilaget i indholdsmappen og skriv stien derfra, fx 'bilag/2022/kort.pdf'",
    ],
    "bilag-backslash": [
        "cases/2022/test.yaml:11:10: brug / i stien, ikke \\ (skriv 'bilag/2022/kort.pdf')",
    ],
    "bilag-symlink-outside": [
        "cases/2022/test.yaml:11:10: bilaget 'bilag/2022/link.pdf' er et link, der peger uden for indholdsmappen; læg selve filen i indholdsmappen",
    ],
    "bilag-missing": [
        "cases/2022/test.yaml:11:10: bilaget 'bilag/2022/kortt.pdf' findes ikke (mente du 'bilag/2022/kort.pdf'?)",
    ],
    "bilag-folder": [
        "cases/2022/test.yaml:11:10: 'bilag/2022' er ikke en fil; skriv stien til selve PDF-filen",
    ],
    "bilag-not-pdf": [
        "cases/2022/test.yaml:11:10: bilaget 'bilag/2022/tegning.pdf' er ikke en PDF-fil; gem eller eksportér det som PDF",
    ],
    "bilag-empty": [
        "cases/2022/test.yaml:11:10: bilaget 'bilag/2022/tom.pdf' er en tom fil (0 byte); gem PDF-filen igen",
    ],
    "bilag-encrypted": [
        "cases/2022/test.yaml:11:10: PDF-filen 'bilag/2022/krypteret.pdf' er beskyttet med adgangskode eller kryptering; gem en udgave uden adgangskode",
    ],
    "bilag-corrupt": [
        "cases/2022/test.yaml:11:10: PDF-filen 'bilag/2022/beskadiget.pdf' er beskadiget og kan ikke læses; gem eller eksportér den som PDF igen",
    ],
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_fixture(name: str, tmp_path: Path) -> None:
    assert problems_of(make_root(tmp_path, FIXTURES / "broken" / name)) == BROKEN[name]


def test_broken_fixtures_with_pythons_yaml_parser(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml, PyYAML's own parser is used; the messages stay the same."""
    monkeypatch.setattr(yamlread, "_CParser", None)
    for name, expected in BROKEN.items():
        assert problems_of(make_root(tmp_path / name, FIXTURES / "broken" / name)) == expected, name


def test_every_broken_fixture_is_tested() -> None:
    folders = sorted(p.name for p in (FIXTURES / "broken").iterdir() if p.is_dir())
    assert folders == sorted(BROKEN)
    assert len(folders) >= 30


def test_base_fixture_is_clean(tmp_path: Path) -> None:
    assert problems_of(make_root(tmp_path)) == []


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "passing").iterdir() if p.is_dir()))
def test_passing_fixture(name: str, tmp_path: Path) -> None:
    assert problems_of(make_root(tmp_path, FIXTURES / "passing" / name)) == []


def test_yaml11_traps_stay_what_was_typed(tmp_path: Path) -> None:
    project, _ = load_project(make_root(tmp_path, FIXTURES / "passing/yaml11-traps"))
    case = project.cases["2022/test"]
    assert (case.titel, case.sagsnummer, case.kle, case.dokumentnummer, case.enhed,
            case.sagsbehandler) == ("nej", "0800", "1_000", "0x1F", "10:30", "no")
    assert case.sektioner["resume"] == "on"
    assert case.indstilling is not None and case.indstilling.punkter == ["y", "1e3"]
    decision = case.sagsgang[0].beslutning
    assert decision is not None and decision.tekst == "yes" and decision.ad[1].tekst == "off"
    assert case.bilag[0].offentlig is False  # a yes/no field: here 'nej' means no


def test_bom_and_crlf_are_read_as_plain_text(tmp_path: Path) -> None:
    raw = (FIXTURES / "passing/bom-crlf/cases/2022/test.yaml").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # git kept the bytes
    project, _ = load_project(make_root(tmp_path, FIXTURES / "passing/bom-crlf"))
    case = project.cases["2022/test"]
    assert case.titel == "Ny legeplads i Testrup"
    decision = case.sagsgang[1].beslutning
    assert decision is not None
    assert decision.tekst == "Godkendt.\n\nDog skal legepladsen være færdig før sommer.\n"


def test_danish_letters_in_keys_and_values(tmp_path: Path) -> None:
    project, _ = load_project(make_root(tmp_path, FIXTURES / "passing/danish-letters"))
    case = project.cases["2022/test"]
    assert case.titel == "Æblehaven i Ørsted får nyt Åløb"
    assert str(case.sektioner["økonomi"]).startswith("Udgiften på 1.000 kr.")


# ---------------------------------------------------------------- the API


def test_validate_project_returns_sorted_located_problems(tmp_path: Path) -> None:
    root = make_root(tmp_path, FIXTURES / "broken/stage-without-meeting")
    project, load_problems = load_project(root)
    assert load_problems == []
    problems = validate_project(project)
    assert problems == sorted(problems)
    assert problems == [Problem("cases/2022/test.yaml", 9, 5, BROKEN["stage-without-meeting"][0].split(": ", 1)[1])]


def test_check_root_restricts_the_report_to_the_given_paths(tmp_path: Path) -> None:
    root = make_root(tmp_path, FIXTURES / "broken/meeting-case-with-suffix")
    both, _ = check_root(root)
    assert {p.path for p in both} == {"cases/2022/test.yaml", "meetings/kb-2022-11-15.yaml"}
    only, _ = check_root(root, [root / "meetings"])
    assert [p.path for p in only] == ["meetings/kb-2022-11-15.yaml"]


def test_case_and_meeting_files_are_read_through_links_only_inside_the_root(tmp_path: Path) -> None:
    """A link to a file elsewhere in the content root is read like the file; a link out of
    the root is refused unread, as a bilag that is such a link."""
    root = make_root(tmp_path)
    for name in ("cases/2022/base.yaml", "meetings/oek-2022-11-08.yaml"):
        (root / "arkiv" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).rename(root / "arkiv" / name)
        (root / name).symlink_to(root / "arkiv" / name)
    assert problems_of(root) == []
    outside = tmp_path / "udenfor"
    shutil.move(root / "arkiv", outside)
    for name in ("cases/2022/base.yaml", "meetings/oek-2022-11-08.yaml"):
        (root / name).unlink()
        (root / name).symlink_to(outside / name)
    assert problems_of(root) == [
        "cases/2022/base.yaml:0:0: filen er et link, der peger uden for indholdsmappen; læg selve filen i indholdsmappen",
        "meetings/oek-2022-11-08.yaml:0:0: filen er et link, der peger uden for indholdsmappen; læg selve filen i indholdsmappen",
    ]


def test_a_changed_bilag_is_read_again(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    pdf = root / "bilag/2022/kort.pdf"
    assert bilagcheck.bilag_problem(root, "bilag/2022/kort.pdf") is None
    pdf.write_bytes(b"Ikke en PDF, men et billede.")  # other size: another cache key
    assert bilagcheck.bilag_problem(root, "bilag/2022/kort.pdf") == (
        "bilaget 'bilag/2022/kort.pdf' er ikke en PDF-fil; gem eller eksportér det som PDF")


def test_the_check_counts_a_bilags_pages_once_for_the_build(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdf

    root = make_root(tmp_path)
    pdf = root / "bilag/2022/kort.pdf"
    bilagcheck.clear_cache()
    assert bilagcheck.bilag_problem(root, "bilag/2022/kort.pdf") is None
    pages = len(pypdf.PdfReader(pdf).pages)

    def unread(*args: object, **kwargs: object) -> None:
        raise AssertionError("the packet opened a bilag the check had counted")

    monkeypatch.setattr(pypdf, "PdfReader", unread)
    assert bilagcheck.page_count(pdf) == pages
    monkeypatch.undo()
    writer = pypdf.PdfWriter(clone_from=pdf)
    writer.add_blank_page()
    with open(pdf, "wb") as out:  # another version of the file: counted again
        writer.write(out)
    assert bilagcheck.page_count(pdf) == pages + 1
    bilagcheck.clear_cache()


def test_a_bilag_link_out_of_the_root_is_named_as_such_even_when_its_target_is_missing(
        tmp_path: Path) -> None:
    root = make_root(tmp_path / "root")
    (root / "bilag/2022/ud.pdf").symlink_to(tmp_path / "findes-ikke.pdf")
    (root / "bilag/2022/borte.pdf").symlink_to("findes-heller-ikke.pdf")
    assert bilagcheck.bilag_problem(root, "bilag/2022/ud.pdf") == (
        "bilaget 'bilag/2022/ud.pdf' er et link, der peger uden for indholdsmappen; "
        "læg selve filen i indholdsmappen")
    assert bilagcheck.bilag_problem(root, "bilag/2022/borte.pdf") == (
        "bilaget 'bilag/2022/borte.pdf' findes ikke (mente du 'bilag/2022/kort.pdf'?)")


def test_a_bilag_that_cannot_be_read_says_why_in_danish(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_root(tmp_path)
    (root / "bilag/2022/ring.pdf").symlink_to("ring.pdf")
    problems = {fil: bilagcheck.bilag_problem(root, fil) for fil in (
        "bilag/2022/ring.pdf", "bilag/2022/kort.pdf/side.pdf", "bilag/2022/" + "k" * 300 + ".pdf")}
    assert problems == {
        "bilag/2022/ring.pdf": "bilaget 'bilag/2022/ring.pdf' kan ikke læses (den er et link, der peger i ring)",
        "bilag/2022/kort.pdf/side.pdf": "bilaget 'bilag/2022/kort.pdf/side.pdf' kan ikke læses (en del af stien er en fil, ikke en mappe)",
        "bilag/2022/" + "k" * 300 + ".pdf": f"bilaget 'bilag/2022/{'k' * 300}.pdf' kan ikke læses (navnet er for langt)",
    }

    def no_access(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    bilagcheck.clear_cache()
    monkeypatch.setattr(bilagcheck, "open", no_access, raising=False)  # chmod stops no root
    assert bilagcheck.bilag_problem(root, "bilag/2022/kort.pdf") == (
        "bilaget 'bilag/2022/kort.pdf' kan ikke læses (ingen adgang til den)")
    monkeypatch.setattr(Path, "stat", no_access)
    assert bilagcheck.bilag_problem(root, "bilag/2022/kort.pdf") == (
        "bilaget 'bilag/2022/kort.pdf' kan ikke læses (ingen adgang til den)")
    bilagcheck.clear_cache()


def test_a_pdf_with_an_empty_user_password_is_accepted(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("", owner_password="ejer", algorithm="RC4-128")  # printable, not editable
    with open(tmp_path / "bilag.pdf", "wb") as handle:
        writer.write(handle)
    assert bilagcheck.bilag_problem(tmp_path, "bilag.pdf") is None


# ---------------------------------------------------------------- the command


def run_check(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "sagsfremstilling", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_example_content_passes() -> None:
    result = run_check("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Alt i orden: ")


def test_broken_root_exits_1_with_located_lines(tmp_path: Path) -> None:
    root = make_root(tmp_path, FIXTURES / "broken/meeting-case-with-suffix")
    result = run_check("--root", str(root), "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines() == [*BROKEN["meeting-case-with-suffix"], "2 fejl"]


@pytest.mark.parametrize("name", ["not-utf8", "python-tag", "settings-unknown-key", "bilag-corrupt"])
def test_no_traceback_for_hostile_input(name: str, tmp_path: Path) -> None:
    result = run_check("check", cwd=make_root(tmp_path, FIXTURES / "broken" / name))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines() == [*BROKEN[name], "1 fejl"]


def test_paths_restrict_the_report(tmp_path: Path) -> None:
    root = make_root(tmp_path, FIXTURES / "broken/meeting-case-with-suffix")
    result = run_check("check", "cases", cwd=root)
    assert result.stdout.splitlines() == [BROKEN["meeting-case-with-suffix"][0], "1 fejl"]
    result = run_check("check", "cases/2022/base.yaml", cwd=root)
    assert (result.returncode, result.stdout) == (0, "Alt i orden: 1 sag, 0 møder\n")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    missing = run_check("check", "cases/findes-ikke.yaml", cwd=root)
    assert (missing.returncode, missing.stderr) == (
        2, "sagsfremstilling check: fejl: stien 'cases/findes-ikke.yaml' findes ikke\n")
    outside = run_check("--root", str(root), "check", str(tmp_path))
    assert outside.returncode == 2
    assert outside.stderr.startswith(f"sagsfremstilling check: fejl: stien '{tmp_path}' ligger uden for")
    assert run_check("check", "--ukendt", cwd=root).returncode == 2


def test_no_content_root_is_said_plainly(tmp_path: Path) -> None:
    result = run_check("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "finder ingen sagsfremstilling.yaml her eller i mapperne over; brug --root MAPPE" in result.stdout
    assert "Traceback" not in result.stderr
