"""`offsets show | reset`: committed offsets, lag, and reprocessing by moving a group's offsets.

A reset is a dry run unless ``execute`` is set, and is refused while the group has live members:
moving offsets under a running consumer is silently undone by its next commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kafka import TopicPartition
from kafka.admin import OffsetSpec, OffsetTimestamp

from kernel.errors import StackError
from kernel.kafka_admin import admin, group_state, require_idle, reset_group_offsets
from kernel.settings import Settings


@dataclass(frozen=True)
class PartitionOffsets:
    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int | None:
        return None if self.committed is None else max(self.end - self.committed, 0)


def show(settings: Settings, group_id: str) -> list[PartitionOffsets]:
    with admin(settings) as client:
        if group_state(client, group_id) is None:
            raise StackError(f"consumer group {group_id!r} does not exist", "list groups: `prestasync topics list`")
        committed = client.list_group_offsets({group_id: None}).get(group_id, {})
        ends = client.list_partition_offsets({tp: OffsetSpec.LATEST for tp in committed}) if committed else {}
    rows = [
        PartitionOffsets(tp.topic, tp.partition, meta.offset if meta.offset >= 0 else None, ends[tp].offset)
        for tp, meta in committed.items()
    ]
    return sorted(rows, key=lambda r: (r.topic, r.partition))


@dataclass(frozen=True)
class ResetTarget:
    """Exactly one way of choosing the new offsets."""

    earliest: bool = False
    latest: bool = False
    to_datetime: datetime | None = None
    shift_by: int | None = None

    def check(self) -> None:
        chosen = [self.earliest, self.latest, self.to_datetime is not None, self.shift_by is not None]
        if sum(chosen) != 1:
            raise StackError("choose exactly one of --to-earliest, --to-latest, --to-datetime, --shift-by")
        if self.to_datetime is not None and self.to_datetime.tzinfo is None:
            raise StackError("--to-datetime needs a time zone (e.g. 2026-11-27T10:00:00+00:00 or ...Z)")


@dataclass(frozen=True)
class PlannedReset:
    topic: str
    partition: int
    old: int | None
    new: int


def reset(
    settings: Settings, group_id: str, topic: str, partition: int | None, target: ResetTarget, execute: bool = False
) -> list[PlannedReset]:
    """Plan (and with ``execute``, apply) new committed offsets for ``group_id`` on ``topic``."""
    target.check()
    with admin(settings) as client:
        state = require_idle(client, group_id)
        partitions = sorted(p for t in client.describe_topics([topic]) for p in _partition_ids(t))
        if partition is not None:
            if partition not in partitions:
                raise StackError(f"{topic} has no partition {partition} (partitions: {partitions})")
            partitions = [partition]
        tps = [TopicPartition(topic, p) for p in partitions]
        committed = client.list_group_offsets({group_id: tps}).get(group_id, {}) if state else {}
        earliest = client.list_partition_offsets({tp: OffsetSpec.EARLIEST for tp in tps})
        latest = client.list_partition_offsets({tp: OffsetSpec.LATEST for tp in tps})
        plan: list[PlannedReset] = []
        for tp in tps:
            old_meta = committed.get(tp)
            old = old_meta.offset if old_meta is not None and old_meta.offset >= 0 else None
            low, high = earliest[tp].offset, latest[tp].offset
            if target.earliest:
                new = low
            elif target.latest:
                new = high
            elif target.shift_by is not None:
                new = (old if old is not None else high) + target.shift_by
            else:
                assert target.to_datetime is not None
                found = client.list_partition_offsets(
                    {tp: OffsetTimestamp(int(target.to_datetime.timestamp() * 1000))}
                )[tp].offset
                new = high if found < 0 else found
            plan.append(PlannedReset(tp.topic, tp.partition, old, min(max(new, low), high)))
        if execute:
            reset_group_offsets(client, group_id, {TopicPartition(p.topic, p.partition): p.new for p in plan})
    return plan


def _partition_ids(topic_description: object) -> list[int]:
    if isinstance(topic_description, dict):
        if topic_description.get("error_code"):
            raise StackError(f"topic {topic_description.get('topic') or topic_description.get('name')} not found")
        return [
            int(p["partition_index"] if "partition_index" in p else p["partition"])
            for p in topic_description["partitions"]
        ]
    raise StackError(f"unexpected topic description: {topic_description!r}")
