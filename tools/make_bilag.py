"""Make the example attachments (bilag) under bilag/2022/ as real PDF files.

Run once from the repository root and commit the PDFs:

    .venv/bin/python tools/make_bilag.py

Every PDF is compiled by Typst with only the shipped Liberation Sans fonts and a
fixed timestamp, so the bytes are the same on every machine and every run.
All names, addresses, firms and figures in the attachments are invented for the
examples; they describe no real persons or properties.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import typst

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "templates" / "fonts"
OUT = ROOT / "bilag" / "2022"


def preamble(title: str, day: dt.date, unit: str) -> str:
    """Page set-up shared by every attachment: A4, header with the unit, page x of y."""
    return f"""
#set document(title: "{title}", author: "Norddjurs Kommune")
#set text(font: "Liberation Sans", size: 10pt, lang: "da", region: "DK")
#set par(justify: false, leading: 0.6em, spacing: 1em)
#set page(
  paper: "a4",
  margin: (x: 2.2cm, top: 2.6cm, bottom: 2.2cm),
  header: context [
    #set text(size: 8pt)
    Norddjurs Kommune · {unit} #h(1fr) {day.day:02d}-{day.month:02d}-{day.year}
    #v(-0.4em) #line(length: 100%, stroke: 0.4pt)
  ],
  footer: context [
    #set text(size: 8pt)
    #h(1fr) Side #counter(page).display() af #counter(page).final().first()
  ],
)
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 16pt)
#show heading.where(level: 2): set text(size: 12pt)
#set table(stroke: 0.4pt, inset: 5pt)
#show table.cell.where(y: 0): set text(weight: "bold")
"""


# ---------------------------------------------------------------------------
# Bilag to "Forslag til lokalplan 075 …" (3 pages) and its map (1 page)

LOKALPLAN = r"""
#align(center)[
  #v(3cm)
  #text(size: 12pt)[Norddjurs Kommune]
  #v(0.8cm)
  #text(size: 26pt, weight: "bold")[Lokalplan 075]
  #v(0.2cm)
  #text(size: 16pt)[Boligområde ved Skovvej Nord, Auning]
  #v(0.6cm)
  #text(size: 14pt)[FORSLAG]
  #v(1.5cm)
  #box(width: 12cm, stroke: 0.6pt, inset: 10pt)[
    #set align(left)
    *Offentlig høring*

    Forslaget er i offentlig høring i 8 uger. Bemærkninger og indsigelser sendes til
    Norddjurs Kommune, Plan og Byg, senest ved høringsfristens udløb.

    Forslaget kan også ses på https://www.plandata.dk.
  ]
]
#v(1fr)
*Indhold*

#table(
  columns: (1fr, auto),
  stroke: none,
  inset: (x: 0pt, y: 3pt),
  [Redegørelse], [side 2],
  [Lokalplanens bestemmelser], [side 3],
  [Kortbilag 1: Lokalplanområdet og delområder], [særskilt bilag],
)
#pagebreak()

= Redegørelse

== Lokalplanens formål
Lokalplanen skal give mulighed for at opføre op til 34 boliger som åben-lav og
tæt-lav bebyggelse i den nordlige del af Auning. Planen skal sikre, at området får en
grøn struktur med et fælles friareal, der forbinder boligerne med skoven mod nord.

== Eksisterende forhold
Lokalplanområdet er på ca. 4,9 ha og anvendes i dag til landbrug. Området ligger i
landzone og afgrænses mod syd af Skovvej, mod øst af et eksisterende parcelhusområde og
mod nord af et mindre skovområde.

#table(
  columns: (auto, auto, 1fr),
  align: (left, right, left),
  [Delområde], [Areal], [Anvendelse],
  [I], [2,4 ha], [Åben-lav boligbebyggelse, op til 22 grunde],
  [II], [1,3 ha], [Tæt-lav boligbebyggelse, op til 12 boliger],
  [III], [1,2 ha], [Fælles grønt område med regnvandsbassin],
  [I alt], [4,9 ha], [],
)

