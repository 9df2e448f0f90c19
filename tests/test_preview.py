"""``sagsfremstilling preview``, driven as a caseworker would: start it, look, save, look again.

The server runs as a subprocess on a free port (``--port 0``; it prints its
address).  Every wait is a poll with a deadline, never a fixed sleep, so the
tests are as fast as the file watcher and fail clearly when it stays silent.
"""

from __future__ import annotations

import html
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEADLINE = 20.0

CASE = """\
# yaml-language-server: $schema=../../schemas/sag.schema.json
titel: Ny cykelsti på Ågade
sagsnummer: 30/17
sagsgang:
  - udvalg: MTU
    dato: 2030-03-11
sagsfremstilling: |
  Der skal anlægges en cykelsti.
indstilling:
  indstiller: Vej- og ejendomschefen
  punkter:
    - cykelstien anlægges
"""

SECOND = """\
titel: Lukning af Strandvej
sagsgang:
  - udvalg: MTU
    dato: 2030-03-11
sagsfremstilling: Vejen lukkes om vinteren.
"""

MEETING = """\
udvalg: MTU
dato: 2030-03-11
status: planlagt
punkter:
  - sag: 2030/cykelsti
  - sag: 2030/strandvej
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "indhold"
    (root / "cases" / "2030").mkdir(parents=True)
    (root / "meetings").mkdir()
    shutil.copy(REPO / "sagsfremstilling.yaml", root)
    shutil.copytree(REPO / "templates" / "html", root / "templates" / "html")
    (root / "cases" / "2030" / "cykelsti.yaml").write_text(CASE, encoding="utf-8")
    (root / "cases" / "2030" / "strandvej.yaml").write_text(SECOND, encoding="utf-8")
    (root / "meetings" / "mtu-2030-03-11.yaml").write_text(MEETING, encoding="utf-8")
    return root


class Server:
    """A running ``preview`` subprocess and its address."""

    def __init__(self, root: Path, *args: str):
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1893456000"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sagsfremstilling", "preview", *args, "--port", "0"],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self.first_lines = [self.readline(), self.readline()]
            match = re.search(r"http://127\.0\.0\.1:\d+/", self.first_lines[0])
            assert match, self.first_lines
        except BaseException:
            self.proc.kill()  # never leave a server behind when it did not start as expected
            self.proc.wait(timeout=DEADLINE)
            raise
        self.url = match.group(0)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")

    def readline(self) -> str:
        """The next line the server printed; its output is read by a thread, so no pipe fills."""
        try:
            line = self.lines.get(timeout=DEADLINE)
        except queue.Empty:
            raise AssertionError("preview printed nothing") from None
        assert line, f"preview stopped: {self.proc.stderr.read() if self.proc.stderr else ''}"
        return line

    def get(self, path: str, host: str | None = None) -> tuple[int, str, dict[str, str]]:
        request = urllib.request.Request(self.url.rstrip("/") + path)
        if host:
            request.add_header("Host", host)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode("utf-8"), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8"), dict(exc.headers)

    def page(self, path: str) -> str:
        return self.get(path)[1]

    def version(self) -> int:
        return int(json.loads(self.page("/_preview/status"))["version"])

    def wait_for(self, path: str, test: Callable[[str], bool]) -> str:
        """The page at ``path`` once ``test`` holds, polling until the deadline."""
        end = time.monotonic() + DEADLINE
        while True:
            text = self.page(path)
            if test(text):
                return text
            assert time.monotonic() < end, f"page never changed as expected:\n{text}"
            time.sleep(0.1)

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, then everything printed after the first two lines."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=DEADLINE)
        out = []
        while line := self.lines.get(timeout=DEADLINE):  # "" marks the end of the output
            out.append(line)
        return self.proc.returncode, "".join(out)


@pytest.fixture
def serve(root: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(*args: str) -> Server:
        server = Server(root, *args)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(timeout=DEADLINE)


def save(path: Path, text: str) -> None:
    """Save as an editor does: write a temporary file and rename it over the old one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def shown_problems(page: str) -> list[str]:
    """The located lines an error page shows, as text."""
    return [html.unescape(line) for line in re.findall(r"<li><code>(.*?)</code></li>", page)]


