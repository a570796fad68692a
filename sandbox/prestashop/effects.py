"""Side effects PrestaShop's ObjectModel classes run on webservice writes, where sync depends on them.

- ``order_histories`` POST: ``OrderHistory::addWs`` -> ``changeIdOrderState``
  (sandbox/prestashop/order_effects.py: stock, validity, invoice, delivery slip, payment).
- ``orders`` PUT/PATCH of ``current_state``: ``Order::setWsCurrentState`` adds a history row too.
- ``orders`` POST: validateOrder (order_effects.place_order): rows from ``associations/order_rows``
  become ``order_detail`` rows and leave the stock, the carrier row is created, the order lands in
  ``PS_OS_WS_PAYMENT`` (11) whatever state is sent.
- ``stock_availables`` PUT/PATCH of a combination row: ``StockAvailable::postSave`` recomputes
  the product row (``id_product_attribute = 0``) as the sum of the combination rows.
- ``products``/``combinations`` POST: a ``stock_available`` row with quantity 0 is created.
- ``customers`` POST: password hashed, ``secure_key`` generated, default group linked.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import string
from typing import Any

from sandbox.prestashop.db import ShopDatabase
from sandbox.prestashop.model import DEFAULT_SHOP
from sandbox.prestashop.order_effects import add_history, apply_order_state, place_order
from sandbox.prestashop.xml_input import EntityInput


def _hash_password(raw: str) -> str:
    if raw.startswith("$2y$") or raw.startswith("pbkdf2_sha256$"):
        return raw  # already hashed (a GET-modify-PUT round trip)
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", raw.encode(), salt.encode(), 100_000).hex()
    return f"pbkdf2_sha256${salt}${digest}"


def _default_language(cur: Any, db: ShopDatabase) -> int:
    cur.execute(f"SELECT value FROM {db.table('configuration')} WHERE name = 'PS_LANG_DEFAULT' LIMIT 1")
    found = cur.fetchone()
    return int(found["value"]) if found and str(found["value"]).isdigit() else 1


def before_save(
    cur: Any, db: ShopDatabase, resource: str, method: str, row: dict[str, Any], previous: dict[str, Any] | None
) -> None:
    if resource == "customers":
        if method == "POST" and not row.get("id_lang"):
            row["id_lang"] = _default_language(cur, db)  # Customer::add: the context language
        if "passwd" in row:
            row["passwd"] = _hash_password(str(row["passwd"]))
        if method == "POST" and not str(row.get("secure_key", "")).strip("-"):
            row["secure_key"] = secrets.token_hex(16)
    if method == "POST":
        # Customer/Order/Product::add fill the context shop (the shop's single shop, group 1).
        for column in ("id_shop", "id_shop_group", "id_shop_default"):
            if resource in ("customers", "orders", "products") and column in row and not row[column]:
                row[column] = 1
    if resource == "products" and method == "POST":
        row["indexed"] = 1  # Product::add indexes the new product for search (PS_SEARCH_INDEXATION)
    if resource == "orders" and method == "POST":
        for mode in ("round_mode", "round_type"):  # validateOrder: PS_PRICE_ROUND_MODE / PS_ROUND_TYPE (2, 2)
            if mode in row and not row[mode]:
                row[mode] = 2
        if not row.get("reference"):
            row["reference"] = "".join(random.choices(string.ascii_uppercase, k=9))
        row["current_state"] = 0  # set by the state change below, as validateOrder does
        if not row.get("secure_key"):  # Order::addWs -> validateOrder(..., $customer->secure_key)
            cur.execute(
                f"SELECT secure_key FROM {db.table('customer')} WHERE id_customer = %s", (row.get("id_customer"),)
            )
            found = cur.fetchone()
            row["secure_key"] = (found or {}).get("secure_key") or secrets.token_hex(16)
    if resource == "orders" and previous is not None and "current_state" in row:
        # setWsCurrentState goes through a history row; keep the column until after_save applies it.
        row["_wanted_state"] = row.pop("current_state")


def after_save(
    cur: Any,
    db: ShopDatabase,
    resource: str,
    method: str,
    entity_id: int,
    row: dict[str, Any],
    previous: dict[str, Any] | None,
    entity: EntityInput,
) -> None:
    if resource == "order_histories" and method == "POST":
        apply_order_state(cur, db, int(row["id_order"]), int(row["id_order_state"]), history_id=entity_id)
    elif resource == "orders" and method == "POST":
        place_order(cur, db, entity_id, entity)
    elif resource == "orders" and previous is not None and "_wanted_state" in row:
        wanted = int(row["_wanted_state"])
        if wanted and wanted != int(previous["current_state"]):
            add_history(cur, db, entity_id, wanted)
    elif resource == "stock_availables":
        recompute_product_stock(cur, db, entity_id)
    elif resource == "products" and method == "POST":
        _add_stock_row(cur, db, entity_id, 0)
    elif resource == "combinations" and method == "POST":
        _add_stock_row(cur, db, int(row["id_product"]), entity_id)
        _update_default_attribute(cur, db, int(row["id_product"]), entity_id)
    elif (
        resource == "customers"
        and method == "POST"
        and not any(item.get("id", "").strip() for item in entity.associations.get("groups", []))
    ):
        # Customer::add links the default group; a groups association given in the body replaces it. Without
        # id_default_group a real 8.1.2 stores 0 and links group 0 (client_extras/005_get_customers.json).
        cur.execute(
            f"INSERT IGNORE INTO {db.table('customer_group')} (id_customer, id_group) VALUES (%s, %s)",
            (entity_id, row.get("id_default_group") or 0),
        )


def _update_default_attribute(cur: Any, db: ShopDatabase, id_product: int, id_product_attribute: int) -> None:
    """Product::updateDefaultAttribute after Combination::add: the product's cached default combination
    (default_on = 1, else the first one) and its type. The combination's own default_on stays NULL."""
    for table in ("product", "product_shop"):
        cur.execute(
            f"UPDATE {db.table(table)} SET cache_default_attribute = COALESCE(NULLIF(cache_default_attribute, 0), %s)"
            + (", product_type = 'combinations'" if table == "product" else "")
            + " WHERE id_product = %s",
            (id_product_attribute, id_product),
        )


