"""A PrestaShop checkout, written to the shop tables the way ``PaymentModule::validateOrder`` does.

PrestaShop 8.1.2 runs no transaction around an order: every statement autocommits, in the order
observed on a real checkout (DESIGN.md 2.4). Change-data capture therefore sees the order's rows
arrive one by one, and the first ``order_history`` row (or ``orders.current_state`` turning non-zero)
is the signal that every ``order_detail`` row is committed. This class reproduces that sequence:

(new customer: INSERT customer, customer_group, address) INSERT cart; INSERT orders (current_state 0);
per line: UPDATE stock_available (combination row, product row: sellable quantity down), UPDATE
product_shop, UPDATE product, INSERT order_detail, INSERT order_detail_tax; INSERT order_carrier;
(voucher: INSERT order_cart_rule); UPDATE orders; UPDATE stock_available (reserved up, physical
unchanged); INSERT order_history; UPDATE orders (current_state); DELETE + INSERT order_detail_tax
(``Order::updateOrderDetailTax``).

Every statement is logged with its commit time in ``PlacedOrder.statements``.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pymysql

from sandbox.sample.rows import shop_zone, utc_now
from sandbox.simulator import checkout_values
from sandbox.simulator.checkout_rows import ShopRows
from sandbox.simulator.events import (
    STATE_CANCELED,
    NewCustomer,
    OrderRequest,
    PlacedLine,
    PlacedOrder,
    Statement,
)
from sandbox.simulator.pricing import order_totals, price_line
from schemas.ddl import PRESTASHOP_SQL_MODE, validate_prefix

# The merchant's back office records who changed an order's state (the install's first employee);
# the checkout (PaymentModule::validateOrder) and the webservice record none (0).
BACK_OFFICE_EMPLOYEE = 1
# Order states whose orders count as valid (order_state.logable in the seed).
LOGABLE_STATES = frozenset({2, 3, 4, 5, 11})
PAYMENTS: dict[int, tuple[str, str]] = {
    2: ("Payments by card", "ps_checkout"),
    10: ("Bank wire", "ps_wirepayment"),
}


def order_reference(rng: random.Random) -> str:
    """``Order::generateReference``: 9 random upper-case letters."""
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(9))


class ShopCheckout:
    """Places and cancels orders in the PrestaShop tables of one database, one statement at a time."""

    def __init__(
        self,
        conn: pymysql.Connection[Any],
        prefix: str,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        validate_prefix(prefix)
        conn.autocommit(True)  # PrestaShop's Db class: no transaction, every statement commits
        self.conn = conn
        self.rows = ShopRows(conn, prefix)
        self.rng = rng or random.Random()
        self.clock = clock
        with conn.cursor() as cur:
            cur.execute("SET SESSION sql_mode = %s", (PRESTASHOP_SQL_MODE,))
        self.zone = shop_zone(conn, prefix)
        self._log: list[Statement] = []

    def _write(self, verb: str, table: str, sql: str, args: tuple[Any, ...] | list[Any]) -> int:
        """Run one autocommitted statement; log it with its commit time; return lastrowid."""
        with self.conn.cursor() as cur:
            cur.execute(sql.replace("{t}", f"`{self.rows.prefix}{table}`"), args)
            last_id = int(cur.lastrowid or 0)
        self._log.append(Statement(verb, table, self.clock()))
        return last_id

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        names = ", ".join(f"`{name}`" for name in values)
        marks = ", ".join(["%s"] * len(values))
        return self._write("INSERT", table, f"INSERT INTO {{t}} ({names}) VALUES ({marks})", list(values.values()))

    def _now(self) -> datetime:
        """The shop's wall clock (PS_TIMEZONE): PrestaShop dates its rows in the shop's zone."""
        return self.clock().astimezone(self.zone).replace(tzinfo=None)

    def place_order(self, request: OrderRequest) -> PlacedOrder:
        """Write one order as a checkout would; raise ValueError if a line is unknown to the shop."""
        self._log = []
        items = [self.rows.cart_item(line) for line in request.lines]  # the cart, computed before writing
        now = self._now()
        if isinstance(request.customer, NewCustomer):
            id_customer, id_address, secure_key = self._new_customer(request.customer, now)
        else:
            id_customer, id_address = request.customer.id_customer, request.customer.id_address
            secure_key = self.rows.secure_key(id_customer)
        group = self.rows.customer_group(id_customer)
        prices = [price_line(self.rows.unit_price(item, group), item.quantity) for item in items]
        totals = order_totals(prices, request.discount_percent)
        id_cart = self._insert("cart", checkout_values.cart_values(id_customer, id_address, secure_key, now))
        payment, module = PAYMENTS.get(request.first_state, ("Payments by card", "ps_checkout"))
        reference = order_reference(self.rng)
        id_order = self._insert(
            "orders",
            checkout_values.order_values(
                reference, id_customer, id_cart, id_address, secure_key, payment, module, totals, now
            ),
        )
        placed: list[PlacedLine] = []
        for item, price in zip(items, prices, strict=True):
            self._sellable_down(item.id_product, item.id_product_attribute, item.quantity)
            for table in ("product_shop", "product"):
                self._write(
                    "UPDATE", table, "UPDATE {t} SET date_upd = %s WHERE id_product = %s", (now, item.id_product)
                )
            id_detail = self._insert("order_detail", checkout_values.detail_values(id_order, item, price))
            self._insert("order_detail_tax", checkout_values.detail_tax_values(id_detail, price))
            placed.append(PlacedLine(item.sku, item.id_product, item.id_product_attribute, id_detail, price))
        weight = sum((item.weight * item.quantity for item in items), Decimal(0))
        self._insert("order_carrier", checkout_values.carrier_values(id_order, weight, totals, now))
        if totals.discount_tax_incl:
            self._insert(
                "order_cart_rule", checkout_values.cart_rule_values(id_order, request.discount_percent, totals)
            )
        self._write("UPDATE", "orders", "UPDATE {t} SET date_upd = %s WHERE id_order = %s", (now, id_order))
        for item in items:
            self._reserve(item.id_product, item.id_product_attribute, item.quantity)
        self._set_state(id_order, request.first_state, now)
        self._write(
            "DELETE",
            "order_detail_tax",
            "DELETE FROM {t} WHERE id_order_detail IN (" + ", ".join(["%s"] * len(placed)) + ")",
            [line.id_order_detail for line in placed],
        )
        for line in placed:
            self._insert("order_detail_tax", checkout_values.detail_tax_values(line.id_order_detail, line.price))
        return PlacedOrder(
            id_order,
            reference,
            id_cart,
            id_customer,
            id_address,
            isinstance(request.customer, NewCustomer),
            request.first_state,
            placed,
            totals,
            list(self._log),
        )

    def cancel_order(self, id_order: int) -> list[Statement]:
        """The merchant moves an order to "Canceled" (6): its reserved quantities become sellable again."""
        self._log = []
        now = self._now()
        for id_product, id_product_attribute, quantity in self.rows.order_lines(id_order):
            self._sellable_down(id_product, id_product_attribute, -quantity)
            self._reserve(id_product, id_product_attribute, -quantity)
        self._set_state(id_order, STATE_CANCELED, now, BACK_OFFICE_EMPLOYEE)
        return list(self._log)

    def change_state(self, id_order: int, state: int) -> list[Statement]:
        """A back-office state change without stock effect (e.g. a bank wire received: "Payment accepted")."""
        self._log = []
        self._set_state(id_order, state, self._now(), BACK_OFFICE_EMPLOYEE)
        return list(self._log)

    def _new_customer(self, customer: NewCustomer, now: datetime) -> tuple[int, int, str]:
        secure_key = f"{self.rng.getrandbits(128):032x}"
        id_customer = self._insert("customer", checkout_values.customer_values(customer, secure_key, now))
        # Customer::add -> updateGroup: the customer joins its default group.
        self._insert("customer_group", {"id_customer": id_customer, "id_group": customer.id_group})
        id_address = self._insert("address", checkout_values.address_values(id_customer, customer, now))
        return id_customer, id_address, secure_key

    def _stock_rows(self, id_product: int, id_product_attribute: int) -> tuple[int, ...]:
        return (id_product_attribute, 0) if id_product_attribute else (0,)

    def _sellable_down(self, id_product: int, id_product_attribute: int, quantity: int) -> None:
        """StockAvailable::updateQuantity(-q): the combination row, then the product row (postSave)."""
        for row in self._stock_rows(id_product, id_product_attribute):
            self._write(
                "UPDATE",
                "stock_available",
                "UPDATE {t} SET quantity = quantity - %s "
                "WHERE id_product = %s AND id_product_attribute = %s AND id_shop = 1",
                (quantity, id_product, row),
            )

    def _reserve(self, id_product: int, id_product_attribute: int, quantity: int) -> None:
        """Reserved quantity recomputed from open orders: reserved up, physical (= quantity + reserved) kept."""
        for row in self._stock_rows(id_product, id_product_attribute):
            self._write(
                "UPDATE",
                "stock_available",
                "UPDATE {t} SET reserved_quantity = reserved_quantity + %s, "
                "physical_quantity = quantity + reserved_quantity "
                "WHERE id_product = %s AND id_product_attribute = %s AND id_shop = 1",
                (quantity, id_product, row),
            )

    def _set_state(self, id_order: int, state: int, now: datetime, employee: int = 0) -> None:
        self._insert(
            "order_history", {"id_employee": employee, "id_order": id_order, "id_order_state": state, "date_add": now}
        )
        self._write(
            "UPDATE",
            "orders",
            "UPDATE {t} SET current_state = %s, valid = %s, date_upd = %s WHERE id_order = %s",
            (state, int(state in LOGABLE_STATES), now, id_order),
        )
