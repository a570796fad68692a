"""``prestasync run sink <system>`` and ``prestasync bench sink odoo`` (registered by ``prestasync.cli``)."""

from __future__ import annotations

import logging

import click
from rich.console import Console

from kernel.settings import get_settings

console = Console(stderr=False)


@click.command("sink")
@click.argument("system", type=click.Choice(["prestashop", "odoo"]))
@click.option("--topic", default=None, help="Command topic (default prestasync.commands.<system>).")
@click.option("--group", default=None, help="Consumer group (default prestasync-sink-<system>).")
@click.option("--dlq-topic", default=None, help="Dead-letter topic (default prestasync.dlq.sink.<system>).")
@click.option("--acks-topic", default=None, help="Ack topic (default prestasync.acks).")
@click.option(
    "--concurrency",
    type=int,
    default=None,
    help="Commands in flight (distinct keys); default sinks.<system>.concurrency.",
)
@click.option(
    "--batch-size", type=int, default=None, help="Commands per batch API call; default sinks.<system>.batch_size."
)
@click.option(
    "--max-attempts",
    type=int,
    default=None,
    help="Calls before pausing a partition; default sinks.<system>.max_attempts.",
)
@click.option(
    "--pause-seconds",
    type=float,
    default=None,
    help="How long a partition waits after its retries ran out; default sinks.<system>.pause_seconds.",
)
def run_sink(
    system: str,
    topic: str | None,
    group: str | None,
    dlq_topic: str | None,
    acks_topic: str | None,
    concurrency: int | None,
    batch_size: int | None,
    max_attempts: int | None,
    pause_seconds: float | None,
) -> None:
    """Apply the commands for SYSTEM through its API until SIGTERM (at-least-once, idempotent)."""
    from kernel.logs import setup_logging
    from schemas import topics
    from sinks.common.runner import serve
    from sinks.common.worker import WorkerOptions

    setup_logging(get_settings())  # JSON lines, every secret masked
    logging.getLogger("kafka").setLevel(logging.WARNING)
    options = WorkerOptions.from_settings(
        get_settings(),
        system,
        topic=topic,
        group=group,
        dlq_topic=dlq_topic,
        acks_topic=acks_topic or topics.ACKS,
        concurrency=concurrency,
        batch_size=batch_size,
        max_attempts=max_attempts,
        pause_seconds=pause_seconds,
    )
    stats = serve(system, get_settings(), options)
    console.print(
        f"sink {system} stopped: {stats.applied} applied, {stats.unchanged} unchanged, "
        f"{stats.dead} dead-lettered, {stats.retries} retries, {stats.pauses} pauses"
    )


@click.command("sink")
@click.argument("system", type=click.Choice(["odoo"]))
@click.option("--latency-ms", type=int, default=20, show_default=True, help="Latency the twin adds to every call.")
@click.option("--commands", "count", type=int, default=500, show_default=True, help="Commands to apply.")
@click.option("--concurrency", type=int, default=8, show_default=True)
@click.option("--batch-size", type=int, default=50, show_default=True)
def bench_sink(system: str, latency_ms: int, count: int, concurrency: int, batch_size: int) -> None:
    """Throughput of the sink (commands/s) against a throwaway twin with a set latency."""
    from prestasync.bench_sink import run_benchmark

    result = run_benchmark(
        get_settings(), latency_ms=latency_ms, commands=count, concurrency=concurrency, batch_size=batch_size
    )
    console.print(result.summary())


def register(cli: click.Group) -> None:
    run = cli.commands.get("run")
    if not isinstance(run, click.Group):
        run = click.Group("run", help="Run a long-lived component (sinks, streams).")
        cli.add_command(run)
    run.add_command(run_sink)
    bench = cli.commands.get("bench")
    if not isinstance(bench, click.Group):
        bench = click.Group("bench", help="Benchmarks (not tests): throughput and latency figures.")
        cli.add_command(bench)
    bench.add_command(bench_sink)