== Forhold til anden planlægning
- *Kommuneplan 2021:* Området er udlagt til fremtidig boligområde. Kommuneplantillæg 14
  flytter rammegrænsen, så delområde III kommer med i rammeområdet.
- *Zonestatus:* Området overføres fra landzone til byzone, når lokalplanen er vedtaget.
- *Miljøvurdering:* Kommunen har screenet planerne efter miljøvurderingsloven og vurderer,
  at de ikke får væsentlig indvirkning på miljøet.
- *Spildevand og regnvand:* Området kloakeres med separatsystem. Regnvand forsinkes i
  bassinet i delområde III, inden det ledes til Auning Bæk.

== Trafik
Området vejbetjenes fra Skovvej via én ny overkørsel. Der anlægges en sti gennem
delområde III til den eksisterende sti mod Auning Skole.
#pagebreak()

= Lokalplanens bestemmelser

Efter planloven (lovbekendtgørelse nr. 1157 af 1. juli 2020) fastsættes følgende
bestemmelser for området, der er vist på kortbilag 1.

== § 1 Formål
Formålet er at udlægge området til boligformål og at sikre et sammenhængende grønt
friareal mod skoven.

== § 2 Område og zonestatus
Lokalplanområdet omfatter del af matr.nr. 7a Auning By, Auning. Området overføres til
byzone ved lokalplanens endelige vedtagelse.

== § 3 Anvendelse
Delområde I og II må kun anvendes til helårsboliger. Delområde III må kun anvendes til
fælles friareal og regnvandsbassin.

== § 4 Udstykning
Grunde til åben-lav bebyggelse skal være mindst 700 m². Der må ikke udstykkes i
delområde III.

== § 5 Vej- og stiforhold
Vejadgang sker fra Skovvej som vist på kortbilag 1. Stien gennem delområde III skal
være mindst 2,5 m bred og have fast belægning.

== § 6 Bebyggelsens omfang og placering
Bebyggelsesprocenten må højst være 30 for den enkelte grund i delområde I og højst 40
for delområde II som helhed. Bygninger må opføres i højst 1½ etage og må ikke være
højere end 8,5 m.

== § 7 Bebyggelsens ydre fremtræden
Facader skal fremstå i tegl, træ eller puds. Tage må ikke udføres med blanke eller
reflekterende materialer.

== § 8 Ubebyggede arealer
Delområde III skal fremstå som et naturpræget, græsklædt areal med spredte grupper af
hjemmehørende træer. Langs Skovvej skal der plantes en række af træer.
"""

KORT = r"""
= Kortbilag 1 – Lokalplanområdet og delområder

Lokalplan 075, Boligområde ved Skovvej Nord, Auning. Forslag. Skitse, ikke målfast.

