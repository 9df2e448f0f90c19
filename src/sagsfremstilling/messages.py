"""Pydantic's validation errors, said in Danish for a caseworker."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel

from .limits import shown


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names (aliases where set) allowed in the mapping at ``loc``."""
    current: Any = model
    mapping = False  # the last field was a dict: the next part is one of its keys
    for part in loc:
        if isinstance(part, int) or mapping:
            mapping = False
            continue
        fields = getattr(current, "model_fields", {})
        field = next((f for n, f in fields.items() if (f.alias or n) == part), None)
        if field is None:
            return []
        mapping = getattr(field.annotation, "__origin__", None) is dict
        current = _inner_model(field.annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", {})
    return [f.alias or n for n, f in fields.items()]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    meta = getattr(annotation, "__origin__", None)
    if meta is not None and isinstance(meta, type) and issubclass(meta, BaseModel):
        return meta
    return None


def _input(err: dict[str, Any]) -> str:
    value = err.get("input")
    return shown(value) if isinstance(value, str) else ""


def pydantic_message(err: dict[str, Any], model: type[BaseModel], loc: tuple[Any, ...],
                     extra_keys: list[str] | tuple[str, ...] = ()) -> str:
    """One Danish sentence for one pydantic error."""
    kind = err["type"]
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    value = _input(err)
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1]) + (list(extra_keys) if len(loc) == 1 else [])
        allowed = [a for a in allowed if a not in ("sektioner", "sektionsudgaver")]
        match = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f" (mente du '{match[0]}'?)" if match else ""
        return f"ukendt felt '{shown(loc[-1])}'{hint}"
    if kind == "missing":
        return f"feltet '{name}' mangler; tilføj '{name}: …'"
    if kind in ("string_type",):
        return f"'{name}' skal være tekst"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{name}' skal være et helt tal, ikke '{value}'"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type",
                "date_from_datetime_inexact"):
        ctx = str(err.get("ctx", {}).get("error", ""))
        if not value:  # a list or a mapping where a date belongs
            return f"'{name}' skal være en dato; skriv den som ÅÅÅÅ-MM-DD"
        if "out of range" in ctx or "range" in err.get("msg", ""):
            return f"datoen '{value}' findes ikke; ret den (ÅÅÅÅ-MM-DD)"
        return f"'{value}' er ikke en dato; skriv den som ÅÅÅÅ-MM-DD"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "").replace(" or ", ", ")
        if "[key]" in loc:  # a mapping's key (pydantic's loc ends 'name', key, '[key]')
            owner = next((str(p) for p in reversed(loc[:loc.index("[key]") - 1]) if isinstance(p, str)), "")
            return f"'{value}' kan ikke stå som nøgle under '{owner}'; vælg en af: {expected}"
        return f"'{value}' er ikke tilladt i '{name}'; vælg en af: {expected}"
    if kind in ("list_type",):
        return f"'{name}' skal være en liste (linjer, der starter med '- ')"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{name}' skal være en samling af felter (nøgle: værdi)"
    if kind == "too_short":
        return f"'{name}' må ikke være tom"
    if kind in ("bool_parsing", "bool_type"):
        return f"'{name}' skal være ja eller nej"
    if kind == "value_error":
        msg = str(err.get("ctx", {}).get("error", err.get("msg", "")))
        return msg
    if kind in ("time_parsing", "time_type"):
        return f"'{value}' er ikke et klokkeslæt; skriv fx 16:00"
    return f"ugyldig værdi for '{name}' ({err.get('msg', kind)})"
