"""`dlq show | replay` on the real Kafka: replay after a fix succeeds once, not twice by accident."""

from __future__ import annotations

import pytest
from kafka import KafkaProducer

from kernel.settings import get_settings
from prestasync.ops import dlq
from schemas import topics
from tests.support.kafka_events import collect
from tests.support.kafka_topics import own_topic

pytestmark = pytest.mark.integration


def _dead_letter(out: KafkaProducer, dlq_topic: str, original: str, key: bytes, value: bytes, reason: str) -> None:
    headers = [
        (topics.HEADER_DLQ_TOPIC, original.encode()),
        (topics.HEADER_DLQ_ERROR, b"TerminalError"),
        (topics.HEADER_DLQ_REASON, reason.encode()),
        (topics.HEADER_DLQ_KEY, key),
    ]
    out.send(dlq_topic, key=key, value=value, headers=headers)


def test_replay_once_then_refuse_again_unless_forced() -> None:
    settings = get_settings()
    with own_topic("test-orig") as original, own_topic("test-dlq") as dlq_topic:
        out = KafkaProducer(bootstrap_servers=settings.kafka.bootstrap)
        _dead_letter(out, dlq_topic, original, b"SKU-1", b"\xc3\x01payload-1", "unknown reference SKU-1")
        _dead_letter(out, dlq_topic, original, b"SKU-2", b"\xc3\x01payload-2", "unknown reference SKU-2")
        out.flush()
        out.close()

        entries = dlq.read_all(settings, dlq_topic)
        assert [(e.original_topic, e.key, e.error) for e in entries] == [
            (original, b"SKU-1", "TerminalError"),
            (original, b"SKU-2", "TerminalError"),
        ]

        dry = dlq.replay(settings, dlq_topic, lambda d: d.key == b"SKU-1")
        assert [d.key for d in dry.replayed] == [b"SKU-1"]
        assert collect(original, {}, lambda ev: True, timeout=2) == []  # a dry run sends nothing

        done = dlq.replay(settings, dlq_topic, lambda d: d.key == b"SKU-1", execute=True)
        assert [d.key for d in done.replayed] == [b"SKU-1"]
        again = dlq.replay(settings, dlq_topic, lambda d: d.key == b"SKU-1", execute=True)
        assert again.replayed == [] and [d.key for d in again.skipped_already_replayed] == [b"SKU-1"]

        sent = collect(original, {}, lambda ev: True, count=1, timeout=10)
        assert [(e.raw_key, e.raw_value) for e in sent] == [(b"SKU-1", b"\xc3\x01payload-1")]

        forced = dlq.replay(settings, dlq_topic, lambda d: d.key == b"SKU-1", execute=True, force=True)
        assert [d.key for d in forced.replayed] == [b"SKU-1"]
        assert len(collect(original, {}, lambda ev: True, count=2, timeout=10)) == 2
