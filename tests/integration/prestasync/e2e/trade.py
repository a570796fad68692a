"""The people of a trading day: the shop's checkout and back office, the ERP's users, and the CLI they
drive, as the day-of-trade and serve tests run them."""

from __future__ import annotations

import random
import threading
from typing import Any

import odoorpc

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.settings import Settings
from sandbox.odoo.auth import provision_api_key
from sandbox.sample.rows import ODOO_ADMIN_UID
from sandbox.simulator.checkout import ShopCheckout
from sandbox.simulator.events import (
    STATE_PAYMENT_ACCEPTED,
    CartLine,
    NewCustomer,
    OrderRequest,
    PlacedOrder,
    ReturningCustomer,
)
from sandbox.simulator.shoppers import Shoppers
from tests.integration.prestasync.e2e.checks import erp_rows


class ErpUser:
    """A warehouse / sales person working in the ERP through its API (admin, not the integration user)."""

    def __init__(self, settings: Settings) -> None:
        conn = postgres_admin(settings.postgres.database, settings=settings)
        try:
            key = provision_api_key(conn, ODOO_ADMIN_UID, "e2e day of trade")
            with conn.cursor() as cur:
                cur.execute("SELECT login FROM res_users WHERE id = %s", (ODOO_ADMIN_UID,))
                login = cur.fetchone()[0]
        finally:
            conn.close()
        self.odoo = odoorpc.ODOO(settings.sandbox.host, port=settings.sandbox.odoo_port)
        self.odoo.login(settings.postgres.database, login, key)

    def order_id(self, reference: str) -> int:
        found = self.odoo.env["sale.order"].search([("client_order_ref", "=", reference)])
        assert len(found) == 1, (reference, found)
        return int(found[0])

    def cancel(self, reference: str) -> None:
        """As the ERP user does it: a confirmed order answers the sale.order.cancel wizard, whose
        "Cancel" button cancels (real Odoo 18, tests/fixtures/real/odoo-18.0/sink/)."""
        order_id = self.order_id(reference)
        answer = self.odoo.execute_kw("sale.order", "action_cancel", [[order_id]])
        if isinstance(answer, dict) and answer.get("res_model") == "sale.order.cancel":
            wizard = self.odoo.execute_kw(
                "sale.order.cancel", "create", [{"order_id": order_id}], {"context": answer["context"]}
            )
            assert self.odoo.execute_kw("sale.order.cancel", "action_cancel", [[wizard]]) is True

    def deliver(self, reference: str) -> None:
        pickings = self.odoo.env["stock.picking"].search(
            [("sale_id", "=", self.order_id(reference)), ("state", "not in", ["done", "cancel"])]
        )
        assert pickings, f"no open delivery for {reference}"
        answer = self.odoo.execute_kw("stock.picking", "button_validate", [pickings])
        if isinstance(answer, dict) and answer.get("res_model") == "confirm.stock.sms":
            # a delivery to a partner with a phone asks once whether to send SMS: the user confirms
            answer = self.odoo.execute_kw(
                "confirm.stock.sms", "send_sms", [[answer["res_id"]]], {"context": answer["context"]}
            )
        assert answer is True

    def known_partner(self, name: str, email: str) -> int:
        return int(self.odoo.env["res.partner"].create({"name": name, "email": email}))


class Shop:
    def __init__(self, settings: Settings, rng: random.Random) -> None:
        self.conn = mariadb_admin(settings.mariadb.database, settings=settings)
        self.prefix = settings.mariadb.table_prefix
        self.checkout = ShopCheckout(self.conn, self.prefix, rng)
        self.shoppers = Shoppers(self.conn, self.prefix, rng)
        self.rng = rng
        self.lock = threading.Lock()  # one connection: one statement at a time

    def items(self, count: int, goods: set[str]) -> list[tuple[int, int, str]]:
        """(id_product, id_product_attribute, SKU) of ``count`` different items with at least 6 in stock,
        among ``goods`` (SKUs the ERP stocks: a service is never delivered)."""
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT id_product_attribute, reference FROM `{self.prefix}product_attribute`")
            variant_skus = {int(r["id_product_attribute"]): r["reference"] for r in cur.fetchall()}
            cur.execute(f"SELECT id_product, reference FROM `{self.prefix}product`")
            product_skus = {int(r["id_product"]): r["reference"] for r in cur.fetchall()}
        stock: list[tuple[int, int, str]] = []
        for p, a, quantity in self.shoppers.sellable():
            sku = variant_skus.get(a) if a else product_skus.get(p)
            if sku in goods and quantity >= 6:
                stock.append((p, a, str(sku)))
        assert len(stock) >= count, "the sample catalogue has too little stock for the day"
        return self.rng.sample(stock, count)

    def order(
        self,
        customer: NewCustomer | ReturningCustomer,
        items: list[tuple[int, int, str]],
        state: int = STATE_PAYMENT_ACCEPTED,
        discount: Any = None,
    ) -> PlacedOrder:
        lines = tuple(CartLine(p, a, 1 + i % 2) for i, (p, a, _) in enumerate(items))
        with self.lock:
            return self.checkout.place_order(OrderRequest(customer, lines, state, discount))

    def close(self) -> None:
        self.conn.close()


def erp_goods(settings: Settings) -> set[str]:
    """The references of the ERP's stockable products (services are not sold through the shop)."""
    return {
        str(code)
        for (code,) in erp_rows(
            settings,
            "SELECT p.default_code FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id"
            " WHERE t.type <> 'service' AND p.default_code IS NOT NULL",
        )
    }
