"""The rows a checkout reads: cart items with their prices, customers' groups and keys, an order's lines
(the column values of each insert: ``checkout_values``).

Reads happen before the first write, like PrestaShop computing the cart before ``validateOrder``.
The shop is a French PrestaShop 8 (one shop, language and currency 1, carrier 1, country 8 = France, tax
rules group 1 at 20 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pymysql
import pymysql.cursors

from sandbox.simulator.events import CartLine

SHOP_ID = 1
SHOP_GROUP_ID = 1
LANG_ID = 1
CURRENCY_ID = 1
CARRIER_ID = 1
COUNTRY_FR = 8
CUSTOMER_GROUP_ID = 3  # PS_CUSTOMER_GROUP
TAX_ID = 1
TAX_NAME = "TVA FR 20%"
ZERO_DATE = "0000-00-00 00:00:00"
# No cart_rule table in the sandbox DDL: vouchers reference this fixed rule id.
VOUCHER_CART_RULE_ID = 1
# Not a hash of anything: simulated customers never log in.
PASSWORD_PLACEHOLDER = "!simulated-customer-no-login"  # noqa: S105


@dataclass(frozen=True)
class CartItem:
    id_product: int
    id_product_attribute: int
    quantity: int
    sku: str
    ean13: str | None
    name: str
    base_price: Decimal  # product price + combination impact, tax excluded
    wholesale_price: Decimal
    weight: Decimal
    stock: int


class ShopRows:
    def __init__(self, conn: pymysql.Connection[Any], prefix: str) -> None:
        self.conn = conn
        self.prefix = prefix

    def t(self, name: str) -> str:
        return f"`{self.prefix}{name}`"

    def _one(self, query: str, args: tuple[Any, ...]) -> dict[str, Any] | None:
        with self.conn.cursor(pymysql.cursors.DictCursor) as cur:
            cur.execute(query, args)
            row: dict[str, Any] | None = cur.fetchone()
            return row

    def cart_item(self, line: CartLine) -> CartItem:
        row = self._one(
            f"SELECT p.reference, p.ean13, p.price, p.wholesale_price, p.weight, pl.name, "
            f"pa.reference AS c_reference, pa.ean13 AS c_ean13, pa.price AS c_price, pa.weight AS c_weight, "
            f"COALESCE(sa.quantity, 0) AS stock FROM {self.t('product')} p "
            f"JOIN {self.t('product_lang')} pl ON pl.id_product = p.id_product AND pl.id_lang = %s "
            "AND pl.id_shop = %s "
            f"LEFT JOIN {self.t('product_attribute')} pa ON pa.id_product = p.id_product "
            "AND pa.id_product_attribute = %s "
            f"LEFT JOIN {self.t('stock_available')} sa ON sa.id_product = p.id_product "
            "AND sa.id_product_attribute = %s AND sa.id_shop = %s WHERE p.id_product = %s",
            (LANG_ID, SHOP_ID, line.id_product_attribute, line.id_product_attribute, SHOP_ID, line.id_product),
        )
        if row is None or (line.id_product_attribute and row["c_reference"] is None):
            raise ValueError(f"the shop has no product {line.id_product} / combination {line.id_product_attribute}")
        combination = bool(line.id_product_attribute)
        name = str(row["name"])
        if combination:
            name += " - " + self._options_label(line.id_product_attribute)
        return CartItem(
            id_product=line.id_product,
            id_product_attribute=line.id_product_attribute,
            quantity=line.quantity,
            sku=str(row["c_reference"] if combination else row["reference"]),
            ean13=row["c_ean13"] if combination else row["ean13"],
            name=name,
            base_price=Decimal(row["price"]) + (Decimal(row["c_price"]) if combination else Decimal(0)),
            wholesale_price=Decimal(row["wholesale_price"]),
            weight=Decimal(row["weight"]) + (Decimal(row["c_weight"]) if combination else Decimal(0)),
            stock=int(row["stock"]),
        )

    def _options_label(self, id_product_attribute: int) -> str:
        """PrestaShop's order line name suffix: "Size : M, Colour : White"."""
        with self.conn.cursor(pymysql.cursors.DictCursor) as cur:
            cur.execute(
                f"SELECT gl.public_name AS grp, al.name AS value FROM {self.t('product_attribute_combination')} pac "
                f"JOIN {self.t('attribute')} a USING (id_attribute) "
                f"JOIN {self.t('attribute_lang')} al ON al.id_attribute = a.id_attribute AND al.id_lang = %s "
                f"JOIN {self.t('attribute_group')} g ON g.id_attribute_group = a.id_attribute_group "
                f"JOIN {self.t('attribute_group_lang')} gl ON gl.id_attribute_group = g.id_attribute_group "
                "AND gl.id_lang = %s WHERE pac.id_product_attribute = %s ORDER BY g.position",
                (LANG_ID, LANG_ID, id_product_attribute),
            )
            return ", ".join(f"{row['grp']} : {row['value']}" for row in cur.fetchall())

    def unit_price(self, item: CartItem, id_group: int) -> Decimal:
        """The unit price tax excluded for a customer of ``id_group``: a group's fixed specific price wins."""
        row = self._one(
            f"SELECT price FROM {self.t('specific_price')} WHERE id_product = %s AND id_group IN (%s, 0) "
            "AND id_customer = 0 AND id_cart = 0 AND id_product_attribute IN (0, %s) AND from_quantity <= %s "
            "AND price >= 0 ORDER BY id_group DESC, id_product_attribute DESC LIMIT 1",
            (item.id_product, id_group, item.id_product_attribute, item.quantity),
        )
        if row is None:
            return item.base_price
        impact = item.base_price - self._product_price(item.id_product)
        return Decimal(row["price"]) + impact

    def _product_price(self, id_product: int) -> Decimal:
        row = self._one(f"SELECT price FROM {self.t('product')} WHERE id_product = %s", (id_product,))
        return Decimal(row["price"]) if row else Decimal(0)

    def customer_group(self, id_customer: int) -> int:
        row = self._one(f"SELECT id_default_group FROM {self.t('customer')} WHERE id_customer = %s", (id_customer,))
        if row is None:
            raise ValueError(f"the shop has no customer {id_customer}")
        return int(row["id_default_group"])

    def secure_key(self, id_customer: int) -> str:
        row = self._one(f"SELECT secure_key FROM {self.t('customer')} WHERE id_customer = %s", (id_customer,))
        if row is None:
            raise ValueError(f"the shop has no customer {id_customer}")
        return str(row["secure_key"])

    def order_lines(self, id_order: int) -> list[tuple[int, int, int]]:
        with self.conn.cursor(pymysql.cursors.DictCursor) as cur:
            cur.execute(
                f"SELECT product_id, product_attribute_id, product_quantity FROM {self.t('order_detail')} "
                "WHERE id_order = %s ORDER BY id_order_detail",
                (id_order,),
            )
            return [
                (int(r["product_id"]), int(r["product_attribute_id"] or 0), int(r["product_quantity"]))
                for r in cur.fetchall()
            ]
