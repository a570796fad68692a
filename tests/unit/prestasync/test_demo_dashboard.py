"""The demo counts only its own run's changes, per flow, with bounded memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console

from prestasync.ack_stats import AckStats
from prestasync.demo_dashboard import DemoRun, dashboard
from sandbox.simulator import SimEvent
from schemas.acks import SinkAck
from schemas.records import Envelope

pytestmark = pytest.mark.unit

START = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _ack(entity: str, target: str, source_ts: datetime, latency_s: float) -> SinkAck:
    envelope = Envelope("PS-ORDER-1", "prestashop", "orders", "1", source_ts, "pos", False, False, "")
    return SinkAck(
        envelope, f"cmd-{entity}", target, entity, "applied", {}, {}, source_ts + timedelta(seconds=latency_s)
    )


def test_changes_from_before_the_run_are_backlog_not_the_runs_figures() -> None:
    stats = AckStats(since=START)
    stats.add(_ack("order", "odoo", START - timedelta(minutes=9), 529.0))  # a test suite's leftovers
    stats.add(_ack("order", "odoo", START + timedelta(seconds=3), 1.5))
    stats.add(_ack("order", "odoo", START + timedelta(seconds=8), 2.0))  # the same order, updated
    stats.add(_ack("customer", "odoo", START + timedelta(seconds=3), 1.0))
    assert stats.backlog == 1
    assert stats.confirmed("odoo", ("order",)) == (1, [1.5, 2.0])  # one order, two confirmations' latencies
    assert stats.applied == {"odoo": 3}


def test_latency_samples_are_bounded_for_an_endless_run() -> None:
    stats = AckStats(since=START, max_samples=100)
    for i in range(1_000):
        stats.add(_ack("stock_level", "prestashop", START + timedelta(seconds=i), 0.5))
    count, samples = stats.confirmed("prestashop", ("stock_level",))
    assert count == 1_000
    assert len(samples) == 100


def test_the_dashboard_shows_each_flow_made_and_confirmed_and_the_phase() -> None:
    stats, run = AckStats(since=START), DemoRun(phase="trading")
    for kind in ("order", "order", "cancellation", "receipt", "delivery", "skipped"):
        run.count(SimEvent(kind, "shop", "REF", START, {}))
    stats.add(_ack("order", "odoo", START + timedelta(seconds=1), 1.25))
    stats.add(_ack("stock_level", "prestashop", START + timedelta(seconds=1), 0.75))
    console = Console(width=160, record=True)
    console.print(dashboard(stats, run, started=0.0))
    text = console.export_text()
    rows = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
        for line in text.splitlines()
        if line.startswith("│")
    }
    assert rows["shop -> ERP  orders"][:3] == ["2", "1", "1.25s"]
    assert rows["shop -> ERP  cancellations, payments"][:2] == ["1", "0"]
    assert rows["ERP -> shop  stock (ERP moves)"][:3] == ["2", "1", "0.75s"]
    assert "trading" in text
