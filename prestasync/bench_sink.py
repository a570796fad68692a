"""``prestasync bench sink odoo``: commands/s through the whole sink against a twin with a set latency.

A throwaway PostgreSQL database gets the Odoo schema and the sample catalogue, an Odoo twin
(18.0, JSON-RPC) serves it on an ephemeral port with ``latency_ms`` added to every call, and
fresh topics receive ``commands`` commands (half customers, half orders of 2-3 lines, paid). The clock
runs from the first polled command (the group join is left out) until every command is settled
(applied or dead-lettered, acked and committed).
"""

from __future__ import annotations

import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kernel.codec import canonical_codec
from kernel.dbadmin import postgres_admin
from kernel.kafka_admin import delete_topics, ensure_topics
from kernel.kafka_clients import producer as kafka_producer
from kernel.settings import Settings
from sandbox.sample import commands as samples
from schemas.records import Canonical
from sinks.common.commands import command_headers
from sinks.common.worker import WorkerOptions, WorkerStats, run_sink
from sinks.odoo.config import load_config
from sinks.odoo.sink import OdooSink

BENCH_SKUS = ["TSH-ORG-WHT-S", "TSH-ORG-WHT-M", "TSH-ORG-WHT-L"]


@dataclass(frozen=True)
class BenchResult:
    commands: int
    latency_ms: int
    concurrency: int
    batch_size: int
    seconds: float
    stats: WorkerStats
    partners: int
    orders: int

    @property
    def rate(self) -> float:
        return self.commands / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        return (
            f"odoo sink: {self.commands} commands in {self.seconds:.2f}s = {self.rate:.1f} commands/s "
            f"(twin latency {self.latency_ms} ms, concurrency {self.concurrency}, batch {self.batch_size}; "
            f"{self.stats.applied} applied, {self.stats.unchanged} unchanged, {self.stats.dead} dead; "
            f"Odoo now holds {self.partners} PS partners and {self.orders} orders)"
        )


def bench_commands(count: int) -> list[Canonical]:
    commands: list[Canonical] = []
    for index in range(count):
        customer_id = index // 2 + 1
        if index % 2 == 0:
            commands.append(samples.customer(customer_id))
        else:
            commands.append(samples.order(f"BENCH{index:06d}", customer_id, BENCH_SKUS[: 1 + index % 2 + 1]))
    return commands


@contextmanager
def throwaway_twin(settings: Settings, latency_ms: int) -> Iterator[tuple[str, str, str]]:
    """(url, database, api key) of a twin over a fresh database with the sample catalogue."""
    from sandbox.odoo.auth import provision_api_key
    from sandbox.odoo.server import build_server
    from sandbox.sample import load_erp_catalogue
    from schemas.ddl.odoo import load_odoo

    name = f"bench_{uuid.uuid4().hex}"
    admin = postgres_admin(settings=settings)
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        conn = postgres_admin(name, settings=settings)
        try:
            load_odoo(conn, "18.0")
            load_erp_catalogue(conn)
            key = provision_api_key(conn, settings.sandbox.odoo_user_id, "bench")
        finally:
            conn.close()
        server = build_server(settings, port=0, database=name, connect=lambda: postgres_admin(name, settings=settings))
        server.faults.configure({"latency_ms": latency_ms})
        server.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}", name, key
        finally:
            server.stop()
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _count(settings: Settings, database: str) -> tuple[int, int]:
    conn = postgres_admin(database, settings=settings)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT (SELECT count(*) FROM res_partner WHERE ref LIKE 'PS-%%'), "
                "(SELECT count(*) FROM sale_order WHERE client_order_ref LIKE 'BENCH%%')"
            )
            partners, orders = cur.fetchone()
            return int(partners), int(orders)
    finally:
        conn.close()


def run_benchmark(
    settings: Settings,
    *,
    latency_ms: int,
    commands: int,
    concurrency: int = 8,
    batch_size: int = 50,
    timeout_s: float = 600.0,
) -> BenchResult:
    suffix = uuid.uuid4().hex[:12]
    topic, dlq, acks = f"bench.commands.odoo.{suffix}", f"bench.dlq.odoo.{suffix}", f"bench.acks.{suffix}"
    codec = canonical_codec(settings)
    ensure_topics(settings, [topic, dlq, acks])
    try:
        with throwaway_twin(settings, latency_ms) as (url, database, key), tempfile.TemporaryDirectory() as tmp:
            key_file = Path(tmp) / "odoo_api.key"
            key_file.write_text(key)
            producer = kafka_producer(settings)
            for index, record in enumerate(bench_commands(commands)):
                canonical_key = record.envelope.canonical_key or ""
                producer.send(
                    topic,
                    key=canonical_key.encode(),
                    value=codec.encode(record),
                    headers=command_headers(f"bench-{suffix}-{index}"),
                )
            producer.flush()
            producer.close()
            sink = OdooSink(load_config(settings, url=url, database=database, api_key_file=key_file))
            options = WorkerOptions(
                topic=topic,
                group=f"bench-sink-odoo-{suffix}",
                dlq_topic=dlq,
                acks_topic=acks,
                concurrency=concurrency,
                batch_size=batch_size,
            )
            stats, stop = WorkerStats(), threading.Event()
            worker = threading.Thread(
                target=run_sink,
                args=(settings, sink, stop, options),
                kwargs={"codec": codec, "stats": stats},
                daemon=True,
            )
            started = time.monotonic()
            worker.start()
            while stats.settled < commands and time.monotonic() - started < timeout_s and worker.is_alive():
                time.sleep(0.01)
            # from the first polled command: the consumer group's join is not the sink's throughput
            seconds = time.monotonic() - (stats.first_polled_at or started)
            stop.set()
            worker.join(timeout=60)
            partners, orders = _count(settings, database)
    finally:
        delete_topics(settings, [topic, dlq, acks])
    if stats.settled < commands:
        raise RuntimeError(f"only {stats.settled} of {commands} commands settled in {timeout_s:.0f}s")
    return BenchResult(commands, latency_ms, concurrency, batch_size, seconds, stats, partners, orders)
