"""What `prestasync serve` runs: one child process per worker, its command line, port, pid file and log.

Each child is the same command an operator would run by hand (`prestasync run streams`, `prestasync run
sink odoo`), so a child behaves the same under serve, under docker-compose and in a terminal. Serve only
chooses each child's metrics port (so it knows where to read its /health and /metrics) and, with a
``streams.topic_suffix``, gives the sinks the suffixed topics and groups the streams write to.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from kernel.procs import ManagedProcess, free_port
from kernel.settings import ServedWorker, Settings
from schemas import topics


@dataclass(frozen=True)
class ChildSpec:
    name: ServedWorker
    argv: tuple[str, ...]
    env: dict[str, str]  # on top of serve's own environment
    port: int  # the child's /health and /metrics
    pid_file: Path
    log_file: Path


def run_dir(settings: Settings) -> Path:
    return settings.serve.run_dir or settings.home / "run"


def log_dir(settings: Settings) -> Path:
    return settings.serve.log_dir or settings.logs_dir


def child_process(settings: Settings, name: str) -> ManagedProcess:
    """The pid file and log of a child: ``worker-<name>``, the names the demo's workers always had."""
    return ManagedProcess(f"worker-{name}", run_dir(settings), log_dir(settings))


def _port(settings: Settings, name: ServedWorker) -> int:
    system = name.removeprefix("sink-")
    if name == "streams":
        default = settings.streams.metrics_port
    elif name == "store-stock":
        default = settings.store_stock.port
    else:
        default = settings.sinks.worker(system).metrics_port
    port = settings.serve.ports.get(name, default)
    return port or free_port()


def sink_args(settings: Settings, system: str) -> tuple[str, ...]:
    """`run sink` options: only with a topic suffix (the streams' own topics then carry it too)."""
    suffix = settings.streams.topic_suffix
    if not suffix:
        return ()
    return (
        "--topic",
        topics.commands_topic(system) + suffix,
        "--group",
        topics.sink_group(system) + suffix,
        "--dlq-topic",
        topics.sink_dlq_topic(system) + suffix,
        "--acks-topic",
        topics.ACKS + suffix,
    )


def child_specs(settings: Settings, workers: tuple[ServedWorker, ...] | None = None) -> list[ChildSpec]:
    """The children to run, in start order (the streams first: the sinks consume what they write)."""
    cli = (sys.executable, "-m", "prestasync.cli")
    wanted = workers if workers is not None else settings.serve.workers
    specs = []
    names: tuple[ServedWorker, ...] = ("streams", "sink-odoo", "sink-prestashop", "store-stock")
    for name in (n for n in names if n in wanted):
        port = _port(settings, name)
        proc = child_process(settings, name)
        argv: tuple[str, ...]
        if name == "streams":
            argv, env = (*cli, "run", "streams"), {"PRESTASYNC_STREAMS__METRICS_PORT": str(port)}
        elif name == "store-stock":  # the lookup's own port is its /health and /metrics too
            argv, env = (*cli, "run", "store-stock"), {"PRESTASYNC_STORE_STOCK__PORT": str(port)}
        else:
            system = name.removeprefix("sink-")
            argv = (*cli, "run", "sink", system, *sink_args(settings, system))
            env = {f"PRESTASYNC_SINKS__{system.upper()}__METRICS_PORT": str(port)}
        specs.append(ChildSpec(name, argv, env, port, proc.pid_file, proc.log_file))
    return specs
