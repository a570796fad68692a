"""Operator recovery with the real Odoo sink: reprocess by offset reset, replay a dead letter after a fix.

Each test: its own database + Odoo twin (fixtures), its own topics and consumer group.
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import psycopg2.extensions
import pytest

from kernel.kafka_admin import group_lag
from kernel.settings import get_settings
from prestasync.ops import dlq, offsets
from prestasync.ops.offsets import ResetTarget
from sandbox.sample import commands as samples
from schemas.records import Canonical
from sinks.common.worker import WorkerStats, run_sink
from sinks.odoo.sink import OdooSink
from tests.support.polling import wait_until
from tests.support.sink_topics import SinkTopics, produce, read_all, sink_topics
from tests.support.twins import RunningTwin

pytestmark = pytest.mark.integration
SKUS = ["TSH-ORG-WHT-S", "TSH-ORG-WHT-M"]


@pytest.fixture
def kafka_topics():
    with sink_topics(partitions=1) as topics:
        yield topics


def _drain(sink: OdooSink, topics: SinkTopics, settled: int) -> WorkerStats:
    """Run the sink until ``settled`` commands are done and the group's lag is 0, then stop it."""
    stats, stop = WorkerStats(), threading.Event()
    worker = threading.Thread(
        target=run_sink, args=(get_settings(), sink, stop, topics.options()), kwargs={"stats": stats}, daemon=True
    )
    worker.start()
    try:
        wait_until(lambda: stats.settled >= settled, f"{settled} settled ({stats})", 120)
        wait_until(lambda: group_lag(get_settings(), topics.group, topics.commands) == 0, "lag 0", 30)
    finally:
        stop.set()
        worker.join(timeout=60)
    return stats


def _count(conn: psycopg2.extensions.connection, query: str) -> dict[str, int]:
    with conn.cursor() as cur:
        cur.execute(query)
        return {str(k): int(n) for k, n in cur.fetchall()}


def test_reset_to_a_datetime_then_reprocess_creates_no_duplicates(
    catalogue: RunningTwin, odoo_sink: OdooSink, kafka_topics: SinkTopics, postgres_conn: psycopg2.extensions.connection
) -> None:
    before_first = datetime.now(UTC)
    time.sleep(0.01)
    commands: list[tuple[Canonical | bytes, str]] = [(samples.customer(i), f"c-{i}") for i in (1, 2, 3)]
    commands += [(samples.order(f"RP{i}", i, SKUS), f"o-{i}") for i in (1, 2)]
    produce(kafka_topics.commands, commands)
    first = _drain(odoo_sink, kafka_topics, settled=5)
    assert first.applied == 5

    plan = offsets.reset(
        get_settings(),
        kafka_topics.group,
        kafka_topics.commands,
        None,
        ResetTarget(to_datetime=before_first),
        execute=True,
    )
    assert [(p.old, p.new) for p in plan] == [(5, 0)]
    again = _drain(odoo_sink, kafka_topics, settled=5)

    assert again.applied == 0 and again.unchanged == 5  # every replayed command found its effect in place
    partners = _count(postgres_conn, "SELECT ref, count(*) FROM res_partner WHERE ref LIKE 'PS-%' GROUP BY ref")
    orders = _count(postgres_conn, "SELECT client_order_ref, count(*) FROM sale_order GROUP BY client_order_ref")
    assert partners == {"PS-1": 1, "PS-2": 1, "PS-3": 1}
    assert orders == {"RP1": 1, "RP2": 1}


def test_dlq_replay_after_fixing_the_cause_succeeds_once(
    catalogue: RunningTwin, odoo_sink: OdooSink, kafka_topics: SinkTopics, postgres_conn: psycopg2.extensions.connection
) -> None:
    sku = f"NEW-{uuid.uuid4().hex[:6].upper()}"
    produce(kafka_topics.commands, [(samples.order("LATE1", 1, [sku]), "o-late")])
    _drain(odoo_sink, kafka_topics, settled=1)
    (dead,) = dlq.read_all(get_settings(), kafka_topics.dlq)
    assert sku in dead.reason and dead.original_topic == kafka_topics.commands

    # the fix: the product now exists in the ERP
    with postgres_conn.cursor() as cur:
        cur.execute(
            "INSERT INTO product_template (name, type, service_tracking, categ_id, uom_id, uom_po_id, tracking,"
            " default_code, list_price) VALUES (%s, 'consu', 'no', 1, 1, 1, 'none', %s, 10) RETURNING id",
            ('{"en_US": "New"}', sku),
        )
        (template_id,) = cur.fetchone()
        cur.execute(
            "INSERT INTO product_product (product_tmpl_id, default_code, active) VALUES (%s, %s, true)",
            (template_id, sku),
        )
    postgres_conn.commit()

    result = dlq.replay(get_settings(), kafka_topics.dlq, execute=True)
    assert len(result.replayed) == 1
    stats = _drain(odoo_sink, kafka_topics, settled=1)
    assert stats.applied == 1 and stats.dead == 0
    assert len(read_all(kafka_topics.dlq)) == 1  # nothing new dead-lettered
    second = dlq.replay(get_settings(), kafka_topics.dlq, execute=True)
    assert second.replayed == [] and len(second.skipped_already_replayed) == 1
    orders = _count(postgres_conn, "SELECT client_order_ref, count(*) FROM sale_order GROUP BY client_order_ref")
    assert orders == {"LATE1": 1}
