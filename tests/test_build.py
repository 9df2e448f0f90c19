"""``sagsfremstilling build``: reproducible, incremental, tidy, and silent about nothing.

One small synthetic year (5 cases on 3 meetings, one closed item, a bilag
that is not public, minutes and agendas) is built once per module; each test
works on its own copy of that content root and build folder, so the tests
stay independent and fast.  Outputs are compared byte for byte.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sagsfremstilling import packet
from sagsfremstilling.agenda import supplementary
from sagsfremstilling.build import build
from sagsfremstilling.buildstate import STATE_FILE
from sagsfremstilling.errors import InputError
from sagsfremstilling.meeting_compose import SUPPLEMENT
from sagsfremstilling.project import load_project
from sagsfremstilling.synthetic import YearSpec, dump, make_year

REPO = Path(__file__).resolve().parents[1]
SPEC = YearSpec(cases=5, meetings=3, ahead=0, closed_share=0.3, bilag_share=0.6, seed=25,
                bilag_files=3)
EPOCH = "1668470400"  # 2022-11-15


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content root with its build/ folder, built once with -j 2."""
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    root = tmp_path_factory.mktemp("golden") / "root"
    make_year(root, REPO, SPEC)
    summary = build(root, root / "build", None, 2)
    assert summary.ok and summary.built, summary.problems
    return root


def clone(golden: Path, dest: Path) -> Path:
    """A copy of the root and its build folder, mtimes kept (so the state still matches)."""
    shutil.copytree(golden, dest / "root", copy_function=shutil.copy2)
    return dest / "root"


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file's bytes, by path; the build's own dot files left out."""
    found = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            found[rel.as_posix()] = path.read_bytes()
    return found


def stamps(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file()}


def edit_case(root: Path, case_id: str, change) -> None:  # type: ignore[no-untyped-def]
    path = root / "cases" / f"{case_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump(data, "sag"), encoding="utf-8")


def edit_meeting(root: Path, meeting_id: str, change) -> None:  # type: ignore[no-untyped-def]
    path = root / "meetings" / f"{meeting_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump(data, "moede"), encoding="utf-8")


def meeting_outputs(root: Path, meeting_id: str, case_id: str | None = None) -> set[str]:
    """What the packet module says a meeting gives (only the files showing
    ``case_id`` plus the meeting-wide ones, when a case is named)."""
    project = load_project(root)[0]
    files = set()
    for audience in packet.AUDIENCES:
        plan = packet.plan_meeting(project, meeting_id, audience)
        base = f"{meeting_id}/{audience}"
        for item in plan.items:
            if item.has_files and (case_id is None or item.case_id == case_id):
                files |= {f"{base}/punkter/{item.stem}.{fmt}" for fmt in packet.ITEM_FORMATS}
        added = supplementary(project.meetings[meeting_id])
        for document in plan.documents:
            if document == SUPPLEMENT and case_id is not None and case_id not in added:
                continue  # the tillægsdagsorden shows the added items only
            files |= {f"{base}/{document}.pdf", f"{base}/{document}.docx"}
        files |= {f"{base}/index.html", f"{base}/moede.json", f"{base}/manifest.json"}
    return files


def multi_stage_open_case(root: Path) -> tuple[str, list[str]]:
    """An open case on more than one meeting, and those meetings."""
    project = load_project(root)[0]
    for cid, case in sorted(project.cases.items()):
        meetings = [mid for mid, m in sorted(project.meetings.items()) if any(p.sag == cid for p in m.punkter)]
        if not case.lukket and len(meetings) > 1:
            return cid, meetings
    raise AssertionError("the synthetic year has no open case on two meetings")


# ---------------------------------------------------------------- reproducible


def test_the_synthetic_year_exercises_what_matters(golden: Path) -> None:
    project = load_project(golden)[0]
    assert any(c.lukket for c in project.cases.values())
    assert any(not b.offentlig for c in project.cases.values() for b in c.bilag)
    files = outputs(golden / "build")
    assert any(f.endswith("/referat.pdf") for f in files)
    assert any(f.endswith("/tillaegsdagsorden.pdf") for f in files)
    assert len({f.split("/")[0] for f in files}) == 3


def test_clean_builds_are_byte_identical_across_runs_and_jobs(golden: Path, tmp_path: Path) -> None:
    expected = outputs(golden / "build")
    for jobs in (2, 1):
        out = tmp_path / f"j{jobs}"
        assert build(golden, out, None, jobs).ok
        got = outputs(out)
        assert sorted(got) == sorted(expected)
        assert [f for f in expected if got[f] != expected[f]] == []


def test_workers_grown_past_their_memory_are_replaced_and_the_bytes_stay(
        golden: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Typst keeps everything it laid out for the life of a process; the build
    replaces a worker that holds too much as soon as it hands back its work,
    with no change to any output."""
    from sagsfremstilling import buildpool, buildrun

    started: list[int] = []
    start = buildpool.Pool._start

    def counted(self):  # type: ignore[no-untyped-def]
        worker = start(self)
        started.append(worker.process.pid)
        return worker

    monkeypatch.setattr(buildpool.Pool, "_start", counted)
    monkeypatch.setattr(buildrun, "WORKER_MEMORY", 1)  # every worker is worn after one batch
    out = tmp_path / "renewed"
    assert build(golden, out, None, 2).ok
    assert len(set(started)) > 10  # a fresh worker after every batch
    expected = outputs(golden / "build")
    got = outputs(out)
    assert sorted(got) == sorted(expected)
    assert [f for f in expected if got[f] != expected[f]] == []


