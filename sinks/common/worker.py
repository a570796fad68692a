"""The sink worker: consume commands, apply them through a TargetSink, ack, dead-letter, commit.

Delivery is at-least-once and the handlers are idempotent, so the effect is once:

* auto-commit is off; a partition's offset is committed only up to its first command whose effect
  is not confirmed, and only after that command's ack / dead letter was flushed to Kafka;
* a transient failure is retried (:mod:`sinks.common.retry`); when retries run out the partition
  is sought back to the blocked command and paused for ``pause_seconds``, then tried again.
  Nothing is ever skipped;
* a terminal failure, an undecodable record or a type without a handler goes to the sink's DLQ
  (original bytes + DLQ headers) and the partition moves on;
* ``stop`` (SIGTERM) ends the loop after the in-flight round; commands not finished are left
  uncommitted and run again on the next start.

The worker is given its Kafka consumer and producer (:func:`run_sink` builds them, and the codec, from
the settings through ``kernel``), so its commit-after-effect logic runs in unit tests on doubles.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kafka import KafkaConsumer, KafkaProducer
from kafka.errors import CommitFailedError, IllegalStateError
from kafka.structs import OffsetAndMetadata, TopicPartition

from kernel import kafka_clients, metrics
from kernel.codec import canonical_codec
from kernel.settings import Settings
from schemas import topics
from schemas.codec import Codec
from sinks.common.commands import Command, read_command
from sinks.common.dispatch import Dead, Dispatcher, Done, Schedule
from sinks.common.errors import TransientError
from sinks.common.handlers import TargetSink
from sinks.common.outcomes import OutcomePublisher
from sinks.common.retry import RetryPolicy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerOptions:
    """Topic and group names default to ``schemas.topics`` for the sink's system; tests inject their own."""

    topic: str | None = None
    group: str | None = None
    dlq_topic: str | None = None
    acks_topic: str = topics.ACKS
    concurrency: int = 8
    batch_size: int = 50
    max_poll_records: int = 200
    poll_timeout_ms: int = 500
    pause_seconds: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @classmethod
    def from_settings(cls, settings: Settings, system: str, **overrides: Any) -> WorkerOptions:
        """The options ``sinks.<system>`` gives (concurrency, batch size, attempts, pause); ``overrides``
        (the command line's, None for "not given") win."""
        worker = settings.sinks.worker(system)
        given = {k: v for k, v in overrides.items() if v is not None}
        attempts = given.pop("max_attempts", worker.max_attempts)
        return cls(
            **{
                "concurrency": worker.concurrency,
                "batch_size": worker.batch_size,
                "pause_seconds": worker.pause_seconds,
                "retry": RetryPolicy(max_attempts=attempts),
                **given,
            }
        )


@dataclass
class WorkerStats:
    """Counters of one run (read by the benchmark and the tests; updated by the worker thread)."""

    applied: int = 0
    unchanged: int = 0  # nothing written (stale refusals included)
    stale: int = 0  # refused: the target changed since the command was derived
    dead: int = 0
    retries: int = 0
    pauses: int = 0
    # the target refuses the key or rights (CredentialsRefused): partitions wait for an operator
    credentials_refused: str | None = None
    committed: dict[str, int] = field(default_factory=dict)
    first_polled_at: float | None = None  # time.monotonic() when the first commands arrived

    @property
    def settled(self) -> int:
        return self.applied + self.unchanged + self.dead


class _Progress:
    """Which polled offsets of one partition are settled (applied or dead-lettered)."""

    def __init__(self) -> None:
        self.offsets: list[int] = []
        self.settled: set[int] = set()
        self.committed: int | None = None

    def first_pending(self) -> int | None:
        return next((o for o in self.offsets if o not in self.settled), None)

    def committable(self) -> int:
        pending = self.first_pending()
        return pending if pending is not None else self.offsets[-1] + 1


def worker_clients(settings: Settings, system: str, options: WorkerOptions) -> tuple[KafkaConsumer, KafkaProducer]:
    """The worker's consumer (its group, manual commits) and its acks / DLQ producer (``acks=all``)."""
    group = options.group or topics.sink_group(system)
    consumer = kafka_clients.consumer(
        settings,
        group_id=group,
        client_id=f"{group}-worker",
        auto_offset_reset="earliest",
        max_poll_records=options.max_poll_records,
        max_poll_interval_ms=900_000,
    )
    return consumer, kafka_clients.producer(settings, client_id=f"{group}-acks")


