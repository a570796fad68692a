"""The Odoo sink end to end (Kafka -> worker -> twin) under injected faults.

Each test has its own database + twin (fixtures) and its own topics and group (uuid suffix).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psycopg2.extensions
import pytest

from kernel.kafka_admin import group_lag
from kernel.settings import REPO_ROOT, get_settings
from sandbox.sample import commands as samples
from schemas import topics as t
from schemas.records import Canonical
from sinks.common.retry import RetryPolicy
from sinks.common.worker import WorkerStats, run_sink
from sinks.odoo.sink import OdooSink
from tests.integration.sinks.odoo.sink_config import sink_config
from tests.support.polling import wait_until
from tests.support.sink_topics import FAST_RETRY, SinkTopics, produce, read_all, sink_topics
from tests.support.twins import RunningTwin

pytestmark = pytest.mark.integration
SKUS = ["TSH-ORG-WHT-S", "TSH-ORG-WHT-M"]


@pytest.fixture
def kafka_topics():
    with sink_topics() as topics:
        yield topics


def _rows(conn: psycopg2.extensions.connection, query: str) -> list[tuple[object, ...]]:
    with conn.cursor() as cur:
        cur.execute(query)
        return list(cur.fetchall())


def _counts(conn: psycopg2.extensions.connection, query: str) -> dict[str, int]:
    return {str(key): int(str(count)) for key, count in _rows(conn, query)}


def _effects(conn: psycopg2.extensions.connection) -> tuple[dict[str, int], dict[str, int]]:
    partners = _counts(conn, "SELECT ref, count(*) FROM res_partner WHERE ref LIKE 'PS-%' GROUP BY ref")
    orders = _counts(conn, "SELECT client_order_ref, count(*) FROM sale_order GROUP BY client_order_ref")
    return partners, orders


def _run_until(sink: OdooSink, topics: SinkTopics, stats: WorkerStats, settled: int, **options: object) -> None:
    stop = threading.Event()
    worker = threading.Thread(
        target=run_sink,
        args=(get_settings(), sink, stop, topics.options(**options)),
        kwargs={"stats": stats},
        daemon=True,
    )
    worker.start()
    try:
        wait_until(lambda: stats.settled >= settled, f"{settled} settled commands ({stats})", 120)
        wait_until(lambda: group_lag(get_settings(), topics.group, topics.commands) == 0, "lag 0", 30)
    finally:
        stop.set()
        worker.join(timeout=60)
    assert not worker.is_alive()


def _dlq_ids(topic: str) -> list[str]:
    return [h[t.HEADER_COMMAND_ID].decode() for _, _, h in read_all(topic)]


def test_retried_faults_apply_each_command_once_and_only_terminal_ones_are_dead_lettered(
    catalogue: RunningTwin, kafka_topics: SinkTopics, postgres_conn, tmp_path: Path
) -> None:
    commands: list[tuple[Canonical | bytes, str]] = [(samples.customer(i), f"cust-{i}") for i in range(1, 7)]
    commands += [(samples.order(f"ORD{i}", i, SKUS), f"ord-{i}") for i in range(1, 5)]
    commands += [(samples.order("ORDBAD", 1, ["NO-SUCH-SKU"]), "ord-bad"), (b"not avro at all", "raw-1")]
    catalogue.server.faults.configure(
        {
            "timeout_s": 5,
            "queue": [
                {"kind": "500", "count": 3},
                {"kind": "429", "count": 2, "retry_after": 1},
                {"kind": "timeout", "count": 1},
                {"kind": "malformed", "count": 2},
                {"kind": "drop", "count": 1},
            ],
        }
    )
    produce(kafka_topics.commands, commands)
    stats = WorkerStats()
    sink = OdooSink(sink_config(catalogue, tmp_path, read_timeout=2.0))
    _run_until(sink, kafka_topics, stats, settled=len(commands), retry=FAST_RETRY, pause_seconds=1.0)

    injected = catalogue.server.faults.snapshot()["injected"]
    assert injected == {"500": 3, "429": 2, "timeout": 1, "malformed": 2, "drop": 1}
    assert stats.retries >= 3 and stats.dead == 2  # batches retry as a whole: fewer retries than faults
    partners, orders = _effects(postgres_conn)
    assert partners == {f"PS-{i}": 1 for i in range(1, 7)}
    assert orders == {f"ORD{i}": 1 for i in range(1, 5)}
    assert _rows(postgres_conn, "SELECT count(*) FROM sale_order WHERE state = 'sale'") == [(4,)]
    dead = read_all(kafka_topics.dlq)
    assert sorted(h[t.HEADER_COMMAND_ID].decode() for _, _, h in dead) == ["ord-bad", "raw-1"]
    by_id = {h[t.HEADER_COMMAND_ID].decode(): (value, h) for _, value, h in dead}
    assert by_id["raw-1"][0] == b"not avro at all" and by_id["raw-1"][1][t.HEADER_DLQ_ERROR] == b"Undecodable"
    bad_headers = by_id["ord-bad"][1]
    assert b"NO-SUCH-SKU" in bad_headers[t.HEADER_DLQ_REASON]
    assert bad_headers[t.HEADER_DLQ_TOPIC].decode() == kafka_topics.commands
    assert catalogue.key.encode() not in b"".join(bad_headers.values())  # no secret in the DLQ
    acks = read_all(kafka_topics.acks)
    assert len(acks) >= 10 and {k for k, _, _ in acks} >= {f"PS-{i}".encode() for i in range(1, 7)}


def test_exhausted_retries_pause_the_partition_then_resume_without_skipping(
    catalogue: RunningTwin, postgres_conn, tmp_path: Path
) -> None:
    with sink_topics(partitions=1) as topics:
        produce(topics.commands, [(samples.customer(i), f"c{i}") for i in range(1, 4)])
        catalogue.server.faults.configure({"queue": [{"kind": "500", "count": 5}]})
        stats = WorkerStats()
        sink = OdooSink(sink_config(catalogue, tmp_path))
        _run_until(
            sink, topics, stats, settled=3, retry=RetryPolicy(max_attempts=2, base_delay=0.05), pause_seconds=1.0
        )
        assert stats.pauses >= 1 and stats.dead == 0
        assert _effects(postgres_conn)[0] == {"PS-1": 1, "PS-2": 1, "PS-3": 1}
        assert stats.committed[f"{topics.commands}:0"] == 3
        assert read_all(topics.dlq) == []


def test_kill_9_mid_batch_then_restart_applies_every_command_exactly_once(
    catalogue: RunningTwin, kafka_topics: SinkTopics, postgres_conn, tmp_path: Path
) -> None:
    customers, good_orders = 30, 28
    commands: list[tuple[Canonical | bytes, str]] = [
        (samples.customer(i), f"cust-{i}") for i in range(1, customers + 1)
    ]
    commands += [(samples.order(f"K{i:03d}", i, SKUS[: 1 + i % 2]), f"ord-{i}") for i in range(1, good_orders + 1)]
    commands += [(samples.order("KBAD1", 1, ["GHOST-1"]), "bad-1"), (samples.order("KBAD2", 2, ["GHOST-2"]), "bad-2")]
    produce(kafka_topics.commands, commands)
    catalogue.server.faults.configure({"latency_ms": 150})
    key_file = tmp_path / "odoo_api.key"
    key_file.write_text(catalogue.key)
    env = {
        **os.environ,
        "PRESTASYNC_ERP__URL": catalogue.url,
        "PRESTASYNC_ERP__DATABASE": catalogue.database,
        "PRESTASYNC_ERP__API_KEY_FILE": str(key_file),
    }
    argv = [
        sys.executable,
        "-m",
        "prestasync.cli",
        "run",
        "sink",
        "odoo",
        *kafka_topics.cli_args(),
        "--concurrency",
        "4",
        "--batch-size",
        "5",
    ]

    log_path = tmp_path / "sink.log"

    def start() -> subprocess.Popen[bytes]:
        with log_path.open("ab") as log:
            return subprocess.Popen(argv, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def log_text() -> str:
        return log_path.read_text(errors="replace")[-3000:]

    first = start()
    try:
        wait_until(lambda: len(_effects(postgres_conn)[0]) >= 8, "the first partners", 90, details=log_text)
        first.send_signal(signal.SIGKILL)  # mid-batch: calls in flight, offsets not committed
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    assert group_lag(get_settings(), kafka_topics.group, kafka_topics.commands) > 0

    catalogue.server.faults.configure({"latency_ms": 0})
    second = start()
    try:
        wait_until(
            lambda: group_lag(get_settings(), kafka_topics.group, kafka_topics.commands) == 0,
            "the restarted sink to catch up",
            180,
            details=log_text,
        )
    finally:
        second.send_signal(signal.SIGTERM)  # graceful stop
        second.wait(timeout=60)
    assert second.returncode == 0, log_text()
    assert "sink odoo stopped" in log_text()
    partners, orders = _effects(postgres_conn)
    assert partners == {f"PS-{i}": 1 for i in range(1, customers + 1)}
    assert orders == {f"K{i:03d}": 1 for i in range(1, good_orders + 1)}
    lines = _counts(
        postgres_conn,
        "SELECT o.client_order_ref, count(l.id) FROM sale_order o "
        "JOIN sale_order_line l ON l.order_id = o.id GROUP BY o.client_order_ref",
    )
    assert lines == {f"K{i:03d}": 1 + i % 2 for i in range(1, good_orders + 1)}
    # At-least-once: a dead letter published just before the kill may be published again.
    assert set(_dlq_ids(kafka_topics.dlq)) == {"bad-1", "bad-2"}
    named = [n for (n,) in _rows(postgres_conn, "SELECT name FROM res_partner WHERE ref LIKE 'PS-%'")]
    assert all(str(n).startswith("Ada Client") for n in named)  # placeholders were filled by the customers
