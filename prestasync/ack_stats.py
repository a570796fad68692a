"""What the sinks' acks say about a run: confirmations by target and entity, and their end-to-end latency
(source commit time -> target API confirmation), read live from the acks topic."""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

from kernel.codec import canonical_codec
from kernel.kafka_clients import consumer
from kernel.settings import Settings
from schemas import topics
from schemas.acks import SinkAck


@dataclass
class AckStats:
    """What the sinks confirmed for changes made since ``since`` (older ones: ``backlog``), by target.

    ``max_samples`` bounds the latency samples kept per target (the demo runs for ever: its figures are
    over the last ``max_samples`` confirmations); None keeps every sample (benchmarks, tests).
    """

    since: datetime = field(default_factory=lambda: datetime(1970, 1, 1, tzinfo=UTC))
    max_samples: int | None = None
    applied: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_entity: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    latencies: dict[str, deque[float]] = field(default_factory=dict)
    entity_latencies: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    backlog: int = 0
    orders: dict[str, set[str]] = field(default_factory=dict)  # distinct order keys confirmed, by target
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ack: SinkAck) -> None:
        with self.lock:
            if ack.envelope.source_ts < self.since:
                self.backlog += 1  # a change made before this run: worked off, not this run's figure
                return
            target, entity = ack.target_system, ack.command_entity
            self.applied[target] += 1
            self.by_entity[(target, entity)] += 1
            seconds = max((ack.applied_ts - ack.envelope.source_ts).total_seconds(), 0.0)
            self.latencies.setdefault(target, deque(maxlen=self.max_samples)).append(seconds)
            self.entity_latencies.setdefault((target, entity), deque(maxlen=self.max_samples)).append(seconds)
            if entity == "order":
                self.orders.setdefault(target, set()).add(ack.envelope.canonical_key or ack.envelope.origin_id)

    def confirmed(self, target: str, entities: tuple[str, ...]) -> tuple[int, list[float]]:
        with self.lock:
            if entities == ("order",):  # an order's later updates are commands too: count orders
                count = len(self.orders.get(target, ()))
            else:
                count = sum(self.by_entity.get((target, e), 0) for e in entities)
            samples = [s for e in entities for s in self.entity_latencies.get((target, e), ())]
        return count, samples


def follow_acks(settings: Settings, stats: AckStats, stop: threading.Event) -> None:
    reader = consumer(settings, topics.ACKS, auto_offset_reset="latest")
    codec = canonical_codec(settings)
    try:
        while not stop.is_set():
            for records in reader.poll(timeout_ms=500).values():
                for record in records:
                    try:
                        ack = codec.decode(record.value)
                    except Exception:  # noqa: S112 - the demo shows what it can; the DLQ tooling shows the rest
                        continue
                    if isinstance(ack, SinkAck):
                        stats.add(ack)
    finally:
        reader.close()
