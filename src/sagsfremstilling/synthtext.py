"""Danish council prose and small PDF files for the synthetic year (``synthetic``).

The benchmark and the build tests need content that looks like what a
municipality writes: titles of the kinds councils treat, paragraphs with
amounts and dates, bullet lists (nested too), tables.  Everything is drawn from
a seeded ``random.Random`` so the same seed gives the same files, byte for byte.

``pdf_bytes`` writes a tiny, valid PDF by hand (Helvetica, WinAnsi text), so
bilag need neither a PDF library nor a font file, and build in microseconds.
"""

from __future__ import annotations

import random
import textwrap

TOWNS = ["Grenaa", "Auning", "Ørsted", "Allingåbro", "Glesborg", "Trustrup", "Vivild", "Anholt",
         "Ørum Djurs", "Gjerrild", "Bønnerup Strand", "Fjellerup", "Hemmed", "Voer", "Stenvad"]
STREETS = ["Skovvej", "Åbyvej", "Søndergade", "Østergade", "Kirkestien", "Møllevej", "Hovedgaden",
           "Ågade", "Kærvej", "Bøgevej", "Strandvejen", "Præstevænget", "Engvej", "Bakkegårdsvej"]
PLACES = ["Grenaa Idrætscenter", "Auning Skole", "Rådhuset", "Kattegatcentret", "Ørsted Bibliotek",
          "Posthuset i Grenaa", "Glesborg Forsamlingshus", "Vivild Børnehus", "Grenaa Havn"]
TOPICS = ["vedligeholdelse af vandløb", "vintertjeneste", "affaldsindsamling", "kollektiv trafik",
          "skolernes trivsel", "ældreplejen", "energirenovering", "klimatilpasning", "naturpleje",
          "cykelstier", "byfornyelse", "erhvervsudvikling", "ungdomsuddannelser", "sundhedsfremme"]
UNITS = ["Vej og Ejendom", "Plan og Byg", "Natur og Miljø", "Økonomi og Personale",
         "Børn og Skole", "Sundhed og Omsorg", "Kultur og Fritid"]
WORKERS = ["Anne Marie Holm", "Jesper Ravn", "Line Østergaard", "Morten Bækgaard", "Sofie Ågård",
           "Henrik Lund Møller", "Camilla Søgaard", "Niels Åberg"]
RECOMMENDERS = ["Vej- og ejendomschefen", "Plan- og bygningschefen", "Økonomichefen",
                "Natur- og miljøchefen", "Skolechefen", "Direktionen", "Omsorgschefen"]


def kroner(amount: int) -> str:
    """1527000 → '1.527.000 kr.' (Danish thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " kr."


def title(rng: random.Random, kind: str) -> str:
    """A case title of the kind councils treat; ``kind`` is the sagstype."""
    town, street, place = rng.choice(TOWNS), rng.choice(STREETS), rng.choice(PLACES)
    topic = rng.choice(TOPICS)
    if kind == "orientering":
        return rng.choice([f"Orientering om {topic} i {town}", f"Status på {topic} {rng.randint(2021, 2023)}",
                           f"Orientering om budgetopfølgning for {topic}"])
    if kind == "drøftelse":
        return rng.choice([f"Drøftelse af visioner for {topic}", f"Temadrøftelse om {topic}"])
    return rng.choice([
        f"Lokalplan nr. {rng.randint(10, 140):03d} for boliger ved {street}, {town}",
        f"Anlægsbevilling til renovering af {place}",
        f"Godkendelse af takster for {topic} {rng.randint(2023, 2025)}",
        f"Salg af ejendom, {street} {rng.randint(1, 80)}, {town}",
        f"Tillægsbevilling til {topic}",
        f"Udmøntning af pulje til {topic}",
        f"Høringssvar om trafikplan for {town}",
        f"Frigivelse af midler til {topic} i {town}",
    ])


def _sentence(rng: random.Random) -> str:
    town, street, topic = rng.choice(TOWNS), rng.choice(STREETS), rng.choice(TOPICS)
    amount, year = kroner(rng.randrange(50, 9000) * 1000), rng.randint(2019, 2024)
    day = f"{rng.randint(1, 28)}. {rng.choice(['januar', 'marts', 'maj', 'juni', 'august', 'oktober'])}"
    return rng.choice([
        f"Kommunalbestyrelsen besluttede den {day} {year} at igangsætte arbejdet med {topic}.",
        f"Forvaltningen har udarbejdet et forslag, som er drøftet med borgerne i {town}.",
        f"Projektet forventes at koste {amount}, som finansieres af den afsatte pulje.",
        f"Området ved {street} i {town} er i dag udlagt til blandet bolig og erhverv.",
        f"Der er modtaget {rng.randint(2, 40)} høringssvar, som er gengivet i hvidbogen.",
        f"Ændringen betyder, at udgifterne til {topic} falder med {amount} årligt fra {year + 1}.",
        "Sagen har været drøftet i det lokale dialogforum, som bakker op om forslaget.",
        "Forvaltningen vurderer, at forslaget er i overensstemmelse med kommuneplanen.",
        f"Arbejdet udføres i etaper, så borgerne i {town} generes mindst muligt.",
        f"Efter udbuddet er der indkommet {rng.randint(2, 6)} tilbud, hvoraf det laveste er på {amount}.",
        f"Det samlede areal udgør ca. {rng.randint(2, 90)} ha og ejes af Norddjurs Kommune.",
        f"Der henvises i øvrigt til det vedlagte notat om {topic}.",
    ])


def paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 5)) -> str:
    """Sentences joined and wrapped at 96 columns, as a caseworker's editor would."""
    text = " ".join(_sentence(rng) for _ in range(rng.randint(*sentences)))
    return textwrap.fill(text.replace("kr..", "kr."), width=96)


