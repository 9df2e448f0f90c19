"""The build's scheduler: which ready tasks go together, in what order, and what
a batch does when its worker grows too big.  The whole build (bytes, kills,
renewals) is tested in test_build.py."""

from __future__ import annotations

from typing import Any

import pytest

from sagsfremstilling import buildtasks as bt
from sagsfremstilling.buildrun import Ready


def packets(meeting: str) -> dict[str, bt.Task]:
    """A meeting's four packet PDFs and an item file, in planning order."""
    tasks = {}
    for audience in ("offentlig", "intern"):
        tasks[f"{meeting}/{audience}/punkter/01.pdf"] = bt.Task(
            f"{meeting}/{audience}/punkter/01.pdf", "item", meeting, audience, "1", "pdf")
        for edition in ("dagsorden", "referat"):
            out = f"{meeting}/{audience}/{edition}.pdf"
            tasks[out] = bt.Task(out, "packet_pdf", meeting, audience, variant=edition)
    return tasks


def test_a_meetings_packets_leave_together_each_next_to_its_nearest() -> None:
    tasks = packets("m1") | packets("m2")
    ready = Ready(tasks)
    for tid in tasks:
        ready.append(tid)
    first = ready.pop()
    assert first == ["m1/intern/dagsorden.pdf", "m1/offentlig/dagsorden.pdf",
                     "m1/offentlig/referat.pdf", "m1/intern/referat.pdf"]
    assert ready.pop() == ["m2/intern/dagsorden.pdf", "m2/offentlig/dagsorden.pdf",
                           "m2/offentlig/referat.pdf", "m2/intern/referat.pdf"]
    # then the items, one at a time, in planning order
    assert [ready.pop() for _ in range(4)] == [[t] for t in tasks if tasks[t].kind == "item"]
    assert not ready


def test_tasks_back_from_a_batch_leave_together_again_once() -> None:
    tasks = packets("m1")
    ready = Ready(tasks)
    for tid in tasks:
        ready.append(tid)
    batch = ready.pop()
    for tid in batch[1:]:  # the worker grew too big after the first
        ready.append(tid)
    assert ready.pop() == batch[1:]
    assert [ready.pop() for _ in range(2)] == [["m1/offentlig/punkter/01.pdf"], ["m1/intern/punkter/01.pdf"]]
    assert not ready
    with pytest.raises(IndexError):
        ready.pop()


def test_a_batch_stops_once_its_worker_holds_more_than_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[Any] = []
    monkeypatch.setattr(bt, "execute", lambda spec: made.append(spec) or ("ok", spec))
    held = iter([10, 10, 500, 500])
    monkeypatch.setattr(bt, "resident_bytes", lambda: next(held))
    results = bt.execute_batch(["a", "b", "c", "d"], memory_budget=100)
    assert made == ["a", "b", "c"]  # the first always runs; then while under the budget
    assert results == [("ok", "a"), ("ok", "b"), ("ok", "c"), ("later",)]

