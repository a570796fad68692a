"""Run one target system's sink as a process: build it, stop it cleanly on SIGTERM / SIGINT."""

from __future__ import annotations

import importlib
import logging
import signal
import threading
from types import FrameType

from kernel.metrics import MetricsServer
from kernel.settings import Settings
from schemas import topics
from sinks.common.handlers import TargetSink
from sinks.common.worker import WorkerOptions, WorkerStats, run_sink

log = logging.getLogger(__name__)


def build_target(system: str, settings: Settings) -> TargetSink:
    """``sinks.<system>.sink.build_sink(settings)``."""
    module = importlib.import_module(f"sinks.{system}.sink")
    sink = module.build_sink(settings)
    assert isinstance(sink, TargetSink)
    return sink


def serve(system: str, settings: Settings, options: WorkerOptions) -> WorkerStats:
    """Consume until SIGTERM/SIGINT; the in-flight round finishes, nothing unfinished is committed."""
    stop = threading.Event()
    stats = WorkerStats()
    port = settings.sinks.worker(system).metrics_port  # /metrics and /health; 0: off
    server = _metrics_server(system, port, stop, stats) if port else None
    if server is not None:
        from kernel.metrics_sampler import start_sampler

        start_sampler(
            settings,
            [options.group or topics.sink_group(system)],
            [options.dlq_topic or topics.sink_dlq_topic(system)],
            stop,
        )

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("sink %s: signal %d, stopping", system, signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        return run_sink(settings, build_target(system, settings), stop, options, stats=stats)
    finally:
        if server is not None:
            server.stop()


def _metrics_server(system: str, port: int, stop: threading.Event, stats: WorkerStats) -> MetricsServer | None:
    try:
        server = MetricsServer(port, lambda: _health(stop, stats)).start()
    except OSError as exc:  # a busy port costs the metrics, not the commands
        log.error(
            "sink %s: metrics endpoint not started on port %d: %s (set sinks.%s.metrics_port)",
            system,
            port,
            exc,
            system,
        )
        return None
    log.info("sink %s: /metrics and /health on 127.0.0.1:%d", system, server.port)
    return server


def _health(stop: threading.Event, stats: WorkerStats) -> tuple[bool, dict[str, object]]:
    detail: dict[str, object] = {
        "applied": stats.applied,
        "unchanged": stats.unchanged,
        "dead_lettered": stats.dead,
        "retries": stats.retries,
        "pauses": stats.pauses,
        "committed": stats.committed,
        "credentials_refused": stats.credentials_refused,
    }
    # a refused key or right fails the health check: the partitions wait for an operator (alert)
    return not stop.is_set() and stats.credentials_refused is None, detail