def _add_stock_row(cur: Any, db: ShopDatabase, id_product: int, id_product_attribute: int) -> None:
    cur.execute(
        f"INSERT IGNORE INTO {db.table('stock_available')} (id_product, id_product_attribute, id_shop, "
        "id_shop_group, quantity, physical_quantity, reserved_quantity, depends_on_stock, out_of_stock, location) "
        "VALUES (%s, %s, %s, 0, 0, 0, 0, 0, 2, '')",
        (id_product, id_product_attribute, DEFAULT_SHOP),
    )


def recompute_product_stock(cur: Any, db: ShopDatabase, id_stock_available: int) -> None:
    """StockAvailable::postSave: product row = sum of its combination rows (same shop)."""
    table = db.table("stock_available")
    cur.execute(
        f"SELECT id_product, id_product_attribute, id_shop FROM {table} WHERE id_stock_available = %s",
        (id_stock_available,),
    )
    row = cur.fetchone()
    if row is None or int(row["id_product_attribute"]) == 0:
        return
    cur.execute(
        f"SELECT COALESCE(SUM(quantity), 0) AS total FROM {table} WHERE id_product = %s "
        "AND id_product_attribute <> 0 AND id_shop = %s",
        (row["id_product"], row["id_shop"]),
    )
    total = int(cur.fetchone()["total"])
    cur.execute(
        f"UPDATE {table} SET quantity = %s WHERE id_product = %s AND id_product_attribute = 0 AND id_shop = %s",
        (total, row["id_product"], row["id_shop"]),
    )


def before_delete(cur: Any, db: ShopDatabase, resource: str, entity_id: int) -> None:
    if resource == "products":
        for table in (
            "stock_available",
            "category_product",
            "feature_product",
            "specific_price",
            "product_attribute_shop",
            "image_shop",
        ):
            cur.execute(f"DELETE FROM {db.table(table)} WHERE id_product = %s", (entity_id,))
        cur.execute(
            f"DELETE pac FROM {db.table('product_attribute_combination')} pac JOIN "
            f"{db.table('product_attribute')} pa USING (id_product_attribute) WHERE pa.id_product = %s",
            (entity_id,),
        )
        cur.execute(f"DELETE FROM {db.table('product_attribute')} WHERE id_product = %s", (entity_id,))
    elif resource == "combinations":
        cur.execute(
            f"SELECT id_product FROM {db.table('product_attribute')} WHERE id_product_attribute = %s", (entity_id,)
        )
        found = cur.fetchone()
        cur.execute(f"DELETE FROM {db.table('stock_available')} WHERE id_product_attribute = %s", (entity_id,))
        if found:
            cur.execute(
                f"UPDATE {db.table('stock_available')} sa SET quantity = (SELECT COALESCE(SUM(c.quantity), 0) "
                f"FROM (SELECT * FROM {db.table('stock_available')}) c WHERE c.id_product = sa.id_product "
                "AND c.id_product_attribute <> 0 AND c.id_shop = sa.id_shop) "
                "WHERE sa.id_product = %s AND sa.id_product_attribute = 0",
                (found["id_product"],),
            )