def test_a_worker_that_dies_fails_only_its_files_and_the_next_build_mends_them(
        golden: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed (say, by the kernel when memory runs out), a worker takes only the
    files it was making with it; a fresh worker does the rest, the build says
    which files failed and why, and the next build makes them."""
    import signal

    from sagsfremstilling import buildpool

    out = tmp_path / "killed"
    shutil.copytree(golden / "build", out)
    victim = next(rel for rel in sorted(outputs(out)) if rel.endswith("/referat.pdf"))
    (out / victim).write_bytes(b"old")  # so the build has to make it again
    submit = buildpool.Pool.submit

    def deadly(self, fn, *args):  # type: ignore[no-untyped-def]
        job = submit(self, fn, *args)
        if fn.__name__ == "execute_batch" and any(spec[1] == victim for spec in args[0]):
            worker = next(w for w in self.workers if w.job == job)
            os.kill(worker.process.pid, signal.SIGKILL)
        return job

    monkeypatch.setattr(buildpool.Pool, "submit", deadly)
    summary = build(golden, out, None, 2)
    assert victim in summary.failed
    assert any("arbejdsprocessen blev stoppet (signal 9)" in p for p in summary.problems)
    monkeypatch.setattr(buildpool.Pool, "submit", submit)
    assert build(golden, out, None, 2).ok
    assert outputs(out) == outputs(golden / "build")


def test_a_single_job_build_grown_past_its_memory_goes_on_in_a_worker(
        golden: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """-j 1 works in the build's own process until it holds too much; then one
    worker process, replaced like any other, does the rest, to the same bytes."""
    from sagsfremstilling import buildrun

    pools: list[object] = []
    make_pool = buildrun.make_pool

    def counted(ctx, jobs, **kwargs):  # type: ignore[no-untyped-def]
        pool = make_pool(ctx, jobs, **kwargs)
        if pool is not None:
            pools.append(pool)
        return pool

    from sagsfremstilling import buildtasks

    real, here = buildtasks.resident_bytes, os.getpid()
    monkeypatch.setattr(buildrun, "make_pool", counted)
    # This process counts as full; a worker (forked or spawned) reports what it holds.
    monkeypatch.setattr(buildtasks, "resident_bytes", lambda: 2**40 if os.getpid() == here else real())
    out = tmp_path / "single"
    assert build(golden, out, None, 1).ok
    assert len(pools) == 1  # after the first file, one worker for the rest
    expected = outputs(golden / "build")
    got = outputs(out)
    assert sorted(got) == sorted(expected)
    assert [f for f in expected if got[f] != expected[f]] == []


def test_the_build_equals_the_packet_modules_own_writer(golden: Path, tmp_path: Path) -> None:
    """The incremental pieces add up to what packet.write_meeting makes in one go."""
    from sagsfremstilling.writers import RenderOptions

    project = load_project(golden)[0]
    options = RenderOptions(templates=golden / "templates", timestamp=int(EPOCH))
    for mid in sorted(project.meetings):
        packet.write_meeting(project, mid, tmp_path, options)
    reference, built = outputs(tmp_path), outputs(golden / "build")
    assert sorted(built) == sorted(reference)
    assert [f for f in reference if built[f] != reference[f]] == []


# ---------------------------------------------------------------- incremental


def test_a_rebuild_with_nothing_changed_is_a_no_op(golden: Path, tmp_path: Path) -> None:
    root = clone(golden, tmp_path)
    before = stamps(root / "build")
    for case in (root / "cases").rglob("*.yaml"):
        os.utime(case)  # a touch, a fresh checkout: new mtime, same bytes
    summary = build(root, root / "build", None, 2)
    assert summary.noop and summary.built == [] and summary.ok
    assert len(summary.unchanged) == len(outputs(root / "build"))
    after = stamps(root / "build")
    assert {k: v for k, v in after.items() if k != STATE_FILE} == {
        k: v for k, v in before.items() if k != STATE_FILE}
    assert build(root, root / "build", None, 2).noop


def test_one_changed_case_rebuilds_its_items_and_packets_and_nothing_else(golden: Path,
                                                                          tmp_path: Path) -> None:
    root = clone(golden, tmp_path)
    cid, meetings = multi_stage_open_case(root)
    edit_case(root, cid, lambda d: d.update(sagsfremstilling=d["sagsfremstilling"] + "\nEn ny sætning.\n"))

    summary = build(root, root / "build", None, 2)

    expected = set().union(*(meeting_outputs(root, mid, cid) for mid in meetings))
    assert summary.ok and not summary.noop
    assert set(summary.built) == expected
    assert set(summary.unchanged) == set(outputs(root / "build")) - expected
    clean = tmp_path / "clean"
    assert build(root, clean, None, 1).ok
    assert outputs(root / "build") == outputs(clean)


def test_a_tillaegsdagsorden_is_rebuilt_for_its_own_items_only(golden: Path, tmp_path: Path) -> None:
    """It shows only the items added after the agenda went out: a change to another
    item of the meeting leaves it be, a change to an added one rebuilds it."""
    root = clone(golden, tmp_path)
    project = load_project(root)[0]
    mid, added = next((mid, p.sag) for mid, m in sorted(project.meetings.items()) for p in m.punkter if p.tillæg)
    other = next(p.sag for p in project.meetings[mid].punkter if not p.tillæg)
    mine = {f"{mid}/{audience}/tillaegsdagsorden.{ext}" for audience in packet.AUDIENCES for ext in ("pdf", "docx")}
    assert mine <= set(outputs(root / "build"))

    edit_case(root, other, lambda d: d.update(sagsfremstilling=d["sagsfremstilling"] + "\nEn ny sætning.\n"))
    summary = build(root, root / "build", None, 2)
    assert summary.ok and mine <= set(summary.unchanged) and not mine & set(summary.built)

    edit_case(root, added, lambda d: d.update(sagsfremstilling=d["sagsfremstilling"] + "\nEn ny sætning.\n"))
    summary = build(root, root / "build", None, 2)
    assert summary.ok and mine <= set(summary.built)
    assert outputs(root / "build") == outputs(_clean(root, tmp_path))


def test_deleting_a_meeting_removes_its_outputs(golden: Path, tmp_path: Path) -> None:
    root = clone(golden, tmp_path)
    project = load_project(root)[0]
    mid = min(m for m in project.meetings if m.startswith("kb-"))
    gone = project.meetings[mid]
    for cid in [p.sag for p in gone.punkter]:
        edit_case(root, cid, lambda d: d.update(sagsgang=[
            s for s in d["sagsgang"] if not (s["udvalg"] == gone.udvalg and s["dato"] == gone.dato)]))
    (root / "meetings" / f"{mid}.yaml").unlink()
    had = {f for f in outputs(root / "build") if f.startswith(f"{mid}/")}

    summary = build(root, root / "build", None, 2)

    assert summary.ok
    assert set(summary.removed) == had
    assert not (root / "build" / mid).exists()
    assert outputs(root / "build") == outputs(_clean(root, tmp_path))


def test_a_case_taken_off_a_meeting_loses_its_item_files(golden: Path, tmp_path: Path) -> None:
    root = clone(golden, tmp_path)
    cid, meetings = multi_stage_open_case(root)
    project = load_project(root)[0]
    last = project.meetings[meetings[-1]]
    stale = meeting_outputs(root, meetings[-1], cid) & {f for f in outputs(root / "build") if "/punkter/" in f}
    edit_case(root, cid, lambda d: d.update(sagsgang=[
        s for s in d["sagsgang"] if not (s["udvalg"] == last.udvalg and s["dato"] == last.dato)]))
    edit_meeting(root, meetings[-1], lambda d: d.update(punkter=[p for p in d["punkter"] if p["sag"] != cid]))

    summary = build(root, root / "build", None, 2)

    assert summary.ok and stale and stale <= set(summary.removed)
    assert not any((root / "build" / f).exists() for f in stale)
    assert outputs(root / "build") == outputs(_clean(root, tmp_path))


def _clean(root: Path, tmp_path: Path) -> Path:
    out = tmp_path / "clean"
    assert build(root, out, None, 2).ok
    return out


# ---------------------------------------------------------------- errors and feedback


def test_a_broken_case_stops_the_build_located_and_nothing_is_replaced(golden: Path,
                                                                       tmp_path: Path) -> None:
    root = clone(golden, tmp_path)
    case = min((root / "cases").rglob("*.yaml"))
    lines = case.read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines) if text.lstrip().startswith("dato:"))
    col = lines[line].index("dato:") + len("dato: ") + 1
    lines[line] = lines[line].split("dato:")[0] + "dato: 2023-02-30"
    case.write_text("\n".join(lines), encoding="utf-8")
    before = stamps(root / "build")

    run = _cli(root, "build", "-j", "2")

    shown = case.relative_to(root).as_posix()
    assert run.returncode == 1
    assert run.stderr.strip().split("\n") == [
        f"{shown}:{line + 1}:{col}: datoen '2023-02-30' findes ikke; ret den (ÅÅÅÅ-MM-DD)", "1 fejl"]
    assert stamps(root / "build") == before
    with pytest.raises(InputError):
        build(root, root / "build", None, 1)


def test_an_unknown_meeting_is_a_located_error(golden: Path, tmp_path: Path) -> None:
    root = clone(golden, tmp_path)
    with pytest.raises(InputError) as caught:
        build(root, root / "build", ["kb-2099-01-01"], 1)
    assert [str(p) for p in caught.value.problems] == [
        "meetings/kb-2099-01-01.yaml:0:0: mødet 'kb-2099-01-01' findes ikke i meetings/"]


def test_one_named_meeting_is_built_alone(golden: Path, tmp_path: Path) -> None:
    root = clone(golden, tmp_path)
    mid = min(p.stem for p in (root / "meetings").glob("*.yaml"))
    summary = build(root, tmp_path / "one", [mid], 2)
    assert summary.ok
    assert {f.split("/")[0] for f in outputs(tmp_path / "one")} == {mid}
    assert build(root, tmp_path / "one", [mid], 2).noop


def test_ci_gets_plain_lines_and_a_danish_summary(golden: Path, tmp_path: Path) -> None:
    root = clone(golden, tmp_path)
    mid = min(p.stem for p in (root / "meetings").glob("*.yaml"))
    edit_meeting(root, mid, lambda d: d.update(sted="Mødelokale 2, Rådhuset, Grenaa"))
    run = _cli(root, "build", "-j", "2")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().split("\n")
    assert "\x1b[" not in run.stdout  # no terminal control codes in a log
    assert f"{mid}/intern: " in run.stdout and " bygget, " in run.stdout
    assert re.fullmatch(r"bygget: \d+, uændret: \d+, fejlet: 0, tid: \d+,\d s", lines[-1])


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true", "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "sagsfremstilling", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_another_source_date_epoch_rebuilds_and_dates_every_pdf(golden: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    root = clone(golden, tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    summary = build(root, root / "build", None, 2)
    assert summary.ok and set(summary.built) == set(outputs(root / "build"))
    for rel in summary.built:
        if rel.endswith(".pdf") and "/bilag/" not in rel:
            created = PdfReader(root / "build" / rel).metadata.creation_date
            assert created == dt.datetime.fromtimestamp(1700000000, dt.UTC), rel


@pytest.mark.parametrize("numbering", ["pr_møde", "løbende", "løbende_valgperiode"])
def test_inputs_are_the_packet_modules_minus_other_cases(golden: Path, tmp_path: Path, numbering: str) -> None:
    """The build's precise inputs agree with packet.item_inputs/meeting_inputs,
    except that other cases' files are replaced by the agendas they decide."""
    from sagsfremstilling import buildtasks as bt
    from sagsfremstilling.buildstate import SETTINGS_FILE, watched_files

    root = clone(golden, tmp_path)
    settings = root / SETTINGS_FILE
    settings.write_text(re.sub(r"(?m)^nummerering: .*$", f"nummerering: {numbering}",
                               settings.read_text(encoding="utf-8")), encoding="utf-8")
    project = load_project(root)[0]
    assert project.settings.nummerering == numbering
    ctx = bt.Context(root, root / "build", "", 0, None, project=project)
    inputs = bt.Inputs(ctx, tuple(r for r in watched_files(root)
                                  if r == SETTINGS_FILE or r.startswith("templates/")))
    case_files = set(project.case_paths.values())
    for mid, meeting in sorted(project.meetings.items()):
        own = {project.case_paths[p.sag] for p in meeting.punkter}
        for p in meeting.punkter:
            theirs = {inputs.relative(path) for path in packet.item_inputs(project, mid, p.sag)}
            assert set(inputs.item(mid, p.sag)[0]) == {
                r for r in theirs if r not in case_files or r == project.case_paths[p.sag]}
        theirs = {inputs.relative(path) for path in packet.meeting_inputs(project, mid)}
        assert set(inputs.meeting(mid)[0]) == {r for r in theirs if r not in case_files or r in own}
