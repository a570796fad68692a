"""What PrestaShop does to an order's neighbours when the order is placed or changes state.

As observed on a real PrestaShop 8.1.2 (tests/fixtures/real/prestashop-8.1.2/orders) and read in
its ``PaymentModule::validateOrder`` and ``OrderHistory::changeIdOrderState``:

- placing an order (``Order::addWs`` -> validateOrder) takes each line's quantity off
  ``stock_available`` (the shop's checkout does it, before any ERP write), creates the
  ``order_carrier`` row (the cart's carrier, weight, shipping cost), then moves the order to
  ``PS_OS_WS_PAYMENT`` (11);
- a state change (``order_histories`` POST) records ``valid`` = the state's ``logable``; leaving
  the sales (logable -> not) for "cancelled" (6) or "payment error" (8) puts the quantities back,
  coming back from them takes them again; the first state with ``invoice`` issues the invoice
  (numbered, linked to the carrier row), the first with ``delivery`` a delivery-slip number; a
  ``paid`` state records an ``order_payment`` of what the invoices still miss (state 3 as well as
  2 and 11) and adds it to ``total_paid_real``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sandbox.prestashop.db import ShopDatabase
from sandbox.prestashop.model import DEFAULT_SHOP
from sandbox.prestashop.xml_input import EntityInput

PS_OS_WS_PAYMENT = 11
PS_OS_CANCELED = 6
PS_OS_ERROR = 8
_ERROR_OR_CANCELED = (PS_OS_CANCELED, PS_OS_ERROR)


def place_order(cur: Any, db: ShopDatabase, id_order: int, entity: EntityInput) -> None:
    """validateOrder's effects for an order posted with its rows."""
    lines = _add_order_rows(cur, db, id_order, entity)
    for product_id, attribute_id, quantity in lines:
        change_stock(cur, db, product_id, attribute_id, -quantity)
    _add_order_carrier(cur, db, id_order)
    add_history(cur, db, id_order, PS_OS_WS_PAYMENT)


def add_history(cur: Any, db: ShopDatabase, id_order: int, id_order_state: int) -> None:
    cur.execute(
        f"INSERT INTO {db.table('order_history')} (id_employee, id_order, id_order_state, date_add) "
        "VALUES (0, %s, %s, NOW())",
        (id_order, id_order_state),
    )
    apply_order_state(cur, db, id_order, id_order_state, history_id=int(cur.lastrowid))


def _state(cur: Any, db: ShopDatabase, id_order_state: int) -> dict[str, Any] | None:
    cur.execute(f"SELECT * FROM {db.table('order_state')} WHERE id_order_state = %s", (id_order_state,))
    found: dict[str, Any] | None = cur.fetchone()
    return found


def apply_order_state(cur: Any, db: ShopDatabase, id_order: int, id_order_state: int, history_id: int) -> None:
    """changeIdOrderState: stock, validity, invoice, delivery slip and payment of the new state."""
    cur.execute(f"SELECT * FROM {db.table('orders')} WHERE id_order = %s", (id_order,))
    order = cur.fetchone()
    if order is None:
        return
    new = _state(cur, db, id_order_state) or {"logable": 0, "invoice": 0, "delivery": 0, "paid": 0}
    old = _state(cur, db, int(order["current_state"] or 0))
    _restock(cur, db, id_order, old, new, id_order_state)
    cur.execute(
        f"UPDATE {db.table('orders')} SET current_state = %s, valid = %s, date_upd = NOW() WHERE id_order = %s",
        (id_order_state, int(new["logable"] or 0), id_order),
    )
    if new["invoice"] and not order["invoice_number"]:
        _issue_invoice(cur, db, order)
    elif new["delivery"] and not order["delivery_number"]:
        cur.execute(f"SELECT COALESCE(MAX(delivery_number), 0) + 1 AS n FROM {db.table('orders')}")
        cur.execute(
            f"UPDATE {db.table('orders')} SET delivery_number = %s, delivery_date = NOW() WHERE id_order = %s",
            (int(cur.fetchone()["n"]), id_order),
        )
    if new["paid"]:
        _record_payment(cur, db, id_order)


def _restock(
    cur: Any, db: ShopDatabase, id_order: int, old: dict[str, Any] | None, new: dict[str, Any], new_id: int
) -> None:
    old_id = int(old["id_order_state"]) if old else 0
    old_logable, new_logable = bool(old and old["logable"]), bool(new["logable"])
    leaves = (
        new_id in _ERROR_OR_CANCELED
        and not new_logable
        and (old_logable or (old is not None and old_id not in _ERROR_OR_CANCELED))
    )  # the sale is undone
    if new_logable and not old_logable and old_id in _ERROR_OR_CANCELED:
        sign = -1  # an order back from cancelled / payment error takes its quantities again
    elif leaves:
        sign = 1
    else:
        return
    cur.execute(
        f"SELECT product_id, product_attribute_id, product_quantity FROM {db.table('order_detail')} "
        "WHERE id_order = %s",
        (id_order,),
    )
    for line in cur.fetchall():
        change_stock(
            cur,
            db,
            int(line["product_id"]),
            int(line["product_attribute_id"] or 0),
            sign * int(line["product_quantity"]),
        )


