"""Danish conventions: dates, amounts, lists of names and alphabetical order.

Date patterns come from the settings and use Danish letters: ``dd-mm-åååå``
gives "15-11-2022", ``d. måned åååå`` gives "15. november 2022",
``ugedag den d. måned åååå`` gives "tirsdag den 15. november 2022".
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from typing import Any

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

# Tokens count only as whole words, so the "d" in "den" stays a "d".
_TOKENS = re.compile(r"(?<![a-zæøå])(?:ugedag|måned|åååå|åå|dd|mm|d|m)(?![a-zæøå])")


def format_date(day: dt.date, pattern: str) -> str:
    """Format ``day`` by a Danish pattern (see module docstring)."""

    def token(m: re.Match[str]) -> str:
        t = m.group(0)
        return {
            "ugedag": WEEKDAYS[day.weekday()],
            "måned": MONTHS[day.month - 1],
            "åååå": f"{day.year:04d}",
            "åå": f"{day.year % 100:02d}",
            "dd": f"{day.day:02d}",
            "mm": f"{day.month:02d}",
            "d": str(day.day),
            "m": str(day.month),
        }[t]

    return _TOKENS.sub(token, pattern)


def format_time(t: dt.time, separator: str = ".") -> str:
    """'16.00' – the Danish way of writing a clock time in prose ("kl. 16.00");
    some councils write '16:00' (``separator``)."""
    return f"{t.hour:02d}{separator}{t.minute:02d}"


def format_amount(amount: int | float, unit: str = "kr.") -> str:
    """1527000 → '1.527.000 kr.'; -3751000 → '-3.751.000 kr.'; 1.5 → '1,50 kr.'."""
    if isinstance(amount, float) and not amount.is_integer():
        whole, frac = f"{abs(amount):.2f}".split(".")
        text = f"{int(whole):,}".replace(",", ".") + "," + frac
    else:
        text = f"{abs(int(amount)):,}".replace(",", ".")
    sign = "-" if amount < 0 else ""
    return f"{sign}{text} {unit}".rstrip()


def join_and(items: list[str], word: str = "og") -> str:
    """['A', 'B', 'C'] → 'A, B og C' (``word`` "eller": 'A, B eller C')."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


# Danish alphabet order: … X Y Z Æ Ø Å; "Aa" in names sorts as Å.
_ORDER = {c: i for i, c in enumerate("abcdefghijklmnopqrstuvwxyzæøå")}
_FOLD = {"ä": "æ", "ö": "ø", "ü": "y", "é": "e", "è": "e", "á": "a", "à": "a"}


def sort_key(name: str) -> tuple[int, ...]:
    """A key that sorts names as a Danish reader expects (Æ, Ø, Å last; Aa = Å)."""
    text = unicodedata.normalize("NFC", name).lower()
    text = re.sub(r"\baa", "å", text)
    out: list[int] = []
    for ch in text:
        ch = _FOLD.get(ch, ch)
        if ch in _ORDER:
            out.append(100 + _ORDER[ch])
        elif ch.isdigit():
            out.append(10 + int(ch))
        elif ch.isspace():
            out.append(1)
        elif ch.isalpha():
            out.append(200 + ord(ch))
    return tuple(out)


class _PatternFormatter(string.Formatter):
    """str.format for settings patterns: dates take Danish format specs
    (``{dato:dd-mm-åååå}``), and attribute or index access is refused so a
    pattern can only name a field, never reach into an object."""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        if not re.fullmatch(r"[\wæøåÆØÅ]+", field_name):
            raise KeyError(field_name)
        return kwargs[field_name], field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, dt.date):
            return format_date(value, format_spec or "dd-mm-åååå")
        return format(value, format_spec) if format_spec else str(value)


_FORMATTER = _PatternFormatter()


def fill(pattern: str, **values: Any) -> str:
    """Fill a settings pattern; case text in ``values`` is inserted, never parsed."""
    return _FORMATTER.vformat(pattern, (), values)
