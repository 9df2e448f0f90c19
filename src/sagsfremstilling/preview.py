"""``sagsfremstilling preview``: the paper in the browser, redrawn on every save.

A caseworker keeps the YAML file in one window and the paper in another.  The
server reads the content root once at start and again whenever ``watchfiles``
sees a change under ``cases/``, ``meetings/``, ``templates/`` or in
``sagsfremstilling.yaml``; each request then renders from the latest reading,
so a page is never older than the last save.

How the browser learns of a change: the published HTML carries a strict CSP
and no scripts, and must stay that way.  So the paper is never touched; ``/``
serves a small *shell* page of our own (its script is a separate file from
this server, allowed by the shell's own CSP) which shows the paper in an
iframe, polls ``/_preview/status`` and reloads the frame, keeping its scroll
position, when the version changes.  The papers themselves are also served
directly (``/sag/<id>``), exactly as the HTML writer makes them.

A validation problem replaces the paper with the ``sti:linje:kolonne: besked``
lines, so the caseworker sees where to look; the server keeps running and the
paper comes back with the save that fixes it.  Only problems in the previewed
file, the settings, or the meetings it goes to stop the paper: a colleague's
broken case elsewhere is counted in the shell's status line, not shown instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import http.server
import json
import logging
import signal
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import watchfiles

from . import preview_pages as pages
from .compose import compose_case, resolve_view
from .errors import InputError, Problem
from .project import Project, case_id, find_root, load_project, suggest
from .scaffold import Where
from .settings import SETTINGS_FILE
from .timestamps import source_date_epoch
from .writers import RenderOptions
from .writers import html as html_writer

log = logging.getLogger(__name__)

WATCHED_DIRS = ("cases", "meetings", "templates")
ALL = "alle sager og møder"


@dataclass(frozen=True)
class Target:
    """What ``/`` shows: one case, one meeting, or (neither given) an overview of both."""

    kind: str  # "sag", "moede" or "oversigt"
    ident: str = ""

    @property
    def url(self) -> str:
        return f"/{self.kind}/{quote(self.ident)}" if self.ident else "/oversigt"


@dataclass
class Reading:
    """One reading of the content root; replaced whole, never changed, so request
    threads can use it without a lock."""

    version: int
    project: Project | None
    problems: list[Problem]
    time: str
    crash: str = ""
    """A traceback, when reading failed by a bug rather than by bad input."""


# ---------------------------------------------------------------- the command


def main(args: argparse.Namespace) -> int:
    root = args.root.resolve() if getattr(args, "root", None) else find_root(Path.cwd())
    target = parse_target(root, args.target)
    preview = Preview(root, target)
    server = make_server(preview, args.port)
    preview.start_watching()
    port = server.server_address[1]
    shown = target.ident if target.kind != "sag" else f"cases/{target.ident}.yaml"
    print(f"Forhåndsvisning af {shown or ALL}: http://127.0.0.1:{port}/", flush=True)
    print("Siden opdateres, hver gang du gemmer. Stop med Ctrl-C.", flush=True)
    _stop_on_signals()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
        server.server_close()
    print("Forhåndsvisningen er stoppet.", flush=True)
    return 0


def _stop_on_signals() -> None:
    """Ctrl-C (and a plain ``kill``) end the server through the same clean path.

    Set explicitly: a process started in the background by a script inherits an
    *ignored* SIGINT, and Python then leaves it ignored."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


def parse_target(root: Path, given: str | None) -> Target:
    """A case file, a meeting file or a meeting id; refused with a suggestion otherwise."""
    if not given:
        return Target("oversigt")
    path = Path(given)
    path = path if path.is_absolute() else Path.cwd() / path
    meeting_ids = sorted(p.stem for p in (root / "meetings").glob("*.yaml"))
    if given.endswith((".yaml", ".yml")):
        if not path.is_file():
            raise InputError(Where(given, 0, 0, "filen findes ikke"))
        real = path.resolve()
        if real.parent == (root / "meetings").resolve():
            return Target("moede", real.stem)
        try:
            return Target("sag", case_id(root, real))
        except ValueError:
            raise InputError(Where(given, 0, 0, "filen ligger hverken under cases/ eller "
                                                  "meetings/ i indholdsmappen")) from None
    if given in meeting_ids:
        return Target("moede", given)
    if (root / "cases" / f"{given}.yaml").is_file():
        return Target("sag", given)
    raise InputError(Where(given, 0, 0, "hverken en sagsfil eller et møde i meetings/"
                                          f"{suggest(given, meeting_ids)}"))


