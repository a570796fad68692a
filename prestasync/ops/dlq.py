"""`dlq list | show | replay`: the dead-letter topics an operator fixes and replays.

A dead-letter record's value is the original record's bytes, unchanged; headers say where it came from
and why it failed (``schemas.topics.HEADER_DLQ_*``). Replaying produces the original bytes, key and
headers back onto the original topic and writes a receipt keyed by the dead letter's coordinates to a
compacted topic, so the same entry is not replayed twice by accident.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from kafka import TopicPartition
from kafka.admin import NewTopic

from kernel.kafka_admin import admin
from kernel.kafka_clients import consumer, producer
from kernel.settings import Settings
from schemas import topics

REPLAYS_TOPIC = "prestasync.dlq.replays"
HEADER_REPLAYED_FROM = "prestasync-replayed-from"


def dlq_topics(target: str | None = None) -> list[str]:
    if target is None:
        return [topics.STREAMS_DLQ, *(topics.sink_dlq_topic(t) for t in topics.TARGET_SYSTEMS)]
    if target == "streams":
        return [topics.STREAMS_DLQ]
    return [topics.sink_dlq_topic(target)]


@dataclass(frozen=True)
class DeadLetter:
    dlq_topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, str]
    raw_headers: tuple[tuple[str, bytes], ...] = ()

    @property
    def coordinates(self) -> str:
        return f"{self.dlq_topic}:{self.partition}:{self.offset}"

    @property
    def error(self) -> str:
        return self.headers.get(topics.HEADER_DLQ_ERROR, "(unknown)")

    @property
    def reason(self) -> str:
        return self.headers.get(topics.HEADER_DLQ_REASON, "")

    @property
    def original_topic(self) -> str | None:
        return self.headers.get(topics.HEADER_DLQ_TOPIC)

    @property
    def original_key(self) -> bytes | None:
        raw = self.headers.get(topics.HEADER_DLQ_KEY)
        return raw.encode() if raw is not None else self.key


def read_all(settings: Settings, topic: str, timeout_s: float = 5.0) -> list[DeadLetter]:
    """Every record of ``topic`` from the start to the end offsets seen when the read began."""
    reader = consumer(settings)
    try:
        parts = reader.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        if not tps:
            return []
        ends = reader.end_offsets(tps)
        reader.assign(tps)
        reader.seek_to_beginning(*tps)
        out: list[DeadLetter] = []
        deadline = time.monotonic() + timeout_s
        while any(reader.position(tp) < ends[tp] for tp in tps) and time.monotonic() < deadline:
            for records in reader.poll(timeout_ms=500).values():
                for r in records:
                    if r.offset < ends[TopicPartition(r.topic, r.partition)]:
                        headers = tuple(r.headers or [])
                        out.append(
                            DeadLetter(
                                r.topic,
                                r.partition,
                                r.offset,
                                r.timestamp,
                                r.key,
                                r.value,
                                {k: v.decode("utf-8", "replace") for k, v in headers},
                                headers,
                            )
                        )
        return out
    finally:
        reader.close()


def counts(settings: Settings, target: str | None = None) -> dict[str, Counter[str]]:
    """Per DLQ topic: how many entries per error class and reason."""
    return {t: Counter(f"{d.error}: {d.reason}"[:160] for d in read_all(settings, t)) for t in dlq_topics(target)}


def replayed(settings: Settings) -> set[str]:
    receipts = read_all(settings, REPLAYS_TOPIC)
    return {r.key.decode() for r in receipts if r.key is not None and r.value is not None}


@dataclass(frozen=True)
class ReplayResult:
    replayed: list[DeadLetter]
    skipped_already_replayed: list[DeadLetter]
    skipped_no_origin: list[DeadLetter]


def replay(
    settings: Settings,
    dlq_topic: str,
    select: Callable[[DeadLetter], bool] = lambda d: True,
    execute: bool = False,
    force: bool = False,
) -> ReplayResult:
    """Send selected dead letters back to their original topic (dry run unless ``execute``)."""
    done = replayed(settings)
    chosen = [d for d in read_all(settings, dlq_topic) if select(d)]
    again = [d for d in chosen if d.coordinates in done and not force]
    orphans = [d for d in chosen if d.original_topic is None]
    todo = [d for d in chosen if d not in again and d not in orphans]
    if execute and todo:
        _ensure_replays_topic(settings)
        out = producer(settings)
        try:
            for d in todo:
                assert d.original_topic is not None
                # the command's own headers go back with it (command id, asserted fields, source time)
                headers = [(k, v) for k, v in d.raw_headers if k not in topics.DLQ_HEADERS]
                headers.append((HEADER_REPLAYED_FROM, d.coordinates.encode()))
                out.send(d.original_topic, key=d.original_key, value=d.value, headers=headers)
            out.flush()  # the originals are durable before the receipts say so
            for d in todo:
                out.send(REPLAYS_TOPIC, key=d.coordinates.encode(), value=str(int(time.time() * 1000)).encode())
            out.flush()
        finally:
            out.close()
    return ReplayResult(todo, again, orphans)


def _ensure_replays_topic(settings: Settings) -> None:
    with admin(settings) as client:
        if REPLAYS_TOPIC not in client.list_topics():
            client.create_topics(
                [NewTopic(REPLAYS_TOPIC, 1, 1, topic_configs={"cleanup.policy": "compact"})], raise_errors=False
            )
