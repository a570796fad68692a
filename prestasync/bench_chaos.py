"""`prestasync bench chaos` (registered by ``prestasync.cli``): the fault matrix of issue #20."""

from __future__ import annotations

import random
import signal
from typing import TYPE_CHECKING

import click

from kernel.settings import get_settings

if TYPE_CHECKING:
    from prestasync.chaos.run import RunResult


@click.command("chaos")
@click.option("--faults", default=None, metavar="LIST", help="Comma-separated faults (default: all; see --list).")
@click.option("--short", is_flag=True, help="CI profile: one run of one cheap fault per class, short segments.")
@click.option("--runs", type=int, default=10, show_default=True, help="Runs per fault.")
@click.option("--segment", type=float, default=40.0, show_default=True, help="Seconds of trade per run.")
@click.option("--orders-per-minute", type=float, default=60.0, show_default=True)
@click.option("--stock-moves-per-minute", type=float, default=30.0, show_default=True)
@click.option("--outage", type=float, default=600.0, show_default=True, help="Seconds of an API outage.")
@click.option("--seed", type=int, default=None, help="The simulator's seed (default: random, printed).")
@click.option("--keep-stack", is_flag=True, help="Leave the private stack running afterwards.")
@click.option("--list", "list_faults", is_flag=True, help="List the faults and exit.")
@click.option(
    "--down",
    is_flag=True,
    help="Stop the private stack a run left running (--keep-stack, or a run killed with kill -9) and exit.",
)
def bench_chaos(
    faults: str | None,
    short: bool,
    runs: int,
    segment: float,
    orders_per_minute: float,
    stock_moves_per_minute: float,
    outage: float,
    seed: int | None,
    keep_stack: bool,
    list_faults: bool,
    down: bool,
) -> None:
    """Trade under faults on a private stack (its own MariaDB, PostgreSQL, Kafka, Connect and twins, under
    <home>/chaos; refused for settings that reach other servers), then compare both sides after each run.
    Prints the matrix: fault x runs x lost / duplicated / stale-overwritten / drift / dead letters."""
    from prestasync.chaos.faults import FAULTS
    from prestasync.chaos.run import SHORT, run_chaos

    def stop(signum: int, frame: object) -> None:  # SIGTERM like Ctrl-C: stop serve, heal, report
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)

    if down:
        from prestasync.chaos.stack import PrivateStack

        stack = PrivateStack(get_settings())
        stack.refuse_shared()  # the same refusals as a run: never another's servers
        stack.down()
        click.echo("private stack stopped")
        return
    if list_faults:
        for fault in FAULTS:
            click.echo(f"{fault.name:<22} {fault.fault_class:<8} {fault.describe}")
        return
    names = [n.strip() for n in faults.split(",")] if faults else [f.name for f in FAULTS]
    if short:
        names, runs, segment, outage = list(SHORT) if not faults else names, 1, min(segment, 25.0), min(outage, 30.0)
    unknown = [n for n in names if n not in {f.name for f in FAULTS}]
    if unknown:
        raise click.BadParameter(f"unknown faults {', '.join(unknown)} (see --list)")
    if seed is None:  # a fixed seed draws the same order references as the last run on this stack
        seed = random.randrange(2**31)
    click.echo(f"seed {seed}")
    results, lines, report = run_chaos(
        get_settings(),
        names,
        runs,
        segment,
        orders_per_minute,
        stock_moves_per_minute,
        outage,
        seed,
        keep_stack,
        click.echo,
    )
    click.echo("\n".join(lines))
    click.echo(f"report: {report}")
    bad = [r for r in results if _finding(r)]
    secure = lines[-1].endswith("connector configs: 0") and lines[-2].endswith("nothing beyond")
    raise SystemExit(1 if bad or not secure else 0)


def _finding(r: RunResult) -> bool:
    """No fault of the matrix expects a dead letter or an echo: each is a finding, as a loss is."""
    wrong = r.lost or r.duplicated or r.stale or r.drift or r.dead_letters or any(r.echoes.values())
    return bool(wrong or r.error or not r.quiet)


def register(cli: click.Group) -> None:
    bench = cli.commands.get("bench")
    if isinstance(bench, click.Group):
        bench.add_command(bench_chaos)
