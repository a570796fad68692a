"""`prestasync onboard`: a pair that already shares data, before its first sync. Registered on the main CLI."""

from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from kernel.settings import get_settings
from prestasync.onboard.model import ENTITIES, STATUSES

if TYPE_CHECKING:
    from kernel.settings import Settings
    from prestasync.onboard.model import Match
    from prestasync.onboard.progress import TableProgress

console = Console()


@click.group(invoke_without_command=True)
@click.option(
    "--dry-run", "dry_run", is_flag=True, help="Only report (the default): reads both databases, writes nothing."
)
@click.option(
    "--execute", is_flag=True, help="Also record the links found (the key written into each matched ERP record)."
)
@click.option("--only", type=click.Choice(ENTITIES), multiple=True, help="One entity (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable: the summary and every match.")
@click.option("--details/--no-details", default=True, help="List every record that is not plainly matched.")
@click.pass_context
def onboard(
    ctx: click.Context, dry_run: bool, execute: bool, only: tuple[str, ...], as_json: bool, details: bool
) -> None:
    """Match the records the shop and the ERP already share (customers by e-mail, products and
    combinations by reference / EAN13, orders by reference / client ref): matched, only in the shop,
    only in the ERP, conflicting. Read-only on both systems unless --execute. Exit 1 when a conflict
    needs a person (--execute still links the rest), 2 when a system could not be read."""
    if ctx.invoked_subcommand is not None:
        return
    if dry_run and execute:
        raise click.UsageError("--dry-run or --execute, not both")
    from prestasync.onboard.run import matches, needs_a_person, report

    settings = get_settings()
    try:
        with console.status("reading both systems..."):
            found = matches(settings, only or ENTITIES)
    except Exception as exc:  # the report says what could not be read; never a half answer
        click.echo(f"onboard: could not read both systems: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)
    executed = None
    if execute:
        executed = _execute(settings, found, quiet=as_json)
    if as_json:
        click.echo(json.dumps(report(found, settings, executed), indent=2, default=str))
    else:
        _print(found, details)
    sys.exit(1 if needs_a_person(found) else 0)


def _execute(settings: Settings, found: list[Match], quiet: bool) -> dict[str, Any]:
    from prestasync.onboard.link import journal, record_links
    from sinks.odoo.client import OdooClient
    from sinks.odoo.config import load_config

    client = OdooClient(load_config(settings))
    try:
        client.connect(uid=settings.streams.integration_uid)  # no login: it writes a res_users_log row
        outcomes = record_links(client, found)
    finally:
        client.close()
    path = journal(settings.home, outcomes)
    written = sum(o.written for o in outcomes)
    if not quiet:
        console.print(
            f"[green]✓[/green] {written} link(s) recorded in the ERP ({len(outcomes) - written} left); {path}"
        )
    return {
        "written": written,
        "outcomes": [{**o.link.as_dict(), "written": o.written, "reason": o.reason} for o in outcomes],
        "journal": str(path),
    }


def _print(found: list[Match], details: bool) -> None:
    from prestasync.onboard.model import summary
    from prestasync.onboard.run import needs_a_person

    table = Table("entity", *STATUSES, "links to record")
    for entity, counts in summary(found).items():
        links = sum(1 for m in found if m.entity == entity and m.link is not None)
        table.add_row(entity, *(str(counts[s]) for s in STATUSES), str(links))
    console.print(table)
    if details:
        rows = Table("entity", "status", "key", "shop id", "erp id", "by", "link", "differences (shop / erp)", "why")
        for m in found:
            if m.status == "matched" and m.link is None:
                continue
            diff = "; ".join(f"{k}: {s!r} / {e!r}" for k, (s, e) in m.differences.items())
            link = f"{m.link.model} {m.link.record_id}.{m.link.field_name} = {m.link.value}" if m.link else ""
            rows.add_row(
                m.entity,
                m.status,
                m.key or "",
                str(m.shop.id) if m.shop else "",
                str(m.erp.id) if m.erp else "",
                m.by,
                link,
                diff,
                m.reason if m.status != "matched" else "",
            )
        console.print(rows)
    bad = needs_a_person(found)
    console.print(
        f"[red]{len(bad)} conflict(s) need a person[/red]" if bad else "[bold green]nothing needs a person[/bold green]"
    )


@onboard.command("snapshot")
@click.option("--system", type=click.Choice(["shop", "erp", "both"]), default="both", show_default=True)
def onboard_snapshot(system: str) -> None:
    """Read the rows already there through an incremental snapshot of every table the streams map (with
    `kafka.initial_snapshot: incremental` the connectors only stream). Debezium reads it in chunks
    between streamed changes and keeps its position in the connector's offsets: after an interruption
    (Connect or the database restarted) it resumes from the last chunk. `onboard progress` follows it."""
    from prestasync.onboard import progress
    from prestasync.onboard.snapshot import request_all

    settings = get_settings()
    start = progress.measure(settings)
    signals = request_all(settings, ["shop", "erp"] if system == "both" else [system])
    path = progress.state_path(settings)
    progress.save(path, start.events, start)
    for name, signal in signals.items():
        console.print(f"[green]✓[/green] {name}: incremental snapshot requested (signal {signal})")
    console.print(f"progress baseline in {path}; follow it with `prestasync onboard progress --watch 10`")


@onboard.command("progress")
@click.option("--watch", type=float, default=0, help="Sample every SECONDS until every table is read (0: once).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable: every table, the totals, the lags.")
def onboard_progress(watch: float, as_json: bool) -> None:
    """The initial snapshot's progress: per table, source rows against events read, the rate since the
    previous sample, the time left; then the records the streams and the sinks have still to process."""
    from prestasync.onboard import progress

    settings = get_settings()
    path = progress.state_path(settings)
    while True:
        baseline, previous = progress.load(path)
        now = progress.measure(settings)
        tables = progress.progress(baseline, previous, now)
        overall = progress.total(tables)
        progress.save(path, baseline, now)
        if as_json:
            click.echo(json.dumps({"tables": [_row(t) for t in tables], "total": _row(overall), "lag": now.lag}))
        else:
            _print_progress(tables, overall, now.lag)
        if not watch or (overall.done and not any(now.lag.values())):
            break
        time.sleep(watch)


def _row(t: TableProgress) -> dict[str, Any]:
    return {"topic": t.topic, "rows": t.rows, "read": t.read, "rate": t.rate, "eta_s": t.eta_s, "done": t.done}


def _print_progress(tables: list[TableProgress], overall: TableProgress, lag: dict[str, int]) -> None:
    table = Table("table", "rows", "read", "%", "rate /s", "time left")
    for t in [*tables, overall]:
        pct = f"{100 * t.read / t.rows:.0f}" if t.rows else "100"
        rate = f"{t.rate:.1f}" if t.rate is not None else "-"
        eta = "done" if t.done else (f"{t.eta_s:.0f} s" if t.eta_s is not None else "? (run again for a rate)")
        table.add_row(t.topic, str(t.rows), str(t.read), pct, rate, eta)
    console.print(table)
    console.print("still to process: " + ", ".join(f"{g} {n}" for g, n in sorted(lag.items())))


def register(cli: click.Group) -> None:
    cli.add_command(onboard)
