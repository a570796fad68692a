"""Kafka clients for the operator commands, created in one place with the configured bootstrap."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import KafkaAdminClient

from kernel.errors import StackError
from kernel.settings import Settings

# Group states (Kafka's ListGroups) in which no consumer is attached.
INACTIVE_GROUP_STATES = frozenset({"Empty", "Dead"})


@contextmanager
def admin(settings: Settings) -> Iterator[KafkaAdminClient]:
    try:
        client = KafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap, request_timeout_ms=15000)
    except Exception as exc:  # kafka-python raises several types for an unreachable broker
        raise StackError(f"cannot reach Kafka at {settings.kafka.bootstrap}: {exc}",
                         "is the stack up? `prestasync stack status`") from exc  # fmt: skip
    try:
        yield client
    finally:
        client.close()


def consumer(settings: Settings) -> KafkaConsumer:
    """An unassigned, group-less consumer: reading never moves anybody's committed offsets."""
    return KafkaConsumer(bootstrap_servers=settings.kafka.bootstrap, enable_auto_commit=False, group_id=None)


def producer(settings: Settings) -> KafkaProducer:
    return KafkaProducer(bootstrap_servers=settings.kafka.bootstrap, acks="all", linger_ms=5)


def group_state(client: KafkaAdminClient, group_id: str) -> str | None:
    """The group's state (Stable, Empty, ...), or None when Kafka does not know the group."""
    for group in client.list_groups():
        if group["group_id"] == group_id:
            return str(group["group_state"])
    return None
