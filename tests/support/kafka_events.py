"""Read Debezium events from the real Kafka for tests: mark a position, act, then wait for matches."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, TopicPartition

from kernel.settings import get_settings

Predicate = Callable[["CapturedEvent"], bool]


@dataclass(frozen=True)
class CapturedEvent:
    topic: str
    partition: int
    offset: int
    key: Any
    value: Any  # the decoded JSON value, or None for a tombstone
    raw_value: bytes | None
    raw_key: bytes | None

    @property
    def payload(self) -> dict[str, Any] | None:
        if self.value is None:
            return None
        payload: dict[str, Any] = self.value.get("payload", self.value)
        return payload


def _consumer() -> KafkaConsumer:
    return KafkaConsumer(
        bootstrap_servers=get_settings().kafka.bootstrap,
        enable_auto_commit=False,
        group_id=None,
        consumer_timeout_ms=500,
    )


def end_offsets(topic: str) -> dict[int, int]:
    """Current end offset per partition (empty when the topic does not exist yet)."""
    consumer = _consumer()
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in partitions]
        return {tp.partition: off for tp, off in consumer.end_offsets(tps).items()} if tps else {}
    finally:
        consumer.close()


def _json_or_none(raw: bytes | None) -> Any:
    """Debezium keys/values are JSON; prestasync's own records are Avro (left to the caller: raw_*)."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


def collect(
    topic: str, since: dict[int, int], match: Predicate, count: int | None = None, timeout: float = 60.0
) -> list[CapturedEvent]:
    """Matching events on ``topic`` after ``since``, until ``count`` are found or ``timeout`` passes."""
    consumer = _consumer()
    found: list[CapturedEvent] = []
    deadline = time.monotonic() + timeout
    assigned: set[int] = set()
    try:
        while time.monotonic() < deadline and (count is None or len(found) < count):
            partitions = consumer.partitions_for_topic(topic) or set()
            if partitions - assigned:  # the topic appears with its first event
                assigned = set(partitions)
                tps = [TopicPartition(topic, p) for p in sorted(assigned)]
                consumer.assign(tps)
                for tp in tps:
                    consumer.seek(tp, since.get(tp.partition, 0))
            if not assigned:
                time.sleep(0.5)
                continue
            for records in consumer.poll(timeout_ms=500).values():
                for rec in records:
                    event = CapturedEvent(
                        rec.topic,
                        rec.partition,
                        rec.offset,
                        _json_or_none(rec.key),
                        _json_or_none(rec.value),
                        rec.value,
                        rec.key,
                    )
                    if match(event):
                        found.append(event)
    finally:
        consumer.close()
    return found


def wait_for_events(
    topic: str, since: dict[int, int], match: Predicate, count: int = 1, timeout: float = 60.0
) -> list[CapturedEvent]:
    """Like ``collect`` but fails the test when fewer than ``count`` events arrive in time."""
    found = collect(topic, since, match, count, timeout)
    if len(found) < count:
        raise AssertionError(f"expected {count} matching event(s) on {topic} within {timeout}s, got {len(found)}")
    return found


def after_field(name: str, value: Any) -> Predicate:
    def check(ev: CapturedEvent) -> bool:
        payload = ev.payload
        return bool(payload and payload.get("after") and payload["after"].get(name) == value)

    return check


def row_field(name: str, value: Any) -> Predicate:
    """Matches create/update/delete events whose before or after row has ``name == value``."""

    def check(ev: CapturedEvent) -> bool:
        payload = ev.payload
        if not payload:
            return False
        rows = [payload.get("before"), payload.get("after")]
        return any(r and r.get(name) == value for r in rows)

    return check
