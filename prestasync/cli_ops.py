"""Operator commands: topics, offsets, dead letters, reconcile (the connectors' in ``cli_connectors``).
Registered on the main CLI."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click
from rich.console import Console
from rich.table import Table

from kernel.settings import get_settings
from prestasync.cli_connectors import connectors

console = Console()


@click.group()
def topics() -> None:
    """Inspect topics: partitions, end offsets, lag, and decoded records."""


@topics.command("list")
@click.option("--internal", is_flag=True, help="Also show Kafka's internal topics (__consumer_offsets...).")
def topics_list(internal: bool) -> None:
    """Every topic with its partitions, end offset and the lag of each consumer group on it."""
    from prestasync.ops.topics import list_topics

    table = Table("topic", "partitions", "end offset", "lag by group")
    for row in list_topics(get_settings(), internal):
        lag = ", ".join(f"{g}={n}" for g, n in sorted(row.lag.items())) or "-"
        table.add_row(row.topic, str(row.partitions), str(row.end_offset), lag)
    console.print(table)


@topics.command("tail")
@click.argument("topic")
@click.option("--from-beginning", is_flag=True, help="Start at the first record (default: last 10 per partition).")
@click.option("--since", help="Start at a time: 10m, 2h, 1d, or ISO-8601 with a zone.")
@click.option("-f", "--follow", is_flag=True, help="Keep waiting for new records (Ctrl-C to stop).")
@click.option("--key", "key_filter", help="Only records whose key contains this text.")
@click.option("--field", "field_filter", help="Only records with NAME=VALUE in the row (Debezium) or record (Avro).")
@click.option("--limit", type=int, help="Stop after this many records.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, for machines.")
def topics_tail(
    topic: str,
    from_beginning: bool,
    since: str | None,
    follow: bool,
    key_filter: str | None,
    field_filter: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """Print TOPIC's records decoded: Debezium JSON envelopes and prestasync Avro records."""
    from prestasync.ops.topics import TailedRecord, describe, field_matches, parse_since, tail

    name, _, wanted = (field_filter or "").partition("=")
    if field_filter and not wanted:
        raise click.BadParameter("use NAME=VALUE", param_hint="--field")

    def keep(r: TailedRecord) -> bool:
        if key_filter and key_filter not in json.dumps(r.key, default=str):
            return False
        return not field_filter or field_matches(r, name, wanted)

    start = parse_since(since) if since else None
    for r in tail(get_settings(), topic, start, from_beginning, follow, keep, limit):
        if as_json:
            click.echo(r.as_json())
        else:
            key = json.dumps(r.key, default=str)
            head = f"{r.timestamp:%Y-%m-%d %H:%M:%S} {r.topic}[{r.partition}]@{r.offset} key={key}"
            console.print(head, style="dim", markup=False, highlight=False)
            console.print("  " + (describe(r) if r.kind != "tombstone" else "(tombstone)"), markup=False)


@topics.command("trace")
@click.argument("key")
@click.option("--since", help="Only records after this time: 10m, 2h, 1d, or ISO-8601 (default: everything).")
def topics_trace(key: str, since: str | None) -> None:
    """One entity's path, in time order: source change, canonical record, command, ack or dead letter, echo."""
    from prestasync.ops.topics import parse_since
    from prestasync.ops.trace import trace

    steps = trace(get_settings(), key, parse_since(since) if since else None)
    for step in steps:
        console.print(
            f"{step.timestamp:%Y-%m-%d %H:%M:%S.%f} {step.topic}@{step.offset} [{step.kind}]",
            style="dim",
            markup=False,
            highlight=False,
        )
        console.print(f"  {step.summary}", markup=False)
    console.print(f"{len(steps)} record(s) for {key}")


@click.group()
def offsets() -> None:
    """Consumer-group offsets: show lag, reset to reprocess."""


@offsets.command("show")
@click.argument("group")
def offsets_show(group: str) -> None:
    """Committed offset, end offset and lag of GROUP on each partition."""
    from prestasync.ops.offsets import show

    table = Table("topic", "partition", "committed", "end", "lag")
    for row in show(get_settings(), group):
        table.add_row(row.topic, str(row.partition), str(row.committed), str(row.end), str(row.lag))
    console.print(table)


@offsets.command("reset")
@click.argument("group")
@click.option("--topic", required=True, help="The topic whose offsets move.")
@click.option("--partition", type=int, help="Only this partition (default: all).")
@click.option("--to-earliest", is_flag=True)
@click.option("--to-latest", is_flag=True)
@click.option("--to-datetime", help="First record at or after this ISO-8601 time (with a zone).")
@click.option("--shift-by", type=int, help="Move by N records (negative: back).")
@click.option("--execute", is_flag=True, help="Apply. Without it, only print old -> new (dry run).")
def offsets_reset(
    group: str,
    topic: str,
    partition: int | None,
    to_earliest: bool,
    to_latest: bool,
    to_datetime: str | None,
    shift_by: int | None,
    execute: bool,
) -> None:
    """Move GROUP's offsets on a topic. Refused while GROUP has live members. Dry run by default."""
    from prestasync.ops.offsets import ResetTarget, reset

    when = datetime.fromisoformat(to_datetime) if to_datetime else None
    target = ResetTarget(to_earliest, to_latest, when, shift_by)
    plan = reset(get_settings(), group, topic, partition, target, execute)
    for p in plan:
        console.print(f"{p.topic}[{p.partition}]: {p.old} -> {p.new}")
    console.print("[green]applied[/green]" if execute else "[yellow]dry run[/yellow]: add --execute to apply")


