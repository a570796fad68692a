"""Own uuid-suffixed topics and group per test; commands in, acks and dead letters out."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, KafkaProducer
from kafka.structs import TopicPartition

from kernel.kafka_admin import delete_topics, ensure_topics
from kernel.settings import get_settings
from schemas import topics
from schemas.codec import make_codec
from schemas.records import Canonical
from sinks.common.handlers import CommandMeta
from sinks.common.retry import RetryPolicy
from sinks.common.worker import WorkerOptions

BOOTSTRAP = get_settings().kafka.bootstrap
CODEC = make_codec(None)


@dataclass(frozen=True)
class Topics:
    commands: str
    dlq: str
    acks: str
    group: str

    def options(self, **overrides: Any) -> WorkerOptions:
        values: dict[str, Any] = {
            "topic": self.commands,
            "group": self.group,
            "dlq_topic": self.dlq,
            "acks_topic": self.acks,
            "pause_seconds": 1.0,
            "poll_timeout_ms": 200,
            "retry": RetryPolicy(max_attempts=4, base_delay=0.05, max_delay=0.5),
        }
        return WorkerOptions(**(values | overrides))

    def lag(self) -> int:
        """Command records the sink's group has not committed yet."""
        consumer = KafkaConsumer(bootstrap_servers=BOOTSTRAP, group_id=self.group, enable_auto_commit=False)
        try:
            tps = [
                TopicPartition(self.commands, p) for p in sorted(consumer.partitions_for_topic(self.commands) or set())
            ]
            ends = consumer.end_offsets(tps)
            return sum(end - (consumer.committed(tp) or 0) for tp, end in ends.items())
        finally:
            consumer.close()


@contextmanager
def own_topics(partitions: int = 3) -> Iterator[Topics]:
    suffix = uuid.uuid4().hex[:12]
    names = Topics(
        f"test.ps-sink.commands.{suffix}",
        f"test.ps-sink.dlq.{suffix}",
        f"test.ps-sink.acks.{suffix}",
        f"test-ps-sink-{suffix}",
    )
    ensure_topics(get_settings(), [names.commands, names.dlq, names.acks], partitions=partitions)
    try:
        yield names
    finally:
        delete_topics(get_settings(), [names.commands, names.dlq, names.acks])


def produce(topic: str, commands: Sequence[tuple[Canonical | bytes, CommandMeta]]) -> None:
    """Each command keyed by its canonical key, with the command headers of schemas.topics."""
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all")
    try:
        for record, meta in commands:
            value = record if isinstance(record, bytes) else CODEC.encode(record)
            key = meta.key or (record.envelope.canonical_key if isinstance(record, Canonical) else None) or "?"
            headers = [
                (topics.HEADER_COMMAND_ID, meta.command_id.encode()),
                (topics.HEADER_FIELDS, ",".join(sorted(meta.fields)).encode()),
                (topics.HEADER_CREATE_ONLY, ",".join(sorted(meta.create_only)).encode()),
            ]
            producer.send(topic, key=key.encode(), value=value, headers=headers)
        producer.flush()
    finally:
        producer.close()


def read_all(topic: str, expected: int, timeout_s: float = 30.0) -> list[Any]:
    """Every record of ``topic`` once at least ``expected`` arrived (or the timeout passed)."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=BOOTSTRAP,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=1000,
    )
    records: list[Any] = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(records) < expected and time.monotonic() < deadline:
            records.extend(consumer)
    finally:
        consumer.close()
    return records
