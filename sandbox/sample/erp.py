"""Load the sample catalogue into the sandbox Odoo tables, as a person using the Odoo back office would.

Rows are written by the administrator (``create_uid``/``write_uid`` = 2), never by the integration
user, so the sync treats them as human edits. Idempotent: templates are found through their variants'
SKUs (``product_product.default_code``), quants by (variant, location), pricelists by name, pricelist
items by (pricelist, template); what exists is left as it is.

Not written, because the sandbox DDL has no table for them: product attributes and attribute values
(``combination_indices`` stays NULL) and the catalogue's features.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import psycopg2.extensions

from sandbox.sample.catalogue import CATALOGUE, CATEGORIES, CUSTOMER_GROUPS, Product
from sandbox.sample.rows import ODOO_ADMIN_UID, naive_utc, pg_columns, pg_insert, utc_now
from sandbox.sample.summary import LoadSummary

COMPANY_ID = 1
UNIT_UOM_ID = 1
ALL_CATEGORY_ID = 1


def _translated(english: str, french_text: str) -> str:
    return json.dumps({"en_US": english, "fr_FR": french_text})


class _ErpWriter:
    def __init__(self, cur: Any) -> None:
        self.cur = cur
        self.now = naive_utc(utc_now())
        self.summary = LoadSummary()
        self._columns: dict[str, set[str]] = {}

    def insert(self, table: str, values: dict[str, Any]) -> int:
        if table not in self._columns:
            self._columns[table] = pg_columns(self.cur, table)
        stamps = {
            "create_uid": ODOO_ADMIN_UID,
            "create_date": self.now,
            "write_uid": ODOO_ADMIN_UID,
            "write_date": self.now,
        }
        return pg_insert(self.cur, table, {**values, **stamps}, self._columns[table])

    def scalar(self, query: str, args: tuple[Any, ...]) -> Any:
        self.cur.execute(query, args)
        row = self.cur.fetchone()
        return None if row is None else row[0]

    def category(self, name: str) -> int:
        found = self.scalar(
            "SELECT id FROM product_category WHERE name = %s AND parent_id = %s", (name, ALL_CATEGORY_ID)
        )
        if found is not None:
            return int(found)
        new_id = self.insert(
            "product_category", {"name": name, "complete_name": f"All / {name}", "parent_id": ALL_CATEGORY_ID}
        )
        self.cur.execute(
            "UPDATE product_category SET parent_path = %s WHERE id = %s", (f"{ALL_CATEGORY_ID}/{new_id}/", new_id)
        )
        self.summary.categories += 1
        return new_id

    def stock_location(self, warehouse_code: str) -> int:
        found = self.scalar(
            "SELECT lot_stock_id FROM stock_warehouse WHERE code = %s AND company_id = %s", (warehouse_code, COMPANY_ID)
        )
        if found is None:
            raise LookupError(f"warehouse {warehouse_code} is missing: load the Odoo seed first")
        return int(found)

    def currency(self) -> int:
        found = self.scalar("SELECT id FROM res_currency WHERE name = 'EUR'", ())
        if found is None:
            found = self.scalar("SELECT currency_id FROM res_company WHERE id = %s", (COMPANY_ID,))
        return int(found)

    def template(self, product: Product, categ_id: int) -> int:
        found = self.scalar(
            "SELECT product_tmpl_id FROM product_product WHERE default_code = ANY(%s) LIMIT 1",
            ([variant.sku for variant in product.variants],),
        )
        if found is not None:
            return int(found)
        self.summary.products += 1
        return self.insert(
            "product_template",
            {
                "name": _translated(product.name, product.name_fr),
                "description_sale": json.dumps({"en_US": product.description}),
                "type": "consu",
                "is_storable": True,
                "detailed_type": "product",
                "service_tracking": "no",
                "tracking": "none",
                "categ_id": categ_id,
                "list_price": product.price,
                "weight": product.weight_kg,
                "volume": Decimal(0),
                "sale_ok": True,
                "purchase_ok": True,
                "uom_id": UNIT_UOM_ID,
                "uom_po_id": UNIT_UOM_ID,
                "company_id": None,
                "active": True,
                "sale_delay": 0,
                "invoice_policy": "order",
                "sequence": 1,
                # Odoo computes the template's reference from its only variant; none for several variants.
                "default_code": None if product.has_combinations else product.variants[0].sku,
            },
        )

    def service(self, code: str, name: str, categ_id: int) -> int:
        """A service product (shipping, vouchers): order lines the shop's totals need in the ERP."""
        found = self.scalar("SELECT id FROM product_product WHERE default_code = %s", (code,))
        if found is not None:
            return int(found)
        self.summary.products += 1
        template_id = self.insert(
            "product_template",
            {
                "name": _translated(name, name),
                "type": "service",
                "is_storable": False,
                "detailed_type": "service",
                "service_tracking": "no",
                "tracking": "none",
                "categ_id": categ_id,
                "list_price": Decimal(0),
                "sale_ok": True,
                "purchase_ok": False,
                "uom_id": UNIT_UOM_ID,
                "uom_po_id": UNIT_UOM_ID,
                "active": True,
                "invoice_policy": "order",
                "sequence": 1,
                "default_code": code,
            },
        )
        return self.insert("product_product", {"product_tmpl_id": template_id, "default_code": code, "active": True})

    def variant(self, template_id: int, product: Product, sku: str, barcode: str) -> int:
        found = self.scalar("SELECT id FROM product_product WHERE default_code = %s", (sku,))
        if found is not None:
            return int(found)
        self.summary.variants += 1
        return self.insert(
            "product_product",
            {
                "product_tmpl_id": template_id,
                "default_code": sku,
                "barcode": barcode,
                "active": True,
                "weight": product.weight_kg,
                "volume": Decimal(0),
                "standard_price": json.dumps({str(COMPANY_ID): str(product.cost)}),
            },
        )

    def quant(self, product_id: int, location_id: int, quantity: int) -> None:
        # Odoo keeps no quant for a product never stocked at a location.
        if (
            quantity == 0
            or self.scalar(
                "SELECT id FROM stock_quant WHERE product_id = %s AND location_id = %s", (product_id, location_id)
            )
            is not None
        ):
            return
        self.insert(
            "stock_quant",
            {
                "product_id": product_id,
                "company_id": COMPANY_ID,
                "location_id": location_id,
                "quantity": Decimal(quantity),
                "reserved_quantity": Decimal(0),
                "in_date": self.now,
                "inventory_quantity_set": False,
            },
        )
        self.summary.stock_rows += 1

    def pricelist(self, group: str, currency_id: int, sequence: int) -> int:
        found = self.scalar("SELECT id FROM product_pricelist WHERE name->>'en_US' = %s", (group,))
        if found is not None:
            return int(found)
        self.summary.groups += 1
        return self.insert(
            "product_pricelist",
            {
                "name": json.dumps({"en_US": group}),
                "active": True,
                "sequence": sequence,
                "currency_id": currency_id,
                "company_id": COMPANY_ID,
            },
        )

    def fixed_price(self, pricelist_id: int, template_id: int, currency_id: int, price: Decimal) -> None:
        if (
            self.scalar(
                "SELECT id FROM product_pricelist_item WHERE pricelist_id = %s AND product_tmpl_id = %s "
                "AND applied_on = '1_product'",
                (pricelist_id, template_id),
            )
            is not None
        ):
            return
        self.insert(
            "product_pricelist_item",
            {
                "pricelist_id": pricelist_id,
                "company_id": COMPANY_ID,
                "currency_id": currency_id,
                "min_quantity": Decimal(0),
                "applied_on": "1_product",
                "display_applied_on": "1_product",
                "product_tmpl_id": template_id,
                "base": "list_price",
                "compute_price": "fixed",
                "fixed_price": price,
                "percent_price": 0.0,
                "price_discount": Decimal(0),
                "price_markup": Decimal(0),
                "price_round": Decimal(0),
                "price_surcharge": Decimal(0),
                "price_min_margin": Decimal(0),
                "price_max_margin": Decimal(0),
            },
        )
        self.summary.group_prices += 1