_PORT_REASONS = {
    errno.EADDRINUSE: "et andet program bruger den",
    errno.EACCES: "porte under 1024 kræver administratorrettigheder",
    errno.EADDRNOTAVAIL: "adressen findes ikke på denne maskine",
}
"""Why a port cannot be used, in Danish (the system's own words are English)."""


def make_server(preview: Preview, port: int) -> http.server.ThreadingHTTPServer:
    """Bind to 127.0.0.1 only: the preview shows unpublished, possibly closed cases."""
    handler = type("Handler", (_Handler,), {"preview": preview})
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        reason = _PORT_REASONS.get(exc.errno or 0, f"systemfejl {exc.errno}")
        raise InputError(Where("--port", 0, 0, f"porten {port} kan ikke bruges ({reason}); "
                                                 f"vælg en anden, fx --port {port + 1}")) from None
    server.daemon_threads = True
    return server


# ---------------------------------------------------------------- reading and watching


class Preview:
    """The latest reading of the content root, the watchers that renew it, and the pages."""

    def __init__(self, root: Path, target: Target):
        self.root = root
        self.target = target
        self.options = RenderOptions(templates=root / "templates",
                                     timestamp=source_date_epoch(root))
        self._stop = threading.Event()
        self._rescan = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.reading = self._read(1)

    def rebuild(self) -> None:
        with self._lock:  # two watchers may fire together; read once at a time
            self.reading = self._read(self.reading.version + 1)
        count = len(self.reading.problems)
        print(f"{self.reading.time} {'læst igen' if not count else f'{count} fejl'}", flush=True)

    def _read(self, version: int) -> Reading:
        from .check import sealed_problems, validate_project

        now = dt.datetime.now().strftime("%H:%M:%S")
        try:
            project, problems = load_project(self.root)
            problems = sorted(set(problems) | set(validate_project(project)))
            problems += sealed_problems(project, problems)  # an edit that changes approved minutes
        except InputError as exc:  # the settings themselves cannot be read
            return Reading(version, None, exc.problems, now)
        except Exception:  # a bug: show it and keep serving
            log.exception("preview: reading the content root failed")
            return Reading(version, None, [], now, crash=traceback.format_exc())
        return Reading(version, project, problems, now)

    def start_watching(self) -> None:
        for work in (self._watch_dirs, self._watch_root):
            thread = threading.Thread(target=work, daemon=True, name=work.__name__)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        self._rescan.set()
        for thread in self._threads:
            thread.join(timeout=3)

    def _watch_dirs(self) -> None:
        """cases/, meetings/, templates/ recursively; started again when one of them appears."""
        stop = _Either(self._stop, self._rescan)
        while not self._stop.is_set():
            self._rescan.clear()
            dirs = [self.root / d for d in WATCHED_DIRS if (self.root / d).is_dir()]
            if not dirs:
                self._rescan.wait()
                continue
            for _ in watchfiles.watch(*dirs, stop_event=stop, debounce=400, step=50,
                                      raise_interrupt=False):
                self.rebuild()

    def _watch_root(self) -> None:
        """The root itself, not recursively: build/ and .git/ churn and must not be watched."""
        def wanted(_: watchfiles.Change, path: str) -> bool:
            return Path(path).name in (SETTINGS_FILE, *WATCHED_DIRS)

        for changes in watchfiles.watch(self.root, watch_filter=wanted, recursive=False,
                                        stop_event=self._stop, debounce=400, step=50,
                                        raise_interrupt=False):
            if any(Path(p).name in WATCHED_DIRS for _, p in changes):
                self._rescan.set()
            self.rebuild()

    # ------------------------------------------------------------ pages

    def status(self) -> dict[str, Any]:
        reading = self.reading
        others = len(reading.problems) - len(self._blocking(reading))
        text = f"Opdateret kl. {reading.time}"
        if others > 0:
            text += f" · {others} fejl i andre filer (kør sagsfremstilling check)"
        return {"version": reading.version, "tekst": text}

    def page(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes]:
        """The HTML for a path, and its status code."""
        reading = self.reading
        if reading.crash:
            return 500, pages.message_page(
                "Fejl i sagsfremstilling", "Værktøjet fejlede. Kopiér teksten herunder til den, "
                "der passer værktøjet.", [reading.crash])
        blocking = self._blocking(reading, path)
        if blocking or reading.project is None:
            return 200, _problems_page(blocking)
        project = reading.project
        kind, _, ident = path.strip("/").partition("/")
        ident = unquote(ident)
        try:
            if kind == "sag" and ident in project.cases:
                meeting = query["moede"][0] if query.get("moede") else None
                view = resolve_view(project, ident, meeting, offentlig=bool(query.get("offentlig")))
                return 200, html_writer.render(compose_case(project, ident, view), self.options)
            if kind == "moede" and ident in project.meetings:
                return 200, pages.meeting_page(project, ident)
            if kind == "oversigt":
                return 200, pages.overview_page(project, reading.problems)
        except InputError as exc:
            return 200, _problems_page(exc.problems)
        return 404, pages.message_page("Findes ikke", f"Der er ingen side '{path}'. Er filen "
                                       "slettet eller omdøbt?", [], link=True)

    def _blocking(self, reading: Reading, path: str | None = None) -> list[Problem]:
        """The problems that stop the page at ``path`` (default: the target's)."""
        kind, _, ident = (path or self.target.url).strip("/").partition("/")
        ident = unquote(ident)
        if kind == "oversigt":
            return [p for p in reading.problems if p.path == SETTINGS_FILE]
        files = {SETTINGS_FILE}
        project = reading.project
        if kind == "sag":
            files.add(f"cases/{ident}.yaml")
            case = project.cases.get(ident) if project else None
            for stage in case.sagsgang if case else ():
                files |= {f"meetings/{p.name}" for p in
                          (self.root / "meetings").glob(f"*-{stage.dato.isoformat()}.yaml")}
        elif kind == "moede":
            files.add(f"meetings/{ident}.yaml")
            meeting = project.meetings.get(ident) if project else None
            files |= {f"cases/{p.sag}.yaml" for p in (meeting.punkter if meeting else ())}
        return [p for p in reading.problems if p.path in files]


