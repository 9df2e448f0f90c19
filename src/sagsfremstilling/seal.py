"""Approved minutes, sealed: ``sagsfremstilling godkend MOEDE_ID`` and the check that keeps them.

An approved referat must say tomorrow what it said when the committee approved it,
however its cases go on.  ``godkend`` writes ``meetings/<id>.godkendt.json``: a
fingerprint (sha256) of what the meeting's internal referat says, its cover and each
item's paper as composed for that meeting (the case as it stood then: its decisions
up to the meeting, the sections, versions and bilag whose ``fra`` had come), and the
bytes of each bilag.  ``check``, ``render`` and ``build`` compare a sealed meeting
with its seal and refuse a difference, naming the item; a correction that is meant
to reach the approved minutes is sealed again with ``godkend``.

What is sealed is the words, not the look: fonts, layout, the logo and the page
furniture are left out.  The settings' patterns do count (a new decision heading
changes what an approved referat says), so changing them asks for ``godkend`` again,
deliberately.  The public version is derived from the internal one by the settings'
rules for closed items, so it is not sealed apart.

Composing every item of every sealed meeting takes seconds for a year, on every
``check``.  So a verdict that a meeting still matches its seal is remembered in the
user's cache folder (``segl.json`` beside ``bilag.json``), under a key of everything
the referat is composed from: the seal, the settings, the tool's own code, the
meeting file, and for each item its number, its case file, the files and item
numbers of the meetings on its route up to this one, and its bilag's content.  Any
change to any of them composes the meeting again; only a match is remembered.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import danish
from . import meeting_compose as mc
from .agenda import agenda, item_number
from .bilagcache import cache_folder, content_hash
from .document import Document, Heading, plain_text, to_data
from .errors import InputError, Problem
from .outputs import write_atomic
from .project import SEAL_SUFFIX, Project, find_root
from .settings import SETTINGS_FILE

EXPLAINED = ("Skrevet af 'sagsfremstilling godkend'. Fingeraftryk af det godkendte referat; "
             "'sagsfremstilling check' melder, hvis referatet ikke længere siger det samme.")


def seal_path(project: Project, meeting_id: str) -> Path:
    return project.root / "meetings" / f"{meeting_id}{SEAL_SUFFIX}"


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _paper(doc: Document) -> str:
    """What an item's paper says: its words and numbers, not its page furniture."""
    meta = doc.meta
    return _digest({"title": meta.title, "item_label": meta.item_label, "status_label": meta.status_label,
                    "case_number": meta.case_number, "blocks": to_data(doc.blocks)})


def _parts(doc: Document) -> list[list[str]]:
    """[heading, sha256] for each part of the paper a section heading begins (the first
    part, before any, under ''), so a changed seal can say where the change is."""
    parts: list[tuple[str, list[Any]]] = [("", [])]
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 2:
            parts.append((plain_text(block), []))
        parts[-1][1].append(to_data(block))
    return [[heading, _digest(blocks)] for heading, blocks in parts]


def _cover(cover: mc.Cover) -> str:
    data = asdict(cover)
    data["notes"] = [[label, to_data(body)] for label, body in cover.notes]
    for furniture in ("watermark", "logo"):
        data.pop(furniture)
    return _digest(data)


def fingerprint(project: Project, meeting_id: str) -> dict[str, Any]:
    """The seal of the meeting's referat as it reads now (the project must be valid)."""
    items = []
    for item in agenda(project, meeting_id):
        doc = mc.item_document(project, meeting_id, item.case_id, "referat", False, in_packet=True)
        items.append({
            "nummer": item.number, "sag": item.case_id, "titel": doc.meta.title, "indhold": _paper(doc),
            "afsnit": _parts(doc),
            "bilag": [content_hash(b.source) for b in mc.bilag_shown(project, meeting_id, item.number,
                                                                     item.case_id, False)],
        })
    return {"forklaring": EXPLAINED, "møde": meeting_id,
            "forside": _cover(mc.cover(project, meeting_id, "referat", False)), "punkter": items}


