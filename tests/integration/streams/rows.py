"""Rows the live-stack tests write (and delete): only rows with ids/SKUs they created themselves.

Shop orders are written by the sandbox checkout (the statement sequence of PrestaShop's
``validateOrder``), on a product this test created, so no existing row is touched.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.settings import Settings
from sandbox.sample.rows import my_insert, naive_utc, pg_insert, utc_now
from sandbox.simulator.checkout import ShopCheckout
from sandbox.simulator.events import CartLine, NewCustomer, OrderRequest, PlacedOrder

SHOP_ID = LANG_ID = 1
WEB_LOCATION = 8  # streams.web_locations default (WH/Stock)
INTEGRATION_UID, ADMIN_UID = 6, 2
UNIT_UOM_ID = CATEGORY_ID = COMPANY_ID = 1

# Shop tables holding rows keyed by one of the ids we created, in delete order.
_SHOP_CLEANUP = (
    (
        "order_detail_tax",
        "id_order_detail IN (SELECT id_order_detail FROM {p}order_detail WHERE id_order IN ({ids}))",
        "orders",
    ),
    ("order_detail", "id_order IN ({ids})", "orders"),
    ("order_history", "id_order IN ({ids})", "orders"),
    ("order_carrier", "id_order IN ({ids})", "orders"),
    ("orders", "id_order IN ({ids})", "orders"),
    ("cart", "id_cart IN ({ids})", "carts"),
    ("address", "id_customer IN ({ids})", "customers"),
    ("customer_group", "id_customer IN ({ids})", "customers"),
    ("customer", "id_customer IN ({ids})", "customers"),
    ("stock_available", "id_product IN ({ids})", "products"),
    ("product_lang", "id_product IN ({ids})", "products"),
    ("product_shop", "id_product IN ({ids})", "products"),
    ("product", "id_product IN ({ids})", "products"),
)


@dataclass
class ShopRows:
    settings: Settings
    created: dict[str, list[int]] = field(
        default_factory=lambda: {"orders": [], "carts": [], "customers": [], "products": []}
    )

    @property
    def prefix(self) -> str:
        return self.settings.mariadb.table_prefix

    def _conn(self) -> Any:
        return mariadb_admin(self.settings.mariadb.database, settings=self.settings)

    def product(self, sku: str, price: Decimal = Decimal("10.000000"), quantity: int = 0) -> int:
        """A simple product the shop already sells (as the sink created it earlier)."""
        now = naive_utc(utc_now())
        shared = {
            "id_category_default": 2,
            "id_tax_rules_group": 1,
            "price": price,
            "wholesale_price": Decimal(4),
            "minimal_quantity": 1,
            "active": 1,
            "redirect_type": "404",
            "available_for_order": 1,
            "show_price": 1,
            "indexed": 1,
            "visibility": "both",
            "date_add": now,
            "date_upd": now,
        }
        conn = self._conn()
        try:
            with conn.cursor() as cur:
                product_id = my_insert(
                    cur,
                    f"{self.prefix}product",
                    {
                        **shared,
                        "id_shop_default": SHOP_ID,
                        "reference": sku,
                        "weight": Decimal("0.5"),
                        "product_type": "standard",
                        "state": 1,
                    },
                )
                self.created["products"].append(product_id)
                my_insert(cur, f"{self.prefix}product_shop", {**shared, "id_product": product_id, "id_shop": SHOP_ID})
                my_insert(
                    cur,
                    f"{self.prefix}product_lang",
                    {
                        "id_product": product_id,
                        "id_shop": SHOP_ID,
                        "id_lang": LANG_ID,
                        "name": f"Test {sku}",
                        "link_rewrite": sku.lower(),
                        "description_short": "",
                        "description": "",
                    },
                )
                my_insert(
                    cur,
                    f"{self.prefix}stock_available",
                    {
                        "id_product": product_id,
                        "id_product_attribute": 0,
                        "id_shop": SHOP_ID,
                        "id_shop_group": 0,
                        "quantity": quantity,
                        "physical_quantity": quantity,
                        "reserved_quantity": 0,
                        "depends_on_stock": 0,
                        "out_of_stock": 2,
                        "location": "",
                    },
                )
            return product_id
        finally:
            conn.close()

    def checkout(self, product_id: int, quantity: int = 1) -> PlacedOrder:
        """A new customer's order, written statement by statement as the checkout does."""
        tag = uuid.uuid4().hex[:10]
        conn = self._conn()
        try:
            placed = ShopCheckout(conn, self.prefix).place_order(
                OrderRequest(
                    customer=NewCustomer(
                        firstname="Streams",
                        lastname=f"Test{tag}",
                        email=f"streams.{tag}@example.com",
                        id_group=3,
                        address1="1 rue du Test",
                        postcode="75001",
                        city="Paris",
                    ),
                    lines=(CartLine(product_id, 0, quantity),),
                )
            )
        finally:
            conn.close()
        self.created["orders"].append(placed.id_order)
        self.created["carts"].append(placed.id_cart)
        self.created["customers"].append(placed.id_customer)
        return placed

    def set_stock(self, product_id: int, quantity: int) -> None:
        """The sellable quantity as the PrestaShop sink (or an employee) sets it."""
        conn = self._conn()
        try:
            with conn.cursor() as cur:
                cur.execute(
                    f"UPDATE `{self.prefix}stock_available` SET quantity = %s, physical_quantity = %s "
                    "WHERE id_product = %s AND id_product_attribute = 0",
                    (quantity, quantity, product_id),
                )
        finally:
            conn.close()

    def update_customer(self, id_customer: int, **values: Any) -> None:
        sets = ", ".join(f"`{k}` = %s" for k in values)
        conn = self._conn()
        try:
            with conn.cursor() as cur:
                cur.execute(
                    f"UPDATE `{self.prefix}customer` SET {sets} WHERE id_customer = %s", [*values.values(), id_customer]
                )
        finally:
            conn.close()

    def cleanup(self) -> None:
        conn = self._conn()
        try:
            with conn.cursor() as cur:
                for table, where, kind in _SHOP_CLEANUP:
                    ids = self.created[kind]
                    if ids:
                        clause = where.format(p=self.prefix, ids=", ".join(str(int(i)) for i in ids))
                        cur.execute(f"DELETE FROM `{self.prefix}{table}` WHERE {clause}")
        finally:
            conn.close()


