"""`reconcile` against the real databases, with rows of the test's own; `--fix` re-sends through Debezium."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.settings import get_settings
from prestasync.ops import reconcile
from tests.support.kafka_events import CapturedEvent, end_offsets, wait_for_events

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("capture_running")]


def _shop(sql: str, args: tuple[Any, ...] = ()) -> None:
    settings = get_settings()
    with mariadb_admin(settings.mariadb.database) as conn, conn.cursor() as cur:
        cur.execute("SET SESSION sql_mode = ''")
        cur.execute(sql.replace("{p}", settings.mariadb.table_prefix), args)


def _erp(sql: str, args: tuple[Any, ...] = ()) -> Any:
    conn = postgres_admin(get_settings().postgres.database)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchone() if cur.description else None
    finally:
        conn.close()


def _customer(cid: int, email: str) -> None:
    _shop(
        "INSERT INTO {p}customer (id_customer, firstname, lastname, email, passwd, secure_key, active, date_add,"
        " date_upd) VALUES (%s, 'Rec', 'Oncile', %s, 'x', 'k', 1, NOW(), NOW())",
        (cid, email),
    )


def test_customers_missing_extra_and_different_by_owner() -> None:
    base = 500_000 + secrets.randbelow(400_000)
    only_shop, both, only_erp = base, base + 1, base + 2
    _customer(only_shop, f"a{base}@example.com")
    _customer(both, f"b{base}@example.com")
    for cid, email in ((both, f"changed{base}@example.com"), (only_erp, f"c{base}@example.com")):
        _erp(
            "INSERT INTO res_partner (name, type, ref, email, active) VALUES ('Rec Oncile', 'contact', %s, %s, true)",
            (f"PS-{cid}", email),
        )
    settings = get_settings()
    mine = {f"PS-{only_shop}", f"PS-{both}", f"PS-{only_erp}"}
    drifts = {d.key: d for d in reconcile.run(settings, "customers", [8]) if d.key in mine}
    assert drifts[f"PS-{only_shop}"].kind == "missing_in_erp"
    assert drifts[f"PS-{only_shop}"].fix == ("shop", "customer", str(only_shop))
    assert drifts[f"PS-{both}"].kind == "different"
    assert drifts[f"PS-{both}"].fields == {"email": (f"b{base}@example.com", f"changed{base}@example.com")}
    assert drifts[f"PS-{only_erp}"].kind == "extra_in_erp" and drifts[f"PS-{only_erp}"].fix is None

    # --fix: the owner's rows (and only those) are read again by Debezium, into the normal pipeline
    topic = f"shop.{settings.mariadb.database}.{settings.mariadb.table_prefix}customer"
    since = end_offsets(topic)
    reconcile.fix(settings, [drifts[f"PS-{only_shop}"], drifts[f"PS-{both}"], drifts[f"PS-{only_erp}"]])

    def reread(ev: CapturedEvent) -> bool:
        p = ev.payload
        return p is not None and p["op"] == "r" and p["after"]["id_customer"] in (only_shop, both, only_erp)

    events = wait_for_events(topic, since, reread, count=2, timeout=90)
    assert sorted(e.payload["after"]["id_customer"] for e in events if e.payload) == [only_shop, both]


def test_stock_rule_counts_in_flight_orders() -> None:
    n = secrets.randbelow(10**8)
    sku, pid = f"REC-{n}", 600_000 + n % 300_000
    _shop(
        "INSERT INTO {p}product (id_product, reference, price, date_add, date_upd) VALUES (%s, %s, 1, NOW(), NOW())",
        (pid, sku),
    )
    _shop(
        "INSERT INTO {p}stock_available (id_product, id_product_attribute, id_shop, id_shop_group, quantity)"
        " VALUES (%s, 0, 1, 0, 7)",
        (pid,),
    )
    (tmpl,) = _erp(
        "INSERT INTO product_template (name, type, service_tracking, categ_id, uom_id, uom_po_id, tracking,"
        " default_code) VALUES ('{\"en_US\": \"R\"}', 'consu', 'no', 1, 1, 1, 'none', %s) RETURNING id",
        (sku,),
    )
    (prod,) = _erp(
        "INSERT INTO product_product (product_tmpl_id, default_code) VALUES (%s, %s) RETURNING id", (tmpl, sku)
    )
    _erp(
        "INSERT INTO stock_quant (product_id, company_id, location_id, quantity, reserved_quantity, in_date)"
        " VALUES (%s, 1, 8, 12, 2, now())",
        (prod,),
    )
    _erp(
        "INSERT INTO stock_quant (product_id, company_id, location_id, quantity, reserved_quantity, in_date)"
        " VALUES (%s, 1, 10, 50, 0, now())",
        (prod,),
    )  # a store warehouse: never counted for the web
    settings = get_settings()
    (drift,) = [d for d in reconcile.run(settings, "stock", [8]) if d.key == sku]
    assert drift.fields == {"quantity": (7, 10)}  # ERP available on the web location: 12 - 2 reserved

    # a shop order for 3 units the ERP has not seen yet: the shop is right to show 10 - 3 = 7
    oid = 700_000 + n % 200_000
    _shop(
        "INSERT INTO {p}orders (id_order, reference, current_state, date_add, date_upd)"
        " VALUES (%s, %s, 2, NOW(), NOW())",
        (oid, f"Q{n:08d}"[:9]),
    )
    _shop(
        "INSERT INTO {p}order_detail (id_order, product_id, product_name, product_quantity, product_reference)"
        " VALUES (%s, %s, 'R', 3, %s)",
        (oid, pid, sku),
    )
    assert [d for d in reconcile.run(settings, "stock", [8]) if d.key == sku] == []

    # imported as a quotation (awaiting payment): Odoo reserves nothing for it, it is still in flight
    (so,) = _erp(
        "INSERT INTO sale_order (name, company_id, partner_id, partner_invoice_id, partner_shipping_id,"
        " date_order, picking_policy, client_order_ref, state) VALUES ('S-REC', 1, 1, 1, 1, now(), 'direct',"
        " %s, 'draft') RETURNING id",
        (f"Q{n:08d}"[:9],),
    )
    assert [d for d in reconcile.run(settings, "stock", [8]) if d.key == sku] == []
    # confirmed, the ERP's own stock has to show it now (here it does not reserve it: 10 available, 7 shown)
    _erp("UPDATE sale_order SET state = 'sale' WHERE id = %s RETURNING id", (so,))
    (drift,) = [d for d in reconcile.run(settings, "stock", [8]) if d.key == sku]
    assert drift.fields == {"quantity": (7, 10)}
