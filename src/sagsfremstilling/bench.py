"""``make bench``: how fast the tool is on a council year, written to docs/benchmarks.md.

Every figure is measured in a fresh child process (``sagsfremstilling`` as a
user runs it, or a few lines of Python), on content made by ``synthetic``:

* validation of a year (1,000 cases, 50 meetings), pinned to one core;
* one case to DOCX, PDF and HTML, warm (median of N), and the PDF alone;
* a 40-item meeting with 40 bilag PDFs, both audiences and both editions, ``-j 2``, cold;
* full builds of years of growing size (``-j 2``, cold), a no-op rebuild and a
  rebuild after one changed case on the largest, peak memory of the build processes.

The machine is shared and noisy, so repeated measurements report the median.
A full 1,000-case build takes longer than the ten minutes ``make bench`` may
use on two cores; by default the largest year built is 250 cases and the rest
is extrapolated, and ``--full`` builds 250, 500 and 1,000 (about an hour).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .synthetic import YearSpec, make_bilag_meeting, make_year

REFERENCE_CASE = "2022/aendret-praksis-dialogforum"
REFERENCE_MEETING = "kb-2022-11-15"


@dataclass
class Row:
    what: str
    target: str
    result: str
    note: str = ""


def _env() -> dict[str, str]:
    # A fixed date: no git lookups inside the measured commands; plain output.
    return {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "CI": "true"}


def _python(code: str, one_core: bool = True) -> str:
    """Run ``code`` in a fresh interpreter (on one core); return what it prints."""
    pin = "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n" if one_core and hasattr(
        os, "sched_setaffinity") else ""
    done = subprocess.run([sys.executable, "-c", pin + code], capture_output=True, text=True, env=_env(),
                          check=True)
    return done.stdout.strip()


CPU: dict[str, float] = {}
"""CPU seconds (user + system, all processes) of the last ``_build``: on a shared
machine the wall time says as much about the neighbours as about the tool."""


def _build(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall time of ``sagsfremstilling build`` as a person runs it, and its summary line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sagsfremstilling", "--root", str(root), "build", *args],
                          capture_output=True, text=True, env={**_env(), **(env or {})}, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["last"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"build failed in {root}:\n{done.stderr[-3000:]}")
    return seconds, done.stdout.strip().split("\n")[-1]


def _cpu() -> str:
    return f"CPU {_s(CPU['last'])}"


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.0f} s" if seconds >= 100 else f"{seconds:.1f} s"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# ---------------------------------------------------------------- measurements


def validation(root: Path, repeat: int) -> Row:
    code = ("import time; from pathlib import Path\n"
            "from sagsfremstilling.render import load_valid_project\n"
            f"t = time.perf_counter(); p = load_valid_project(Path({str(root)!r}))\n"
            "print(time.perf_counter() - t, len(p.cases), len(p.meetings))")
    runs = [_python(code).split() for _ in range(repeat)]
    cases, meetings = runs[0][1], runs[0][2]
    return Row(f"Validation: load + check {cases} cases, {meetings} meetings (1 core)", "< 2 s",
               _s(statistics.median(float(r[0]) for r in runs)), f"median of {repeat}, fresh process each")


def varied_cases(root: Path, count: int) -> Row:
    """Warm toolchain, but every case new to it: no memo inside the writers helps."""
    code = f"""
import statistics, time
from pathlib import Path
from sagsfremstilling.compose import compose_case, resolve_view
from sagsfremstilling.render import load_valid_project
from sagsfremstilling.writers import RenderOptions, render
root = Path({str(root)!r})
project = load_valid_project(root)
options = RenderOptions(templates=root / "templates", timestamp=1700000000)
ids = sorted(project.cases)[: {count} + 1]
def once(cid):
    t = time.perf_counter()
    doc = compose_case(project, cid, resolve_view(project, cid))
    for fmt in ("docx", "pdf", "html"):
        render(fmt, doc, options)
    return time.perf_counter() - t
