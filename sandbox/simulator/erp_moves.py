"""Stock moves in the Odoo tables, as a warehouse worker validating them in Odoo would produce.

Each move is one transaction (Odoo commits once per request): a ``done`` stock_move, then the quant of
the stock location updated (or created). Written by a human user (default: admin, uid 2), never the
integration user, so the sync sees them as ERP-side changes to propagate.

- receipt: vendor location -> the warehouse's stock location, quantity up;
- delivery: stock location -> customers, quantity down (never below what the quant holds);
- adjustment: an inventory count setting the quant to a new quantity (move to/from the inventory
  adjustment location, ``is_inventory``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg2.extensions

from sandbox.sample.rows import ODOO_ADMIN_UID, naive_utc, pg_columns, pg_insert, utc_now

COMPANY_ID = 1
UNIT_UOM_ID = 1


@dataclass(frozen=True)
class ErpMove:
    kind: str  # "receipt", "delivery" or "adjustment"
    sku: str
    product_id: int
    warehouse: str  # warehouse code, "WH" or "STORE"
    quantity: Decimal  # signed change of the quant
    quant_quantity: Decimal  # the quant's quantity after the move
    committed_at: datetime


class ErpStockMoves:
    """Writes done stock moves into the Odoo tables of ``conn``'s database."""

    def __init__(
        self,
        conn: psycopg2.extensions.connection,
        user_id: int = ODOO_ADMIN_UID,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        # Each move is one transaction, committed by ``with self.conn`` (a no-op under autocommit).
        conn.autocommit = False
        self.conn = conn
        self.user_id = user_id
        self.clock = clock

    def _scalar(self, cur: Any, query: str, args: tuple[Any, ...]) -> Any:
        cur.execute(query, args)
        row = cur.fetchone()
        return None if row is None else row[0]

    def _warehouse(self, cur: Any, code: str, picking_code: str) -> tuple[int, int, int | None]:
        cur.execute(
            "SELECT w.id, w.lot_stock_id, t.id FROM stock_warehouse w LEFT JOIN stock_picking_type t "
            "ON t.warehouse_id = w.id AND t.code = %s WHERE w.code = %s ORDER BY t.sequence LIMIT 1",
            (picking_code, code),
        )
        row = cur.fetchone()
        if row is None:
            raise LookupError(f"no warehouse {code!r} in the ERP")
        return int(row[0]), int(row[1]), None if row[2] is None else int(row[2])

    def _location(self, cur: Any, usage: str) -> int:
        found = self._scalar(cur, "SELECT id FROM stock_location WHERE usage = %s ORDER BY id LIMIT 1", (usage,))
        if found is None:
            raise LookupError(f"no {usage} location in the ERP")
        return int(found)

    def receipt(self, sku: str, warehouse: str, quantity: int) -> ErpMove:
        return self._move("receipt", sku, warehouse, lambda current: Decimal(quantity))

    def delivery(self, sku: str, warehouse: str, quantity: int) -> ErpMove:
        return self._move("delivery", sku, warehouse, lambda current: -min(Decimal(quantity), max(current, Decimal(0))))

    def adjustment(self, sku: str, warehouse: str, counted: int) -> ErpMove:
        """An inventory count: the quant becomes ``counted``."""
        return self._move("adjustment", sku, warehouse, lambda current: Decimal(counted) - current)

    def _move(self, kind: str, sku: str, warehouse: str, change_of: Callable[[Decimal], Decimal]) -> ErpMove:
        # One transaction: ``with self.conn`` commits on success and rolls back on error.
        with self.conn, self.conn.cursor() as cur:
            product_id = self._scalar(cur, "SELECT id FROM product_product WHERE default_code = %s", (sku,))
            if product_id is None:
                raise LookupError(f"no ERP product with reference {sku!r}")
            picking_code = {"receipt": "incoming", "delivery": "outgoing"}.get(kind, "internal")
            warehouse_id, stock_id, picking_type = self._warehouse(cur, warehouse, picking_code)
            cur.execute(
                "SELECT id, quantity FROM stock_quant WHERE product_id = %s AND location_id = %s "
                "AND lot_id IS NULL AND package_id IS NULL AND owner_id IS NULL ORDER BY id LIMIT 1 "
                "FOR UPDATE",
                (product_id, stock_id),
            )
            quant = cur.fetchone()
            current = Decimal(quant[1] or 0) if quant else Decimal(0)
            change = change_of(current)
            other = {"receipt": "supplier", "delivery": "customer"}.get(kind, "inventory")
            source, dest = (
                (self._location(cur, other), stock_id) if change >= 0 else (stock_id, self._location(cur, other))
            )
            now = naive_utc(self.clock())
            stamps = {"create_uid": self.user_id, "create_date": now, "write_uid": self.user_id, "write_date": now}
            pg_insert(
                cur,
                "stock_move",
                {
                    "name": "Product Quantity Updated" if kind == "adjustment" else sku,
                    "sequence": 10,
                    "priority": "0",
                    "date": now,
                    "company_id": COMPANY_ID,
                    "product_id": product_id,
                    "product_uom_qty": abs(change),
                    "product_uom": UNIT_UOM_ID,
                    "product_qty": abs(change),
                    "quantity": abs(change),
                    "picked": True,
                    "location_id": source,
                    "location_dest_id": dest,
                    "location_final_id": dest,
                    "picking_type_id": picking_type if kind != "adjustment" else None,
                    "state": "done",
                    "reference": f"{warehouse}/{kind}",
                    "procure_method": "make_to_stock",
                    "is_inventory": kind == "adjustment",
                    "price_unit": 0.0,
                    "warehouse_id": warehouse_id,
                    **stamps,
                },
                pg_columns(cur, "stock_move"),
            )
            if quant:
                cur.execute(
                    "UPDATE stock_quant SET quantity = quantity + %s, write_uid = %s, write_date = %s WHERE id = %s",
                    (change, self.user_id, now, quant[0]),
                )
            else:
                pg_insert(
                    cur,
                    "stock_quant",
                    {
                        "product_id": product_id,
                        "company_id": COMPANY_ID,
                        "location_id": stock_id,
                        "quantity": change,
                        "reserved_quantity": Decimal(0),
                        "in_date": now,
                        "inventory_quantity_set": False,
                        **stamps,
                    },
                )
        return ErpMove(kind, sku, int(product_id), warehouse, change, current + change, self.clock())
