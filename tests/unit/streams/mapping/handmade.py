"""HAND-MADE Debezium events (not captured): built from the documented envelope format for the
tables and edge cases the captured fixtures in tests/fixtures/debezium do not cover yet.

Shape follows the captured ones: JsonConverter schemas.enable=false payloads with a source block
like Debezium 3.x MariaDB / PostgreSQL connectors write.
"""

from __future__ import annotations

from typing import Any

MARIADB_SOURCE = {
    "version": "3.5.0.Final",
    "connector": "mariadb",
    "name": "shop",
    "ts_ms": 1795805880000,
    "snapshot": "false",
    "db": "prestashop",
    "ts_us": 1795805880000000,
    "server_id": 1,
    "file": "mariadb-bin.000001",
    "pos": 4242,
    "row": 0,
}
POSTGRES_SOURCE = {
    "version": "3.5.0.Final",
    "connector": "postgresql",
    "name": "erp",
    "ts_ms": 1795805883099,
    "snapshot": "false",
    "db": "odoo",
    "ts_us": 1795805883099311,
    "schema": "public",
    "txId": 2589,
    "lsn": 93995224,
}


def shop_event(
    table: str,
    after: dict[str, Any] | None,
    *,
    before: dict[str, Any] | None = None,
    op: str = "c",
    prefix: str = "ps_",
    snapshot: str = "false",
) -> dict[str, Any]:
    source = dict(MARIADB_SOURCE, table=f"{prefix}{table}", snapshot=snapshot)
    return {"before": before, "after": after, "source": source, "op": op, "ts_ms": 1795805880021}


def erp_event(
    table: str, after: dict[str, Any] | None, *, before: dict[str, Any] | None = None, op: str = "c"
) -> dict[str, Any]:
    source = dict(POSTGRES_SOURCE, table=table)
    return {"before": before, "after": after, "source": source, "op": op, "ts_ms": 1795805883127}


SPECIFIC_PRICE = {
    "id_specific_price": 5,
    "id_specific_price_rule": 0,
    "id_cart": 0,
    "id_product": 12,
    "id_shop": 1,
    "id_shop_group": 0,
    "id_currency": 0,
    "id_country": 0,
    "id_group": 0,
    "id_customer": 0,
    "id_product_attribute": 3,
    "price": "15.500000",
    "from_quantity": 2,
    "reduction": "0.200000",
    "reduction_tax": 1,
    "reduction_type": "percentage",
    "from": 1719835200000,
    "to": 0,
}


SALE_ORDER = {
    "id": 4,
    "name": "S00004",
    "client_order_ref": " R00805873 ",
    "state": "sale",
    "partner_id": 7,
    "partner_invoice_id": 8,
    "partner_shipping_id": 9,
    "currency_id": 1,
    "carrier_id": None,
    "date_order": 1795775400123456,
    "amount_untaxed": "44.9",
    "amount_total": "53.88000000001",
}