#v(0.4cm)
#let s = 0.9
#box(width: 16cm, height: 17cm, stroke: 0.5pt, clip: true, {
  // skoven mod nord
  place(dx: 0cm, dy: 0cm, rect(width: 16cm, height: 3cm, fill: rgb("#d9ead3"), stroke: none))
  place(dx: 6.5cm, dy: 1.2cm, text(size: 9pt)[Skov])
  // eksisterende parcelhusområde mod øst
  place(dx: 12.6cm, dy: 3.4cm, rect(width: 3.4cm, height: 10.2cm, fill: rgb("#eeeeee"), stroke: none))
  place(dx: 12.9cm, dy: 8cm, text(size: 8pt)[Eksisterende \ boliger])
  // delområder
  place(dx: 1.5cm, dy: 3.4cm, rect(width: 6cm, height: 7.6cm, fill: rgb("#fde9c9"), stroke: 0.5pt))
  place(dx: 4.1cm, dy: 6.8cm, text(size: 14pt, weight: "bold")[I])
  place(dx: 7.5cm, dy: 3.4cm, rect(width: 4.6cm, height: 4.6cm, fill: rgb("#f8cfa0"), stroke: 0.5pt))
  place(dx: 9.5cm, dy: 5.3cm, text(size: 14pt, weight: "bold")[II])
  place(dx: 7.5cm, dy: 8cm, rect(width: 4.6cm, height: 3cm, fill: rgb("#b6d7a8"), stroke: 0.5pt))
  place(dx: 9.3cm, dy: 8.8cm, text(size: 14pt, weight: "bold")[III])
  place(dx: 9.2cm, dy: 9.7cm, ellipse(width: 1.4cm, height: 0.8cm, fill: rgb("#9fc5e8"), stroke: 0.4pt))
  // lokalplangrænse
  place(dx: 1.5cm, dy: 3.4cm, rect(width: 10.6cm, height: 7.6cm,
    stroke: (paint: black, thickness: 1.6pt, dash: "dashed")))
  // Skovvej og overkørsel
  place(dx: 0cm, dy: 11.6cm, rect(width: 16cm, height: 0.7cm, fill: rgb("#bbbbbb"), stroke: none))
  place(dx: 0.3cm, dy: 11.75cm, text(size: 8pt)[Skovvej])
  place(dx: 5.2cm, dy: 11cm, rect(width: 0.6cm, height: 0.6cm, fill: rgb("#bbbbbb"), stroke: none))
  // sti mod skolen
  place(dx: 0cm, dy: 0cm, line(start: (12.1cm, 9.5cm), end: (16cm, 14.8cm),
    stroke: (paint: rgb("#cc0000"), thickness: 1.2pt, dash: "dotted")))
  place(dx: 13.2cm, dy: 14.9cm, text(size: 8pt)[Sti mod Auning Skole])
  // nordpil og målestok
  place(dx: 14.6cm, dy: 0.4cm, text(size: 12pt, weight: "bold")[N ↑])
  place(dx: 0.6cm, dy: 15.8cm, line(length: 2.5cm, stroke: 1.5pt))
  place(dx: 0.6cm, dy: 16.0cm, text(size: 8pt)[0 #h(1.8cm) 100 m])
})

