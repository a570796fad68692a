"""Small Kafka helpers for operating sinks: topics, a consumer group's lag (offset resets are
``prestasync offsets reset``, which refuses a live group)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from kafka import KafkaAdminClient, KafkaConsumer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError, UnknownTopicOrPartitionError
from kafka.structs import TopicPartition


def ensure_topics(bootstrap: str, names: Iterable[str], partitions: int = 3) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="prestasync-admin")
    try:
        for name in names:
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)])
    finally:
        admin.close()


def delete_topics(bootstrap: str, names: Iterable[str]) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="prestasync-admin")
    try:
        for name in names:
            with contextlib.suppress(UnknownTopicOrPartitionError):
                admin.delete_topics([name])
    finally:
        admin.close()


def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        return dict(consumer.end_offsets(tps)) if tps else {}
    finally:
        consumer.close()


def group_lag(bootstrap: str, group: str, topic: str) -> int:
    """Records of ``topic`` the group has not committed yet (all of them if it never committed)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="prestasync-admin")
    try:
        committed = admin.list_group_offsets(group).get(group, {})
    finally:
        admin.close()
    lag = 0
    for tp, end in end_offsets(bootstrap, topic).items():
        meta = committed.get(tp)
        lag += end - (meta.offset if meta is not None and meta.offset >= 0 else 0)
    return lag
