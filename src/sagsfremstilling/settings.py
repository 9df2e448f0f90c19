"""The municipality's settings (``sagsfremstilling.yaml``): organisation and house style.

Everything that differs between municipalities lives here or in ``templates/``:
committees and members, the section catalogue and its order, heading patterns,
date styles, numbering and the words printed for closed items.  The code never
names a municipality.
"""

from __future__ import annotations

import datetime as dt
import difflib
import string
from typing import Any, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .errors import ValueErrorAt
from .schema_types import JaNej, Sagstype, Strict, Udfald

BUILTIN_PARTS = ("sagsgang", "indstilling", "beslutninger", "bilag", "ekstra", "beslutningskompetence",
                 "forslagsstiller")
"""Parts of a paper that the tool builds itself; they take a place in the
catalogue like any text section, so their order is the municipality's choice
(and a part the catalogue leaves out is not printed)."""


class Medlem(Strict):
    navn: str
    """Fulde navn, som det skal stå i papirerne."""
    parti: str = ""
    """Partibogstav eller -navn, fx 'V', 'A' eller 'Løsgænger'."""
    rolle: str = ""
    """Fx 'Formand', 'Næstformand', 'Borgmester'."""
    fra: dt.date | None = None
    """Medlem fra og med denne dato, fx 2026-01-01 for en ny valgperiode; tom: fra altid."""
    til: dt.date | None = None
    """Medlem til og med denne dato, fx 2025-12-31; tom: fortsat medlem."""

    def on(self, day: dt.date) -> bool:
        """Whether this entry holds on ``day``: a member's list of a past meeting
        stays as it was when the next election changes the committee."""
        return (self.fra is None or self.fra <= day) and (self.til is None or day <= self.til)

    @model_validator(mode="after")
    def _ordered(self) -> Medlem:
        if self.fra is not None and self.til is not None and self.til < self.fra:
            raise ValueError(f"'til' ({self.til}) ligger før 'fra' ({self.fra}); ret datoerne")
        return self


class Udvalg(Strict):
    kode: str
    """Forkortelsen, der bruges i sagsgangen, fx 'MTU', 'ØK', 'KB'."""
    navn: str
    """Det fulde navn i bestemt form, fx 'Miljø- og teknikudvalget'."""
    medlemmer: list[Medlem] = []
    """Med 'fra' og 'til' på et medlem står hvert møde med de medlemmer, udvalget havde den dag."""
    stedfortrædere: list[Medlem] = []
    """Stedfortrædere/suppleanter, der kan indkaldes."""

    def members_on(self, day: dt.date) -> list[Medlem]:
        """The members the committee had on ``day``."""
        return [m for m in self.medlemmer if m.on(day)]


class Sektion(Strict):
    nøgle: str
    """Feltnavnet i sagsfilen (fx 'sagsfremstilling') eller en af de indbyggede dele:
    sagsgang, indstilling, beslutninger, bilag, ekstra."""
    overskrift: str = ""
    """Overskriften, som den trykkes. Tom: ingen overskrift."""
    tom: Literal["tekst", "overskrift", "udelad"] = "udelad"
    """Hvad en tom sektion viser: 'tekst' (overskrift + tom_tekst), 'overskrift' (kun
    overskriften) eller 'udelad' (intet)."""
    tom_tekst: str = "Ingen."
    """Teksten under overskriften, når sektionen er tom og tom er 'tekst'."""
    sagstyper: list[Sagstype] = []
    """Kun sager af disse typer viser sektionen, når den er tom (efter 'tom'), fx
    [beslutning, orientering]; en sag af en anden type viser den kun med tekst.
    Tom liste: alle typer."""
    hjælp: str = ""
    """Kort vejledning til sagsbehandleren (bruges af 'sagsfremstilling new')."""


