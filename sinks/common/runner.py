"""Run one target system's sink as a process: build it, stop it cleanly on SIGTERM / SIGINT."""

from __future__ import annotations

import importlib
import logging
import signal
import threading
from types import FrameType

from prestasync.config import Settings
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

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("sink %s: signal %d, stopping", system, signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return run_sink(settings, build_target(system, settings), stop, options)
