"""FaultInjector and CallRecorder semantics."""

from __future__ import annotations

import json
import threading

import pytest

from sandbox.common.calls import CallRecorder
from sandbox.common.faults import Fault, FaultInjector

pytestmark = pytest.mark.unit


def test_faults_are_consumed_in_order_one_per_request() -> None:
    faults = FaultInjector()
    faults.configure({"queue": [{"kind": "500", "count": 2}, {"kind": "429", "retry_after": 7}]})
    assert faults.next_fault() == Fault("500")
    assert faults.snapshot()["queue"] == [
        {"kind": "500", "count": 1, "retry_after": 1},
        {"kind": "429", "count": 1, "retry_after": 7},
    ]
    assert faults.next_fault() == Fault("500")
    assert faults.next_fault() == Fault("429", retry_after=7)
    assert faults.next_fault() is None
    assert faults.snapshot()["injected"] == {"500": 2, "429": 1}


def test_configure_keeps_unspecified_keys_and_clear_resets() -> None:
    faults = FaultInjector(timeout_s=2.5)
    faults.configure({"latency_ms": 40})
    faults.configure({"queue": [{"kind": "drop"}]})
    assert faults.latency_ms == 40
    assert faults.timeout_s == 2.5
    faults.clear()
    assert faults.latency_ms == 0
    assert faults.next_fault() is None


@pytest.mark.parametrize(
    "spec",
    [
        {"queue": [{"kind": "404"}]},
        {"queue": [{"kind": "500", "count": 0}]},
        {"queue": [{"kind": "429", "retry_after": -1}]},
        {"queue": "500"},
        {"latency_ms": -5},
        {"latency_ms": True},
        {"timeout_s": 0},
        {"surprise": 1},
        {"queue": [{"kind": "500", "extra": 1}]},
    ],
)
def test_bad_specs_are_refused_without_changing_anything(spec: dict[str, object]) -> None:
    faults = FaultInjector()
    faults.configure({"latency_ms": 3, "queue": [{"kind": "malformed"}]})
    before = faults.snapshot()
    with pytest.raises(ValueError):
        faults.configure(spec)
    assert faults.snapshot() == before


def test_concurrent_consumers_take_each_fault_exactly_once() -> None:
    faults = FaultInjector()
    faults.configure({"queue": [{"kind": "500", "count": 500}]})
    taken: list[Fault | None] = []
    lock = threading.Lock()

    def consume() -> None:
        for _ in range(100):
            fault = faults.next_fault()
            with lock:
                taken.append(fault)

    threads = [threading.Thread(target=consume) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(1 for f in taken if f is not None) == 500
    assert len(taken) == 800


def test_recorder_filters_by_since_and_is_bounded(tmp_path) -> None:
    log_file = tmp_path / "calls" / "twin.jsonl"
    calls = CallRecorder(maxlen=3, path=log_file)
    for i in range(5):
        calls.record(
            ts=100.0 + i,
            method="GET",
            path=f"/api/x/{i}",
            status=200,
            duration_ms=1.23456,
            resource="x",
            ids=[i],
        )
    assert [c["ids"] for c in calls.list()] == [[2], [3], [4]]
    assert [c["ts"] for c in calls.list(since=103.0)] == [103.0, 104.0]
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert len(lines) == 5 and lines[0]["path"] == "/api/x/0" and lines[0]["duration_ms"] == 1.235
    calls.clear()
    assert calls.list() == []
    assert len(log_file.read_text().splitlines()) == 5
