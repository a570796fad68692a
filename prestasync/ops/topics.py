"""`topics list | tail`: what is in Kafka, decoded for people (or ``--json`` for machines)."""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from kafka import TopicPartition
from kafka.admin import OffsetSpec

from kernel.codec import canonical_codec
from kernel.errors import StackError
from kernel.kafka_admin import admin
from kernel.kafka_clients import consumer
from kernel.settings import Settings


@dataclass(frozen=True)
class TopicRow:
    topic: str
    partitions: int
    end_offset: int  # summed over partitions: how many records were ever written
    lag: dict[str, int]  # consumer group -> total lag on this topic


def list_topics(settings: Settings, include_internal: bool = False) -> list[TopicRow]:
    with admin(settings) as client:
        names = sorted(t for t in client.list_topics() if include_internal or not t.startswith("__"))
        described = {d["name"]: len(d["partitions"]) for d in client.describe_topics(names)} if names else {}
        tps = [TopicPartition(t, p) for t in names for p in range(described.get(t, 0))]
        ends = client.list_partition_offsets({tp: OffsetSpec.LATEST for tp in tps}) if tps else {}
        groups = [g["group_id"] for g in client.list_groups() if g.get("protocol_type") in ("consumer", "")]
        committed = client.list_group_offsets({g: None for g in groups}) if groups else {}
    lag: dict[str, dict[str, int]] = {}
    for group, offsets in committed.items():
        for tp, meta in offsets.items():
            if tp in ends and meta.offset >= 0:
                lag.setdefault(tp.topic, {}).setdefault(group, 0)
                lag[tp.topic][group] += max(ends[tp].offset - meta.offset, 0)
    return [
        TopicRow(t, described.get(t, 0), sum(ends[tp].offset for tp in tps if tp.topic == t), lag.get(t, {}))
        for t in names
    ]


def parse_since(text: str) -> datetime:
    """``10m``, ``2h``, ``1d``, ``30s`` ago, or an ISO-8601 time with a zone."""
    match = re.fullmatch(r"(\d+)([smhd])", text.strip())
    if match:
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[match.group(2)]
        return datetime.now(UTC) - timedelta(**{unit: int(match.group(1))})
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise StackError(f"--since {text!r}: use 10m, 2h, 1d or an ISO time like 2026-11-27T10:00:00+00:00") from exc
    if when.tzinfo is None:
        raise StackError("--since needs a time zone (e.g. ...+00:00 or ...Z)")
    return when


@dataclass(frozen=True)
class TailedRecord:
    topic: str
    partition: int
    offset: int
    timestamp: datetime
    key: Any
    kind: str  # "debezium", "avro", "tombstone", "bytes"
    value: Any

    def as_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), default=_json_default, sort_keys=True)


def decode_value(raw: bytes | None, settings: Settings) -> tuple[str, Any]:
    """Debezium JSON, prestasync Avro (by its header), or raw bytes — never an exception."""
    if raw is None:
        return "tombstone", None
    if raw[:2] == b"\xc3\x01" or raw[:1] == b"\x00":
        try:
            record = canonical_codec(settings).decode(raw)
        except Exception as exc:  # shown, not raised: tail must keep going over poison records
            return "bytes", {"undecodable": repr(exc), "hex": raw[:64].hex()}
        return "avro", {"type": type(record).__name__, **dataclasses.asdict(record)}
    try:
        value = json.loads(raw)
    except ValueError:
        return "bytes", {"hex": raw[:64].hex(), "length": len(raw)}
    payload = value.get("payload", value) if isinstance(value, dict) else value
    return "debezium", payload


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _decode_key(raw: bytes | None) -> Any:
    if not raw:
        return None
    try:
        key = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return raw.decode("utf-8", "replace")
    return key.get("payload", key) if isinstance(key, dict) else key  # JsonConverter's schema is noise here


OPS = {"c": "create", "u": "update", "d": "delete", "r": "read", "t": "truncate"}


def describe(record: TailedRecord) -> str:
    """One readable line: what changed, not the whole envelope."""
    value = record.value
    if record.kind == "debezium" and isinstance(value, dict) and "op" in value:
        table = value.get("source", {}).get("table", "?")
        before, after = value.get("before") or {}, value.get("after") or {}
        if value["op"] == "u":
            changed = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
            body = ", ".join(f"{k}: {old!r} -> {new!r}" for k, (old, new) in changed.items())
        else:
            body = json.dumps(after or before, default=str)
        return f"{OPS.get(value['op'], value['op'])} {table} {body}"
    if record.kind == "avro" and isinstance(value, dict):
        envelope = value.get("envelope", {})
        fields = {k: v for k, v in value.items() if k not in ("type", "envelope")}
        origin = f"{envelope.get('origin_system')}:{envelope.get('origin_table')}:{envelope.get('origin_id')}"
        body = json.dumps(fields, default=_json_default)
        return f"{value.get('type')} key={envelope.get('canonical_key')} from {origin} {body}"
    return json.dumps(value, default=_json_default)


def field_matches(record: TailedRecord, name: str, wanted: str) -> bool:
    """``--field name=value``: the Debezium row (after, else before) or the Avro record has it."""
    value = record.value
    if record.kind == "debezium" and isinstance(value, dict):
        rows = [value.get("after"), value.get("before")]
        return any(isinstance(r, dict) and str(r.get(name)) == wanted for r in rows)
    if record.kind == "avro" and isinstance(value, dict):
        return str(value.get(name)) == wanted or str(value.get("envelope", {}).get(name)) == wanted
    return False


def tail(
    settings: Settings,
    topic: str,
    since: datetime | None = None,
    from_beginning: bool = False,
    follow: bool = False,
    keep: Callable[[TailedRecord], bool] = lambda r: True,
    limit: int | None = None,
) -> Iterator[TailedRecord]:
    """Records of ``topic`` in partition order; default start is the last 10 records per partition."""
    reader = consumer(settings)
    try:
        parts = reader.partitions_for_topic(topic)
        if not parts:
            raise StackError(f"no topic named {topic!r}", "see `prestasync topics list`")
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        reader.assign(tps)
        ends = reader.end_offsets(tps)
        if from_beginning:
            reader.seek_to_beginning(*tps)
        elif since is not None:
            found = reader.offsets_for_times({tp: int(since.timestamp() * 1000) for tp in tps})
            for tp in tps:
                reader.seek(tp, found[tp].offset if found.get(tp) else ends[tp])
        else:
            for tp in tps:
                reader.seek(tp, max(ends[tp] - 10, 0))
        shown = 0
        while True:
            batch = reader.poll(timeout_ms=500)
            for records in batch.values():
                for r in records:
                    kind, value = decode_value(r.value, settings)
                    key = _decode_key(r.key)
                    item = TailedRecord(
                        r.topic,
                        r.partition,
                        r.offset,
                        datetime.fromtimestamp(r.timestamp / 1000, tz=UTC),
                        key,
                        kind,
                        value,
                    )
                    if keep(item):
                        yield item
                        shown += 1
                        if limit is not None and shown >= limit:
                            return
            caught_up = all(reader.position(tp) >= ends[tp] for tp in tps)
            if not batch and caught_up and not follow:
                return
            if not batch:
                time.sleep(0.2)
    finally:
        reader.close()
