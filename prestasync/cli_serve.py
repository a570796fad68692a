"""``prestasync serve`` (registered by ``prestasync.cli``)."""

from __future__ import annotations

import sys
from typing import get_args

import click

from kernel.settings import ServedWorker, get_settings

NAMES = get_args(ServedWorker)


def _workers(value: str | None) -> tuple[ServedWorker, ...] | None:
    if value is None:
        return None
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        raise click.BadParameter(f"unknown {', '.join(unknown)}; any of {', '.join(NAMES)}")
    return names  # type: ignore[return-value]


@click.command("serve")
@click.option(
    "--workers",
    default=None,
    metavar="LIST",
    help=f"Comma-separated children to run, of {','.join(NAMES)} (default: serve.workers).",
)
def serve(workers: str | None) -> None:
    """The always-on process tree: the streams worker and both sinks, restarted when they crash (with
    backoff), /health and /metrics of all of them on serve.port, stopped cleanly by SIGTERM / SIGINT."""
    from kernel.logs import setup_logging
    from prestasync.serve import run_serve

    settings = get_settings()
    setup_logging(settings)  # JSON lines on stderr, secrets masked, like the children's
    sys.exit(run_serve(settings, _workers(workers)))


def register(cli: click.Group) -> None:
    cli.add_command(serve)
