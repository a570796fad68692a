"""The `prestasync` command line."""

from __future__ import annotations

import sys

import click
from rich.console import Console

from prestasync.config import get_settings
from prestasync.stack.errors import StackError

console = Console(stderr=False)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except StackError as exc:
        console.print(f"[red]error:[/red] {exc}")
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """prestasync: near-real-time two-way sync between PrestaShop and an ERP, on change-data capture."""


@cli.group()
def stack() -> None:
    """The embedded CDC stack: MariaDB, PostgreSQL, Kafka (KRaft), Kafka Connect with Debezium."""


@stack.command("up")
def stack_up() -> None:
    """Install, configure and start everything (idempotent: safe to rerun)."""
    from prestasync.stack.lifecycle import up

    up(get_settings(), console)
    console.print("[bold green]stack is up[/bold green] — `prestasync stack status` to check it")


@stack.command("down")
@click.option("--keep-databases", is_flag=True, help="Stop only Kafka and Connect; leave MariaDB/PostgreSQL up.")
def stack_down(keep_databases: bool) -> None:
    """Stop everything cleanly; all data is kept."""
    from prestasync.stack.lifecycle import down

    down(get_settings(), console, keep_databases=keep_databases)


@stack.command("secrets")
def stack_secrets() -> None:
    """Create the secret files (and compose.env for docker-compose) under <home>/secrets."""
    from prestasync.stack.lifecycle import write_secrets

    settings = get_settings()
    for name in write_secrets(settings):
        console.print(f"[green]✓[/green] {settings.secrets_dir / name}")


@stack.command("provision")
def stack_provision() -> None:
    """On servers already running (docker-compose): create schema, users, publication; deploy connectors."""
    from prestasync.stack.lifecycle import provision_steps, run_steps

    run_steps(provision_steps(get_settings()), console)


@stack.command("status")
def stack_status() -> None:
    """Show each component's state; exit 1 if any is down."""
    from prestasync.stack.lifecycle import status, status_table

    rows = status(get_settings())
    console.print(status_table(rows))
    if not all(r.ok for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
