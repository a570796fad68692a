"""Per-test Kafka topics and groups for sink tests, and reading a topic back."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kafka import KafkaConsumer, KafkaProducer
from kafka.structs import TopicPartition

from kernel.kafka_admin import delete_topics, end_offsets, ensure_topics
from kernel.settings import get_settings
from schemas.codec import make_codec
from schemas.records import Canonical
from sinks.common.commands import command_headers
from sinks.common.worker import WorkerOptions


@dataclass(frozen=True)
class SinkTopics:
    commands: str
    dlq: str
    acks: str
    group: str

    def options(self, **overrides: object) -> WorkerOptions:
        return WorkerOptions(
            topic=self.commands, group=self.group, dlq_topic=self.dlq, acks_topic=self.acks, **overrides
        )  # type: ignore[arg-type]

    def cli_args(self) -> list[str]:
        return ["--topic", self.commands, "--group", self.group, "--dlq-topic", self.dlq, "--acks-topic", self.acks]


@contextmanager
def sink_topics(partitions: int = 3) -> Iterator[SinkTopics]:
    suffix = uuid.uuid4().hex[:12]
    topics = SinkTopics(
        f"t.commands.odoo.{suffix}", f"t.dlq.odoo.{suffix}", f"t.acks.{suffix}", f"t-sink-odoo-{suffix}"
    )
    ensure_topics(get_settings(), [topics.commands], partitions)
    ensure_topics(get_settings(), [topics.dlq, topics.acks], 1)
    try:
        yield topics
    finally:
        delete_topics(get_settings(), [topics.commands, topics.dlq, topics.acks])


def produce(topic: str, records: list[tuple[Canonical | bytes, str]]) -> None:
    """Send (record or raw bytes, command id) pairs, keyed by canonical key."""
    codec = make_codec()
    producer = KafkaProducer(bootstrap_servers=get_settings().kafka.bootstrap, acks="all")
    for record, command_id in records:
        if isinstance(record, bytes):
            producer.send(topic, key=b"RAW-" + command_id.encode(), value=record, headers=command_headers(command_id))
        else:
            producer.send(
                topic,
                key=(record.envelope.canonical_key or "").encode(),
                value=codec.encode(record),
                headers=command_headers(command_id),
            )
    producer.flush()
    producer.close()


def read_all(topic: str) -> list[tuple[bytes | None, bytes | None, dict[str, bytes]]]:
    """Every record of ``topic`` (key, value, headers)."""
    bootstrap = get_settings().kafka.bootstrap
    ends = end_offsets(get_settings(), topic)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        consumer.assign(list(ends))
        consumer.seek_to_beginning()
        out = []
        deadline = time.monotonic() + 30
        while any(consumer.position(tp) < end for tp, end in ends.items()) and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                out += [(r.key, r.value, dict(r.headers or [])) for r in records]
        return out
    finally:
        consumer.close()


__all__ = ["SinkTopics", "TopicPartition", "produce", "read_all", "sink_topics"]
