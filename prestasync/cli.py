"""The `prestasync` command line."""

from __future__ import annotations

import sys

import click
import pydantic
from rich.console import Console

from kernel.errors import StackError
from kernel.settings import get_settings
from prestasync.bench import register as register_bench_commands
from prestasync.bench_chaos import register as register_chaos_bench
from prestasync.bench_lookup import register as register_lookup_bench
from prestasync.bench_recovery import register as register_recovery_bench
from prestasync.cli_attach import register as register_attach_commands
from prestasync.cli_onboard import register as register_onboard_command
from prestasync.cli_ops import register as register_operator_commands
from prestasync.cli_serve import register as register_serve_command
from prestasync.cli_sinks import register as register_sink_commands

console = Console(stderr=False)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except StackError as exc:
        console.print(f"[red]error:[/red] {exc}")
        sys.exit(1)
    except pydantic.ValidationError as exc:  # the settings (YAML, environment): say which key, no traceback
        console.print("[red]error in the settings[/red] (docs/SETTINGS.md):")
        console.print(str(exc), markup=False, highlight=False)
        sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """prestasync: near-real-time two-way sync between PrestaShop and an ERP, on change-data capture."""


@cli.group()
def stack() -> None:
    """The CDC stack: MariaDB, PostgreSQL, Kafka (KRaft), Kafka Connect with Debezium (embedded, or attached)."""


@stack.command("up")
def stack_up() -> None:
    """Embedded: install, configure and start everything. Attach: check the databases (read-only), start
    the local Kafka + Connect (or use kafka.connect_url), deploy the connectors. Idempotent."""
    from prestasync.stack.lifecycle import up

    up(get_settings(), console)
    console.print("[bold green]stack is up[/bold green] — `prestasync stack status` to check it")


@stack.command("down")
@click.option("--keep-databases", is_flag=True, help="Stop only Kafka and Connect; leave MariaDB/PostgreSQL up.")
def stack_down(keep_databases: bool) -> None:
    """Stop everything prestasync started, cleanly; all data is kept. Attach mode never stops a database."""
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
    """On servers already running. Embedded (docker-compose): create schema, users, publication; deploy the
    connectors. Attach: only the read-only check, then the connectors (privileges: `prestasync provision`)."""
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


@cli.group()
@click.pass_context
def sandbox(ctx: click.Context) -> None:
    """The sandbox: PrestaShop and Odoo API twins on the real tables, sample data, a trade simulator."""
    _embedded_only(f"sandbox {ctx.invoked_subcommand}")


def _embedded_only(what: str) -> None:
    if get_settings().attach:
        raise StackError(
            f"attach mode: `{what}` is the embedded sandbox's (twins on its own databases)",
            "unset PRESTASYNC_MODE / mode: attach to use the sandbox",
        )


@sandbox.command("up")
def sandbox_up() -> None:
    """Start both API twins (after `stack up`)."""
    from sandbox.lifecycle import status, up

    settings = get_settings()
    up(settings)
    for row in status(settings):
        console.print(f"[green]✓[/green] {row.system} twin at {row.url}")


@sandbox.command("down")
def sandbox_down() -> None:
    """Stop both API twins."""
    from sandbox.lifecycle import down

    stopped = down(get_settings())
    console.print(f"stopped: {', '.join(stopped) or 'nothing was running'}")


@sandbox.command("load-sample")
def sandbox_load_sample() -> None:
    """Load the sample catalogue into the ERP (Odoo tables) and, as already synced, the shop (idempotent)."""
    from kernel.dbadmin import mariadb_admin, postgres_admin
    from sandbox.sample import load_erp_catalogue, load_shop_catalogue

    settings = get_settings()
    erp = postgres_admin(settings.postgres.database, settings=settings)
    try:
        erp_summary = load_erp_catalogue(erp)
    finally:
        erp.close()
    shop = mariadb_admin(settings.mariadb.database, settings=settings)
    try:
        shop_summary = load_shop_catalogue(shop, settings.mariadb.table_prefix)
    finally:
        shop.close()
    for side, summary in (("ERP (Odoo)", erp_summary), ("shop (PrestaShop)", shop_summary)):
        console.print(
            f"[green]✓[/green] {side}: {summary.created} rows created "
            f"({summary.products} products, {summary.variants} variants, {summary.stock_rows} stock rows)"
        )