def change_stock(cur: Any, db: ShopDatabase, product_id: int, attribute_id: int, delta: int) -> None:
    """StockAvailable::updateQuantity: the row, and the product row of a combination with it."""
    table = db.table("stock_available")
    cur.execute(
        f"UPDATE {table} SET quantity = quantity + %s WHERE id_product = %s AND id_product_attribute = %s "
        "AND id_shop = %s",
        (delta, product_id, attribute_id, DEFAULT_SHOP),
    )
    if attribute_id:
        cur.execute(
            f"UPDATE {table} SET quantity = quantity + %s WHERE id_product = %s "
            "AND id_product_attribute = 0 AND id_shop = %s",
            (delta, product_id, DEFAULT_SHOP),
        )


def _issue_invoice(cur: Any, db: ShopDatabase, order: dict[str, Any]) -> None:
    cur.execute(f"SELECT COALESCE(MAX(number), 0) + 1 AS n FROM {db.table('order_invoice')}")
    number = int(cur.fetchone()["n"])
    cur.execute(
        f"INSERT INTO {db.table('order_invoice')} (id_order, number, delivery_number, "
        "total_discount_tax_excl, total_discount_tax_incl, total_paid_tax_excl, total_paid_tax_incl, "
        "total_products, total_products_wt, total_shipping_tax_excl, total_shipping_tax_incl, "
        "shipping_tax_computation_method, total_wrapping_tax_excl, total_wrapping_tax_incl, "
        "shop_address, note, date_add) "
        "VALUES (%s, %s, 0, %s, %s, %s, %s, %s, %s, %s, %s, 0, %s, %s, '', '', NOW())",
        (
            order["id_order"],
            number,
            order["total_discounts_tax_excl"],
            order["total_discounts_tax_incl"],
            order["total_paid_tax_excl"],
            order["total_paid_tax_incl"],
            order["total_products"],
            order["total_products_wt"],
            order["total_shipping_tax_excl"],
            order["total_shipping_tax_incl"],
            order["total_wrapping_tax_excl"],
            order["total_wrapping_tax_incl"],
        ),
    )
    invoice_id = int(cur.lastrowid)
    cur.execute(
        f"UPDATE {db.table('orders')} SET invoice_number = %s, invoice_date = NOW() WHERE id_order = %s",
        (number, order["id_order"]),
    )
    cur.execute(
        f"UPDATE {db.table('order_carrier')} SET id_order_invoice = %s WHERE id_order = %s",
        (invoice_id, order["id_order"]),
    )


def _record_payment(cur: Any, db: ShopDatabase, id_order: int) -> None:
    cur.execute(f"SELECT * FROM {db.table('orders')} WHERE id_order = %s", (id_order,))
    order = cur.fetchone()
    if not order or not order["invoice_number"] or Decimal(order["total_paid"] or 0) == 0:
        return
    cur.execute(
        f"SELECT COALESCE(SUM(amount), 0) AS paid FROM {db.table('order_payment')} WHERE order_reference = %s",
        (order["reference"],),
    )
    rest = Decimal(order["total_paid_tax_incl"] or order["total_paid"]) - Decimal(cur.fetchone()["paid"])
    if rest <= 0:
        return
    cur.execute(
        f"INSERT INTO {db.table('order_payment')} (order_reference, id_currency, amount, payment_method, "
        "conversion_rate, date_add) VALUES (%s, %s, %s, %s, %s, NOW())",
        (order["reference"], order["id_currency"], rest, order["payment"], order["conversion_rate"] or 1),
    )
    cur.execute(
        f"UPDATE {db.table('orders')} SET total_paid_real = total_paid_real + %s WHERE id_order = %s", (rest, id_order)
    )


def _add_order_rows(cur: Any, db: ShopDatabase, id_order: int, entity: EntityInput) -> list[tuple[int, int, int]]:
    columns = db.column_map("order_detail")
    lines = []
    for item in entity.associations.get("order_rows", []):
        values: dict[str, Any] = {"id_order": id_order, "id_shop": DEFAULT_SHOP}
        for name, raw in item.items():
            if name in columns and name not in ("id", "id_order_detail", "id_order"):
                values[name] = raw
        values.setdefault("product_name", "")
        names = ", ".join(f"`{c}`" for c in values)
        cur.execute(
            f"INSERT INTO {db.table('order_detail')} ({names}) VALUES ({', '.join(['%s'] * len(values))})",
            list(values.values()),
        )
        lines.append(
            (
                int(values.get("product_id") or 0),
                int(values.get("product_attribute_id") or 0),
                int(values.get("product_quantity") or 0),
            )
        )
    return lines


def _add_order_carrier(cur: Any, db: ShopDatabase, id_order: int) -> None:
    """validateOrder's OrderCarrier: the order's carrier, its lines' weight and the shipping cost."""
    cur.execute(
        f"SELECT id_carrier, total_shipping_tax_excl, total_shipping_tax_incl FROM {db.table('orders')} "
        "WHERE id_order = %s",
        (id_order,),
    )
    order = cur.fetchone()
    if not order or not order["id_carrier"]:
        return
    cur.execute(
        f"SELECT COALESCE(SUM(product_weight * product_quantity), 0) AS w FROM {db.table('order_detail')} "
        "WHERE id_order = %s",
        (id_order,),
    )
    weight = cur.fetchone()["w"]
    cur.execute(
        f"INSERT INTO {db.table('order_carrier')} (id_order, id_carrier, weight, shipping_cost_tax_excl, "
        "shipping_cost_tax_incl, tracking_number, date_add) VALUES (%s, %s, %s, %s, %s, '', NOW())",
        (id_order, order["id_carrier"], weight, order["total_shipping_tax_excl"], order["total_shipping_tax_incl"]),
    )