#v(0.4cm)
#table(
  columns: (auto, 1fr),
  stroke: none,
  inset: (x: 0pt, y: 3pt),
  [Signatur], [Forklaring],
  [#box(width: 1cm, height: 0.25cm, stroke: (thickness: 1.6pt, dash: "dashed"))], [Lokalplangrænse],
  [#box(width: 1cm, height: 0.35cm, fill: rgb("#fde9c9"), stroke: 0.4pt)], [Delområde I: åben-lav boliger],
  [#box(width: 1cm, height: 0.35cm, fill: rgb("#f8cfa0"), stroke: 0.4pt)], [Delområde II: tæt-lav boliger],
  [#box(width: 1cm, height: 0.35cm, fill: rgb("#b6d7a8"), stroke: 0.4pt)], [Delområde III: fælles grønt område og regnvandsbassin],
  [#box(width: 1cm, height: 0.2cm, stroke: (paint: rgb("#cc0000"), thickness: 1.2pt, dash: "dotted"))], [Ny sti],
)
"""

# ---------------------------------------------------------------------------
# Bilag to the closed item "Salg af … Kirkestien 4, Vivild" (not public)

BUD = r"""
= Oversigt over indkomne bud

*Ejendom:* Kirkestien 4, 8961 Allingåbro (tidligere Vivild Børnehave) \
*Matrikel:* 12c Vivild By, Vivild \
*Udbud:* Offentligt udbud 1. juni – 1. september 2022 ved ekstern ejendomsmægler

#table(
  columns: (auto, 1fr, auto, 1fr),
  align: (left, left, right, left),
  [Bud], [Byder], [Beløb], [Forbehold],
  [1], [Privat køber (bud A)], [1.527.000 kr.], [Ingen],
  [2], [Privat køber (bud B)], [1.400.000 kr.], [Salg af egen bolig],
  [3], [Erhvervsvirksomhed (bud C)], [1.150.000 kr.], [Lokalplanændring til erhverv],
)

== Mæglerens vurdering
Ejendommens handelsværdi blev før udbuddet vurderet til 1.450.000 kr. Bud 1 ligger
5,3 % over vurderingen og er uden forbehold.

== Købers vilkår i bud 1
- Overtagelse 1. februar 2023.
- Køber betaler tinglysningsafgift og egne rådgiveromkostninger.
- Ejendommen sælges, som den er og forefindes, jf. den udleverede tilstandsrapport.

#v(1cm)
#text(size: 8pt)[Bilaget indeholder oplysninger om forhandlinger, der ikke er offentlige, jf.
offentlighedslovens § 30, nr. 2. Bydernes navne er kendt af forvaltningen.]
"""

# ---------------------------------------------------------------------------
# Bilag to "Ansøgning om hastighedsdæmpning på Bredgade i Ørum" (1 page table)

HASTIGHED = r"""
= Hastighedsmåling på Bredgade, Ørum

Måling med radar i begge retninger ud for Bredgade 10–18 i perioden
12.–25. september 2022. Tilladt hastighed: 50 km/t.

#table(
  columns: (1fr, auto, auto, auto, auto),
  align: (left, right, right, right, right),
  [Retning], [Biler pr. døgn], [Gennemsnit], [85 %-fraktil], [Over 60 km/t],
  [Mod nord], [1.120], [49 km/t], [58 km/t], [11 %],
  [Mod syd], [1.085], [52 km/t], [61 km/t], [16 %],
  [I alt], [2.205], [50 km/t], [60 km/t], [13 %],
)

== Uheld 2017–2021
Politiets registreringer viser 2 materielskadeuheld og 1 uheld med let tilskadekomst på
strækningen i perioden. Ingen af uheldene involverede fodgængere.

== Vurdering
85 %-fraktilen ligger 8–11 km/t over den tilladte hastighed. Strækningen er
skolevej for ca. 40 elever. Forvaltningen vurderer, at fartdæmpere og en lokal
hastighedsgrænse på 40 km/t vil kunne sænke hastigheden med 8–10 km/t.
"""

BESIGTIGELSE = r"""
= Notat: besigtigelse af Bredgade, Ørum, 24. oktober 2022

*Deltagere:* Miljø- og teknikudvalget, Vej og Ejendom og fire repræsentanter for
beboerne på Bredgade.

== Det blev aftalt
- Fartdæmperen ud for Bredgade 8 flyttes ca. 20 m mod nord, så den også dæmper farten ved
  busstoppestedet.
- Den anden fartdæmper placeres som foreslået.
- Hastigheden måles igen i foråret 2023 på samme sted og i samme periode som i 2022.

== Økonomi
Flytningen ændrer ikke prisen: 185.000 kr., som i sagsfremstillingen.
"""

# ---------------------------------------------------------------------------
# Bilag to "Anlægsbevilling til stiforbindelse mellem Vivild og Auning"

STIKORT = r"""
= Oversigtskort – stiforbindelse Vivild–Auning

Skitse af det foreslåede stiforløb langs Vivildvej. Ikke målfast.

#v(0.4cm)
#box(width: 16cm, height: 11cm, stroke: 0.5pt, clip: true, {
  place(dx: 0.8cm, dy: 1.2cm, circle(radius: 1.1cm, fill: rgb("#eeeeee"), stroke: 0.5pt))
  place(dx: 1.25cm, dy: 2.1cm, text(size: 10pt, weight: "bold")[Vivild])
  place(dx: 12.2cm, dy: 6.6cm, circle(radius: 1.5cm, fill: rgb("#eeeeee"), stroke: 0.5pt))
  place(dx: 12.95cm, dy: 7.9cm, text(size: 10pt, weight: "bold")[Auning])
  // Vivildvej
  place(line(start: (2.9cm, 2.6cm), end: (12.3cm, 8.0cm), stroke: (paint: rgb("#888888"), thickness: 4pt)))
  place(dx: 5.6cm, dy: 3.3cm, rotate(30deg, text(size: 8pt)[Vivildvej]))
  // ny sti
  place(line(start: (2.9cm, 3.2cm), end: (12.2cm, 8.6cm),
    stroke: (paint: rgb("#cc0000"), thickness: 1.6pt, dash: "dashed")))
  place(dx: 7.2cm, dy: 6.5cm, text(size: 9pt, fill: rgb("#cc0000"))[Ny dobbeltrettet sti, 5,8 km])
  // krydsning
  place(dx: 8.3cm, dy: 5.35cm, circle(radius: 0.2cm, fill: rgb("#ffd966"), stroke: 0.5pt))
  place(dx: 8.8cm, dy: 4.6cm, text(size: 8pt)[Sikker krydsning ved Hollandsbjergvej])
  place(dx: 14.6cm, dy: 0.4cm, text(size: 12pt, weight: "bold")[N ↑])
  place(dx: 0.6cm, dy: 9.9cm, line(length: 2.6cm, stroke: 1.5pt))
  place(dx: 0.6cm, dy: 10.1cm, text(size: 8pt)[0 #h(2cm) 1 km])
})

#v(0.4cm)
#table(
  columns: (1fr, auto),
  align: (left, right),
  [Delstrækning], [Længde],
  [Vivild by – Hollandsbjergvej], [2,6 km],
  [Hollandsbjergvej – Auning, Østergade], [3,2 km],
  [I alt], [5,8 km],
)
"""

ANSOEGNING = r"""
= Ansøgning om kommunal medfinansiering af cykelsti