def checked_problems(root: Path) -> list[str]:
    """What 'sagsfremstilling check' prints for the same files, without its count line."""
    result = subprocess.run([sys.executable, "-m", "sagsfremstilling", "check"], cwd=root,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    return result.stdout.splitlines()[:-1]


# ---------------------------------------------------------------- the caseworker's loop


def test_edit_break_fix_cycle(root: Path, serve: Callable[..., Server]) -> None:
    server = serve("cases/2030/cykelsti.yaml")
    assert server.first_lines == [
        f"Forhåndsvisning af cases/2030/cykelsti.yaml: {server.url}\n",
        "Siden opdateres, hver gang du gemmer. Stop med Ctrl-C.\n",
    ]
    # The shell page frames the paper and loads the reload script; the paper stays script-free.
    code, shell, headers = server.get("/")
    assert code == 200
    assert '<iframe id="side" name="side" src="/sag/2030/cykelsti"' in shell
    assert '<script src="/_preview/genindlaes.js" defer></script>' in shell
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "/_preview/status" in server.page("/_preview/genindlaes.js")

    paper = server.page("/sag/2030/cykelsti")
    assert "<script" not in paper
    assert "Ny cykelsti på Ågade" in paper and "Der skal anlægges en cykelsti." in paper
    assert '<span class="punktnr">1.</span>' in paper  # its number on the MTU agenda
    first = server.version()

    case = root / "cases" / "2030" / "cykelsti.yaml"
    save(case, CASE.replace("Der skal anlægges en cykelsti.", "Cykelstien bliver to meter bred."))
    paper = server.wait_for("/sag/2030/cykelsti", lambda p: "to meter bred" in p)
    assert "anlægges en cykelsti." not in paper
    assert server.version() > first

    save(case, CASE.replace("  indstiller:", "  indstiler:"))
    error = server.wait_for("/sag/2030/cykelsti", lambda p: "kan ikke vises" in p)
    assert "<script" not in error
    assert shown_problems(error) == checked_problems(root)
    assert shown_problems(error)[0].startswith("cases/2030/cykelsti.yaml:10:3: ")

    save(case, CASE.replace("sagsgang:\n", "sagsgang:\n\t"))
    error = server.wait_for("/sag/2030/cykelsti", lambda p: "cykelsti.yaml:5:1: " in p)
    assert shown_problems(error) == checked_problems(root)

    save(case, CASE.replace("Der skal anlægges en cykelsti.", "Rettet & <gemt>."))
    paper = server.wait_for("/sag/2030/cykelsti", lambda p: "Rettet" in p)
    assert "Rettet &amp; &lt;gemt&gt;." in paper  # case text is escaped, never markup
    assert server.proc.poll() is None

    code, out = server.stop()
    assert code == 0
    assert out.rstrip().endswith("Forhåndsvisningen er stoppet.")


def test_meeting_shows_its_agenda_with_links_to_each_paper(root: Path,
                                                           serve: Callable[..., Server]) -> None:
    server = serve("mtu-2030-03-11")
    shell = server.page("/")
    assert 'src="/moede/mtu-2030-03-11"' in shell
    agenda = server.page("/moede/mtu-2030-03-11")
    assert "<h1>Miljø- og teknikudvalget 11. marts 2030</h1>" in agenda
    links = re.findall(r'<li value="(\d+)"><a href="([^"]+)">([^<]+)</a>', agenda)
    assert links == [("1", "/sag/2030/cykelsti?moede=mtu-2030-03-11", "Ny cykelsti på Ågade"),
                     ("2", "/sag/2030/strandvej?moede=mtu-2030-03-11", "Lukning af Strandvej")]
    second = server.page(links[1][1])
    assert '<span class="punktnr">2.</span>' in second and "Vejen lukkes om vinteren." in second

    # A broken item stops the meeting page too, located in that item's file.
    broken = SECOND.replace("dato: 2030-03-11", "dato: 2030-13-11")
    save(root / "cases" / "2030" / "strandvej.yaml", broken)
    page = server.wait_for("/moede/mtu-2030-03-11", lambda p: "kan ikke vises" in p)
    assert shown_problems(page) == checked_problems(root)
    assert shown_problems(page)[0].startswith("cases/2030/strandvej.yaml:4:11: ")
    # … but not the other item's paper: that one is fine.
    assert "Ny cykelsti på Ågade" in server.page("/sag/2030/cykelsti")
    assert server.stop()[0] == 0


def test_a_colleagues_broken_case_is_counted_not_shown(root: Path,
                                                       serve: Callable[..., Server]) -> None:
    server = serve("cases/2030/cykelsti.yaml")
    assert "fejl" not in server.page("/_preview/status")
    save(root / "cases" / "2030" / "strandvej.yaml", SECOND.replace("titel:", "tittel:"))
    status = server.wait_for("/_preview/status", lambda p: "fejl" in p)
    assert re.search(r" · \d+ fejl i andre filer \(kør sagsfremstilling check\)$",
                     json.loads(status)["tekst"])
    assert "Der skal anlægges en cykelsti." in server.page("/sag/2030/cykelsti")


def test_meeting_file_path_works_like_its_id(serve: Callable[..., Server]) -> None:
    server = serve("meetings/mtu-2030-03-11.yaml")
    assert 'src="/moede/mtu-2030-03-11"' in server.page("/")


def test_without_target_an_overview_of_cases_and_meetings(serve: Callable[..., Server]) -> None:
    server = serve()
    assert server.first_lines[0].startswith("Forhåndsvisning af alle sager og møder: ")
    overview = server.page("/oversigt")
    assert '<a href="/moede/mtu-2030-03-11">Miljø- og teknikudvalget 11. marts 2030</a>' in overview
    assert '<a href="/sag/2030/cykelsti">Ny cykelsti på Ågade</a>' in overview


def test_settings_and_template_changes_are_seen(root: Path, serve: Callable[..., Server]) -> None:
    server = serve("cases/2030/cykelsti.yaml")
    settings = root / "sagsfremstilling.yaml"
    save(settings, settings.read_text(encoding="utf-8").replace(
        "kommune: Norddjurs Kommune", "kommune: Prøvekommune"))
    server.wait_for("/sag/2030/cykelsti", lambda p: "Prøvekommune" in p)
    css = root / "templates" / "html" / "stil.css"
    save(css, css.read_text(encoding="utf-8") + "\n/* preview-test */\n")
    server.wait_for("/sag/2030/cykelsti", lambda p: "preview-test" in p)


def test_a_broken_template_is_shown_and_the_server_keeps_running(
        root: Path, serve: Callable[..., Server]) -> None:
    server = serve("cases/2030/cykelsti.yaml")
    template = root / "templates" / "html" / "sag.html.j2"
    good = template.read_text(encoding="utf-8")
    template.unlink()
    code, page, _ = server.get("/sag/2030/cykelsti")
    # Shown on the page, naming the template, whether the writer reports it as bad input
    # (a located problem) or lets it through as an error (a 500 with the traceback).
    assert code in (200, 500) and "sag.html.j2" in page
    save(template, good)
    server.wait_for("/sag/2030/cykelsti", lambda p: "Der skal anlægges en cykelsti." in p)
    assert server.stop()[0] == 0


def test_unknown_pages_and_foreign_hosts(serve: Callable[..., Server]) -> None:
    server = serve("cases/2030/cykelsti.yaml")
    code, page, _ = server.get("/sag/2030/findes-ikke")
    assert code == 404 and "Findes ikke" in page
    code, page, _ = server.get("/", host="angriber.example:80")
    assert code == 403


# ---------------------------------------------------------------- refusals at start


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sagsfremstilling", "preview", *args], cwd=root,
                          capture_output=True, text=True, timeout=60, check=False)


def test_unknown_target_is_refused_with_a_suggestion(root: Path) -> None:
    result = run(root, "mtu-2030-03-12", "--port", "0")
    assert result.returncode == 1
    assert result.stderr == ("mtu-2030-03-12: hverken en sagsfil eller et møde i meetings/ "
                             "(mente du 'mtu-2030-03-11'?)\n1 fejl\n")
    result = run(root, "cases/2030/mangler.yaml", "--port", "0")
    assert result.returncode == 1
    assert result.stderr == "cases/2030/mangler.yaml: filen findes ikke\n1 fejl\n"


def test_busy_port_is_refused(root: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(root, "--port", str(port))
    assert result.returncode == 1
    assert result.stderr == (f"--port: porten {port} kan ikke bruges (et andet program bruger den); "
                             f"vælg en anden, fx --port {port + 1}\n1 fejl\n")
