"""A real shop's rows as the change events Debezium emits for them, and the records the streams map them to.

The scenario of a front-office trade (``tests/real/scenario_trade.py``) reads what the real
PrestaShop 8.1.2 wrote (its own MariaDB, read only) and turns each row into the event the connector
(``connect/prestashop-mariadb.json``: decimals as strings, DATETIME as epoch milliseconds of the wall
clock) would emit, on the schema of a captured event of the same table (``tests/fixtures/debezium/
prestashop``). The events are what is recorded (``tests/fixtures/real/prestashop-8.1.2/trade/``); the
records come from the streams' own mappers (``streams.mapping.prestashop``) and the order assembler,
so the Odoo sink gets exactly what the pipeline would hand it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from schemas.debezium import decode_change_event
from schemas.order import Order, OrderDiscount, OrderHeader, OrderLine, OrderStatus, OrderStatusChange
from schemas.records import Canonical
from streams.mapping.assemble import assemble_order
from streams.mapping.prestashop import PrestaShopContext, map_prestashop_event
from streams.positions import log_order
from streams.processor import order_status

DEBEZIUM = Path(__file__).resolve().parents[1] / "fixtures" / "debezium" / "prestashop"
TEMPLATES = {
    "customer": "customer_insert",
    "address": "address_insert",
    "orders": "orders_insert",
    "order_detail": "order_detail_insert_1",
    "order_cart_rule": "order_cart_rule_insert",
    "order_history": "order_history_insert",
    "order_payment": "order_payment_insert",
}
KEYS = {
    "customer": "id_customer",
    "address": "id_address",
    "orders": "id_order",
    "order_detail": "id_order",
    "order_cart_rule": "id_order",
    "order_history": "id_order",
    "order_payment": "order_reference",  # PrestaShop links a payment to its order by reference only
}
Event = dict[str, Any]
BASE_MS = 1_796_169_600_000  # 2026-12-02 00:00 UTC
# credentials of the shop's customers, never recorded (no mapper reads them)
SECRET_COLUMNS = frozenset({"passwd", "secure_key", "reset_password_token"})


@cache
def _template(table: str) -> str:
    return (DEBEZIUM / f"{TEMPLATES[table]}.json").read_text()


def _value(value: Any, field: Mapping[str, Any]) -> Any:
    """One column as the connector writes it (decimal.handling.mode=string, adaptive_time_microseconds)."""
    if value is None:
        return None
    name = field.get("name")
    if name == "io.debezium.time.Timestamp":  # DATETIME: the wall clock's digits, read as UTC
        return int(value.replace(tzinfo=UTC).timestamp() * 1000) if isinstance(value, datetime) else 0
    if name == "io.debezium.time.Date":
        return (value - date(1970, 1, 1)).days if isinstance(value, date) else 0
    if field["type"] in ("int8", "int16", "int32", "int64"):
        return int(value)
    if field["type"] in ("float", "double"):
        return float(value)
    if isinstance(value, bytes):
        return value.decode()
    return str(value) if isinstance(value, Decimal) else value


def to_event(table: str, row: Mapping[str, Any], op: str, position: int) -> Event:
    """The change event of ``row`` (as it reads now) on the schema of the captured ``table`` event."""
    event = json.loads(_template(table))
    after_schema = next(f for f in event["schema"]["fields"] if f["field"] == "after")
    after = {
        f["field"]: "$secret"
        if f["field"] in SECRET_COLUMNS and row.get(f["field"])
        else _value(row.get(f["field"]), f)
        for f in after_schema["fields"]
    }
    payload = event["payload"]
    payload["before"] = None
    payload["after"] = after
    payload["op"] = op
    at = BASE_MS + position  # commit times in the order the trade read the rows
    payload["source"] = {
        **payload["source"],
        "table": f"ps_{table}",
        "pos": position,
        "gtid": None,
        "file": "real-shop",
        "row": 0,
        "ts_ms": at,
        "ts_us": at * 1000,
        "ts_ns": at * 1_000_000,
    }
    payload.update(ts_ms=at, ts_us=at * 1000, ts_ns=at * 1_000_000)
    return event


class ShopRows:
    """Reads one real shop's rows (a pymysql connection to its own MariaDB, never the stack's)."""

    def __init__(self, connection: Any, prefix: str = "ps_") -> None:
        self.connection = connection
        self.prefix = prefix
        self.position = 0

    def rows(self, table: str, column: str, value: int | str) -> list[dict[str, Any]]:
        self.connection.commit()  # a fresh snapshot: the shop wrote since the last read
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {self.prefix}{table} WHERE {column} = %s", (value,))
            return list(cursor.fetchall())

    def events(self, table: str, value: int | str, op: str = "c", since: int = 0) -> list[Event]:
        """Events of every row of ``table`` whose key column is ``value`` (history and payment rows after
        ``since``)."""
        out = []
        for row in self.rows(table, KEYS[table], value):
            if table in ("order_history", "order_payment") and int(row[f"id_{table}"]) <= since:
                continue
            self.position += 1
            out.append(to_event(table, row, op, self.position))
        return out

    def order_events(self, order_id: int, op: str = "c") -> list[Event]:
        """An order as its checkout commits it: header, lines, vouchers, the first history row (an edit,
        ``op="u"``: the header, lines and vouchers as the back office rewrote them)."""
        header = self.events("orders", order_id, op)
        return [
            *header,
            *self.events("order_detail", order_id, op),
            *self.events("order_cart_rule", order_id, op),
            *(self.events("order_history", order_id) if op == "c" else []),
            *(self.payments(str(header[0]["payload"]["after"]["reference"])) if op == "c" else []),
        ]

    def payments(self, reference: str, since: int = 0) -> list[Event]:
        """The order's payment rows (``order_payment``, by reference) after ``since``."""
        return self.events("order_payment", reference, since=since)

    def last_payment(self, reference: str) -> int:
        return max(
            (int(r["id_order_payment"]) for r in self.rows("order_payment", "order_reference", reference)), default=0
        )


