"""The private Typst root ("stage") a PDF is compiled in.

Typst forgets everything it has laid out whenever ``sys.inputs`` changes: the
inputs are part of its standard library, and every memoised step depends on
that.  So the data does not travel in ``sys.inputs``.  It is written to
``/data.json`` in a private folder, and ``sys.inputs.data`` only ever names that
path.  Then a second compile in the same process lays out again only what
changed: the public packet after the internal one, the referat after the
dagsorden, costs a fraction of the first.

A stage belongs to one process (workers are forked, and two processes must not
share a data file) and holds:

    data.json     the data of the compile under way; removed when it is done,
                  so no case text lingers in the temporary folder
    <main>.typ    ``#include "/skabeloner/<template>"``: the file Typst starts from
    skabeloner/   a link to the municipality's template folder
    indhold/      a link to the content root, when the template may read from it
                  (the packet reads the bilag as ``/indhold/bilag/…``)

The folder is made with ``tempfile.mkdtemp`` (readable only by its owner) and
removed when the process ends; folders left by killed processes are swept the
next time a stage is made.
"""

from __future__ import annotations

import atexit
import hashlib
import multiprocessing.util
import os
import shutil
import tempfile
from pathlib import Path

DATA = "/data.json"
"""The data file's path inside the stage, as templates see it in ``sys.inputs.data``."""
TEMPLATES = "skabeloner"
CONTENT = "indhold"
PREFIX = "sagsfremstilling-typst-"

_STAGES: dict[tuple[int, Path, Path | None], Path] = {}


def stage(templates: Path, content: Path | None) -> Path:
    """This process's stage for ``templates`` (and ``content``, when given);
    both are resolved folders."""
    key = (os.getpid(), templates, content)
    folder = _STAGES.get(key)
    if folder is not None and folder.is_dir():
        return folder
    if not any(k[0] == key[0] for k in _STAGES):
        _sweep()
        atexit.register(remove_stages)
        multiprocessing.util.Finalize(None, remove_stages, exitpriority=10)  # forked workers skip atexit
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    (folder / TEMPLATES).symlink_to(templates, target_is_directory=True)
    if content is not None:
        (folder / CONTENT).symlink_to(content, target_is_directory=True)
    _STAGES[key] = folder
    return folder


def main_file(folder: Path, template: Path) -> Path:
    """The stage's file that includes ``template`` (relative to the template
    folder), written once; Typst starts from a file inside its root."""
    name = "main-" + hashlib.sha256(template.as_posix().encode()).hexdigest()[:16] + ".typ"
    path = folder / name
    if not path.exists():
        path.write_text(f'#include "/{TEMPLATES}/{template.as_posix()}"\n', encoding="utf-8")
    return path


def content_path(relative: str) -> str:
    """The path a template reads ``relative`` (from the content root) by."""
    return f"/{CONTENT}/{relative}"


def remove_stages() -> None:
    """Remove this process's stages (the parent's, inherited by a fork, stay)."""
    pid = os.getpid()
    for key in [k for k in _STAGES if k[0] == pid]:
        shutil.rmtree(_STAGES.pop(key), ignore_errors=True)


def _sweep() -> None:
    """Remove stages whose process is gone (killed before it could clean up)."""
    base = Path(tempfile.gettempdir())
    for folder in base.glob(f"{PREFIX}*"):
        try:
            pid = int(folder.name.removeprefix(PREFIX).split("-", 1)[0])
            if folder.stat().st_uid != os.getuid() or pid == os.getpid() or _alive(pid):
                continue
        except (ValueError, OSError):
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