@dataclass
class ErpRows:
    settings: Settings
    created: list[tuple[str, int]] = field(default_factory=list)  # (table, id), deleted in reverse

    def _run(self, sql: str, args: tuple[Any, ...]) -> None:
        conn = postgres_admin(self.settings.postgres.database, settings=self.settings)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, args)
        finally:
            conn.close()

    def _insert(self, table: str, values: dict[str, Any], uid: int = ADMIN_UID) -> int:
        now = naive_utc(utc_now())
        conn = postgres_admin(self.settings.postgres.database, settings=self.settings)
        try:
            with conn.cursor() as cur:
                new_id = pg_insert(
                    cur, table, {**values, "create_uid": uid, "create_date": now, "write_uid": uid, "write_date": now}
                )
        finally:
            conn.close()
        self.created.append((table, new_id))
        return new_id

    def product(self, sku: str, price: Decimal) -> tuple[int, int]:
        """A storable product with one variant, as Odoo writes it: (template id, product id)."""
        template_id = self.template(sku, price)
        product_id = self.variant(template_id, sku)
        return template_id, product_id

    def template(self, sku: str | None, price: Decimal, **columns: Any) -> int:
        """A product template (``sku`` None: Odoo's code of a template with several variants)."""
        return self._insert(
            "product_template",
            {
                "name": json.dumps({"en_US": f"Test {sku}"}),
                "type": "consu",
                "is_storable": True,
                "service_tracking": "no",
                "tracking": "none",
                "categ_id": CATEGORY_ID,
                "list_price": price,
                "weight": Decimal("0.5"),
                "volume": Decimal(0),
                "sale_ok": True,
                "purchase_ok": True,
                "uom_id": UNIT_UOM_ID,
                "uom_po_id": UNIT_UOM_ID,
                "active": True,
                "sale_delay": 0,
                "invoice_policy": "order",
                "sequence": 1,
                "default_code": sku,
                **columns,
            },
        )

    def variant(self, template_id: int, sku: str, **columns: Any) -> int:
        values = {"product_tmpl_id": template_id, "default_code": sku, "active": True, "weight": Decimal("0.5")}
        return self._insert("product_product", {**values, **columns})

    def quant(self, product_id: int, quantity: int, location: int = WEB_LOCATION) -> int:
        return self._insert(
            "stock_quant",
            {
                "product_id": product_id,
                "company_id": COMPANY_ID,
                "location_id": location,
                "quantity": Decimal(quantity),
                "reserved_quantity": Decimal(0),
                "in_date": naive_utc(utc_now()),
                "inventory_quantity_set": False,
            },
        )

    def partner(self, ref: str, name: str, email: str, uid: int) -> int:
        """A customer partner carrying the shop's key in ``ref`` (what the Odoo sink creates)."""
        return self._insert(
            "res_partner",
            {
                "name": name,
                "display_name": name,
                "email": email,
                "ref": ref,
                "type": "contact",
                "is_company": False,
                "active": True,
                "lang": "en_US",
            },
            uid=uid,
        )

    def sale_order(self, ref: str, partner_id: int, state: str, total: Decimal, uid: int) -> int:
        """A sale order of the shop order ``ref`` (its client reference), as the Odoo sink imports it."""
        return self._insert(
            "sale_order",
            {
                "name": f"S{uuid.uuid4().hex[:6].upper()}",
                "state": state,
                "client_order_ref": ref,
                "company_id": 1,
                "partner_id": partner_id,
                "partner_invoice_id": partner_id,
                "partner_shipping_id": partner_id,
                "date_order": naive_utc(utc_now()),
                "picking_policy": "direct",
                "amount_untaxed": total,
                "amount_total": total,
            },
            uid=uid,
        )

    def has_column(self, table: str, column: str) -> bool:
        conn = postgres_admin(self.settings.postgres.database, settings=self.settings)
        try:
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                    (table, column),
                )
                return cur.fetchone() is not None
        finally:
            conn.close()

    def update(self, table: str, row_id: int, uid: int, **values: Any) -> None:
        sets = ", ".join(f'"{k}" = %s' for k in values)
        self._run(
            f"UPDATE \"{table}\" SET {sets}, write_uid = %s, write_date = now() at time zone 'utc' WHERE id = %s",
            (*values.values(), uid, row_id),
        )

    def cleanup(self) -> None:
        for table, row_id in reversed(self.created):
            self._run(f'DELETE FROM "{table}" WHERE id = %s', (row_id,))
