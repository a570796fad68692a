"""Consumer lag and dead-letter sizes, sampled from Kafka into the shared gauges.

Lag and DLQ size are facts about Kafka, not about one record, so a worker samples them on a timer
(a daemon thread) instead of computing them on its hot path.
"""

from __future__ import annotations

import logging
import threading

from kafka import TopicPartition
from kafka.admin import OffsetSpec

from kernel.kafka_admin import admin
from kernel.metrics import CONSUMER_LAG, DLQ_SIZE
from kernel.settings import Settings

log = logging.getLogger(__name__)


def sample_once(settings: Settings, groups: list[str], dlq_topics: list[str]) -> None:
    with admin(settings) as client:
        committed = client.list_group_offsets({g: None for g in groups})
        tps = {tp for offsets in committed.values() for tp in offsets}
        known = set(client.list_topics())
        dlq_tps = [
            TopicPartition(t, p)
            for t in dlq_topics
            if t in known
            for d in client.describe_topics([t])
            for p in range(len(d["partitions"]))
        ]
        wanted = tps | set(dlq_tps)
        ends = client.list_partition_offsets({tp: OffsetSpec.LATEST for tp in wanted}) if wanted else {}
    for group, offsets in committed.items():
        for tp, meta in offsets.items():
            if tp in ends and meta.offset >= 0:
                CONSUMER_LAG.labels(group, tp.topic, str(tp.partition)).set(max(ends[tp].offset - meta.offset, 0))
    for topic in dlq_topics:
        DLQ_SIZE.labels(topic).set(sum(ends[tp].offset for tp in dlq_tps if tp.topic == topic))


def start_sampler(
    settings: Settings, groups: list[str], dlq_topics: list[str], stop: threading.Event, interval_s: float = 15.0
) -> threading.Thread:
    def loop() -> None:
        while not stop.is_set():
            try:
                sample_once(settings, groups, dlq_topics)
            except Exception as exc:  # a failed sample leaves the gauges stale; the worker goes on
                log.warning("metrics: lag sample failed: %s", exc)
            stop.wait(interval_s)

    thread = threading.Thread(target=loop, name="lag-sampler", daemon=True)
    thread.start()
    return thread
