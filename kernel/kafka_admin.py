"""The one Kafka-admin module: topics, end offsets, consumer groups, and every change of a group's
committed offsets (reset, delete) behind the live-group guard.

A group with live members would overwrite a reset with its next commit, and a deleted group under a
running consumer comes back with whatever it commits next: both are refused while the group is live.
Clients come from :mod:`kernel.kafka_clients` (bootstrap, TLS, SASL from the settings).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError, UnknownTopicOrPartitionError
from kafka.structs import TopicPartition

from kernel.errors import StackError
from kernel.kafka_clients import admin_client, consumer
from kernel.settings import Settings

# Group states (Kafka's ListGroups) in which no consumer is attached.
INACTIVE_GROUP_STATES = frozenset({"Empty", "Dead"})


@contextmanager
def admin(settings: Settings, bootstrap_timeout_s: float = 30.0) -> Iterator[KafkaAdminClient]:
    """``bootstrap_timeout_s``: how long an unreachable or refusing broker is retried before it is
    reported (a wrong SASL password or an untrusted CA is retried as a network error)."""
    try:
        client = admin_client(settings, request_timeout_ms=15000, bootstrap_timeout_ms=int(bootstrap_timeout_s * 1000))
    except Exception as exc:  # kafka-python raises several types for an unreachable broker
        raise StackError(
            f"cannot reach Kafka at {settings.kafka.bootstrap}: {exc}", "is the stack up? `prestasync stack status`"
        ) from exc
    try:
        yield client
    finally:
        client.close()


def group_state(client: KafkaAdminClient, group_id: str) -> str | None:
    """The group's state (Stable, Empty, ...), or None when Kafka does not know the group."""
    for group in client.list_groups():
        if group["group_id"] == group_id:
            return str(group["group_state"])
    return None


def require_idle(client: KafkaAdminClient, group_id: str) -> str | None:
    """The group's state, if it has no live member; else :class:`StackError` (the guard)."""
    state = group_state(client, group_id)
    if state is not None and state not in INACTIVE_GROUP_STATES:
        raise StackError(
            f"consumer group {group_id!r} is {state}: it has live members",
            "stop its workers first; a running consumer would overwrite the change",
        )
    return state


def reset_group_offsets(client: KafkaAdminClient, group_id: str, offsets: Mapping[TopicPartition, int]) -> None:
    """Set the group's committed offsets, refused while the group is live."""
    require_idle(client, group_id)
    client.reset_group_offsets(group_id, dict(offsets))


def delete_groups(client: KafkaAdminClient, group_ids: Iterable[str]) -> list[str]:
    """Delete the groups Kafka knows (their committed offsets with them), refused if one is live.
    Returns the ones deleted."""
    known = [g for g in group_ids if require_idle(client, g) is not None]
    if known:
        client.delete_groups(known)
    return known


def ensure_topics(settings: Settings, names: Iterable[str], partitions: int = 3) -> None:
    with admin(settings) as client:
        for name in names:
            with contextlib.suppress(TopicAlreadyExistsError):
                client.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)])


def delete_topics(settings: Settings, names: Iterable[str]) -> None:
    with admin(settings) as client:
        for name in names:
            with contextlib.suppress(UnknownTopicOrPartitionError):
                client.delete_topics([name])


def topic_widths(client: KafkaAdminClient) -> dict[str, int]:
    """Partitions of every existing topic."""
    return {t["name"]: len(t["partitions"]) for t in client.describe_topics() if t["error_code"] == 0}


def create_missing(
    client: KafkaAdminClient, widths: Mapping[str, int], configs: Mapping[str, Mapping[str, str]] | None = None
) -> list[str]:
    """Create the topics of ``widths`` (name -> partitions) that do not exist, each with its
    ``configs`` entry if any (topic configs, e.g. compaction); return their names."""
    existing = topic_widths(client)
    extra = configs or {}
    missing = {
        name: {
            "num_partitions": n,
            "replication_factor": -1,
            **({"configs": dict(extra[name])} if name in extra else {}),
        }
        for name, n in widths.items()
        if name not in existing
    }
    if missing:
        client.create_topics(missing, raise_errors=False, wait_for_metadata=True)
    return sorted(missing)


def committed_offsets(client: KafkaAdminClient, group: str) -> dict[TopicPartition, int]:
    """The group's committed offsets (partitions it never committed are absent)."""
    committed = client.list_group_offsets({group: None}).get(group, {})
    return {tp: meta.offset for tp, meta in committed.items() if meta.offset >= 0}


def end_offsets(settings: Settings, *topics: str) -> dict[TopicPartition, int]:
    reader = consumer(settings)
    try:
        tps = [TopicPartition(t, p) for t in topics for p in sorted(reader.partitions_for_topic(t) or ())]
        return dict(reader.end_offsets(tps)) if tps else {}
    finally:
        reader.close()


def group_lag(settings: Settings, group: str, topic: str) -> int:
    """Records of ``topic`` the group has not committed yet (all of them if it never committed)."""
    with admin(settings) as client:
        committed = client.list_group_offsets(group).get(group, {})
    lag = 0
    for tp, end in end_offsets(settings, topic).items():
        meta = committed.get(tp)
        lag += end - (meta.offset if meta is not None and meta.offset >= 0 else 0)
    return lag
