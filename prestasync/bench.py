"""`prestasync bench e2e`: end-to-end latency and throughput of the live pipeline, next to the
capture floor and a polling baseline measured on the same changes.

Assumes `make demo`'s environment (stack, twins and sample data up). Starts the workers as
`prestasync demo` does, drains what they find waiting, then runs the simulator while it follows
the acks, polls both databases like a cron connector, and samples every process; waits until the
pipeline is quiet, counts the API writes the twins receive in a quiet window (echoes), stops the
workers and prints the figures.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import click
from rich.console import Console

from kernel.settings import Settings, get_settings
from prestasync.ack_stats import AckStats, follow_acks
from prestasync.bench_probes import (
    PollingBaseline,
    ProcessSampler,
    api_writes_since,
    capture_latencies,
    percentiles,
    utc_ms,
)
from prestasync.workers import settle_s, start_workers, stop_workers, wait_quiet, wait_streams_ready
from schemas.acks import SinkAck

console = Console(stderr=False, soft_wrap=True)  # figures stay on one line when piped to a file
DIRECTIONS = {"odoo": "shop -> ERP", "prestashop": "ERP -> shop"}
POLLED_KINDS = {"shop": ("order", "cancellation"), "erp": ("receipt", "delivery", "adjustment")}


@dataclass
class RunAcks(AckStats):
    """Only the acks of changes made during the measured run (AckStats counts a backlog apart)."""

    applied_at: list[datetime] = field(default_factory=list)

    def add(self, ack: SinkAck) -> None:
        super().add(ack)
        if ack.envelope.source_ts >= self.since:
            with self.lock:
                self.applied_at.append(ack.applied_ts)


def _fmt(values: list[float]) -> str:
    found = percentiles(values)
    if found is None:
        return "no samples"
    return f"p50 {found[0]:.2f}s  p95 {found[1]:.2f}s  p99 {found[2]:.2f}s  (n={len(values)})"


def run_e2e(
    settings: Settings,
    orders_per_minute: float,
    moves_per_minute: float,
    duration: float,
    seed: int | None,
    poll_interval: float,
    quiet_window: float,
) -> None:
    from sandbox.simulator import SimEvent, Simulator
    from streams.topology import stream_topics

    start_workers(settings)
    acks, stop = RunAcks(since=datetime(9999, 1, 1, tzinfo=UTC)), threading.Event()
    follower = threading.Thread(target=follow_acks, args=(settings, acks, stop), daemon=True)
    follower.start()
    wait_streams_ready(settings)
    console.print("workers started; draining what was waiting...")
    try:
        wait_quiet(settings, acks)
    except BaseException:  # Ctrl-C while draining: the workers must not outlive the benchmark
        stop.set()
        stop_workers(settings)
        raise
    poller = PollingBaseline(settings, poll_interval)
    sampler = ProcessSampler(settings)
    threads = [threading.Thread(target=poller.run, daemon=True), threading.Thread(target=sampler.run, daemon=True)]
    for thread in threads:
        thread.start()
    time.sleep(1)  # the poller has its watermarks before the first change
    acks.since = datetime.now(UTC)
    run_started = time.time()
    console.print(f"simulating {duration:.0f}s: {orders_per_minute}/min orders, {moves_per_minute}/min stock moves")
    events: list[SimEvent] = []
    try:
        events = Simulator(settings, orders_per_minute, moves_per_minute, seed).run(duration)
        sim_ended = time.time()
        if not wait_quiet(settings, acks, quiet_s=settle_s(settings), limit_s=300):  # held orders released too
            console.print(
                "[yellow]the pipeline did not drain within 300 s: writes counted below as echoes "
                "include the backlog still being worked off[/yellow]"
            )
        quiet_at = time.time()
        time.sleep(quiet_window)
        echoes = api_writes_since(settings, quiet_at)
        last_commit = max((e.committed_at.timestamp() for e in events), default=sim_ended)
        # the baseline gets to see the last change (unless its thread died: then it saw what it saw)
        while poller.last_poll_started < last_commit and threads[0].is_alive():
            time.sleep(1)
    finally:
        poller.stop()
        sampler.stop()
        stop.set()
        stopped = stop_workers(settings)
    console.print(f"workers stopped: {', '.join(stopped) or 'none'}")
    capture = capture_latencies(settings, stream_topics(settings).raw, int(run_started * 1000), utc_ms())
    _report(acks, events, poller, sampler, capture, echoes, run_started, quiet_window)


def _report(
    acks: RunAcks,
    events: Sequence[object],
    poller: PollingBaseline,
    sampler: ProcessSampler,
    capture: dict[str, dict[str, list[float]]],
    echoes: dict[str, tuple[int, int]],
    run_started: float,
    quiet_window: float,
) -> None:
    from sandbox.simulator import SimEvent

    made = [e for e in events if isinstance(e, SimEvent) and e.kind != "skipped"]
    console.print(
        f"\n[bold]changes made[/bold]: {sum(e.system == 'shop' for e in made)} in the shop, "
        f"{sum(e.system == 'erp' for e in made)} in the ERP"
    )
    console.print("[bold]end-to-end latency[/bold] (source commit -> target API confirmed, from the sinks' acks)")
    ours: dict[str, float] = {}
    for target, label in DIRECTIONS.items():
        latencies = list(acks.latencies.get(target, ()))
        console.print(f"  {label:<12} {_fmt(latencies)}")
        found = percentiles(latencies)
        if found is not None:
            ours["shop" if target == "odoo" else "erp"] = found[0]
    if acks.applied_at:
        span = max(acks.applied_at).timestamp() - run_started
        total = sum(acks.applied.values())
        console.print(
            f"  throughput   {total} acks in {span:.0f}s = {total / span:.2f} acks/s "
            f"({', '.join(f'{t}/{e} {n}' for (t, e), n in sorted(acks.by_entity.items()))})"
        )
    console.print(
        "[bold]capture floor[/bold] (source commit -> Debezium event / Kafka record; "
        "MariaDB's source ts_ms has 1-second resolution: shop figures are up to 1 s high)"
    )
    for side in ("shop", "erp"):
        for stage in ("debezium", "kafka"):
            console.print(f"  {side:<4} -> {stage:<8} {_fmt(capture.get(side, {}).get(stage, []))}")
    console.print(
        f"[bold]polling baseline[/bold] (every {poller.interval_s:.0f}s on orders.date_upd / "
        "stock_quant.write_date; commit -> first poll that saw it)"
    )
    for side, kinds in POLLED_KINDS.items():
        found_lat = [poller.latency(side, e.key, e.committed_at) for e in made if e.system == side and e.kind in kinds]
        seen = [x for x in found_lat if x is not None]
        base = percentiles(seen)
        ratio = f"  ratio polling p50 / ours p50 = {base[0] / ours[side]:.1f}x" if base and ours.get(side) else ""
        console.print(f"  {side:<4} {_fmt(seen)} ({len(found_lat) - len(seen)} not seen){ratio}")
    console.print(
        f"[bold]echo writes[/bold] in the {quiet_window:.0f}s quiet window after the pipeline went quiet "
        "(API writes at the twins; 0 when healthy):"
    )
    for system, (writes, calls) in echoes.items():
        console.print(f"  {system:<11} {writes} writes ({calls} calls in all)")
    console.print(
        "[bold]processes[/bold] (CPU average %, 100 = one core; max RSS, summed over a component's "
        "processes: postgres counts its shared buffers once per backend; sampled every 2 s)"
    )
    for name in sorted(sampler.cpu):
        cpu = sampler.cpu[name]
        console.print(f"  {name:<24} cpu {sum(cpu) / len(cpu):6.1f}%  rss max {sampler.rss_max[name] / 2**20:7.0f} MiB")


@click.command("e2e")
@click.option("--orders-per-minute", type=float, default=30.0, show_default=True)
@click.option("--stock-moves-per-minute", type=float, default=30.0, show_default=True)
@click.option("--duration", type=float, default=180.0, show_default=True, help="Seconds of simulated trade.")
@click.option("--seed", type=int, default=None, help="Make the simulated trade reproducible.")
@click.option(
    "--poll-interval",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds between two polls of the polling baseline (cron connectors: 60-900).",
)
@click.option(
    "--quiet-window",
    type=float,
    default=15.0,
    show_default=True,
    help="Seconds after the pipeline went quiet in which any API write is an echo.",
)
def bench_e2e(
    orders_per_minute: float,
    stock_moves_per_minute: float,
    duration: float,
    seed: int | None,
    poll_interval: float,
    quiet_window: float,
) -> None:
    """End-to-end latency, throughput, capture floor, polling baseline, echoes and resources (live stack)."""
    run_e2e(get_settings(), orders_per_minute, stock_moves_per_minute, duration, seed, poll_interval, quiet_window)


def register(cli: click.Group) -> None:
    bench = cli.commands.get("bench")
    if isinstance(bench, click.Group):
        bench.add_command(bench_e2e)