@sandbox.command("simulate")
@click.option("--orders-per-minute", type=float, default=6.0, show_default=True, help="Shop checkouts per minute.")
@click.option(
    "--stock-moves-per-minute",
    type=float,
    default=6.0,
    show_default=True,
    help="ERP receipts/deliveries/adjustments per minute.",
)
@click.option("--duration", type=float, default=60.0, show_default=True, help="Seconds to run.")
@click.option("--seed", type=int, default=None, help="Make the run reproducible.")
def sandbox_simulate(
    orders_per_minute: float, stock_moves_per_minute: float, duration: float, seed: int | None
) -> None:
    """Trade: shop orders written as PrestaShop's checkout writes them, ERP stock moves as Odoo does."""
    from sandbox.simulator import SimEvent, Simulator

    def show(event: SimEvent) -> None:
        console.print(f"{event.committed_at:%H:%M:%S.%f} {event.system:<4} {event.kind:<12} {event.key}")

    sim = Simulator(get_settings(), orders_per_minute, stock_moves_per_minute, seed)
    events = sim.run(duration, show)
    console.print(f"[green]✓[/green] {len(events)} events (seed {sim.seed})")


@sandbox.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def sandbox_reset(yes: bool) -> None:
    """Start the sandbox over: wipe its databases, topics, connector offsets, streams state and consumer
    groups together, then build the stack again. Refused for servers prestasync did not build."""
    from prestasync.stack.lifecycle import run_steps
    from prestasync.stack.lifecycle import up as stack_up_steps
    from prestasync.stack.reset import check_resettable, wipe_steps

    settings = get_settings()
    check_resettable(settings)
    if not yes:
        click.confirm(
            f"Wipe the sandbox databases {settings.mariadb.database!r} and {settings.postgres.database!r}, "
            "every topic, consumer group and the streams state?",
            abort=True,
        )
    run_steps(wipe_steps(settings), console)
    stack_up_steps(settings, console)
    console.print("[bold green]sandbox reset[/bold green] — `make demo` trades on it from scratch")


@sandbox.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable: URLs and sample API credentials.")
def sandbox_status(as_json: bool) -> None:
    """Each twin's base URL and state; with --json also the sample API user's credentials. Exit 1 if down."""
    import dataclasses
    import json

    from sandbox.lifecycle import status

    rows = status(get_settings())
    if as_json:
        click.echo(json.dumps({r.system: dataclasses.asdict(r) for r in rows}, indent=2))
    else:
        for r in rows:
            state = "[green]up[/green]" if r.running else "[red]DOWN[/red]"
            console.print(f"{r.system:<11} {state}  {r.url}")
    if not all(r.running for r in rows):
        sys.exit(1)


@cli.command("demo")
@click.option("--orders-per-minute", type=float, default=12.0, show_default=True)
@click.option("--stock-moves-per-minute", type=float, default=12.0, show_default=True)
@click.option("--duration", type=float, default=None, help="Seconds of simulated trade (default: until Ctrl-C).")
@click.option("--seed", type=int, default=None, help="Make the simulated trade reproducible.")
def demo(orders_per_minute: float, stock_moves_per_minute: float, duration: float | None, seed: int | None) -> None:
    """The embedded default, live: stack + twins + streams + sinks + simulator, with a live dashboard."""
    from prestasync.demo import run_demo
    from prestasync.stack.lifecycle import up as stack_up_steps
    from sandbox.lifecycle import up as sandbox_up

    _embedded_only("demo")
    settings = get_settings()
    stack_up_steps(settings, console)
    sandbox_up(settings)
    ctx = click.get_current_context()
    ctx.invoke(sandbox_load_sample)
    run_demo(settings, console, orders_per_minute, stock_moves_per_minute, duration, seed)


@cli.group()
def run() -> None:
    """Long-running workers: the stream processors and the sinks."""


@run.command("streams")
def run_streams() -> None:
    """The Faust stream processors: map, assemble, loop guard, stock -> command topics."""
    from streams.app import run as run_streams_worker

    run_streams_worker(get_settings())


@run.command("store-stock")
def run_store_stock() -> None:
    """The store-stock lookup: GET /store-stock/<reference> from the streams' store figures."""
    from kernel.logs import setup_logging
    from prestasync.storestock.service import run as run_lookup

    settings = get_settings()
    setup_logging(settings)
    run_lookup(settings)


register_operator_commands(cli)
register_attach_commands(cli)
register_onboard_command(cli)
register_serve_command(cli)
register_sink_commands(cli)  # after `run` exists: adds `run sink` and `bench sink` to it
register_bench_commands(cli)  # after `bench` exists: adds `bench e2e` to it
register_recovery_bench(cli)  # `bench recovery`
register_lookup_bench(cli)  # `bench store-stock`
register_chaos_bench(cli)  # `bench chaos`

if __name__ == "__main__":
    main()