@click.group()
def dlq() -> None:
    """Dead-letter topics: what failed, why, and replay after a fix."""


@dlq.command("list")
@click.option("--target", type=click.Choice(["streams", "prestashop", "odoo"]), help="Only this DLQ.")
def dlq_list(target: str | None) -> None:
    """Entries per DLQ topic, counted by error and reason."""
    from prestasync.ops.dlq import counts

    for topic, by_reason in counts(get_settings(), target).items():
        console.print(f"[bold]{topic}[/bold]: {sum(by_reason.values())} entries")
        for reason, n in by_reason.most_common():
            console.print(f"  {n:>6}  {reason}")


@dlq.command("show")
@click.argument("dlq_topic")
@click.option("--key", "key_filter", help="Only entries whose key contains this text.")
def dlq_show(dlq_topic: str, key_filter: str | None) -> None:
    """Every entry of DLQ_TOPIC with its headers (origin, error, reason, API request/answer)."""
    from prestasync.ops.dlq import read_all

    for d in read_all(get_settings(), dlq_topic):
        if key_filter and key_filter not in (d.key or b"").decode("utf-8", "replace"):
            continue
        console.print(f"[bold]{d.coordinates}[/bold] key={d.key!r}")
        for name, value in sorted(d.headers.items()):
            console.print(f"  {name}: {value}")


@dlq.command("replay")
@click.argument("dlq_topic")
@click.option("--key", "key_filter", help="Only entries whose key contains this text.")
@click.option("--error", "error_filter", help="Only entries of this error class.")
@click.option("--execute", is_flag=True, help="Send. Without it, only list what would be replayed.")
@click.option("--force", is_flag=True, help="Also replay entries that were replayed before.")
def dlq_replay(dlq_topic: str, key_filter: str | None, error_filter: str | None, execute: bool, force: bool) -> None:
    """Send entries back to their original topic (each once, unless --force)."""
    from prestasync.ops.dlq import DeadLetter, replay

    def select(d: DeadLetter) -> bool:
        key_ok = not key_filter or key_filter in (d.key or b"").decode("utf-8", "replace")
        return key_ok and (not error_filter or d.error == error_filter)

    result = replay(get_settings(), dlq_topic, select, execute, force)
    verb = "replayed" if execute else "would replay"
    console.print(
        f"{verb}: {len(result.replayed)}; skipped, replayed before: {len(result.skipped_already_replayed)}; "
        f"skipped, no original topic: {len(result.skipped_no_origin)}"
    )


@click.command()
@click.argument("entity", type=click.Choice(["customers", "addresses", "orders", "products", "stock"]))
@click.option(
    "--fix",
    "apply_fix",
    is_flag=True,
    help="Re-send the owner's rows through the pipeline (incremental snapshot of just those rows).",
)
@click.option(
    "--web-location",
    "web_locations",
    type=int,
    multiple=True,
    default=(8,),
    show_default=True,
    help="ERP stock location ids that feed the web shop (stock only; repeat for several).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per drift, for machines.")
def reconcile(entity: str, apply_fix: bool, web_locations: tuple[int, ...], as_json: bool) -> None:
    """Compare ENTITY in the shop and the ERP directly; report missing, extra and different rows.

    Exit 1 when drift is found (so it can gate a cron or a deploy)."""
    import dataclasses

    from rich.progress import Progress

    from prestasync.ops.reconcile import fix, run

    settings = get_settings()
    with console.status(f"reading {entity} from both systems..."):
        drifts = run(settings, entity, list(web_locations))
    if as_json:
        for d in drifts:
            click.echo(json.dumps(dataclasses.asdict(d), default=str))
    else:
        table = Table("key", "drift", "owner", "fields (shop, erp)", "fixable")
        for d in drifts:
            fields = "; ".join(f"{k}: {a!r} / {b!r}" for k, (a, b) in d.fields.items())
            table.add_row(d.key, d.kind, d.owner, fields, "yes" if d.fix else "no (needs a person)")
        console.print(table)
        console.print(f"{len(drifts)} drift(s) in {entity}")
    if apply_fix:
        fixable = [d for d in drifts if d.fix]
        with Progress(console=console) as progress:
            task = progress.add_task("re-sending owner rows", total=len(fixable))
            signals = fix(settings, fixable, lambda n: progress.advance(task, n))
        console.print(f"requested {len(signals)} incremental snapshot(s) for {len(fixable)} row(s)")
    if drifts:
        sys.exit(1)


def register(cli: click.Group) -> None:
    for command in (topics, offsets, dlq, connectors, reconcile):
        cli.add_command(command)
