"""The demo's live dashboard: per flow, what the simulator made at the source, what the target confirmed,
and the latency percentiles."""

from __future__ import annotations

import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.live import Live
from rich.table import Table

from prestasync.ack_stats import AckStats

if TYPE_CHECKING:
    from sandbox.simulator import SimEvent


@dataclass
class DemoRun:
    """What the demo's simulator made in this run, by kind (orders, cancellations, stock moves...)."""

    made: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    phase: str = "starting"

    def count(self, event: SimEvent) -> None:
        self.made[event.kind] += 1


# The dashboard's rows: flow, the simulator's kinds it makes, the target and the command entities it confirms.
FLOWS: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    ("shop -> ERP  orders", ("order",), "odoo", ("order",)),
    ("shop -> ERP  customers, addresses", (), "odoo", ("customer", "address")),
    ("shop -> ERP  cancellations, payments", ("cancellation",), "odoo", ("order_status",)),
    # ERP moves and shop orders both change what the shop may sell: more writes than moves
    ("ERP -> shop  stock (ERP moves)", ("receipt", "delivery", "adjustment"), "prestashop", ("stock_level",)),
    ("ERP -> shop  order status", (), "prestashop", ("order_status",)),
)


def _latency(samples: list[float]) -> tuple[str, str, str]:
    if not samples:
        return "-", "-", "-"
    ranked = sorted(samples)
    p95 = ranked[min(len(ranked) - 1, int(len(ranked) * 0.95))]
    return f"{statistics.median(ranked):.2f}s", f"{p95:.2f}s", f"{ranked[-1]:.2f}s"


def dashboard(stats: AckStats, run: DemoRun, started: float) -> Table:
    title = f"prestasync live — {time.monotonic() - started:.0f}s — {run.phase} (Ctrl-C to stop)"
    table = Table(
        title=title,
        caption=(
            f"counts are this run's own changes; {stats.backlog} confirmations of "
            "changes from before it were worked off"
        )
        if stats.backlog
        else None,
    )
    for column in ("flow", "made at the source", "confirmed by the target", "latency p50", "p95", "max"):
        table.add_column(column)
    for label, kinds, target, entities in FLOWS:
        count, samples = stats.confirmed(target, entities)
        made = str(sum(run.made.get(k, 0) for k in kinds)) if kinds else "(with the orders)"
        table.add_row(label, made, str(count), *_latency(samples))
    return table


def repaint(live: Live, stats: AckStats, run: DemoRun, started: float, stop: threading.Event) -> None:
    while not stop.is_set():
        live.update(dashboard(stats, run, started))
        time.sleep(0.5)
