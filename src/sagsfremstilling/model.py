"""The case file and the meeting file: what caseworkers and the secretariat write.

Field names are Danish, as caseworkers speak; each field's docstring is what the
editor shows from the JSON Schema.  A case's text sections are top-level keys
taken from the settings' catalogue (``sagsfremstilling:``, ``baggrund:`` …), so
the loader lifts them into ``Sag.sektioner`` (one text) or ``Sag.sektionsudgaver``
(versions, each from a meeting on) before validation.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from .schema_types import JaNej, Klokkeslaet, Sagstype, Strict, Synlig, Udfald, is_blank


def _name_or_mapping(value: Any) -> Any:
    # "Diana Therese Mikkelsen" is the same as {navn: Diana Therese Mikkelsen}.
    return {"navn": value} if isinstance(value, str) else value


class Person(Strict):
    navn: str
    """Fulde navn. Står personen i indstillingerne, hentes partiet derfra."""
    parti: str = ""
    """Partibogstav eller -navn; skal angives for personer, der ikke står i indstillingerne."""


class Fravær(Person):
    grund: str = ""
    """Fx 'sygdom' eller 'ferie'. Trykkes efter navnet, hvis angivet."""
    punkter: str = ""
    """Kun for mødefilen: de punkter, fraværet gælder, fx '3-5'. Tom: hele mødet."""

    def covers(self, number: int | None) -> bool:
        """Whether the absence covers item ``number``: every item when 'punkter' is
        empty, and any item whose number is not known."""
        return _covers(self.punkter, number)


class Stedfortræder(Person):
    for_: str = Field("", alias="for")
    """Navnet på det medlem, stedfortræderen møder for."""
    punkter: str = ""
    """Kun for mødefilen: de punkter, stedfortræderen deltog i, fx '1-4'. Tom: hele mødet."""

    def covers(self, number: int | None) -> bool:
        """Whether the substitute sat in for item ``number`` (as ``Fravær.covers``)."""
        return _covers(self.punkter, number)


def _covers(points: str, number: int | None) -> bool:
    return not points or number is None or number in parse_points(points)


# json_schema_input_type: the editor's schema must accept the plain name too.
PersonRef = Annotated[Person, BeforeValidator(_name_or_mapping,
                                              json_schema_input_type=str | Person)]
FraværRef = Annotated[Fravær, BeforeValidator(_name_or_mapping,
                                              json_schema_input_type=str | Fravær)]


class Stemmer(Strict):
    antal: int | None = None
    """Antal stemmer. Udelades det, tælles de navngivne medlemmer."""
    partier: list[str] = Field(default_factory=list)
    """Partibogstaver, fx [A, V, C]."""
    medlemmer: list[PersonRef] = Field(default_factory=list)


class Afstemning(Strict):
    emne: str = ""
    """Hvad der stemmes om; tom: indstillingen."""
    for_: Stemmer = Field(Stemmer(), alias="for")
    imod: Stemmer = Stemmer()
    undlod: Stemmer = Stemmer()
    resultat: str = ""
    """Resultatet i en sætning, fx 'Indstillingen blev godkendt med 5 stemmer mod 2.'"""


class Inhabil(Person):
    inhabil: JaNej = True
    """Nej: spørgsmålet om medlemmets habilitet blev rejst, men udvalget vurderede, at
    medlemmet ikke var inhabilt; medlemmet deltog i behandlingen (og må stemme)."""
    stedfortræder: str = ""
    """Hvem der deltog i stedet, hvis nogen."""
    begrundelse: str = ""
    hjemmel: str = ""
    """Lovgrundlaget, fx 'forvaltningslovens § 3, stk. 1, nr. 3'."""
    afstemning: Afstemning | None = None
    """Afstemningen om medlemmets habilitet, hvis udvalget stemte om den."""


InhabilRef = Annotated[Inhabil, BeforeValidator(_name_or_mapping,
                                                json_schema_input_type=str | Inhabil)]


class Udtalelse(Strict):
    art: Literal["mindretalsudtalelse", "protokolbemærkning", "stemmeforklaring", "forbehold", "kommentar"]
    af: str
    """Hvem udtalelsen er fra, fx 'O' eller 'Jens Hansen (V)'."""
    tekst: str
    citat: JaNej = True
    """Om teksten trykkes i citationstegn."""


class Ændringsforslag(Strict):
    af: str
    """Hvem der stillede forslaget."""
    tekst: str
    nummer: str = ""
    """Forslagets nummer, hvor de nummereres (fx ved budgettet): '3' eller 'V-12'."""
    punkt: int | None = None
    """Indstillingspunktet, forslaget ændrer."""
    udfald: Literal["vedtaget", "forkastet", "trukket"] | None = None
    afstemning: Afstemning | None = None


class AdPunkter(Strict):
    punkter: str
    """Punkterne, beslutningen gælder: '1', '1-2' eller '1, 3'."""
    tekst: str

    @field_validator("punkter")
    @classmethod
    def _syntax(cls, value: str) -> str:
        if not parse_points(value):
            raise ValueError(f"'{value}' er ikke punktnumre; skriv fx 1, 1-2 eller 1, 3")
        return value


def parse_points(spec: str) -> list[int]:
    """'1-2' → [1, 2]; '1, 3' → [1, 3]; '' or garbage → []."""
    points: list[int] = []
    for part in re.split(r"\s*(?:,|og)\s*", str(spec).strip()):
        m = re.fullmatch(r"(\d{1,3})(?:\s*-\s*(\d{1,3}))?", part)
        if not m:
            return []
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if hi < lo or hi - lo > 200:
            return []
        points.extend(range(lo, hi + 1))
    return points


def _number_from_one(value: int | None, info: ValidationInfo) -> int | None:
    """An item number as a reader counts: 1, 2, 3 … (a rule here, not ``Field(ge=1)``,
    whose message is pydantic's English)."""
    if value is not None and value < 1:
        raise ValueError(f"'{info.field_name}' skal være 1 eller derover, ikke {value}; "
                         "punkterne nummereres fra 1")
    return value


class Beslutning(Strict):
    tekst: str = ""
    """Beslutningen i Markdown, fx 'Godkendt.'. Kan udelades, når 'udfald' eller 'ad' siger det."""
    udfald: Udfald | None = None
    ad: list[AdPunkter] = Field(default_factory=list)
    """Beslutninger pr. indstillingspunkt ('Ad. 1-2 Tiltrådt.')."""
    afbud: list[FraværRef] = Field(default_factory=list)
    """Afbud i dette punkt ud over mødets afbud."""
    fraværende: list[FraværRef] = Field(default_factory=list)
    uden_afbud: list[FraværRef] = Field(default_factory=list)
    """Medlemmer, der udeblev fra punktet uden at melde afbud."""
    stedfortrædere: list[Stedfortræder] = Field(default_factory=list)
    inhabilitet: list[InhabilRef] = Field(default_factory=list)
    afstemninger: list[Afstemning] = Field(default_factory=list)
    udtalelser: list[Udtalelse] = Field(default_factory=list)
    ændringsforslag: list[Ændringsforslag] = Field(default_factory=list)
    bemærkninger: str = ""
    """Øvrige bemærkninger til protokollen, i Markdown."""


class Behandling(Strict):
    udvalg: str
    """Udvalgets kode fra indstillingerne, fx 'ØK'."""
    dato: dt.date
    """Mødedatoen, ÅÅÅÅ-MM-DD."""
    punkt: int | None = None
    """Punktets nummer på netop dette møde, hvis det skal stå fast."""
    til_orientering: JaNej = False
    """Ja: udvalget får sagen til orientering, ikke til beslutning (i en sagsgang som tabel
    står der '(x)' under udvalget)."""
    beslutning: Beslutning | None = None
    """Udfyldes efter mødet."""

    @field_validator("punkt")
    @classmethod
    def _from_one(cls, value: int | None, info: ValidationInfo) -> int | None:
        return _number_from_one(value, info)


class Indstilling(Strict):
    indstiller: str
    """Hvem der indstiller, fx 'Vej- og ejendomschefen'."""
    til: str = ""
    """Modtager og vej, fx 'Kommunalbestyrelsen via ØK'. Tom: udelades."""
    tekst: str = ""
    """Resten af indledningen efter 'at', fx 'modellen … fastlægges således, at'."""
    punkter: list[str] = Field(default_factory=list)
    """Indstillingens punkter i Markdown; de nummereres 1, 2, 3 …"""


class FraMøde(Strict):
    """Something a case gained on its way: it belongs to the papers for one meeting
    of its route and the later ones, not to the earlier ones, whose agendas and
    approved minutes must stay as they were."""

    fra: dt.date | None = None
    """Datoen for mødet i sagsgangen, hvor det kom til, fx '2022-11-07': det står kun på
    papirerne til det møde og de senere. Tom: på alle."""

    def shown_on(self, day: dt.date | None) -> bool:
        """Whether a paper for the meeting on ``day`` (None: the case on its own) shows it."""
        return self.fra is None or day is None or day >= self.fra


class Bilag(FraMøde):
    titel: str
    fil: str
    """Stien til PDF-filen, relativt til indholdsmappen, fx 'bilag/2022/kort.pdf'."""
    offentlig: JaNej = True
    """'nej' holder bilaget ude af den offentlige udgave."""


class Sektionstekst(FraMøde):
    """En udgave af en tekstsektion: den første står fra starten, og hver senere afløser
    den forrige fra det møde, dens 'fra' nævner."""

    tekst: str | None = None


class EkstraSektion(FraMøde):
    """En sektion, som kataloget ikke kender, fx 'Supplerende sagsfremstilling' til et
    senere møde (med 'fra')."""

    overskrift: str
    tekst: str


class Sag(Strict):
    """En sagsfil: én sag og dens vej gennem udvalgene."""

    titel: Synlig
    titelkode: str = ""
    """Kode efter titlen, fx '(B)' for beslutning eller '(O)' for orientering."""
    sagsnummer: str = ""
    """Sagsnummeret som fritekst, fx '22/1234' eller '00.01.00-G01-523-18'."""
    kle: str = ""
    """KLE-nummer, fx '00.01.00'."""
    dokumentnummer: str = ""
    enhed: str = ""
    """Ansvarlig enhed, fx 'Vej og Ejendom'."""
    sagsbehandler: str = ""
    offentlig_titel: str = ""
    """Titlen, der må stå i den offentlige udgave af en lukket sag, fx 'Salg af ejendom'."""
    lukket: JaNej = False
    """'ja' for en sag, der behandles for lukkede døre; kræver en offentlig_titel."""
    sagstype: Sagstype = "beslutning"
    """'beslutning', 'orientering', 'drøftelse', 'meddelelse' (et fast punkt som
    Meddelelser, Spørgetid eller Eventuelt) eller 'medlemsforslag'."""
    forslagsstiller: str = ""
    """Hvem der stiller et medlemsforslag, fx 'Enhedslisten' eller 'Louise Ølgaard Hansen (Ø)'."""
    beslutningskompetence: str = ""
    """Udvalgskoden for det udvalg, der træffer den endelige beslutning."""
    sagsgang: list[Behandling] = Field(min_length=1)
    """Udvalgene, sagen går igennem, i rækkefølge."""
    sektioner: dict[str, str | None] = Field(default_factory=dict)
    """Tekstsektionerne; skrives som felter direkte i filen (sagsfremstilling: …)."""
    sektionsudgaver: dict[str, list[Sektionstekst]] = Field(default_factory=dict)
    """Tekstsektioner skrevet som udgaver med 'fra' (en ny tekst fra et senere møde);
    skrives også som felter direkte i filen."""
    ekstra_sektioner: list[EkstraSektion] = Field(default_factory=list)
    """Sektioner, som kataloget ikke kender."""
    indstilling: Indstilling | None = None
    bilag: list[Bilag] = Field(default_factory=list)

    def section(self, key: str, day: dt.date | None) -> str:
        """A text section as the papers for the meeting on ``day`` print it (None: the
        case on its own, with its newest text): written in versions, the last one
        begun by then."""
        versions = self.sektionsudgaver.get(key)
        if versions is None:
            return self.sektioner.get(key) or ""
        shown = [v for v in versions if v.shown_on(day)]
        return (shown[-1].tekst or "") if shown else ""

    @field_validator("lukket")
    @classmethod
    def _closed_needs_public_title(cls, value: bool, info: ValidationInfo) -> bool:
        # A field validator (not a model validator) so the message points at `lukket: ja`;
        # offentlig_titel is declared first so it is in info.data here.
        if value and is_blank(str(info.data.get("offentlig_titel", ""))):
            raise ValueError("en lukket sag skal have en offentlig_titel, som må stå i den "
                             "offentlige udgave; tilføj fx 'offentlig_titel: Salg af ejendom'")
        return value


class Punkt(Strict):
    sag: str
    """Sagens id: stien under cases/ uden .yaml, fx '2022/aendret-praksis-dialogforum'."""
    nummer: int | None = None
    """Fast punktnummer; ellers nummereres efter rækkefølgen."""
    tillæg: JaNej = False
    """Punktet kom på dagsordenen efter indkaldelsen (tillægsdagsorden): det står efter de
    øvrige åbne punkter, under overskriften 'Tillægsdagsorden'."""

    @field_validator("nummer")
    @classmethod
    def _from_one(cls, value: int | None, info: ValidationInfo) -> int | None:
        return _number_from_one(value, info)


class Møde(Strict):
    """En mødefil: ét udvalgsmøde og dets dagsorden."""

    udvalg: str
    dato: dt.date
    start: Klokkeslaet | None = None
    slut: Klokkeslaet | None = None
    sted: str = ""
    art: Literal["ordinært", "ekstraordinært"] = "ordinært"
    status: Literal["planlagt", "indkaldt", "afholdt", "godkendt"] = "planlagt"
    afbud: list[FraværRef] = Field(default_factory=list)
    fraværende: list[FraværRef] = Field(default_factory=list)
    uden_afbud: list[FraværRef] = Field(default_factory=list)
    """Medlemmer, der udeblev uden at melde afbud (med 'punkter', hvis kun fra nogle punkter)."""
    stedfortrædere: list[Stedfortræder] = Field(default_factory=list)
    punkter: list[Punkt] = Field(default_factory=list)
    """Dagsordenens punkter i rækkefølge. Lukkede punkter flyttes efter de åbne,
    medmindre 'fast_rækkefølge' er ja."""
    fast_rækkefølge: JaNej = False
    godkendelse_af_dagsorden: str = ""
    """Bemærkninger til godkendelsen af dagsordenen, fx 'Godkendt, idet punkt 3 udgår.'"""
    bemærkninger: str = ""
    hævet: Klokkeslaet | None = None
    """Hvornår mødet blev hævet."""
