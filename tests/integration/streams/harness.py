"""A streams worker as a subprocess with its own topics (``streams.topic_suffix``), app id and
metrics port, starting at the raw topics' end; reading its command topics back; cleaning up."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.structs import TopicPartition

from kernel.codec import canonical_codec
from kernel.procs import free_port
from kernel.settings import REPO_ROOT, Settings, get_settings
from schemas import topics
from schemas.acks import SinkAck
from schemas.records import Customer
from sinks.odoo import mapping
from streams.fields import synced_fields
from streams.local_state import data_dir
from streams.topology import StreamTopics, stream_topics
from tests.support.polling import wait_until


@dataclass(frozen=True)
class Command:
    topic: str
    offset: int
    key: str
    value: bytes
    headers: dict[str, bytes]


class StreamsWorker:
    """``prestasync run streams`` for one test; ``start``/``kill``/``stop`` may repeat (same state)."""

    def __init__(self, log_dir: Path) -> None:
        self.suffix = f".t{uuid.uuid4().hex[:12]}"
        self.port = free_port()
        base = get_settings()
        self.settings: Settings = base.model_copy(
            update={
                "streams": base.streams.model_copy(
                    update={"topic_suffix": self.suffix, "start_from": "latest", "metrics_port": self.port}
                )
            }
        )
        self.topics: StreamTopics = stream_topics(self.settings)
        self.app_id = self.settings.streams.app_id + self.suffix
        self.log_dir = log_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self.runs = 0

    @property
    def bootstrap(self) -> str:
        return self.settings.kafka.bootstrap

    def start(self, timeout: float = 90.0) -> None:
        env = {
            **os.environ,
            "PRESTASYNC_STREAMS__TOPIC_SUFFIX": self.suffix,
            "PRESTASYNC_STREAMS__START_FROM": "latest",
            "PRESTASYNC_STREAMS__METRICS_PORT": str(self.port),
            # a SIGKILLed worker's group membership expires quickly, so a restart rejoins fast
            "PRESTASYNC_STREAMS__SESSION_TIMEOUT_S": "10",
        }
        self.runs += 1
        log = (self.log_dir / f"streams-{self.runs}.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "prestasync.cli", "run", "streams"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self.healthy, f"the streams worker's /health (log: {log.name})", timeout)

    def healthy(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"the streams worker exited with {self.proc.returncode}; see {self.log_dir}")
        try:
            return requests.get(f"http://127.0.0.1:{self.port}/health", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    def metrics(self) -> str:
        return requests.get(f"http://127.0.0.1:{self.port}/metrics", timeout=5).text

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no final commit or changelog flush."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    # -- Kafka ------------------------------------------------------------------------------------
    def commands(self, target: str, key: str | None = None) -> list[Command]:
        """Every record on the command topic of ``target`` (optionally only ``key``)."""
        topic = self.topics.commands[target]
        consumer = KafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False)
        try:
            tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
            ends = consumer.end_offsets(tps)
            consumer.assign(tps)
            consumer.seek_to_beginning()
            out: list[Command] = []
            deadline = time.monotonic() + 20
            while any(consumer.position(tp) < end for tp, end in ends.items()) and time.monotonic() < deadline:
                for records in consumer.poll(timeout_ms=500).values():
                    out += [
                        Command(
                            topic, r.offset, (r.key or b"").decode(), r.value or b"", {k: v for k, v in r.headers or []}
                        )
                        for r in records
                    ]
            return [c for c in out if key is None or c.key == key]
        finally:
            consumer.close()

    def caught_up(self, topics: list[str]) -> bool:
        """The worker committed every record now in ``topics`` (and in its canonical topic)."""
        names = [*topics, self.topics.canonical]
        admin = KafkaAdminClient(bootstrap_servers=self.bootstrap)
        try:
            committed = admin.list_group_offsets({self.app_id: None}).get(self.app_id, {})
        finally:
            admin.close()
        consumer = KafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False)
        try:
            tps = [TopicPartition(n, p) for n in names for p in sorted(consumer.partitions_for_topic(n) or ())]
            ends = consumer.end_offsets(tps)
        finally:
            consumer.close()
        return all(end == 0 or (tp in committed and committed[tp].offset >= end) for tp, end in ends.items())

    def settle(self, topics: list[str], timeout: float = 30.0) -> None:
        """Wait until the worker processed (and committed) everything now in ``topics``."""
        time.sleep(1.0)  # let Debezium publish the last committed row changes
        wait_until(lambda: self.caught_up(topics), f"the worker to catch up on {topics}", timeout, 0.5)

    def cleanup(self) -> None:
        self.stop()
        admin = KafkaAdminClient(bootstrap_servers=self.bootstrap)
        try:
            mine = [t for t in admin.list_topics() if t in self.topics.own() or t.startswith(self.app_id + "-")]
            if mine:
                admin.delete_topics(mine, raise_errors=False)
            with contextlib.suppress(Exception):
                admin.delete_groups([self.app_id])
        finally:
            admin.close()
        shutil.rmtree(data_dir(self.settings.home, self.app_id), ignore_errors=True)  # its local tables


SHOP, ERP = "prestashop", "odoo"


def shop_raw(*tables: str) -> list[str]:
    s = get_settings().mariadb
    return [f"{topics.SHOP_TOPIC_PREFIX}.{s.database}.{s.table_prefix}{t}" for t in tables]


def erp_raw(*tables: str) -> list[str]:
    return [f"{topics.ERP_TOPIC_PREFIX}.public.{t}" for t in tables]


def decoded(command: Command) -> object:
    return canonical_codec().decode(command.value)


def wait_commands(worker: StreamsWorker, target: str, key: str, count: int, timeout: float = 30) -> list[Command]:
    wait_until(lambda: len(worker.commands(target, key)) >= count, f"{count} command(s) {key} -> {target}", timeout)
    return worker.commands(target, key)


def publish_ack(worker: StreamsWorker, command: Command, target: str, target_ids: dict[str, str]) -> None:
    """What a sink publishes once the target confirmed the command: every field it wrote, as stored."""
    codec = canonical_codec()
    record = codec.decode(command.value)
    fields = {
        f
        for name in (topics.HEADER_FIELDS, topics.HEADER_CREATE_ONLY)
        for f in command.headers[name].decode().split(",")
        if f
    }
    written = {k: v for k, v in synced_fields(record).items() if k in fields}
    if isinstance(record, Customer) and target == ERP:  # as the Odoo sink reports a partner: its fields only
        stored = mapping.stored_text(mapping.partner_values(record), mapping.PARTNER_FIELD_SOURCES)
        written = {k: v for k, v in stored.items() if k in fields}
    ack = SinkAck(
        envelope=record.envelope,
        command_id=command.headers[topics.HEADER_COMMAND_ID].decode(),
        target_system=target,
        command_entity=record.ENTITY,
        status="applied",
        target_ids=target_ids,
        written=written,
        applied_ts=datetime.now(UTC),
    ).sealed()
    producer = KafkaProducer(bootstrap_servers=worker.bootstrap, acks="all")
    try:
        producer.send(worker.topics.acks, key=command.key.encode(), value=codec.encode(ack))
        producer.flush()
    finally:
        producer.close()
