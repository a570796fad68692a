"""The shop side of the front-office trade (``scenario_trade``): a real PrestaShop 8.1.2 driven as its
merchant and customers drive it, or the trade's recorded events played back (CI).

Real: products, a second currency and vouchers are saved through the shop's own classes
(``shop_prestashop.php``), each checkout fills a cart as the front office does
(``checkout_prestashop.php``) and ``POST /api/orders`` runs the payment module's ``validateOrder``; a
bank-wire checkout starts in "Awaiting bank wire payment" (10), a card-like one in the webservice's
paid state (11). State changes go through ``POST /api/order_histories`` as the back office's
status button does. What the shop wrote is read back from its MariaDB as change events
(``shop_rows``).
"""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pymysql
import pymysql.cursors

from sinks.prestashop.client import PrestaShopClient
from tests.real.shop_rows import Event, ShopRows

HERE = Path(__file__).parent
AWAITING_WIRE, WS_PAID, PAYMENT_ACCEPTED, CANCELLED = 10, 11, 2, 6
FREE_CARRIER, PAID_CARRIER = 1, 2  # 8.1.2 install: "Click and collect" (free), "My carrier"
IRELAND = 26


class RealShop:
    def __init__(self, shop: dict[str, Any]) -> None:
        self.shop = shop
        self.root = str(Path(shop["workdir"]) / "prestashop")
        self.host = shop["base_url"].split("//", 1)[1].rstrip("/")
        self.api = PrestaShopClient(shop["api_url"].rstrip("/"), shop["webservice_key"])
        db = shop["db"]
        self.rows = ShopRows(
            pymysql.connect(
                unix_socket=db["socket"],
                user=db["user"],
                password=db["password"],
                database=db["database"],
                cursorclass=pymysql.cursors.DictCursor,
            ),
            db.get("prefix", "ps_"),
        )

    def php(self, script: str, *args: str) -> dict[str, Any]:
        done = subprocess.run(
            ["php", str(HERE / script), self.root, self.host, *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{script} {args[:1]}: {done.stderr.strip() or done.stdout.strip()}")
        answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return answer

    def action(self, action: str, **values: Any) -> dict[str, Any]:
        return self.php("shop_prestashop.php", action, json.dumps(values, default=str))

    def checkout(
        self,
        customer: int,
        address: int,
        carrier: int,
        lines: list[tuple[int, int]],
        *,
        currency: int = 1,
        vouchers: tuple[int, ...] = (),
        paid: bool = True,
    ) -> int:
        cart = self.php(
            "checkout_prestashop.php",
            json.dumps(
                {
                    "customer": customer,
                    "address": address,
                    "carrier": carrier,
                    "currency": currency,
                    "vouchers": list(vouchers),
                    "lines": [[product, 0, qty] for product, qty in lines],
                }
            ),
        )
        # the state validateOrder gives a webservice order (PS_OS_WS_PAYMENT): a bank-wire checkout's
        # first state is 10, as the ps_wirepayment front controller gives it
        self._ws_state(WS_PAID if paid else AWAITING_WIRE)
        try:
            order = self.api.create(
                "orders",
                "order",
                {
                    "id_address_delivery": address,
                    "id_address_invoice": address,
                    "id_cart": cart["id_cart"],
                    "id_currency": currency,
                    "id_lang": 1,
                    "id_customer": customer,
                    "id_carrier": carrier,
                    "module": "ps_checkpayment" if paid else "ps_wirepayment",
                    "payment": "Payments by check" if paid else "Bank transfer",
                    "total_paid": Decimal(cart["total_paid"]),
                    "total_paid_real": Decimal(0),
                    "total_products": Decimal(0),
                    "total_products_wt": Decimal(0),
                    "conversion_rate": Decimal(1),
                },
            )
        finally:
            self._ws_state(WS_PAID)
        return int(order["id"])

    def _ws_state(self, state: int) -> None:
        self.action("ws_state", state=state)

    def edit_line(self, order_id: int, sku: str, quantity: int) -> list[Event]:
        """A back-office edit of the order's ``sku`` line to ``quantity`` at its price; the rows it rewrote."""
        line = next(r for r in self.rows.rows("order_detail", "id_order", order_id) if r["product_reference"] == sku)
        self.php(
            "edit_order_prestashop.php",
            json.dumps(
                {
                    "order": order_id,
                    "detail": int(line["id_order_detail"]),
                    "quantity": quantity,
                    "price_tax_excl": str(line["unit_price_tax_excl"]),
                    "price_tax_incl": str(line["unit_price_tax_incl"]),
                }
            ),
        )
        return self.rows.order_events(order_id, op="u")

    def set_state(self, order_id: int, state: int) -> None:
        self.api.create("order_histories", "order_history", {"id_order": order_id, "id_order_state": state})

    def events(self, table: str, key: int, **options: Any) -> list[Event]:
        return self.rows.events(table, key, **options) if table != "order" else self.rows.order_events(key)

    def last_history(self, order_id: int) -> int:
        return max(
            (int(r["id_order_history"]) for r in self.rows.rows("order_history", "id_order", order_id)), default=0
        )

    def order_row(self, order_id: int) -> dict[str, Any]:
        return self.rows.rows("orders", "id_order", order_id)[0]

    def close(self) -> None:
        self.api.close()
        self.rows.connection.close()
