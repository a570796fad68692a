"""Row changes in the real databases become Debezium events on Kafka, with exact values.

Each test writes its own rows (ids derived from a random token) into the captured databases and reads
the events after the topic's current end, so tests do not depend on each other or on earlier runs.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.settings import get_settings
from tests.support.kafka_events import CapturedEvent, end_offsets, row_field, wait_for_events

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("capture_running")]


def _epoch_ms(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp() * 1000)


def _epoch_us(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp() * 1_000_000)


@pytest.fixture
def token() -> int:
    return 100_000 + secrets.randbelow(800_000)


@pytest.fixture
def shop() -> Iterator[Any]:
    s = get_settings()
    conn = mariadb_admin(s.mariadb.database)
    with conn.cursor() as cur:
        cur.execute("SET SESSION sql_mode = ''")
    yield conn
    conn.close()


@pytest.fixture
def erp() -> Iterator[Any]:
    conn = postgres_admin(get_settings().postgres.database)
    yield conn
    conn.close()


def _shop_topic(table: str) -> str:
    s = get_settings()
    return f"shop.{s.mariadb.database}.{s.mariadb.table_prefix}{table}"


def _ops(events: list[CapturedEvent]) -> list[str | None]:
    return [e.payload["op"] if e.payload else None for e in events]


def test_prestashop_customer_insert_update_delete(shop: Any, token: int) -> None:
    px = get_settings().mariadb.table_prefix
    topic = _shop_topic("customer")
    since = end_offsets(topic)
    email = f"cdc.{token}@example.com"
    with shop.cursor() as cur:
        cur.execute(
            f"INSERT INTO {px}customer (id_customer, id_default_group, id_lang, firstname, lastname, email, passwd,"
            " secure_key, active, outstanding_allow_amount, date_add, date_upd) VALUES (%s, 3, 1, 'Ada', 'Byron',"
            " %s, 'x', 'k', 1, 1234.567891, '2026-11-27 10:11:12', '2026-11-27 10:11:12')",
            (token, email),
        )
        cur.execute(f"UPDATE {px}customer SET firstname='Augusta' WHERE id_customer=%s", (token,))
        cur.execute(f"DELETE FROM {px}customer WHERE id_customer=%s", (token,))

    def mine(ev: CapturedEvent) -> bool:
        return row_field("id_customer", token)(ev) or (ev.value is None and ev.key["payload"]["id_customer"] == token)

    created, updated, deleted, tombstone = wait_for_events(topic, since, mine, count=4)
    assert _ops([created, updated, deleted, tombstone]) == ["c", "u", "d", None]
    assert created.payload is not None and created.payload["before"] is None
    after = created.payload["after"]
    assert after["email"] == email
    assert after["outstanding_allow_amount"] == "1234.567891"  # decimal as an exact string
    assert after["date_add"] == _epoch_ms("2026-11-27 10:11:12")  # DATETIME -> io.debezium.time.Timestamp (ms)
    source = created.payload["source"]
    assert (source["db"], source["table"], source["connector"]) == ("prestashop", f"{px}customer", "mariadb")
    assert source["gtid"] and source["file"].startswith("mariadb-bin")
    assert updated.payload is not None
    assert (updated.payload["before"]["firstname"], updated.payload["after"]["firstname"]) == ("Ada", "Augusta")
    assert deleted.payload is not None
    assert deleted.payload["after"] is None and deleted.payload["before"]["email"] == email
    assert tombstone.key == created.key


def test_prestashop_orders_decimals_and_zero_dates(shop: Any, token: int) -> None:
    px = get_settings().mariadb.table_prefix
    topic = _shop_topic("orders")
    since = end_offsets(topic)
    with shop.cursor() as cur:
        cur.execute(
            f"INSERT INTO {px}orders (id_order, reference, id_carrier, id_lang, id_customer, id_cart, id_currency,"
            " id_address_delivery, id_address_invoice, current_state, payment, total_paid_tax_incl,"
            " total_paid_tax_excl, conversion_rate, invoice_date, delivery_date, date_add, date_upd) VALUES"
            " (%s, 'CDCTEST', 1, 1, 1, 1, 1, 1, 1, 0, 'Bank wire', 0.100000, 99999999999999.999999, 1.5,"
            " '0000-00-00 00:00:00', '0000-00-00 00:00:00', '2026-01-02 03:04:05', '2026-01-02 03:04:05')",
            (token,),
        )
    (event,) = wait_for_events(topic, since, row_field("id_order", token))
    assert event.payload is not None
    after = event.payload["after"]
    # DECIMAL(20,6) keeps every digit; a float would have lost the last ones.
    assert after["total_paid_tax_excl"] == "99999999999999.999999"
    assert after["total_paid_tax_incl"] == "0.100000"
    assert after["conversion_rate"] == "1.500000"
    assert after["date_add"] == _epoch_ms("2026-01-02 03:04:05")
    # PrestaShop's "no date" (zero DATETIME in a NOT NULL column) arrives as epoch 0.
    assert after["invoice_date"] == 0 and after["delivery_date"] == 0


def test_prestashop_stock_available_update_carries_before(shop: Any, token: int) -> None:
    px = get_settings().mariadb.table_prefix
    topic = _shop_topic("stock_available")
    since = end_offsets(topic)
    with shop.cursor() as cur:
        cur.execute(
            f"INSERT INTO {px}stock_available (id_product, id_product_attribute, id_shop, id_shop_group,"
            " quantity, physical_quantity, reserved_quantity) VALUES (%s, 0, 1, 0, 10, 10, 0)",
            (token,),
        )
        cur.execute(
            f"UPDATE {px}stock_available SET quantity = quantity - 3, reserved_quantity = 3 WHERE id_product=%s",
            (token,),
        )
    created, updated = wait_for_events(topic, since, row_field("id_product", token), count=2)
    assert _ops([created, updated]) == ["c", "u"]
    assert updated.payload is not None
    before, after = updated.payload["before"], updated.payload["after"]
    assert (before["quantity"], after["quantity"]) == (10, 7)
    assert (before["reserved_quantity"], after["reserved_quantity"]) == (0, 3)
    assert after["physical_quantity"] == 10


def test_odoo_res_partner_insert_update_delete(erp: Any, token: int) -> None:
    topic = "erp.public.res_partner"
    since = end_offsets(topic)
    ref = f"PS-{token}"
    with erp.cursor() as cur:
        cur.execute(
            "INSERT INTO res_partner (name, complete_name, type, ref, email, active, create_uid, create_date,"
            " write_uid, write_date) VALUES ('Ada', 'Ada', 'contact', %s, 'ada@example.com', true, 2,"
            " '2026-11-27 10:30:00.123456', 2, '2026-11-27 10:30:00.123456') RETURNING id",
            (ref,),
        )
        partner_id = cur.fetchone()[0]
        cur.execute("UPDATE res_partner SET email='ada@lovelace.org', write_uid=3 WHERE id=%s", (partner_id,))
        cur.execute("DELETE FROM res_partner WHERE id=%s", (partner_id,))

    def mine(ev: CapturedEvent) -> bool:
        return row_field("id", partner_id)(ev) or (ev.value is None and ev.key["payload"]["id"] == partner_id)

    created, updated, deleted, tombstone = wait_for_events(topic, since, mine, count=4)
    assert _ops([created, updated, deleted, tombstone]) == ["c", "u", "d", None]
    assert created.payload is not None
    after = created.payload["after"]
    assert after["ref"] == ref
    # timestamp without time zone, adaptive precision -> io.debezium.time.MicroTimestamp (µs since epoch)
    assert after["write_date"] == _epoch_us("2026-11-27 10:30:00.123456")
    assert created.payload["source"]["lsn"] > 0 and created.payload["source"]["table"] == "res_partner"
    assert updated.payload is not None
    # REPLICA IDENTITY FULL: the update's `before` has every column, not only the key
    assert updated.payload["before"]["email"] == "ada@example.com"
    assert (updated.payload["before"]["write_uid"], updated.payload["after"]["write_uid"]) == (2, 3)
    assert deleted.payload is not None and deleted.payload["before"]["ref"] == ref


def test_odoo_stock_quant_numeric_as_exact_strings(erp: Any, token: int) -> None:
    topic = "erp.public.stock_quant"
    since = end_offsets(topic)
    with erp.cursor() as cur:
        cur.execute(
            "INSERT INTO product_template (name, type, service_tracking, categ_id, uom_id, uom_po_id,"
            " tracking, default_code) VALUES ('{\"en_US\": \"Quant test\"}', 'consu', 'no', 1, 1, 1,"
            " 'none', %s) RETURNING id",
            (f"SKU-Q{token}",),
        )
        template_id = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO product_product (product_tmpl_id, default_code) VALUES (%s, %s) RETURNING id",
            (template_id, f"SKU-Q{token}"),
        )
        product_id = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO stock_quant (product_id, company_id, location_id, quantity, reserved_quantity,"
            " in_date, create_uid, create_date, write_uid, write_date) VALUES (%s, 1, 8, 12.125, 0,"
            " now(), 2, now(), 2, now()) RETURNING id",
            (product_id,),
        )
        quant_id = cur.fetchone()[0]
        cur.execute("UPDATE stock_quant SET quantity = 0.1 + 0.2 WHERE id=%s", (quant_id,))
        cur.execute("DELETE FROM stock_quant WHERE id=%s", (quant_id,))
    created, updated, deleted = wait_for_events(topic, since, row_field("id", quant_id), count=3)
    assert _ops([created, updated, deleted]) == ["c", "u", "d"]
    assert created.payload is not None and updated.payload is not None
    # Odoo's unscaled numeric: exact decimal strings, no VariableScaleDecimal struct, no float noise.
    assert created.payload["after"]["quantity"] == "12.125"
    assert updated.payload["after"]["quantity"] == "0.3"
    assert updated.payload["before"]["quantity"] == "12.125"


def test_odoo_free_text_nothing_syncs_is_not_captured_so_a_5mb_value_does_not_stop_capture(
    erp: Any, token: int
) -> None:
    """Issue #20's poison: a valid product row with a 5 MB picking description (a column nothing syncs)
    made the Connect producer fail (RecordTooLargeException: the event over max.request.size), the task
    FAILED and every restart failed again on the same WAL record: nothing flowed ERP -> shop any more.
    The connector leaves out the free-text columns no mapper reads (connect/odoo-postgres.json
    ``column.exclude.list``): the change flows, without the text, and capture goes on."""
    from prestasync.stack.connect import state

    topic = "erp.public.product_template"
    since = end_offsets(topic)
    big = "x" * (5 * 1024 * 1024)
    with erp.cursor() as cur:
        cur.execute(
            "INSERT INTO product_template (name, type, service_tracking, categ_id, uom_id, uom_po_id, tracking,"
            ' default_code, list_price, description_picking, description) VALUES (\'{"en_US": "Big text"}\','
            " 'consu', 'no', 1, 1, 1, 'none', %s, 4.2, jsonb_build_object('en_US', %s::text),"
            " jsonb_build_object('en_US', %s::text)) RETURNING id",
            (f"SKU-BIG{token}", big, big),
        )
        template_id = cur.fetchone()[0]
    erp.commit()
    with erp.cursor() as cur:  # the next change of the same table still comes through
        cur.execute("UPDATE product_template SET list_price = 5.5 WHERE id = %s", (template_id,))
    erp.commit()
    created, updated = wait_for_events(topic, since, row_field("id", template_id), count=2)
    assert created.payload is not None and updated.payload is not None
    after = created.payload["after"]
    assert after["default_code"] == f"SKU-BIG{token}" and after["list_price"] == "4.2"
    assert "description_picking" not in after and "description" not in after
    assert updated.payload["after"]["list_price"] == "5.5"
    connector = state(get_settings(), "odoo-postgres")
    assert (connector.connector, connector.tasks) == ("RUNNING", ("RUNNING",)), connector