class SinkWorker:
    def __init__(
        self,
        sink: TargetSink,
        stop: threading.Event,
        options: WorkerOptions,
        codec: Codec,
        stats: WorkerStats,
        consumer: KafkaConsumer,
        producer: KafkaProducer,
    ) -> None:
        self.sink = sink
        self.stop = stop
        self.options = options
        self.codec = codec
        self.stats = stats
        self.topic = options.topic or topics.commands_topic(sink.system)
        self.dlq_topic = options.dlq_topic or topics.sink_dlq_topic(sink.system)
        self.consumer, self.producer = consumer, producer
        self.outcomes = OutcomePublisher(sink.system, producer, codec, options.acks_topic, self.dlq_topic, stats)
        self.dispatcher = Dispatcher(
            sink,
            concurrency=options.concurrency,
            batch_size=options.batch_size,
            retry=options.retry,
            stop=stop,
            on_retry=self._on_retry,
        )
        self.paused: dict[TopicPartition, float] = {}  # partition -> monotonic time to resume
        # Offsets settled past a blocked one: after the seek back they are polled again, and must
        # not be applied, acked or dead-lettered a second time.
        self.settled_ahead: dict[TopicPartition, set[int]] = {}

    # -- main loop ------------------------------------------------------------------------
    def run(self) -> WorkerStats:
        self.consumer.subscribe([self.topic])
        log.info("sink %s: consuming %s", self.sink.system, self.topic)
        try:
            while not self.stop.is_set():
                self._resume_due()
                polled = self.consumer.poll(timeout_ms=self.options.poll_timeout_ms)
                commands = [
                    read_command(self.codec, r.topic, r.partition, r.offset, r.key, r.value, list(r.headers or []))
                    for records in polled.values()
                    for r in records
                ]
                if commands:
                    if self.stats.first_polled_at is None:
                        self.stats.first_polled_at = time.monotonic()
                    self._process(commands)
        finally:
            self._close()
        return self.stats

    def _process(self, commands: Sequence[Command]) -> None:
        progress: dict[TopicPartition, _Progress] = {}
        to_run = []
        for command in sorted(commands, key=lambda c: c.offset):
            tp = TopicPartition(command.topic, command.partition)
            state = progress.setdefault(tp, _Progress())
            state.offsets.append(command.offset)
            if command.offset in self.settled_ahead.get(tp, ()):
                state.settled.add(command.offset)
            else:
                to_run.append(command)
        schedule = Schedule(to_run)
        while schedule and not self.stop.is_set():
            outcomes = self.dispatcher.run_round(schedule.next_round())
            futures = [self.outcomes.publish(command, outcome) for command, outcome in outcomes.items()]
            self.producer.flush()
            for future in futures:
                if future is not None:
                    future.get(timeout=30)  # a failed ack / DLQ send must not let the offset move
            for command, outcome in outcomes.items():
                if isinstance(outcome, Done | Dead):
                    progress[TopicPartition(command.topic, command.partition)].settled.add(command.offset)
            schedule.settle(outcomes)
            self._commit(progress)
        if self.stop.is_set():
            return
        for tp, state in progress.items():
            pending = state.first_pending()
            self.settled_ahead[tp] = {o for o in state.settled if pending is not None and o > pending}
            if pending is not None:  # a blocked command: go back to it later, never past it
                self._pause(tp, pending)

    def _commit(self, progress: dict[TopicPartition, _Progress]) -> None:
        offsets = {}
        for tp, state in progress.items():
            target = state.committable()
            if state.committed is None or target > state.committed:
                offsets[tp] = OffsetAndMetadata(target, "", -1)
        if not offsets:
            return
        try:
            self.consumer.commit(offsets)
        except CommitFailedError as exc:  # rebalanced away: the new owner replays, idempotently
            log.warning("sink %s: commit failed (%s); the partition's next owner will replay", self.sink.system, exc)
            return
        for tp, meta in offsets.items():
            progress[tp].committed = meta.offset
            self.stats.committed[f"{tp.topic}:{tp.partition}"] = meta.offset

    def _pause(self, tp: TopicPartition, offset: int) -> None:
        try:
            self.consumer.seek(tp, offset)
            self.consumer.pause(tp)
        except (IllegalStateError, AssertionError, KeyError) as exc:  # no longer assigned to us
            log.info("sink %s: cannot pause %s (%s)", self.sink.system, tp, exc)
            return
        self.stats.pauses += 1
        self.paused[tp] = time.monotonic() + self.options.pause_seconds
        log.warning(
            "sink %s: paused %s at offset %d for %.0fs", self.sink.system, tp, offset, self.options.pause_seconds
        )

    def _resume_due(self) -> None:
        now = time.monotonic()
        assigned = self.consumer.assignment()
        for tp, resume_at in list(self.paused.items()):
            if tp not in assigned:  # revoked: the next owner starts from the committed offset
                del self.paused[tp]
                self.settled_ahead.pop(tp, None)
            elif resume_at <= now:
                self.consumer.resume(tp)
                del self.paused[tp]
                log.info("sink %s: resumed %s", self.sink.system, tp)

    def _on_retry(self, error: TransientError, wait: float) -> None:
        self.stats.retries += 1
        metrics.API_ERRORS.labels(self.sink.system, "transient").inc()
        log.info("sink %s: transient error, retrying in %.1fs: %s", self.sink.system, wait, error.reason)

    def _close(self) -> None:
        self.dispatcher.close()
        try:
            self.producer.flush(timeout=30)
            self.producer.close(timeout=30)
        finally:
            self.consumer.close(autocommit=False)
            self.sink.close()


def run_sink(
    settings: Settings,
    sink: TargetSink,
    stop: threading.Event,
    options: WorkerOptions | None = None,
    *,
    codec: Codec | None = None,
    stats: WorkerStats | None = None,
) -> WorkerStats:
    """Run ``sink`` until ``stop`` is set; returns the run's counters. The codec and the Kafka clients
    come from the settings (``kafka.schema_registry_url``, TLS, SASL) unless given."""
    options = options or WorkerOptions()
    consumer, producer = worker_clients(settings, sink.system, options)
    worker = SinkWorker(
        sink,
        stop,
        options,
        codec or canonical_codec(settings),
        stats if stats is not None else WorkerStats(),
        consumer,
        producer,
    )
    return worker.run()
