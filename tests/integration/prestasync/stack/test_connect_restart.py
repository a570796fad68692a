"""A restart of Kafka Connect resumes from the stored offsets: nothing lost, nothing re-snapshotted."""

from __future__ import annotations

import secrets

import pytest

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.settings import get_settings
from prestasync.stack import connect
from tests.support.kafka_events import CapturedEvent, collect, end_offsets, row_field, wait_for_events

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("capture_running")]


def test_changes_made_while_connect_is_down_arrive_once_after_restart() -> None:
    s = get_settings()
    px = s.mariadb.table_prefix
    token = 100_000 + secrets.randbelow(800_000)
    shop_topic = f"shop.{s.mariadb.database}.{px}customer"
    erp_topic = "erp.public.res_partner"
    shop_since, erp_since = end_offsets(shop_topic), end_offsets(erp_topic)

    worker = connect.connect_process(s)
    assert worker.stop(timeout=60), "Connect was expected to be running before the test"
    try:
        shop = mariadb_admin(s.mariadb.database)
        with shop.cursor() as cur:
            cur.execute("SET SESSION sql_mode = ''")
            cur.execute(
                f"INSERT INTO {px}customer (id_customer, firstname, lastname, email, passwd, secure_key,"
                " date_add, date_upd) VALUES (%s, 'Down', 'Time', %s, 'x', 'k', NOW(), NOW())",
                (token, f"down.{token}@example.com"),
            )
        shop.close()
        erp = postgres_admin(s.postgres.database)
        with erp.cursor() as cur:
            cur.execute(
                "INSERT INTO res_partner (name, type, ref, active) VALUES ('Down Time', 'contact', %s, true)",
                (f"PS-{token}",),
            )
        erp.close()
    finally:
        connect.ensure_worker(s)
        for name in connect.connector_names():
            connect.wait_running(s, name, timeout=180)

    wait_for_events(shop_topic, shop_since, row_field("id_customer", token), timeout=90)
    wait_for_events(erp_topic, erp_since, row_field("ref", f"PS-{token}"), timeout=90)

    def snapshot_read(ev: CapturedEvent) -> bool:
        return ev.payload is not None and ev.payload["op"] == "r"

    # Let the connectors run a little, then count: each change exactly once, and no snapshot reads.
    shop_events = collect(shop_topic, shop_since, lambda ev: True, timeout=5)
    erp_events = collect(erp_topic, erp_since, lambda ev: True, timeout=2)
    assert len([e for e in shop_events if row_field("id_customer", token)(e)]) == 1
    assert len([e for e in erp_events if row_field("ref", f"PS-{token}")(e)]) == 1
    assert not [e for e in shop_events + erp_events if snapshot_read(e)], "connector re-snapshotted after restart"
