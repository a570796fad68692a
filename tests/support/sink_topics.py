"""A sink test's own Kafka: uuid-suffixed command, dead-letter and acks topics and a consumer group,
created for the test and deleted afterwards; commands in with their headers, records read back."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from kafka import KafkaConsumer, KafkaProducer
from kafka.structs import TopicPartition

from kernel.kafka_admin import delete_topics, ensure_topics, group_lag
from kernel.settings import get_settings
from schemas.codec import make_codec
from schemas.records import Canonical
from sinks.common.commands import command_headers
from sinks.common.handlers import CommandMeta
from sinks.common.retry import RetryPolicy
from sinks.common.worker import WorkerOptions

# A worker that does not keep a test waiting: short back-offs, a paused partition retried after a second.
FAST_RETRY = RetryPolicy(max_attempts=4, base_delay=0.05, max_delay=0.5)
FAST: dict[str, Any] = {"pause_seconds": 1.0, "poll_timeout_ms": 200, "retry": FAST_RETRY}


@dataclass(frozen=True)
class SinkTopics:
    commands: str
    dlq: str
    acks: str
    group: str

    @classmethod
    def create(cls, system: str = "odoo", partitions: int = 3) -> SinkTopics:
        """Topics named for the target ``system``; ``partitions`` for the commands, one for dead letters
        and acks. ``delete()`` them afterwards (``sink_topics`` does)."""
        suffix = uuid.uuid4().hex[:12]
        topics = cls(
            f"t.commands.{system}.{suffix}", f"t.dlq.{system}.{suffix}", f"t.acks.{suffix}", f"t-sink-{system}-{suffix}"
        )
        ensure_topics(get_settings(), [topics.commands], partitions)
        ensure_topics(get_settings(), [topics.dlq, topics.acks], 1)
        return topics

    def delete(self) -> None:
        delete_topics(get_settings(), [self.commands, self.dlq, self.acks])

    def options(self, **overrides: Any) -> WorkerOptions:
        """The worker's options on these topics and group (``overrides``: pause, retry, poll, another
        acks topic...)."""
        values: dict[str, Any] = {"topic": self.commands, "group": self.group, "dlq_topic": self.dlq}
        return WorkerOptions(**(values | {"acks_topic": self.acks} | overrides))

    def cli_args(self) -> list[str]:
        return ["--topic", self.commands, "--group", self.group, "--dlq-topic", self.dlq, "--acks-topic", self.acks]

    def lag(self) -> int:
        """Command records the sink's group has not committed yet."""
        return group_lag(get_settings(), self.group, self.commands)


@contextmanager
def sink_topics(system: str = "odoo", partitions: int = 3) -> Iterator[SinkTopics]:
    """``SinkTopics.create`` for the length of a ``with`` block."""
    topics = SinkTopics.create(system, partitions)
    try:
        yield topics
    finally:
        topics.delete()


def produce(topic: str, commands: Sequence[tuple[Canonical | bytes, str | CommandMeta]]) -> None:
    """Send each command (a record, or raw bytes for a poison one) with the command headers of the streams:
    a bare command id, or a CommandMeta (its fields, create-only fields and key). Keyed by the meta's key,
    else the record's canonical key, else ``RAW-<command id>``."""
    codec = make_codec()
    producer = KafkaProducer(bootstrap_servers=get_settings().kafka.bootstrap, acks="all")
    try:
        for record, command in commands:
            meta = command if isinstance(command, CommandMeta) else None
            command_id = meta.command_id if meta else str(command)
            headers = command_headers(
                command_id,
                fields=sorted(meta.fields) if meta else (),
                create_only=sorted(meta.create_only) if meta else (),
            )
            canonical = record.envelope.canonical_key if isinstance(record, Canonical) else None
            key = (meta.key if meta else None) or canonical or f"RAW-{command_id}"
            value = record if isinstance(record, bytes) else codec.encode(record)
            producer.send(topic, key=key.encode(), value=value, headers=headers)
        producer.flush()
    finally:
        producer.close()


class SinkRecord(NamedTuple):
    key: bytes | None
    value: bytes | None
    headers: dict[str, bytes]


def read_all(topic: str, expected: int = 0, timeout_s: float = 30.0) -> list[SinkRecord]:
    """Every record of ``topic`` up to its end, once at least ``expected`` are there (or the timeout passed)."""
    consumer = KafkaConsumer(bootstrap_servers=get_settings().kafka.bootstrap, enable_auto_commit=False)
    try:
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or set())]
        consumer.assign(tps)
        consumer.seek_to_beginning()
        out: list[SinkRecord] = []
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                out += [SinkRecord(r.key, r.value, dict(r.headers or [])) for r in records]
            ends = consumer.end_offsets(tps)
            if len(out) >= expected and all(consumer.position(tp) >= end for tp, end in ends.items()):
                break
        return out
    finally:
        consumer.close()