#grid(columns: (1fr, 1fr), gutter: 1em,
  [*Fra:* \ Vivild Borgerforening \ v/ formand Henrik Vestergaard Munk \ Hovedgaden 21, Vivild \ 8961 Allingåbro],
  [*Til:* \ Norddjurs Kommune \ Vej og Ejendom \ Torvet 3 \ 8500 Grenaa],
)

#v(0.6cm)
Vivild Borgerforening søger hermed Norddjurs Kommune om at anlægge en stiforbindelse
mellem Vivild og Auning langs Vivildvej.

Mange børn fra Vivild går i 7.–9. klasse på Auning Skole og cykler i dag på Vivildvej,
hvor der køres hurtigt, og hvor der ikke er rabat. Borgerforeningen har indsamlet 412
underskrifter for en sti.

Borgerforeningen har fået tilsagn om 150.000 kr. fra lokale fonde og virksomheder, som
vi vil indbetale til kommunen som bidrag til anlægget, hvis kommunen beslutter at anlægge
stien. Borgerforeningen tilbyder desuden at stå for beplantningen langs stien og passe den
de første fem år.

#table(
  columns: (1fr, auto),
  align: (left, right),
  [Tilsagn til borgerforeningen], [Beløb],
  [Lokal fond til landsbyprojekter], [100.000 kr.],
  [Erhvervsdrivende i Vivild], [35.000 kr.],
  [Borgerforeningens egne midler], [15.000 kr.],
  [I alt], [150.000 kr.],
)

#v(0.6cm)
Med venlig hilsen \
Henrik Vestergaard Munk, formand \
Tlf. 86 00 00 00 · formand\@vivild-borgerforening.invalid

#v(1cm)
#text(size: 8pt)[Bilaget indeholder personoplysninger og er ikke offentligt.]
"""

# ---------------------------------------------------------------------------
# Bilag to "Budgetopfølgning pr. 30. september 2022" (1 page table)

BUDGET = r"""
= Budgetopfølgning pr. 30. september 2022 – oversigt