def _problems_page(problems: list[Problem]) -> bytes:
    return pages.message_page("Siden kan ikke vises endnu", "Ret fejlene herunder, og gem; "
                              "siden opdateres af sig selv.", [str(p) for p in problems])


class _Either:
    """A stop event for ``watchfiles`` that fires on either of two events."""

    def __init__(self, *events: threading.Event):
        self.events = events

    def is_set(self) -> bool:
        return any(e.is_set() for e in self.events)


# ---------------------------------------------------------------- HTTP


class _Handler(http.server.BaseHTTPRequestHandler):
    preview: Preview
    server_version = "sagsfremstilling-preview"

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost"):  # no DNS rebinding into unpublished cases
            self._send(403, "text/plain; charset=utf-8", b"Kun adgang via 127.0.0.1")
            return
        url = urlsplit(self.path)
        if url.path == "/":
            target = self.preview.target
            shell = pages.shell(target.url, target.ident or ALL)
            self._send(200, "text/html; charset=utf-8", shell, pages.SHELL_CSP)
        elif url.path == "/_preview/status":
            body = json.dumps(self.preview.status(), ensure_ascii=False).encode("utf-8")
            self._send(200, "application/json; charset=utf-8", body)
        elif url.path == "/_preview/genindlaes.js":
            self._send(200, "text/javascript; charset=utf-8", pages.RELOAD_JS.encode("utf-8"))
        else:
            try:
                code, body = self.preview.page(url.path, parse_qs(url.query))
            except Exception:  # a bug or a broken template: show it, keep serving
                log.exception("preview: rendering %s failed", url.path)
                code, body = 500, pages.message_page(
                    "Fejl i sagsfremstilling", "Siden kunne ikke laves. Kopiér teksten herunder "
                    "til den, der passer værktøjet.", [traceback.format_exc()])
            self._send(code, "text/html; charset=utf-8", body, pages.PAGE_CSP)

    def _send(self, code: int, kind: str, body: bytes, csp: str = "") -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("preview: " + format, *args)  # the status poll would flood the terminal
