"""The sink worker's commit-after-effect logic on Kafka doubles (the worker is given its clients).

Integration tests run the same worker on the real broker (tests/integration/sinks); these pin down the
order of effects: a command's ack or dead letter is flushed and confirmed before its offset is
committed, a blocked command is never committed past, a failed ack send commits nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from kafka import KafkaConsumer, KafkaProducer
from kafka.errors import KafkaTimeoutError
from kafka.structs import OffsetAndMetadata, TopicPartition

from kernel import codec as kernel_codec
from kernel.codec import canonical_codec
from kernel.settings import KafkaSettings, Settings
from sandbox.sample import commands as samples
from schemas.codec import SingleObjectCodec
from schemas.records import Canonical, Customer
from sinks.common import worker as worker_module
from sinks.common.commands import command_headers
from sinks.common.errors import TransientError
from sinks.common.handlers import Applied, CommandMeta
from sinks.common.retry import RetryPolicy
from sinks.common.worker import SinkWorker, WorkerOptions, WorkerStats, run_sink

pytestmark = pytest.mark.unit

TOPIC, DLQ, ACKS = "t.commands", "t.dlq", "t.acks"
TP = TopicPartition(TOPIC, 0)
CODEC = SingleObjectCodec()


@dataclass
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]


class Future:
    def __init__(self, log: list[str], what: str, error: Exception | None) -> None:
        self.log, self.what, self.error = log, what, error

    def get(self, timeout: float) -> None:
        if self.error is not None:
            raise self.error
        self.log.append(f"confirmed {self.what}")


class FakeProducer:
    def __init__(self, log: list[str], fail: Exception | None = None) -> None:
        self.log, self.fail = log, fail
        self.sent: list[tuple[str, bytes | None, bytes | None]] = []

    def send(
        self,
        topic: str,
        key: bytes | None = None,
        value: bytes | None = None,
        headers: list[tuple[str, bytes]] | None = None,
    ) -> Future:
        self.sent.append((topic, key, value))
        self.log.append(f"send {topic}")
        return Future(self.log, topic, self.fail)

    def flush(self, timeout: float | None = None) -> None:
        self.log.append("flush")

    def close(self, timeout: float | None = None) -> None:
        pass


class FakeConsumer:
    """Delivers its records from the current position, honours seek / pause, records commits; sets
    ``stop`` once a poll finds nothing left to deliver."""

    def __init__(self, records: list[Record], log: list[str], stop: threading.Event) -> None:
        self.records, self.log, self.stop = records, log, stop
        self.position = 0
        self.paused: set[TopicPartition] = set()
        self.commits: list[int] = []

    def subscribe(self, topics: list[str]) -> None:
        pass

    def assignment(self) -> set[TopicPartition]:
        return {TP}

    def poll(self, timeout_ms: int) -> Mapping[TopicPartition, list[Record]]:
        batch = [] if TP in self.paused else self.records[self.position :]
        self.position += len(batch)
        if not batch:
            self.stop.set()
        return {TP: batch} if batch else {}

    def commit(self, offsets: Mapping[TopicPartition, OffsetAndMetadata]) -> None:
        self.commits.append(offsets[TP].offset)
        self.log.append(f"commit {offsets[TP].offset}")

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.position = offset

    def pause(self, tp: TopicPartition) -> None:
        self.paused.add(tp)

    def resume(self, tp: TopicPartition) -> None:
        self.paused.discard(tp)

    def close(self, autocommit: bool = False) -> None:
        pass


@dataclass
class Sink:
    """Applies customers; customer 2 keeps failing transiently (until ``heal``)."""

    system: str = "odoo"
    applied: list[int] = field(default_factory=list)
    failing: set[int] = field(default_factory=set)

    def handlers(self) -> Mapping[type[Canonical], Any]:
        def apply(record: Canonical, meta: CommandMeta) -> Applied:
            assert isinstance(record, Customer)
            if record.shop_customer_id in self.failing:
                raise TransientError("HTTP 503")
            self.applied.append(record.shop_customer_id)
            return Applied({"res.partner": str(record.shop_customer_id)})

        return {Customer: apply}

    def close(self) -> None:
        pass


def command(offset: int, value: bytes | None) -> Record:
    return Record(TOPIC, 0, offset, f"K{offset}".encode(), value, command_headers(f"c{offset}"))


def customers(*ids: int) -> list[Record]:
    return [command(i, CODEC.encode(samples.customer(cid))) for i, cid in enumerate(ids)]


OPTIONS = WorkerOptions(
    topic=TOPIC,
    group="g",
    dlq_topic=DLQ,
    acks_topic=ACKS,
    pause_seconds=3600,
    retry=RetryPolicy(max_attempts=2, base_delay=0.0, jitter=0.0),
)


def run(
    records: list[Record], sink: Sink, fail: Exception | None = None
) -> tuple[FakeConsumer, FakeProducer, list[str], WorkerStats]:
    log: list[str] = []
    stop = threading.Event()
    consumer, producer = FakeConsumer(records, log, stop), FakeProducer(log, fail)
    worker = SinkWorker(
        sink, stop, OPTIONS, CODEC, WorkerStats(), cast(KafkaConsumer, consumer), cast(KafkaProducer, producer)
    )
    return consumer, producer, log, worker.run()


def test_offsets_are_committed_only_after_the_acks_are_confirmed() -> None:
    consumer, producer, log, stats = run(customers(1, 3, 4), Sink())
    assert stats.applied == 3 and consumer.commits[-1] == 3
    assert [t for t, _, _ in producer.sent] == [ACKS, ACKS, ACKS]
    first_commit = log.index(next(e for e in log if e.startswith("commit")))
    assert log[:first_commit].count(f"confirmed {ACKS}") == 3 and "flush" in log[:first_commit]


def test_a_blocked_command_is_never_committed_past() -> None:
    sink = Sink(failing={2})
    consumer, producer, _, stats = run(customers(1, 2, 3), sink)
    assert sink.applied == [1, 3]  # another key goes on
    assert consumer.commits == [1]  # offset 1 (customer 2) is where the group resumes
    assert stats.pauses == 1 and TP in consumer.paused and consumer.position == 1
    assert [t for t, _, _ in producer.sent] == [ACKS, ACKS]


def test_a_failed_ack_send_commits_nothing() -> None:
    with pytest.raises(KafkaTimeoutError):
        run(customers(1), Sink(), fail=KafkaTimeoutError("broker gone"))
    # the run raised before any commit: the next start replays the command (idempotent handlers)


def test_an_undecodable_command_is_dead_lettered_with_its_bytes_then_committed() -> None:
    consumer, producer, log, stats = run([command(0, b"junk"), command(1, CODEC.encode(samples.customer(5)))], Sink())
    assert stats.dead == 1 and stats.applied == 1
    assert (DLQ, b"K0", b"junk") in producer.sent
    assert consumer.commits[-1] == 2 and log.index(f"confirmed {DLQ}") < log.index("commit 2")


class Registry:
    """A Confluent-compatible registry in memory (lookup / register / schema by id)."""

    def __init__(self) -> None:
        self.schemas: dict[int, str] = {}

    def post(self, url: str, data: str, **_: Any) -> Any:
        import json

        schema = json.loads(data)["schema"]
        known = {text: schema_id for schema_id, text in self.schemas.items()}
        if schema not in known:
            known[schema] = len(self.schemas) + 1
            self.schemas[known[schema]] = schema
        return _Reply({"id": known[schema]})

    def get(self, url: str, **_: Any) -> Any:
        return _Reply({"schema": self.schemas[int(url.rsplit("/", 1)[1])]})


class _Reply:
    status_code = 200

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body

    def json(self) -> dict[str, Any]:
        return self.body


def test_the_worker_decodes_with_the_codec_the_settings_ask_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """With kafka.schema_registry_url set, commands are Confluent-framed: a worker on the default codec
    dead-lettered every one of them as Undecodable."""
    registry = Registry()
    monkeypatch.setattr(kernel_codec, "registry_session", lambda kafka: registry)
    settings = Settings(kafka=KafkaSettings(schema_registry_url="http://registry.invalid:8081"))
    framed = canonical_codec(settings).encode(samples.customer(7))
    assert framed[0] == 0  # Confluent wire format, not single-object
    log: list[str] = []
    stop = threading.Event()
    consumer, producer = FakeConsumer([command(0, framed)], log, stop), FakeProducer(log)
    monkeypatch.setattr(worker_module, "worker_clients", lambda s, system, options: (consumer, producer))
    sink = Sink()
    stats = run_sink(settings, cast(Any, sink), stop, OPTIONS)
    assert (stats.applied, stats.dead, sink.applied) == (1, 0, [7])
    assert consumer.commits == [1]


def test_a_refused_key_pauses_with_an_alert_and_dead_letters_nothing() -> None:
    """401/403 (CredentialsRefused) in any sink: the partition waits, health fails, the counter moves; once
    the key is fixed the same commands go through (none was dead-lettered)."""
    from kernel import metrics
    from sinks.common.errors import CredentialsRefused
    from sinks.common.runner import _health

    class Refusing(Sink):
        refuse = True

        def handlers(self) -> Mapping[type[Canonical], Any]:
            apply = super().handlers()[Customer]

            def guarded(record: Canonical, meta: CommandMeta) -> Applied:
                if self.refuse:
                    raise CredentialsRefused("prestashop: authentication failed", response="HTTP 401\n")
                return apply(record, meta)

            return {Customer: guarded}

    counter = metrics.CREDENTIALS_REFUSED.labels("odoo")
    before = counter._value.get()
    sink = Refusing()
    records = customers(1, 3)
    consumer, producer, _, stats = run(records, sink)
    assert (stats.dead, stats.applied, producer.sent) == (0, 0, [])
    assert max(consumer.commits, default=0) == 0  # the group stays at the first refused command
    assert stats.pauses == 1 and stats.credentials_refused == "prestashop: authentication failed"
    assert counter._value.get() == before + 2  # both commands (two keys) were refused
    healthy, detail = _health(threading.Event(), stats)
    assert not healthy and detail["credentials_refused"] == "prestashop: authentication failed"
    sink.refuse = False  # the operator fixed the key: the next start (same offsets) applies both
    consumer, producer, _, stats = run(records, sink)
    assert sink.applied == [1, 3] and consumer.commits[-1] == 2 and _health(threading.Event(), stats)[0]