def bullet_list(rng: random.Random, nested: bool = False) -> str:
    lines = []
    for _ in range(rng.randint(2, 5)):
        lines.append(f"- {rng.choice(['etablering af', 'drift af', 'forbedring af', 'analyse af'])} "
                     f"{rng.choice(TOPICS)} i {rng.choice(TOWNS)}")
        if nested and rng.random() < 0.5:
            lines += [f"  - {_sentence(rng).replace('kr..', 'kr.')}" for _ in range(rng.randint(1, 3))]
    return "\n".join(lines)


def amount_table(rng: random.Random) -> str:
    rows = ["| Post | 2023 | 2024 | 2025 |", "|---|---:|---:|---:|"]
    for post in rng.sample(["Anlæg", "Drift", "Projektering", "Rådgivning", "Uforudsete udgifter",
                            "Tilskud", "Indtægter"], rng.randint(2, 5)):
        rows.append(f"| {post} | " + " | ".join(kroner(rng.randrange(10, 5000) * 1000)
                                               for _ in range(3)) + " |")
    return "\n".join(rows)


def section_text(rng: random.Random, rich: bool) -> str:
    """Two to five paragraphs; ``rich`` adds a list and often a table."""
    parts = [paragraph(rng) for _ in range(rng.randint(2, 4))]
    if rich:
        parts.insert(1, "Forslaget omfatter:\n" + bullet_list(rng, nested=rng.random() < 0.4))
        if rng.random() < 0.6:
            parts.append("Økonomien fordeler sig således:\n\n" + amount_table(rng))
    return "\n\n".join(parts) + "\n"


# ---------------------------------------------------------------- bilag PDFs


def _pdf_text(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return escaped.encode("cp1252", "replace")


def pdf_bytes(heading: str, pages: int, rng: random.Random) -> bytes:
    """A valid PDF of ``pages`` A4 pages with a heading and some prose on each."""
    objects: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                   b"/Encoding /WinAnsiEncoding >>")
    for page in range(pages):
        lines = [f"{heading}", f"Side {page + 1} af {pages}"]
        lines += [_sentence(rng) for _ in range(12)]
        stream = b"BT /F1 11 Tf 56 780 Td 15 TL " + b" ".join(
            b"(" + _pdf_text(line) + b") '" for line in lines) + b" ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * page} 0 R >>"
                       .encode())
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream
                       + b"\nendstream")
    return pdf_file(objects)


def pdf_file(objects: list[bytes]) -> bytes:
    """Numbered PDF objects (the first is the catalogue) as a file with its xref."""
    out = bytearray(b"%PDF-1.4\n%\xe6\xf8\xe5\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
