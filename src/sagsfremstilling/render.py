"""``sagsfremstilling render``: one case, as it stands for one meeting, in DOCX, PDF and HTML.

Read → validate (all problems, located, before anything is written) → compose
→ write each format atomically.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .compose import View, compose_case, resolve_view
from .errors import InputError, Problem
from .outputs import slug, write_atomic
from .project import Project, case_id, find_root, load_project, shown_path
from .timestamps import source_date_epoch
from .writers import FORMATS, RenderOptions, render


def load_valid_project(root: Path) -> Project:
    """Load everything and refuse to go on while any file has a problem."""
    from .check import sealed_problems, validate_project

    project, problems = load_project(root)
    problems += validate_project(project)
    problems += sealed_problems(project, problems)
    if problems:
        raise InputError(problems)
    return project


def render_case(project: Project, cid: str, view: View, formats: list[str], out_dir: Path,
                options: RenderOptions) -> list[Path]:
    """Write the case paper in each format; returns the files written."""
    doc = compose_case(project, cid, view)
    number = doc.meta.item_label.rstrip(".").strip()
    stem = f"{number.zfill(2)}-{slug(doc.meta.title)}" if number.isdigit() else slug(doc.meta.title)
    suffix = f"-{view.meeting_id}-{view.udgave}" if view.meeting_id else ""
    written = []
    for fmt in formats:
        path = out_dir / f"{stem}{suffix}{'-offentlig' if view.offentlig else ''}.{fmt}"
        write_atomic(path, render(fmt, doc, options))
        written.append(path)
    return written


def main(args: argparse.Namespace) -> int:
    root = args.root.resolve() if args.root else find_root(Path.cwd())
    case_path = Path(args.case)
    if not case_path.is_absolute():
        case_path = (Path.cwd() / case_path).resolve()
    if not case_path.is_file():
        raise InputError(Problem(str(args.case), 0, 0, "sagsfilen findes ikke"))
    try:
        cid = case_id(root, case_path)
    except ValueError:
        raise InputError(Problem(str(args.case), 0, 0, "sagsfilen skal ligge under cases/")) from None
    project = load_valid_project(root)
    if cid not in project.cases:
        raise InputError(Problem(shown_path(root, case_path), 0, 0, "sagsfilen kunne ikke læses"))
    view = resolve_view(project, cid, args.moede, args.udgave, offentlig=args.offentlig)
    formats = list(dict.fromkeys(args.formats or FORMATS))
    out_dir = args.output or (root / "build" / "sager")
    options = RenderOptions(templates=root / "templates", timestamp=source_date_epoch(root))
    for path in render_case(project, cid, view, formats, out_dir, options):
        print(os.path.relpath(path))
    return 0