def _text(seal: dict[str, Any]) -> str:
    return json.dumps(seal, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


# ---------------------------------------------------------------- the check


def problems(project: Project) -> list[Problem]:
    """Every sealed meeting whose referat no longer says what was approved, located at
    the meeting file's status; call only on a project without other problems."""
    found: list[Problem] = []
    verdicts = _Verdicts(project)
    read = functools.cache(Path.read_bytes)  # a meeting file is on many routes
    for path in sorted((project.root / "meetings").glob(f"*{SEAL_SUFFIX}")):
        mid = path.name[:-len(SEAL_SUFFIX)]
        if mid not in project.meetings:
            found.append(Problem(f"meetings/{path.name}", 0, 0, (
                f"seglet hører til et møde, der ikke findes (meetings/{mid}.yaml); slet det, eller giv "
                "mødefilen sit navn igen")))
            continue
        key = _inputs(project, mid, path, verdicts.code, read)
        if verdicts.holds(mid, key):
            continue
        wrong = _against_seal(project, mid, path)
        if not wrong:
            verdicts.remember(mid, key)
        found += wrong
    verdicts.save()
    return found


def _inputs(project: Project, mid: str, path: Path, code: str, read: Callable[[Path], bytes]) -> str:
    """A key of everything the meeting's referat is composed from (see the module)."""
    root = project.root
    h = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            h.update(part.encode("utf-8") if isinstance(part, str) else part)
            h.update(b"\0")

    add(code, read(path), read(root / SETTINGS_FILE), read(root / project.meeting_paths[mid]))
    for item in agenda(project, mid):
        add(str(item.number), item.case_id, read(root / project.case_paths[item.case_id]))
        for stage in item.case.sagsgang[: mc.stage_index(project, mid, item.case_id) + 1]:
            other = project.meeting_for(stage.udvalg, stage.dato)
            if other is not None and other in project.meetings:
                add(other, str(item_number(project, other, item.case_id)),
                    read(root / project.meeting_paths[other]))
        for b in item.case.bilag:
            add(content_hash(root / b.fil))
    return h.hexdigest()


class _Verdicts:
    """Meetings found to match their seal, by the key of their inputs, kept in the
    cache folder between runs (``bilagcache.cache_folder``; off with it)."""

    def __init__(self, project: Project):
        folder = cache_folder()
        self.path = None if folder is None else folder / "segl.json"
        self.root = str(project.root)
        self.code = _code()
        self.known: dict[str, str] = {}
        self.dirty = False
        if self.path is not None:
            with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("code") == self.code and isinstance(data.get("held"), dict):
                    self.known = {k: v for k, v in data["held"].items() if isinstance(v, str)}

    def _at(self, mid: str) -> str:
        return f"{self.root}\0{mid}"

    def holds(self, mid: str, key: str) -> bool:
        return self.known.get(self._at(mid)) == key

    def remember(self, mid: str, key: str) -> None:
        self.known[self._at(mid)] = key
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        if len(self.known) > KEPT:  # many checkouts seen: keep this one's
            self.known = {k: v for k, v in self.known.items() if k.startswith(self.root + "\0")}
        data = {"code": self.code, "held": dict(sorted(self.known.items()))}
        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


KEPT = 5_000
"""Verdicts remembered at most, across checkouts."""


def _code() -> str:
    """The tool's own code: a new version may word an approved referat anew."""
    here = Path(__file__).resolve().parent
    return hashlib.sha256(b"\0".join(p.read_bytes() for p in sorted(here.rglob("*.py")))).hexdigest()


def _against_seal(project: Project, mid: str, path: Path) -> list[Problem]:
    source = project.sources[project.meeting_paths[mid]]
    shown = f"meetings/{path.name}"
    again = f"kør 'sagsfremstilling godkend {mid}', hvis det godkendte referat skal ændres"
    if project.meetings[mid].status != "godkendt":
        return [source.problem(("status",), (
            f"mødet har et segl ({shown}), men status er ikke godkendt; sæt 'status: godkendt', "
            "eller slet seglet, hvis godkendelsen skal gøres om"))]
    try:
        sealed = json.loads(path.read_text(encoding="utf-8"))
        old_items = {int(i["nummer"]): i for i in sealed["punkter"]}
        old_cover = str(sealed["forside"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        return [Problem(shown, 0, 0, f"seglet kan ikke læses ({type(exc).__name__}); skriv det igen med "
                                     f"'sagsfremstilling godkend {mid}'")]
    now = fingerprint(project, mid)
    new_items = {i["nummer"]: i for i in now["punkter"]}
    said = f"referatet er godkendt og forseglet i {shown}, men"
    out = []
    if sorted(old_items) != sorted(new_items) or any(
            old_items[n].get("sag") != new_items[n]["sag"] for n in new_items if n in old_items):
        listed = ", ".join(f"{n} ({i['sag']})" for n, i in sorted(new_items.items()))
        was = ", ".join(f"{n} ({i.get('sag', '?')})" for n, i in sorted(old_items.items()))
        return [source.problem(("status",), (
            f"{said} punkterne er ikke de samme: nu {listed or 'ingen'}, ved godkendelsen {was or 'ingen'}; "
            f"ret mødefilen tilbage, eller {again}"))]
    if now["forside"] != old_cover:
        out.append(source.problem(("status",), (
            f"{said} forsiden (deltagere, tider, godkendelse af dagsordenen eller bemærkninger) siger nu "
            f"noget andet; ret mødefilen tilbage, eller {again}")))
    for number, item in sorted(new_items.items()):
        old = old_items[number]
        if item["indhold"] != old.get("indhold"):
            out.append(source.problem(("status",), (
                f"{said} punkt {number} ('{item['titel']}') siger nu noget andet{_where(old, item)}; ret sagen "
                f"tilbage, eller skriv ændringen som en ny udgave med 'fra' (se vejledningen), eller {again}")))
        if item["bilag"] != old.get("bilag"):
            out.append(source.problem(("status",), (
                f"{said} bilagene til punkt {number} ('{item['titel']}') er ikke de samme; læg de godkendte "
                f"bilag tilbage, giv et nyt bilag 'fra' et senere møde, eller {again}")))
    return out


def _where(old: dict[str, Any], new: dict[str, Any]) -> str:
    """" under 'Økonomiske konsekvenser'" for the sections whose words changed, or ""
    where the seal cannot tell (written before it held them, or the title changed)."""
    before = old.get("afsnit")
    if not isinstance(before, list) or not all(isinstance(p, list) and len(p) == 2 for p in before):
        return ""
    was = {str(h): str(d) for h, d in before}
    changed = [h for h, d in new["afsnit"] if h and was.get(h) != d]
    changed += [str(h) for h in was if h and h not in {n for n, _ in new["afsnit"]}]
    if not changed:
        return ""
    return " under " + danish.join_and([f"'{h}'" for h in dict.fromkeys(changed)])


# ---------------------------------------------------------------- the command


def main(args: argparse.Namespace) -> int:
    """Seal each named meeting's referat; the meeting must be approved and the
    project hold together (its other seals are not checked: one may be renewed)."""
    from .check import validate_project
    from .project import load_project

    root = args.root.resolve() if args.root else find_root(Path.cwd())
    project, found = load_project(root)
    found += validate_project(project)
    if found:
        raise InputError(found)
    named = list(args.meetings) or [mid for mid, m in sorted(project.meetings.items())
                                    if m.status == "godkendt" and not seal_path(project, mid).is_file()]
    if not named:
        print("Ingen godkendte møder uden segl.")
        return 0
    for mid in named:
        if mid not in project.meetings:
            raise InputError(Problem("meetings", 0, 0, f"mødet '{mid}' findes ikke; skriv fx "
                                     f"{', '.join(sorted(project.meetings)[:3])}"))
        if project.meetings[mid].status != "godkendt":
            source = project.sources[project.meeting_paths[mid]]
            raise InputError(source.problem(("status",), (
                "referatet kan kun forsegles, når mødet er godkendt; sæt 'status: godkendt' først")))
    for mid in named:
        seal = fingerprint(project, mid)
        path = seal_path(project, mid)
        renewed = path.is_file()
        write_atomic(path, _text(seal).encode("utf-8"))
        print(f"{'Forseglet igen' if renewed else 'Forseglet'}: meetings/{path.name} "
              f"({len(seal['punkter'])} punkter)")
    return 0
