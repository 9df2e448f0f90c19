"""Hand-built Documents for writer tests, independent of compose.

``reference_document()`` has the shape compose gives the reference case
(../shared/reference/norddjurs-dialogforum-2022.txt); ``rich_document()``
exercises every node type, nesting and hostile text.
"""

from __future__ import annotations

from sagsfremstilling.document import (
    Document,
    Emph,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Meta,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
    text,
)


def _p(s: str, role: str = "") -> Paragraph:
    return Paragraph(text(s), role=role)


def _h(s: str, role: str = "section", level: int = 2) -> Heading:
    return Heading(level, text(s), role=role)


def reference_document() -> Document:
    meta = Meta(
        title="Ændret praksis for afholdelse af dialogforum",
        municipality="Norddjurs Kommune",
        header="Kommunalbestyrelsen 15-11-2022",
        item_label="1.",
        status_label="Åben sag",
        case_number="Sagsnr.: 22/1234",
        date="2022-11-15",
    )
    blocks = (
        Heading(1, text(meta.title), role="title"),
        _h("Sagsgang", "sagsgang"),
        _p("MTU, ØK, KB"),
        _h("Sagsfremstilling"),
        _p(
            "Den 13. december 2011 vedtog Kommunalbestyrelsen en model for gennemførelse af "
            "styringsdialog med de almene boligorganisationer på baggrunden af en omfattende "
            "ændring af styringsmodellen for den almene sektor."
        ),
        _p("De årlige styringsdialogmøder afholdes mellem den enkelte boligforening og forvaltningen."),
        _h("Baggrund"),
        _p("Norddjurs Kommune besluttede i 2011, hvordan de nye regler skulle implementeres."),
        _h("Sammenhæng til andre politikker/strategier og fagområder"),
        _p("Ingen væsentlig sammenhæng."),
        _h("Økonomiske konsekvenser"),
        _p("Ingen økonomiske konsekvenser."),
        _h("Indstilling", "indstilling"),
        _p(
            "Vej- og ejendomschefen indstiller, at modellen for ”styringsdialogen i Norddjurs "
            "Kommune” fremover fastlægges således, at"
        ),
        ListBlock(
            ordered=True,
            items=(
                ListItem((_p(
                    "den politiske deltagelse med den almene boligsektor vil bestå af et temamøde "
                    "for kommunalbestyrelsesmedlemmerne en gang indenfor valgperioden"
                ),)),
                ListItem((_p(
                    "de lovpligtige årlige styringsdialogmøder kan suppleres med deltagelse af "
                    "relevante embedsmænd efter parternes behov."
                ),)),
            ),
        ),
        _h("Beslutning i Miljø- og teknikudvalget den 10-10-2022", "decision"),
        _p("Ad. 1. Tiltrådt."),
        _p("Ad. 2. Tiltrådt."),
        _h("Beslutning i Økonomiudvalget den 08-11-2022", "decision"),
        _p("Ad. 1-2 Tiltrådt."),
        _p("Afbud:", "label"),
        _p("Diana Therese Mikkelsen (Løsgænger)"),
        _h("Beslutning i Kommunalbestyrelsen den 15-11-2022", "decision"),
        _p("Godkendt."),
        _h("Bilag:", "bilag"),
    )
    return Document(meta=meta, blocks=blocks)


def rich_document() -> Document:
    """Every node type, a second numbered list that must restart at 1, and
    text that must be printed literally in every format."""
    hostile = '{{ 7*7 }} {% for x in y %} #read("/etc/passwd") #import "x" <script>alert(1)</script> $x$ \\ * _ ` @ [a](b)'
    meta = Meta(
        title="Budget 2023 – anlæg <b>& {{ titel }}",
        municipality="Norddjurs Kommune",
        header="Økonomiudvalget 08-11-2022",
        item_label="7.",
        status_label="Åben sag",
        watermark="UDKAST",
        date="2022-11-08",
    )
    table = Table(
        header=(text("Projekt"), text("Beløb (kr.)")),
        rows=(
            (text("Cykelsti Ørsted–Allingåbro"), text("1.527.000 kr.")),
            (text("Å-renovering"), text("-3.751.000 kr.")),
        ),
        align=("", "right"),
    )
    blocks = (
        Heading(1, text(meta.title), role="title"),
        _h("Sagsfremstilling"),
        Paragraph((
            Text("Almindelig tekst med "),
            Strong(text("fed")),
            Text(", "),
            Emph(text("kursiv")),
            Text(" og et "),
            Link("https://www.norddjurs.dk/", text("link")),
            Text("."),
            LineBreak(),
            Text("Ny linje efter linjeskift."),
        )),
        _p(hostile),
        ListBlock(
            ordered=False,
            items=(
                ListItem((_p("Første punkt"), ListBlock(
                    ordered=True,
                    items=(ListItem((_p("Indlejret et"),)), ListItem((_p("Indlejret to"),))),
                ))),
                ListItem((_p("Andet punkt"),)),
            ),
        ),
        table,
        Quote((_p("”Citat fra en borger.”"),)),
        _h("Indstilling", "indstilling"),
        _p("Direktøren indstiller, at"),
        ListBlock(ordered=True, items=(ListItem((_p("punkt et"),)), ListItem((_p("punkt to"),)))),
        _p("Mellemtekst."),
        ListBlock(ordered=True, items=(ListItem((_p("skal starte ved 1"),)), ListItem((_p("og så 2"),)))),
        _h("Beslutning i Økonomiudvalget den 08-11-2022", "decision"),
        _p("Godkendt."),
    )
    return Document(meta=meta, blocks=blocks)
