"""`offsets show | reset` on the real Kafka, with a topic and a group of the test's own."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata

from kernel.errors import StackError
from kernel.settings import get_settings
from prestasync.ops import offsets
from prestasync.ops.offsets import ResetTarget
from tests.support.kafka_topics import own_topic

pytestmark = pytest.mark.integration

BASE_MS = 1_790_000_000_000  # records carry explicit timestamps one minute apart from here


def _fill(topic: str, count: int) -> None:
    producer = KafkaProducer(bootstrap_servers=get_settings().kafka.bootstrap)
    for i in range(count):
        producer.send(topic, key=f"k{i}".encode(), value=f"v{i}".encode(), timestamp_ms=BASE_MS + i * 60_000)
    producer.flush()
    producer.close()


def _commit(group: str, topic: str, offset: int) -> None:
    consumer = KafkaConsumer(bootstrap_servers=get_settings().kafka.bootstrap, group_id=group, enable_auto_commit=False)
    consumer.commit({TopicPartition(topic, 0): OffsetAndMetadata(offset, "", -1)})
    consumer.close()


def test_show_reports_committed_offset_and_lag() -> None:
    group = f"test-group-{uuid.uuid4().hex[:8]}"
    with own_topic() as topic:
        _fill(topic, 10)
        _commit(group, topic, 7)
        (row,) = offsets.show(get_settings(), group)
    assert (row.topic, row.partition, row.committed, row.end, row.lag) == (topic, 0, 7, 10, 3)


def test_reset_is_a_dry_run_unless_executed_and_each_target_works() -> None:
    settings = get_settings()
    group = f"test-group-{uuid.uuid4().hex[:8]}"
    with own_topic() as topic:
        _fill(topic, 10)
        _commit(group, topic, 10)
        (planned,) = offsets.reset(settings, group, topic, None, ResetTarget(earliest=True))
        assert (planned.old, planned.new) == (10, 0)
        assert offsets.show(settings, group)[0].committed == 10  # nothing applied
        offsets.reset(settings, group, topic, 0, ResetTarget(earliest=True), execute=True)
        assert offsets.show(settings, group)[0].committed == 0
        offsets.reset(settings, group, topic, None, ResetTarget(shift_by=4), execute=True)
        assert offsets.show(settings, group)[0].committed == 4
        at = datetime.fromtimestamp((BASE_MS + 6 * 60_000) / 1000, tz=UTC)
        (planned,) = offsets.reset(settings, group, topic, None, ResetTarget(to_datetime=at), execute=True)
        assert (planned.old, planned.new) == (4, 6)  # the first record at or after that time
        offsets.reset(settings, group, topic, None, ResetTarget(shift_by=100), execute=True)
        assert offsets.show(settings, group)[0].committed == 10  # clamped to the end
        offsets.reset(settings, group, topic, None, ResetTarget(latest=True), execute=True)
        assert offsets.show(settings, group)[0].lag == 0


def test_reset_refused_while_the_group_has_live_members() -> None:
    settings = get_settings()
    group = f"test-group-{uuid.uuid4().hex[:8]}"
    with own_topic() as topic:
        _fill(topic, 3)
        live = KafkaConsumer(
            topic,
            bootstrap_servers=settings.kafka.bootstrap,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        try:
            deadline = time.monotonic() + 30
            while not live.assignment() and time.monotonic() < deadline:
                live.poll(timeout_ms=500)
            assert live.assignment(), "the live consumer never joined"
            with pytest.raises(StackError, match="live members"):
                offsets.reset(settings, group, topic, None, ResetTarget(earliest=True), execute=True)
        finally:
            live.close()


def test_reset_needs_exactly_one_target_and_a_zoned_datetime() -> None:
    settings = get_settings()
    with pytest.raises(StackError, match="exactly one"):
        offsets.reset(settings, "g", "t", None, ResetTarget(earliest=True, latest=True))
    with pytest.raises(StackError, match="time zone"):
        offsets.reset(settings, "g", "t", None, ResetTarget(to_datetime=datetime(2026, 1, 1)))
