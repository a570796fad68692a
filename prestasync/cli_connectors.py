"""Operator commands on the Debezium connectors in Kafka Connect: status, deploy, remove, restart, pause,
resume, incremental snapshots. Registered on the main CLI with the other operator commands."""

from __future__ import annotations

import sys

import click
from rich.console import Console

from kernel.errors import StackError
from kernel.settings import get_settings

console = Console()


@click.group()
def connectors() -> None:
    """Debezium connectors in Kafka Connect."""


@connectors.command("status")
def connectors_status() -> None:
    """State of each connector and task; exit 1 if one is not RUNNING."""
    from prestasync.stack import connect

    settings = get_settings()
    states = [connect.state(settings, n) for n in connect.connector_names()]
    for s in states:
        colour = "green" if s.healthy else "red"
        console.print(f"{s.name}: [{colour}]{s.connector}[/{colour}] tasks {list(s.tasks)} {s.error}")
    if not all(s.healthy for s in states):
        sys.exit(1)


@connectors.command("deploy")
def connectors_deploy() -> None:
    """Create or update every connector from connect/*.json and wait until RUNNING."""
    from prestasync.stack import connect

    settings = get_settings()
    for path in connect.CONNECTOR_FILES:
        name = connect.deploy(settings, path)
        connect.wait_running(settings, name)
        console.print(f"[green]✓[/green] {name} RUNNING")


@connectors.command("remove")
@click.argument("names", nargs=-1)
def connectors_remove(names: tuple[str, ...]) -> None:
    """Delete these settings' connectors (or NAMES) with their source offsets, so that deploying them again
    starts afresh (a snapshot) instead of resuming offsets whose schema history or slot are gone."""
    from prestasync.stack import connect, connectors

    settings = get_settings()
    ours = {connectors.render_name(settings, p): p for p in connect.CONNECTOR_FILES}
    for name in names or tuple(ours):
        config = connectors.render(settings, ours[name])["config"] if name in ours else None
        try:
            connectors.remove(settings, name, config)
        except StackError as exc:
            if connect.state(settings, name).connector != "MISSING":
                raise
            console.print(f"[yellow]![/yellow] {name} absent; stale offsets not checked ({exc})")
            continue
        console.print(f"[green]✓[/green] {name} removed, offsets and all")


def _lifecycle(action: str, name: str) -> None:
    from prestasync.stack import connect

    settings = get_settings()
    {"restart": connect.restart_all, "pause": connect.pause, "resume": connect.resume}[action](settings, name)
    console.print(f"{name}: {action} requested")


@connectors.command("restart")
@click.argument("name")
def connectors_restart(name: str) -> None:
    """Restart connector NAME and all its tasks."""
    _lifecycle("restart", name)


@connectors.command("pause")
@click.argument("name")
def connectors_pause(name: str) -> None:
    """Pause NAME: capture stops, the binlog/WAL position is kept."""
    _lifecycle("pause", name)


@connectors.command("resume")
@click.argument("name")
def connectors_resume(name: str) -> None:
    """Resume NAME from where it paused."""
    _lifecycle("resume", name)


@connectors.command("snapshot")
@click.argument("tables", nargs=-1, required=True)
@click.option(
    "--system",
    type=click.Choice(["shop", "erp"]),
    required=True,
    help="shop: PrestaShop tables (without prefix); erp: Odoo tables.",
)
def connectors_snapshot(tables: tuple[str, ...], system: str) -> None:
    """Re-read TABLES through a Debezium incremental snapshot (capture keeps running)."""
    from prestasync.ops.snapshot import data_collections, request_snapshot

    settings = get_settings()
    signal_id = request_snapshot(settings, system, list(tables))
    console.print(
        f"snapshot of {', '.join(data_collections(settings, system, list(tables)))} requested "
        f"(signal {signal_id}); rows arrive as op=r events"
    )
