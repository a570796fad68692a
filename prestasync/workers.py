"""The background workers of the demo, the benchmarks and the end-to-end tests: `prestasync serve` with
the streams worker and both sinks as its children (pid files and logs ``worker-<name>``); started, ready,
stopped, and waited on until the pipeline is quiet."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from kernel.procs import ManagedProcess
from kernel.settings import Settings
from prestasync.ack_stats import AckStats
from schemas import topics

# The demo's workers are `prestasync serve` (prestasync.serve): the streams worker and both sinks,
# restarted if one crashes; its children keep their pid files and logs as worker-<name>.
WORKERS = {"serve": ["serve"]}
CHILDREN = ("streams", "sink-odoo", "sink-prestashop")


def worker_process(settings: Settings, name: str) -> ManagedProcess:
    return ManagedProcess(f"worker-{name}", settings.home / "run", settings.logs_dir)


def start_workers(settings: Settings) -> None:
    """`prestasync serve` in the background; the demo has just deployed the connectors itself."""
    for name, args in WORKERS.items():
        worker_process(settings, name).start(
            [sys.executable, "-m", "prestasync.cli", *args], env={"PRESTASYNC_SERVE__CONNECTORS": "off"}
        )


def wait_streams_ready(settings: Settings, timeout_s: float = 90.0) -> bool:
    """Until serve's /health says every worker is healthy: the streams worker's tables are recovered
    and no rebalance is under way. Changes made while a fresh worker joins its group were seen skipped
    until the next restart (see docs/STREAMS.md, known gaps): the demo starts trading once it is ready."""
    import requests

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            url = f"http://{settings.serve.host}:{settings.serve.port}/health"
            if requests.get(url, timeout=5).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(1)
    return False


def stop_workers(settings: Settings) -> list[str]:
    """Stop serve (it drains and stops its children) and any worker an older demo left running;
    returns the workers that were running."""
    running = [name for name in CHILDREN if worker_process(settings, name).running()]
    serve = worker_process(settings, "serve")
    serve.stop(timeout=settings.serve.stop_timeout_s + 30)
    for name in CHILDREN:  # children of an older demo, started without serve
        worker_process(settings, name).stop(timeout=60)
    return running


def pipeline_lag(settings: Settings) -> int:
    """Records the streams and the sinks have not processed yet (unknown groups count as 0)."""
    from kernel.errors import StackError
    from prestasync.ops.offsets import show

    groups = [
        settings.streams.app_id + settings.streams.topic_suffix,
        *(topics.sink_group(t) for t in topics.TARGET_SYSTEMS),
    ]
    total = 0
    for group in groups:
        try:
            total += sum(row.lag or 0 for row in show(settings, group))
        except StackError:  # not started yet
            continue
    return total


def settle_s(settings: Settings) -> float:
    """Quiet this long and every held in-flight order has been released too, and every shop change the
    rule left alone for ``shop_change_wait_s`` corrected (the streams' timer runs every quarter of the
    shorter of the two): the last stock writes of a run come that late."""
    hold, wait = settings.streams.inflight_hold_s, settings.streams.shop_change_wait_s
    return max(hold, wait) + max(1.0, min(hold, wait) / 4) + 5.0


def wait_quiet(
    settings: Settings,
    stats: AckStats,
    quiet_s: float = 5.0,
    limit_s: float = 120.0,
    progress: Callable[[str], None] | None = None,
) -> bool:
    """Until nothing is left to process and no ack came for ``quiet_s`` (at most ``limit_s``).
    Returns whether it got quiet; ``progress`` is told what it is waiting for, every second."""
    deadline = time.monotonic() + limit_s
    last_count, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        with stats.lock:
            count = sum(stats.applied.values()) + stats.backlog
        if count != last_count:
            last_count, last_change = count, time.monotonic()
        lag = pipeline_lag(settings)
        quiet_for = time.monotonic() - last_change
        if quiet_for >= quiet_s and lag == 0:
            return True
        if progress is not None:
            progress(
                f"{lag} records to process, quiet for {quiet_for:.0f}s of {quiet_s:.0f}s "
                f"(gives up in {deadline - time.monotonic():.0f}s)"
            )
        time.sleep(1)
    return False