once(ids[0])
print(statistics.median(once(cid) for cid in ids[1:]))
"""
    return Row("One case → DOCX + PDF + HTML, warm toolchain, a different case each time (1 core)",
               "≤ 150 ms", _ms(float(_python(code))),
               f"synthetic cases (lists, tables), median of {count}")


def one_case(repo: Path, repeat: int) -> list[Row]:
    code = f"""
import statistics, time
from pathlib import Path
from sagsfremstilling.compose import compose_case, resolve_view
from sagsfremstilling.render import load_valid_project
from sagsfremstilling.writers import RenderOptions, render
root = Path({str(repo)!r})
project = load_valid_project(root)
options = RenderOptions(templates=root / "templates", timestamp=1700000000)
view = resolve_view(project, {REFERENCE_CASE!r}, {REFERENCE_MEETING!r})
def once(formats):
    t = time.perf_counter()
    doc = compose_case(project, {REFERENCE_CASE!r}, view)
    for fmt in formats:
        render(fmt, doc, options)
    return time.perf_counter() - t
once(("docx", "pdf", "html")); once(("docx", "pdf", "html"))
every = statistics.median(once(("docx", "pdf", "html")) for _ in range({repeat}))
pdf = statistics.median(once(("pdf",)) for _ in range({repeat}))
print(every, pdf)
"""
    every, pdf = (float(x) for x in _python(code).split())
    note = f"reference case for {REFERENCE_MEETING}, compose included, median of {repeat}"
    return [Row("One case → DOCX + PDF + HTML, warm, the same case again (1 core)", "≤ 150 ms", _ms(every), note),
            Row("One case → PDF alone, warm, the same case again (1 core)", "≤ 60 ms", _ms(pdf), note)]


def big_meeting(tmp: Path, repo: Path, repeat: int) -> Row:
    """Cold builds of the 40-item meeting: no ``build/`` and an empty bilag cache
    each time, as on a fresh clone; the median of ``repeat`` and their range."""
    from pypdf import PdfReader

    root = tmp / "moede40"
    mid = make_bilag_meeting(root, repo)
    times, cpu = [], []
    for k in range(repeat):
        shutil.rmtree(root / "build", ignore_errors=True)
        seconds, summary = _build(root, "-j", "2", env={"SAGSFREMSTILLING_CACHE": str(tmp / f"cache40-{k}")})
        times.append(seconds)
        cpu.append(CPU["last"])
    pages = len(PdfReader(root / "build" / mid / "intern" / "referat.pdf").pages)
    return Row("40 items + 40 bilag PDFs: both audiences, dagsorden and referat, PDF and DOCX "
               "(-j 2, cold)", "≤ 5 s", _s(statistics.median(times)),
               f"median of {repeat}, {_s(min(times))} to {_s(max(times))}; CPU {_s(statistics.median(cpu))}; "
               f"internal referat.pdf has {pages} pages; {summary.split(', tid')[0]}")


def year_builds(tmp: Path, repo: Path, sizes: list[int]) -> tuple[list[Row], Path, float]:
    """Cold builds of years of ``sizes`` cases; returns the rows, the largest
    root (built) and its seconds per case."""
    rows, root, per_case = [], tmp, 0.0
    for cases in sizes:
        root = tmp / f"year{cases}"
        make_year(root, repo, YearSpec(cases=cases))
        seconds, summary = _build(root, "-j", "2")
        files = summary.split(",")[0].split(": ")[1]
        per_case = seconds / cases
        rows.append(Row(f"Full year build, {cases} cases / 50 meetings (-j 2, cold)", "reported",
                        _s(seconds), f"{_cpu()}; {files} files, {_ms(per_case)} per case"))
    return rows, root, per_case


def rebuilds(root: Path, repeat: int) -> list[Row]:
    noop = statistics.median(_build(root, "-j", "2")[0] for _ in range(repeat))
    cases = sorted((root / "cases").rglob("*.yaml"))
    times, rebuilt = [], []
    for k in range(repeat):
        case = cases[(k * 97) % len(cases)]
        text = case.read_text(encoding="utf-8")
        marker = "sagsfremstilling: |\n"
        case.write_text(text.replace(marker, f"{marker}  Ændret i benchmark nr. {k + 1}.\n\n", 1),
                        encoding="utf-8")
        seconds, summary = _build(root, "-j", "2")
        times.append(seconds)
        rebuilt.append(summary.split(",")[0].split(": ")[1] + f" in {_s(seconds)}, {_cpu()}")
    size = len(cases)
    return [Row(f"No-op rebuild, {size} cases (-j 2)", "≤ 1 s", _s(noop), f"median of {repeat}"),
            Row(f"Rebuild after one changed case, {size} cases (-j 2)", "≤ 2 s", _s(statistics.median(times)),
                f"median of {repeat}; files rebuilt: {'; '.join(rebuilt)}")]


def memory() -> Row:
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Row("Peak memory (largest single process)", "≤ 500 MB", f"{max(children, own):.0f} MB",
               f"build processes and workers {children:.0f} MB, benchmark itself {own:.0f} MB")


# ---------------------------------------------------------------- report


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{model}, {cores} cores, Python {platform.python_version()}, {platform.system()} "
            f"{platform.release()}; load average at start {load}; {dt.date.today().isoformat()}")


def table(rows: list[Row]) -> str:
    lines = ["| Measurement | Target | Result | Notes |", "|---|---|---|---|"]
    lines += [f"| {r.what} | {r.target} | {r.result} | {r.note} |" for r in rows]
    return "\n".join(lines)


def write_report(path: Path, rows: list[Row], command: str, extra: list[str], host: str) -> None:
    text = "\n".join([
        "# Benchmarks", "",
        f"Written by `{command}` (`src/sagsfremstilling/bench.py`); do not edit by hand.", "",
        f"Machine: {host}.", "",
        table(rows), "",
        *extra,
    ])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip() + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sagsfremstilling.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="build years of 250, 500 and 1,000 cases (slow)")
    parser.add_argument("--sizes", default=None, help="year sizes to build, e.g. 100,250")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions where cheap")
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated content here")
    args = parser.parse_args(argv)
    from .project import find_root

    repo = find_root(Path.cwd())
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else [250, 500, 1000] if args.full else [250]
    tmp = Path(tempfile.mkdtemp(prefix="sagsfremstilling-bench-")) if args.keep is None else args.keep
    tmp.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    host = machine()  # before our own load counts
    rows: list[Row] = []
    try:
        print(f"Machine: {host}", flush=True)
        validation_root = tmp / "validation"
        make_year(validation_root, repo, YearSpec(cases=1000))
        for step in (lambda: [validation(validation_root, args.repeat)],
                     lambda: one_case(repo, max(args.repeat * 4, 20)),
                     lambda: [varied_cases(validation_root, max(args.repeat * 4, 20))],
                     lambda: [big_meeting(tmp, repo, max(3, args.repeat))]):
            for row in step():
                rows.append(row)
                print(f"{row.what}: {row.result}  ({row.note})", flush=True)
        built, largest, per_case = year_builds(tmp, repo, sizes)
        for row in built + rebuilds(largest, max(3, args.repeat // 2)) + [memory()]:
            rows.append(row)
            print(f"{row.what}: {row.result}  ({row.note})", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    extra = [f"Whole benchmark: {_s(time.perf_counter() - started)}."]
    if max(sizes) < 1000:
        extra.append(f"A 1,000-case year was not built here; at the measured {_ms(per_case)} per case it "
                     f"would take about {_s(per_case * 1000)} on this machine "
                     "(`python -m sagsfremstilling.bench --full` builds it).")
    command = "python -m sagsfremstilling.bench" + (" " + " ".join(argv if argv is not None else sys.argv[1:])
                                                     ).rstrip()
    write_report(args.output, rows, command.strip(), extra, host)
    print(table(rows))
    print(f"Skrevet til {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