Serviceudgifter i alt pr. udvalg. Beløb i 1.000 kr., løbende priser. Merforbrug er positivt.

#table(
  columns: (1fr, auto, auto, auto),
  align: (left, right, right, right),
  [Udvalg], [Korrigeret budget], [Forventet regnskab], [Afvigelse],
  [Økonomiudvalget], [312.480], [309.905], [-2.575],
  [Miljø- og teknikudvalget], [148.220], [151.046], [2.826],
  [Børne- og skoleudvalget], [601.350], [604.390], [3.040],
  [Social- og sundhedsudvalget], [846.910], [848.370], [1.460],
  [Kultur- og fritidsudvalget], [58.640], [57.640], [-1.000],
  [Serviceudgifter i alt], [1.967.600], [1.971.351], [3.751],
)

== Tillægsbevillinger, der søges
#table(
  columns: (1fr, auto),
  align: (left, right),
  [Område], [Beløb],
  [Vintertjeneste, merudgift til salt og energi], [1.850.000 kr.],
  [Specialundervisning, flere elever i eksterne tilbud], [2.400.000 kr.],
  [Finansiering: mindreudgift på administration (Økonomiudvalget)], [-2.575.000 kr.],
  [Netto], [1.675.000 kr.],
)

Nettobeløbet finansieres af kassebeholdningen.
"""

DOCS: dict[str, tuple[str, dt.date, str, str]] = {
    # filename: (document title, date in the header, unit, body)
    "lokalplanforslag-075-skovvej-nord-auning.pdf": (
        "Lokalplan 075, Boligområde ved Skovvej Nord, Auning. Forslag",
        dt.date(2022, 9, 26), "Plan og Byg", LOKALPLAN),
    "lokalplan-075-kortbilag-1.pdf": (
        "Lokalplan 075, kortbilag 1: Lokalplanområdet og delområder",
        dt.date(2022, 9, 26), "Plan og Byg", KORT),
    "kirkestien-4-indkomne-bud.pdf": (
        "Kirkestien 4, Vivild: oversigt over indkomne bud",
        dt.date(2022, 10, 20), "Vej og Ejendom", BUD),
    "hastighedsmaaling-bredgade-oerum.pdf": (
        "Hastighedsmåling på Bredgade, Ørum, september 2022",
        dt.date(2022, 9, 28), "Vej og Ejendom", HASTIGHED),
    "besigtigelse-bredgade-oerum.pdf": (
        "Notat: besigtigelse af Bredgade, Ørum, 24. oktober 2022",
        dt.date(2022, 10, 25), "Vej og Ejendom", BESIGTIGELSE),
    "stiforbindelse-vivild-auning-oversigtskort.pdf": (
        "Oversigtskort: stiforbindelse Vivild–Auning",
        dt.date(2022, 10, 24), "Vej og Ejendom", STIKORT),
    "ansoegning-vivild-borgerforening.pdf": (
        "Ansøgning fra Vivild Borgerforening om stiforbindelse",
        dt.date(2022, 8, 15), "Vej og Ejendom", ANSOEGNING),
    "budgetopfoelgning-2022-09-30-oversigt.pdf": (
        "Budgetopfølgning pr. 30. september 2022: oversigt",
        dt.date(2022, 10, 25), "Økonomi", BUDGET),
}

TIMESTAMP = int(dt.datetime(2022, 10, 1, tzinfo=dt.timezone.utc).timestamp())
"""Fixed creation time written into every PDF, so the bytes never change."""


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (title, day, unit, body) in DOCS.items():
        source = preamble(title, day, unit) + body
        target = OUT / name
        typst.compile(source.encode("utf-8"), output=str(target), font_paths=[str(FONTS)],
                      ignore_system_fonts=True, timestamp=TIMESTAMP, pdf_tags=False)
        print(f"{target.relative_to(ROOT)}  {target.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
