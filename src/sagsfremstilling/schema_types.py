"""Small field types shared by the case, meeting and settings schemas."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

_YES = {"ja", "j", "true", "sand", "yes"}
_NO = {"nej", "n", "false", "falsk", "no"}


def _yes_no(value: Any) -> Any:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _YES:
            return True
        if low in _NO:
            return False
        raise ValueError(f"'{value}' er hverken ja eller nej")
    return value


_YES_NO_WORDS = sorted({w for word in _YES | _NO for w in (word, word.capitalize())})

JaNej = Annotated[bool, BeforeValidator(_yes_no), WithJsonSchema({
    # The editor reads YAML 1.2, where `ja` is a string: offer the words we accept.
    "anyOf": [{"type": "boolean"}, {"type": "string", "enum": _YES_NO_WORDS}],
})]
"""A yes/no field: ``ja``/``nej`` (also ``true``/``false``)."""


def is_blank(value: str) -> bool:
    """True for text a reader would not see: whitespace, control and format
    characters (zero-width space, bidi marks) only."""
    return all(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in value)


def _visible(value: str) -> str:
    if is_blank(value):
        raise PydanticCustomError("too_short", "må ikke være tom")
    return value


Synlig = Annotated[str, AfterValidator(_visible)]
"""Text that must show something on the page, such as a title."""


def _clock(value: Any) -> Any:
    # "16:00" and "16.00" are both written by Danish caseworkers.
    if isinstance(value, str):
        text = value.strip().replace(".", ":")
        parts = text.split(":")
        if len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[1]) == 2:
            hour, minute = int(parts[0]), int(parts[1])
            if hour < 24 and minute < 60:
                return dt.time(hour, minute)
        raise ValueError(f"'{value}' er ikke et klokkeslæt; skriv fx 16:00")
    return value


Klokkeslaet = Annotated[dt.time, BeforeValidator(_clock), WithJsonSchema({
    # Not JSON Schema's "time" format (that wants seconds and a zone): "16:00" or "16.00".
    "type": "string", "pattern": "^\\s*([01]?[0-9]|2[0-3])[:.][0-5][0-9]\\s*$",
})]
"""A clock time as caseworkers write it: ``16:00`` or ``16.00``."""


class Strict(BaseModel):
    """Base for every schema class: unknown keys are refused, docstrings become
    the JSON Schema descriptions the editor shows."""

    model_config = ConfigDict(
        extra="forbid",
        use_attribute_docstrings=True,
        frozen=True,
        str_strip_whitespace=False,
    )


Sagstype = Literal["beslutning", "orientering", "drøftelse", "meddelelse", "medlemsforslag"]
"""What a case asks of the committee; 'meddelelse' is a standing item such as
"Meddelelser", "Spørgetid" or "Eventuelt", which the settings may spare the
sections a decision case needs (``Sektion.sagstyper``); 'medlemsforslag' is a
member's or party's proposal (styrelseslovens § 11), with its ``forslagsstiller``."""

Udfald = Literal[
    "godkendt", "tiltrådt", "anbefalet", "taget_til_efterretning", "drøftet",
    "udsat", "oversendt", "forkastet", "trukket",
]
"""A decision's outcome, when the case file names one (``Beslutning.udfald``)."""
