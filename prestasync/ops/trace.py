"""`topics trace KEY`: one entity's path through prestasync, in time order.

Starts from the topics keyed by canonical key (canonical, commands, acks, dead letters), learns from
the envelopes which source rows the entity came from, then finds those rows' Debezium events in the
raw topics. So a trace shows: the database change -> the canonical observation -> the command -> the
target's ack (or the dead letter), and the echo that came back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from kernel.settings import Settings
from prestasync.ops.topics import TailedRecord, tail
from schemas import topics


@dataclass(frozen=True)
class TraceStep:
    timestamp: datetime
    topic: str
    offset: int
    kind: str
    summary: str


def keyed_topics() -> list[str]:
    return [
        topics.CANONICAL,
        *(topics.commands_topic(t) for t in topics.TARGET_SYSTEMS),
        topics.ACKS,
        topics.STREAMS_DLQ,
        *(topics.sink_dlq_topic(t) for t in topics.TARGET_SYSTEMS),
    ]


def raw_topic(settings: Settings, system: str, table: str) -> str:
    if system == "prestashop":
        return f"{settings.kafka.topic_prefix_shop}.{settings.mariadb.database}.{settings.mariadb.table_prefix}{table}"
    return f"{settings.kafka.topic_prefix_erp}.public.{table}"


def _raw_key_id(key: object) -> str | None:
    """A Debezium key payload ({"id_customer": 7} or a composite) as the envelope's origin id ("7", "1:2")."""
    if isinstance(key, dict):
        return ":".join(str(v) for v in key.values())
    return None


def trace(
    settings: Settings, key: str, since: datetime | None = None, keyed: list[str] | None = None
) -> list[TraceStep]:
    """Every record about ``key``; topics that do not exist (yet) are skipped."""
    steps: list[TraceStep] = []
    origins: set[tuple[str, str, str]] = set()

    def keep(r: TailedRecord) -> bool:
        return bool(r.key == key)

    for topic in keyed if keyed is not None else keyed_topics():
        for r in _records(settings, topic, since, keep):
            envelope = r.value.get("envelope", {}) if isinstance(r.value, dict) else {}
            if envelope.get("origin_system"):
                origins.add((envelope["origin_system"], envelope["origin_table"], str(envelope["origin_id"])))
            steps.append(TraceStep(r.timestamp, r.topic, r.offset, r.kind, _summary(r)))
    for system, table, origin_id in sorted(origins):
        topic = raw_topic(settings, system, table)
        for r in _records(settings, topic, since, _origin_matcher(origin_id)):
            steps.append(TraceStep(r.timestamp, r.topic, r.offset, r.kind, _summary(r)))
    return sorted(steps, key=lambda s: (s.timestamp, s.topic, s.offset))


def _origin_matcher(origin_id: str) -> Callable[[TailedRecord], bool]:
    return lambda r: _raw_key_id(r.key) == origin_id


def _records(
    settings: Settings, topic: str, since: datetime | None, keep: Callable[[TailedRecord], bool]
) -> list[TailedRecord]:
    from kernel.errors import StackError

    try:
        return list(tail(settings, topic, since=since, from_beginning=since is None, keep=keep))
    except StackError:  # topic not created yet: nothing to show from it
        return []


def _summary(record: TailedRecord) -> str:
    from prestasync.ops.topics import describe

    return "(tombstone)" if record.kind == "tombstone" else describe(record)
