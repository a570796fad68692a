"""Lag and dead-letter sizes reach the Prometheus gauges from the real Kafka."""

from __future__ import annotations

import uuid

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata

from kernel.metrics import REGISTRY
from kernel.metrics_sampler import sample_once
from kernel.settings import get_settings
from tests.support.kafka_topics import own_topic

pytestmark = pytest.mark.integration


def test_lag_and_dlq_size_gauges() -> None:
    settings = get_settings()
    group = f"test-group-{uuid.uuid4().hex[:8]}"
    with own_topic("test-cmd") as commands, own_topic("test-dlq") as dead:
        out = KafkaProducer(bootstrap_servers=settings.kafka.bootstrap)
        for i in range(5):
            out.send(commands, value=f"c{i}".encode())
        for i in range(2):
            out.send(dead, value=f"d{i}".encode())
        out.flush()
        out.close()
        reader = KafkaConsumer(bootstrap_servers=settings.kafka.bootstrap, group_id=group, enable_auto_commit=False)
        reader.commit({TopicPartition(commands, 0): OffsetAndMetadata(2, "", -1)})
        reader.close()
        sample_once(settings, [group], [dead])
    assert (
        REGISTRY.get_sample_value("prestasync_consumer_lag", {"group": group, "topic": commands, "partition": "0"}) == 3
    )
    assert REGISTRY.get_sample_value("prestasync_dlq_records", {"topic": dead}) == 2