# default_code -> name; the Odoo sink's shipping / discount / rounding_product_code name these
SERVICE_PRODUCTS = {
    "SHIP-WEB": "Web shop shipping",
    "DISC-WEB": "Web shop voucher",
    "ROUND-WEB": "Web shop tax rounding",
}


def load_erp_catalogue(conn_pg: psycopg2.extensions.connection) -> LoadSummary:
    """Write the sample catalogue into the Odoo tables of ``conn_pg``'s database, in one transaction.

    The database must hold the sandbox Odoo schema and seed (``schemas.ddl.odoo.load_odoo``). Returns
    the rows created; a second run creates none.
    """
    was_autocommit = conn_pg.autocommit
    conn_pg.autocommit = False
    try:
        with conn_pg.cursor() as cur:
            writer = _ErpWriter(cur)
            categories = {name: writer.category(name) for name in CATEGORIES}
            locations = {"WH": writer.stock_location("WH"), "STORE": writer.stock_location("STORE")}
            currency_id = writer.currency()
            pricelists = {
                group: writer.pricelist(group, currency_id, 10 + index) for index, group in enumerate(CUSTOMER_GROUPS)
            }
            for code, name in SERVICE_PRODUCTS.items():
                writer.service(code, name, next(iter(categories.values())))
            for product in CATALOGUE:
                template_id = writer.template(product, categories[product.category])
                for variant in product.variants:
                    product_id = writer.variant(template_id, product, variant.sku, variant.ean13)
                    writer.quant(product_id, locations["WH"], variant.stock_wh)
                    writer.quant(product_id, locations["STORE"], variant.stock_store)
                for group, price in product.group_prices.items():
                    writer.fixed_price(pricelists[group], template_id, currency_id, price)
        conn_pg.commit()
    except BaseException:
        conn_pg.rollback()
        raise
    finally:
        conn_pg.autocommit = was_autocommit
    return writer.summary
