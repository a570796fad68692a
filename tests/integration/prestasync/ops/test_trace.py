"""`topics trace` follows a key from the raw Debezium event through canonical records and acks."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

import pytest
from kafka import KafkaProducer

from kernel.codec import canonical_codec
from kernel.dbadmin import mariadb_admin
from kernel.settings import get_settings
from prestasync.ops.trace import trace
from schemas.acks import SinkAck
from schemas.records import Envelope
from tests.support.kafka_events import end_offsets, row_field, wait_for_events
from tests.support.kafka_topics import own_topic

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("capture_running")]


def test_trace_joins_keyed_records_to_the_source_rows_events() -> None:
    settings = get_settings()
    cid = 300_000 + secrets.randbelow(100_000)
    key = f"PS-{cid}"
    raw = f"shop.{settings.mariadb.database}.{settings.mariadb.table_prefix}customer"
    since = end_offsets(raw)
    with mariadb_admin(settings.mariadb.database) as conn, conn.cursor() as cur:
        cur.execute("SET SESSION sql_mode = ''")
        cur.execute(
            f"INSERT INTO {settings.mariadb.table_prefix}customer (id_customer, firstname, lastname, email,"
            " passwd, secure_key, date_add, date_upd) VALUES (%s, 'T', 'Race', %s, 'x', 'k', NOW(), NOW())",
            (cid, f"trace{cid}@example.com"),
        )
    wait_for_events(raw, since, row_field("id_customer", cid))
    time.sleep(0.01)
    now = datetime.now(UTC)
    envelope = Envelope(key, "prestashop", "customer", str(cid), now, "binlog:x:1:0", False, False, "")
    ack = SinkAck(envelope, "cmd-9", "odoo", "customer", "applied", {"res.partner": "77"}, {}, now)
    with own_topic("test-canonical") as canonical, own_topic("test-acks") as acks:
        out = KafkaProducer(bootstrap_servers=settings.kafka.bootstrap)
        out.send(acks, key=key.encode(), value=canonical_codec().encode(ack))
        out.send(acks, key=b"PS-someone-else", value=canonical_codec().encode(ack))
        out.flush()
        out.close()
        steps = trace(settings, key, keyed=[canonical, acks])
    assert [s.topic for s in steps] == [raw, acks]  # the database change first, then the target's ack
    assert f"trace{cid}@example.com" in steps[0].summary and "create" in steps[0].summary
    assert "SinkAck" in steps[1].summary and "res.partner" in steps[1].summary