def stored(event: Event) -> Event:
    """The event as recorded: its payload (the schema is the captured event's of that table)."""
    return {"payload": event["payload"]}


def with_schema(event: Event) -> Event:
    table = event["payload"]["source"]["table"].removeprefix("ps_")
    return {"schema": json.loads(_template(table))["schema"], **event} if "schema" not in event else event


def mapped(events: Iterable[Event], ctx: PrestaShopContext) -> list[Canonical]:
    records: list[Canonical] = []
    for event in events:
        table = event["payload"]["source"]["table"]
        records.extend(
            map_prestashop_event(decode_change_event(with_schema(event), topic=f"shop.prestashop.{table}"), ctx)
        )
    return records


def assembled(events: Iterable[Event], ctx: PrestaShopContext) -> Order:
    """The canonical Order the processor assembles from one order's events."""
    parts = mapped(events, ctx)
    header = max(
        (p for p in parts if isinstance(p, OrderHeader)),  # the newest row, as the processor takes it
        key=lambda h: log_order(h.envelope.source_ts, h.envelope.source_position),
    )
    order = assemble_order(
        header,
        [p for p in parts if isinstance(p, OrderLine)],
        history=[p for p in parts if isinstance(p, OrderStatusChange)],
        discounts=[p for p in parts if isinstance(p, OrderDiscount)],
    )
    if order is None:
        raise AssertionError(f"order {header.order_ref} did not assemble from its events")
    return order


def status_of(events: Iterable[Event], ctx: PrestaShopContext) -> OrderStatus:
    """The status command the processor emits when an assembled order's header changes state."""
    header = max(
        (p for p in mapped(events, ctx) if isinstance(p, OrderHeader)),
        key=lambda h: log_order(h.envelope.source_ts, h.envelope.source_position),
    )
    assert header.order_ref is not None
    return order_status(header.envelope, header.order_ref, header.order_origin_id, header)