def _check_pattern(text: str, fields: frozenset[str] | None = None) -> None:
    """A pattern may name the fields the tool fills there (``fields``; None: any)
    and give dates a Danish format, nothing more: a width such as
    {udvalg:>999999999} would build a heading of gigabytes."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        raise ValueError(f"mønsteret '{text[:60]}' har en krølparentes uden partner; "
                         "skriv {{ og }} for krølparenteser i teksten") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if fields is not None and name not in fields:
            if not fields:
                raise ValueError(f"'{{{name}}}' er ikke et felt her, for teksten har ingen felter; "
                                 "skriv {{ og }} for krølparenteser i teksten")
            close = difflib.get_close_matches(name, sorted(fields), n=1)
            hint = f" (mente du {{{close[0]}}}?)" if close else ""
            known = [f"{{{f}}}" for f in sorted(fields)]
            listed = ", ".join(known[:-1]) + " og " + known[-1] if len(known) > 1 else known[0]
            raise ValueError(f"mønsteret har ikke feltet {{{name}}}{hint}; det kan bruge {listed}")
        if conversion or (spec and name != "dato"):
            raise ValueError(f"'{{{name}:{spec}}}' er ikke tilladt i et mønster; kun "
                             "{dato:…} kan have et format, fx {dato:dd-mm-åååå}")


class Mønstre(Strict):
    """Settings whose texts are patterns filled by the tool.  ``FIELDS`` names the
    fields each pattern may use, so a misspelt one is found when the settings are
    read, at its line, not when a paper is made."""

    FIELDS: ClassVar[dict[str, frozenset[str]]] = {}

    @field_validator("*")
    @classmethod
    def _patterns(cls, value: Any, info: ValidationInfo) -> Any:
        fields = cls.FIELDS.get(info.field_name or "")
        if not isinstance(value, dict):
            if isinstance(value, str):
                _check_pattern(value, fields)
            return value
        for key, text in value.items():
            try:
                _check_pattern(text, fields)
            except ValueError as err:
                raise ValueErrorAt(str(err), key) from None
        return value


def _fields(**patterns: str) -> dict[str, frozenset[str]]:
    return {key: frozenset(names.split()) for key, names in patterns.items()}


def _must_name(value: str, key: str, names: tuple[str, ...], example: str) -> str:
    """``value`` when the pattern names every field in ``names``, else a Danish message."""
    if all("{" + n + "}" in value for n in names):
        return value
    listed = " og ".join("{" + n + "}" for n in names)
    raise ValueError(f"'{key}' skal indeholde {'både ' if len(names) > 1 else ''}{listed}, fx '{example}'")


class Datoformater(Strict):
    prosa: str = "d. måned åååå"
    """Datoer i løbende tekst, fx '15. november 2022'."""
    overskrift: str = "dd-mm-åååå"
    """Datoer i beslutningsoverskrifter og sidehoved, fx '15-11-2022'."""
    klokkeslæt: Literal["16.00", "16:00"] = "16.00"
    """Hvordan et klokkeslæt skrives: med punktum ('16.00') eller kolon ('16:00')."""


class Beslutningstekster(Mønstre):
    FIELDS = _fields(
        overskrift="udvalg kode dato punkt", overskrift_aktuel="udvalg kode dato punkt",
        tidligere_linje="udvalg kode dato punkt",
        ad_enkelt="punkt tekst", ad_interval="fra til tekst", ad_liste="punkter tekst",
        afbud="", fraværende="", uden_afbud="", fravær_grund="navn grund", stedfortræder="navn for",
        inhabil="navn",
        inhabil_stedfortræder="navn stedfortræder", inhabil_hjemmel="linje hjemmel",
        habil="navn udvalg", habil_hjemmel="linje hjemmel",
        afstemning_for="hvem navne antal partisæt", afstemning_imod="hvem navne antal partisæt",
        afstemning_undlod="hvem navne antal partisæt", afstemning_emne="emne",
        ændringsforslag="af til tekst", ændringsforslag_nummereret="nummer af til tekst",
        ændringsforslag_til="punkt", ændringsforslag_udfald="udfald", udfald="", udtalelser="af tekst",
    )

    overskrift: str = "Beslutning i {udvalg} den {dato:dd-mm-åååå}"
    """Overskriften over et udvalgs beslutning. Felter: {udvalg}, {kode}, {dato:FORMAT}, {punkt}."""
    overskrift_aktuel: str = ""
    """Overskriften over det aktuelle mødes beslutning; tom: som 'overskrift'. Fx 'Beslutning'."""
    overskrift_over_aktuel: JaNej = True
    """Om det aktuelle mødes beslutning har en overskrift; nej: beslutningen står uden, lige
    efter indstillingen (fx kun 'Indstillingen blev godkendt med 31 stemmer imod 14.')."""
    tidligere_linje: dict[Udfald, str] = {}
    """Et tidligere udvalgs beslutning som én linje uden overskrift, efter dens udfald, fx
    {anbefalet: '{udvalg} anbefaler indstillingen.', taget_til_efterretning: '{udvalg} har
    haft sagen til orientering.'}. Linjen står i stedet for overskriften og udfaldets
    standardtekst; beslutningens egen tekst, afstemninger og udtalelser følger efter den.
    Felter: {udvalg}, {kode}, {dato:FORMAT}, {punkt}. Tom: overskrift og tekst som ellers."""
    ad_enkelt: str = "Ad. {punkt}. {tekst}"
    """Beslutning om ét indstillingspunkt."""
    ad_interval: str = "Ad. {fra}-{til} {tekst}"
    """Beslutning om flere punkter i træk."""
    ad_liste: str = "Ad. {punkter} {tekst}"
    """Beslutning om flere punkter, der ikke står i træk (fx 1 og 3)."""
    afbud: str = "Afbud:"
    fraværende: str = "Fraværende:"
    uden_afbud: str = "Udeblev uden afbud:"
    fravær_grund: str = "{navn}, {grund}"
    """En person, der var væk, når grunden er angivet, fx '{navn} ({grund})'."""
    stedfortræder: str = "{navn} deltog som stedfortræder for {for}."
    inhabil: str = "{navn} deltog ikke i behandlingen af sagen på grund af inhabilitet."
    inhabil_stedfortræder: str = "{navn} var inhabil. I stedet deltog {stedfortræder}."
    inhabil_hjemmel: str = "{linje} Inhabiliteten følger af {hjemmel}."
    """Linjen om inhabilitet ({linje}), når sagen nævner lovgrundlaget ({hjemmel})."""
    habil: str = "{udvalg} vurderede, at {navn} ikke var inhabil."
    """Når spørgsmålet om et medlems habilitet blev rejst, og udvalget fandt medlemmet
    habilt ('inhabil: nej' i sagen)."""
    habil_hjemmel: str = "{linje} Jf. {hjemmel}."
    """Linjen om habilitet ({linje}), når sagen nævner lovgrundlaget ({hjemmel})."""
    afstemning_for: str = "For stemte: {hvem}"
    """Felter: {hvem} ('A, V og Navn (Parti) (5)'), {navne} (uden antal), {antal}
    (tomt, når antallet ikke kendes) og {partisæt} ('A+V+C'), fx 'For stemte {antal}:
    {navne}' eller '{antal} medlemmer ({partisæt}) anbefaler forslaget'. Det samme
    gælder afstemning_imod og afstemning_undlod."""
    afstemning_imod: str = "Imod stemte: {hvem}"
    afstemning_undlod: str = "Undlod at stemme: {hvem}"
    afstemning_emne: str = "Afstemning om {emne}:"
    afstemning_resultat: Literal["efter", "før"] = "efter"
    """Hvor en afstemnings resultat ('Indstillingen blev godkendt med 6 stemmer mod 2.')
    står: 'efter' linjerne med, hvem der stemte hvad, eller 'før' dem."""
    ændringsforslag: str = "Ændringsforslag fra {af}{til}: {tekst}"
    """{til} bliver ændringsforslag_til, når forslaget nævner det punkt, det ændrer, ellers tomt."""
    ændringsforslag_nummereret: str = "Ændringsforslag nr. {nummer} fra {af}{til}: {tekst}"
    """Et ændringsforslag med 'nummer' (fx ved budgettet)."""
    ændringsforslag_til: str = " til punkt {punkt}"
    """{til} i de to mønstre ovenfor, når forslaget har 'punkt', fx ' til indstillingens punkt {punkt}'."""
    ændringsforslag_udfald: str = "Ændringsforslaget blev {udfald}."
    udfald: dict[str, str] = {
        "godkendt": "Godkendt.",
        "tiltrådt": "Tiltrådt.",
        "anbefalet": "Anbefales.",
        "taget_til_efterretning": "Taget til efterretning.",
        "drøftet": "Drøftet.",
        "udsat": "Udsat.",
        "oversendt": "Oversendt.",
        "forkastet": "Forkastet.",
        "trukket": "Sagen blev trukket.",
    }
    """Standardteksten for et udfald, når beslutningen ikke har egen tekst."""
    udtalelser: dict[str, str] = {
        "mindretalsudtalelse": "Mindretalsudtalelse fra {af}: {tekst}",
        "protokolbemærkning": "{af} ønskede følgende bemærkning tilført protokollen: {tekst}",
        "stemmeforklaring": "{af} stemte, idet {tekst}",
        "forbehold": "{af} tog forbehold: {tekst}",
        "kommentar": "{af}: {tekst}",
    }
    """Hvordan hver slags udtalelse skrives. {tekst} sættes i citationstegn, når
    udtalelsen er et citat."""

    @field_validator("fravær_grund")
    @classmethod
    def _names_both(cls, value: str) -> str:
        return _must_name(value, "fravær_grund", ("navn", "grund"), "{navn} ({grund})")


class Indstillingstekster(Mønstre):
    FIELDS = _fields(indledning="indstiller til tekst", indledning_pr_type="indstiller til tekst",
                     efter_punkterne="indstiller til tekst")

    indledning: str = "{indstiller} indstiller{til}, at {tekst}"
    """Indledningen over punkterne. {til} bliver ' til …', når sagen har en modtager."""
    indledning_pr_type: dict[Sagstype, str] = {}
    """En anden indledning for en sagstype, fx {medlemsforslag: '{indstiller} foreslår, at {tekst}'}."""
    punktform: Literal["nummereret", "parentes", "punkttegn"] = "nummereret"
    """Indstillingens punkter: 'nummereret' ('1. …'), 'parentes' ('1) …', Aarhus) eller
    'punkttegn' ('• …')."""
    ét_punkt: Literal["liste", "linje"] = "liste"
    """En indstilling med ét punkt: 'liste' (som de andre, fx '1. …') eller 'linje' (en
    linje for sig under indledningen, uden nummer)."""
    efter_punkterne: str = ""
    """En linje efter punkterne, fx '({indstiller})' for de forvaltninger, der stiller
    forslaget (Københavns Kommune). Felter som 'indledning'. Tom: ingen linje."""


class Bilagstekster(Mønstre):
    FIELDS = _fields(ikke_offentligt="", titel="nummer titel", mærkat="")

    ikke_offentligt: str = "Bilaget er ikke offentligt"
    """Står i den offentlige udgave i stedet for et bilag, der ikke er offentligt."""
    titel: str = "{titel}"
    """Hvordan et bilag nævnes i sagen, i indholdsfortegnelsen og i pakken. Felter:
    {titel} og {nummer} (bilagets plads i sagens liste: 1, 2 …), fx 'Bilag {nummer}: {titel}'.
    Med {nummer} kontrollerer 'check' også henvisninger som 'jf. bilag 2' i sagens tekst."""

    mærkat: str = "Bilag:"
    """Står foran et bilags titel i mødepakkens indholdsfortegnelse og over dets sider,
    når 'titel' ikke selv nævner bilagets nummer."""

    @field_validator("titel")
    @classmethod
    def _names_the_title(cls, value: str) -> str:
        return _must_name(value, "titel", ("titel",), "Bilag {nummer}: {titel}")

    @property
    def numbered(self) -> bool:
        """Whether bilag carry numbers, so 'bilag 2' in a case's text must name one."""
        return "{nummer}" in self.titel


class Lukkettekster(Mønstre):
    FIELDS = _fields(mærkat="", åben_mærkat="", personoplysning="", titel="titel")
    titel: str = "{titel}"
    """Hvordan et lukket punkts titel trykkes overalt (papir, indholdsfortegnelse,
    bogmærker, filnavne), fx 'Lukket - {titel}' eller '{titel} (Lukket)'."""
    mærkat: str = "Lukket punkt"
    åben_mærkat: str = "Åben sag"
    offentliggør_beslutning: JaNej = False
    """Om beslutningen i et lukket punkt står i den offentlige udgave."""
    personoplysning: str = "[personoplysning udeladt]"
    """Erstatter tekst markeret ||sådan|| i den offentlige udgave."""

    @field_validator("titel")
    @classmethod
    def _names_the_title(cls, value: str) -> str:
        return _must_name(value, "titel", ("titel",), "Lukket - {titel}")


class Forsidetekster(Mønstre):
    """Forsidens faste ord på dagsorden og referat."""

    FIELDS = _fields(dato="", start="", slut="", sted="", medlemmer="", stedfortrædere="",
                     stedfortræder="navn for", godkendelse="", bemærkninger="", hævet="tid",
                     ordinært="", ekstraordinært="", ingen_afbud="", klokken="tid", punkter="punkter",
                     inhabilitet="", tilstede="")
    dato: str = "Dato:"
    start: str = "Start:"
    slut: str = "Slut:"
    sted: str = "Sted:"
    medlemmer: str = "Medlemmer"
    stedfortrædere: str = "Stedfortrædere:"
    stedfortræder: str = "{navn} for {for}"
    """En stedfortræder, der møder for et medlem; uden 'for' står kun navnet."""
    godkendelse: str = "Godkendelse af dagsorden"
    bemærkninger: str = "Bemærkninger"
    hævet: str = "Mødet hævet kl. {tid}."
    """Referatets sidste linje på forsiden, fx 'Mødet sluttede kl. {tid}.'."""
    ordinært: str = ""
    """Står på forsiden af et ordinært møde, fx 'Ordinært møde'; tom: intet."""
    ekstraordinært: str = "Ekstraordinært møde"
    ingen_afbud: str = ""
    """Står efter 'Afbud:' på forsiden, når ingen var væk, fx 'Ingen' eller '-'; tom:
    linjen udelades."""
    klokken: str = "kl. {tid}"
    """Et klokkeslæt på forsiden (start og slut)."""
    tilstede: str = ""
    """Overskrift over referatets liste på forsiden over dem, der var til stede, fx
    'Tilstede:' eller 'Deltagere:': udvalgets medlemmer den dag, der ikke var væk fra hele
    mødet, og mødets stedfortrædere. Tom: ingen liste."""
    inhabilitet: str = ""
    """Overskrift over referatets liste på forsiden over medlemmer, der var inhabile, med
    punkterne, fx 'Inhabilitet:'; listen samles fra punkternes beslutninger. Tom: ingen
    liste (inhabiliteten står under punktets beslutning)."""
    punkter: str = " (punkt {punkter})"
    """Efter navnet på en, der kun er væk fra eller stedfortræder ved nogle punkter, fx
    ' (pkt. {punkter})' eller ', punkt {punkter}'."""


class Gruppe(Mønstre):
    """En gruppe af åbne punkter efter sagstype, fx 'Til efterretning'."""

    FIELDS = _fields(overskrift="")
    overskrift: str
    """Overskriften over gruppen i indholdsfortegnelsen og på mødets side."""
    sagstyper: list[Sagstype]
    """Sagstyperne i gruppen, fx [orientering, meddelelse]."""


class Mødetekster(Mønstre):
    FIELDS = _fields(
        dagsorden="udvalg kode dato", referat="udvalg kode dato", udkast="",
        sidehoved="udvalg kode dato", sidefod="side sider", indhold="", åbne_punkter="",
        lukkede_punkter="", tillæg="", tillægsdagsorden="udvalg kode dato", bilagsoversigt="", underskriftsark="", underskriftsark_tekst="", punkt="nummer",
        sagsnummer="sagsnummer kle dokumentnummer enhed sagsbehandler", adresse="moede",
    )

    dagsorden: str = "Dagsorden"
    """Dagsordenens navn på forsiden og i titlen. Felter: {udvalg}, {kode}, {dato:FORMAT}."""
    referat: str = "Referat"
    """Referatets navn, fx 'Referat' eller 'Referat af mødet i {udvalg}'."""
    udkast: str = "UDKAST"
    """Vandmærke på et referat, der endnu ikke er godkendt."""
    sidehoved: str = "{udvalg} {dato:dd-mm-åååå}"
    sidefod: str = "Side {side} af {sider}"
    indhold: str = "Indholdsfortegnelse"
    åbne_punkter: str = ""
    """Overskrift over de åbne punkter i indholdsfortegnelsen og på mødets side, fx
    'Åbne punkter'; tom: ingen overskrift."""
    lukkede_punkter: str = ""
    """Overskrift over de lukkede punkter, fx 'Lukkede punkter' eller 'Lukket møde'; tom:
    ingen overskrift."""
    tillæg: str = "Tillægsdagsorden"
    """Overskrift over de åbne punkter, der kom på efter indkaldelsen ('tillæg: ja' i
    mødefilen); tom: ingen overskrift."""
    tillægsdagsorden: str = "Tillægsdagsorden"
    """Navnet på et særskilt dokument med kun de punkter, der kom på efter indkaldelsen
    (tillaegsdagsorden.pdf og .docx), som sendes ud for sig; det laves, når mødet har
    sådanne punkter. Felter som 'dagsorden'. Tom: intet særskilt dokument."""
    bilagsoversigt: str = ""
    """Overskrift over en oversigt sidst i dagsorden og referat over alle bilagene med
    punkt og side, fx 'Bilagsoversigt' eller 'Bilagsliste'. Tom: ingen oversigt (bilagene
    står også i indholdsfortegnelsen under deres punkt)."""
    underskriftsark: str = ""
    """Overskrift over et underskriftsark sidst i referatet, fx 'Underskriftsark'; arket
    har en linje at skrive under på til hvert medlem, der var til stede, og hver
    stedfortræder. Tom: intet underskriftsark."""
    underskriftsark_tekst: str = ""
    """Tekst under overskriften, fx 'Referatet er godkendt og underskrevet af:'."""
    underskriftsark_som_punkt: JaNej = False
    """Ja: underskriftsarket er referatets sidste punkt med eget nummer, i
    indholdsfortegnelsen og bogmærkerne, fx '9. Underskriftsark' (før en bilagsoversigt).
    Nummeret følger efter mødets sidste punkt; ved løbende nummerering får hvert møde et
    nummer til det, også før referatet findes, så numrene aldrig flytter sig."""
    punkt: str = "{nummer}."
    """Hvordan et punktnummer trykkes, fx '{nummer}.' eller 'Punkt {nummer}'."""
    sagsnummer: str = "Sagsnr.: {sagsnummer}"
    """Sagens identifikation under titlen, når sagen har et sagsnummer. Felter:
    {sagsnummer}, {kle}, {dokumentnummer}, {enhed}, {sagsbehandler}, fx
    'Sagsnr.: {sagsnummer}   Dok.nr.: {dokumentnummer}'."""
    forside: Forsidetekster = Forsidetekster()
    grupper: list[Gruppe] = []
    """De åbne punkter i grupper efter sagstype, i denne rækkefølge, hver under sin
    overskrift, fx 'Til efterretning' (orientering, meddelelse) og 'Til behandling'
    (beslutning, drøftelse, medlemsforslag). Punkterne ordnes efter gruppe; med
    'fast_rækkefølge: ja' i mødefilen står de, som de står der. En sagstype, ingen gruppe
    nævner, står til sidst under 'åbne_punkter'. Tillægspunkter og lukkede punkter har
    deres egne overskrifter. Tom: ingen grupper."""
    adresse: str = ""
    """Hvor den offentlige udgave af et møde ligger på nettet, med {moede} for mødets
    id, fx 'https://norddjurs.dk/politik/moeder/{moede}/'. moede.json får så
    fulde adresser (som OParl vil have dem); tom: adresser i forhold til mappen."""

    @field_validator("adresse")
    @classmethod
    def _address(cls, value: str) -> str:
        if value and (not value.startswith(("https://", "http://")) or "{moede}" not in value
                      or not value.endswith("/") or any(c.isspace() for c in value)):
            raise ValueError("'adresse' skal være en webadresse med {moede} og / til sidst, "
                             "fx https://norddjurs.dk/politik/moeder/{moede}/")
        return value

    @field_validator("underskriftsark_som_punkt")
    @classmethod
    def _sheet_to_number(cls, value: bool, info: ValidationInfo) -> bool:
        # A field validator, so the message points at this line; underskriftsark is declared first.
        if value and not str(info.data.get("underskriftsark", "")).strip():
            raise ValueError("der er intet underskriftsark at nummerere; skriv også fx "
                             "'underskriftsark: Underskriftsark', eller slet linjen")
        return value


class Indstillinger(Strict):
    """sagsfremstilling.yaml: kommunens opsætning."""

    kommune: str
    """Kommunens navn, fx 'Norddjurs Kommune'."""
    logo: str = ""
    """Sti til logoet (SVG eller PNG), relativt til indholdsmappen."""
    udvalg: list[Udvalg]
    sektioner: list[Sektion]
    """Katalog over sagens dele i den rækkefølge, de trykkes."""
    datoer: Datoformater = Datoformater()
    beslutning: Beslutningstekster = Beslutningstekster()
    indstilling: Indstillingstekster = Indstillingstekster()
    bilag: Bilagstekster = Bilagstekster()
    lukket: Lukkettekster = Lukkettekster()
    møde: Mødetekster = Mødetekster()
    nummerering: Literal["pr_møde", "løbende", "løbende_valgperiode"] = "pr_møde"
    """'pr_møde': punkterne nummereres fra 1 på hvert møde; 'løbende': gennem året pr. udvalg;
    'løbende_valgperiode': gennem valgperioden pr. udvalg (fra 1. januar 2022, 2026 …)."""
    gentag_afbud: JaNej = True
    """Om mødets afbud gentages under beslutningen i hvert punkt."""
    sagsgang_skilletegn: str = ", "
    sagsgang_navne: JaNej = False
    """Om sagsgangen nævner udvalgene ved navn ('Økonomiudvalget, Kommunalbestyrelsen')
    i stedet for ved kode ('ØK, KB')."""
    sagsgang_tabel: JaNej = False
    """Sagsgangen som en tabel med alle udvalgenes koder og 'x' under dem, sagen skal
    til, '(x)' til orientering (Herning)."""
    sagsgang_linje: str = ""
    """Sagsgangen som en linje pr. behandling i stedet for én linje, fx '{dato:dd-mm-åååå}
    {udvalg}' (Aarhus' 'Sagens forløb': '19-08-2019 Magistraten'). Felter: {udvalg}
    (navnet), {kode} og {dato:FORMAT}. Tom: én linje med sagsgang_skilletegn."""
    navneform: str = "{navn} ({parti})"
    """Hvordan et medlem nævnes med sit parti overalt (forside, fravær, afstemninger,
    underskriftsark), fx '{navn} ({parti})', '{navn}, {parti}' eller '{navn}'. En
    person uden parti nævnes kun ved navn."""

    @field_validator("sagsgang_linje")
    @classmethod
    def _route_pattern(cls, value: str) -> str:
        _check_pattern(value, frozenset({"udvalg", "kode", "dato"}))
        return value

    @field_validator("navneform")
    @classmethod
    def _name_pattern(cls, value: str) -> str:
        _check_pattern(value, frozenset({"navn", "parti"}))
        return _must_name(value, "navneform", ("navn",), "{navn} ({parti})")

    @field_validator("udvalg")
    @classmethod
    def _unique_codes(cls, value: list[Udvalg]) -> list[Udvalg]:
        codes = [u.kode for u in value]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"udvalgskoden {dupes[0]} står flere gange")
        return value

    @model_validator(mode="after")
    def _catalogue(self) -> Indstillinger:
        keys = [s.nøgle for s in self.sektioner]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"sektionen '{dupes[0]}' står flere gange i kataloget")
        return self

    # ---------------------------------------------------------------- look-ups

    def committee(self, code: str) -> Udvalg | None:
        return next((u for u in self.udvalg if u.kode == code), None)

    def committee_name(self, code: str) -> str:
        """The committee's name, or its code where the settings do not know it."""
        named = self.committee(code)
        return named.navn if named else code

    def section(self, key: str) -> Sektion | None:
        return next((s for s in self.sektioner if s.nøgle == key), None)

    @property
    def text_section_keys(self) -> list[str]:
        """Keys a case file may use for its own text sections."""
        return [s.nøgle for s in self.sektioner if s.nøgle not in BUILTIN_PARTS]


SETTINGS_FILE = "sagsfremstilling.yaml"

__all__ = ["Indstillinger", "Udvalg", "Medlem", "Sektion", "SETTINGS_FILE", "BUILTIN_PARTS", "Field"]
