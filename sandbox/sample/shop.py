"""Load the sample catalogue into the PrestaShop tables, as if the sync had already created it.

Products are found by ``product.reference``, combinations by ``product_attribute.reference`` (the
variant SKU); what exists is left as it is, so a second run creates nothing. The web shop sells the
ERP's WH stock: ``stock_available.quantity`` of a combination is its WH quantity, the product row
(``id_product_attribute`` = 0) the sum of its combinations. Group prices become ``specific_price`` rows
(a fixed price, tax excluded, for one customer group).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pymysql.cursors

from sandbox.sample.catalogue import CATALOGUE, CATEGORIES, CUSTOMER_GROUPS, Product, attribute_values, feature_values
from sandbox.sample.rows import naive_utc, utc_now
from sandbox.sample.shop_reference import (
    HOME_CATEGORY_ID,
    SHOP_ID,
    ShopTables,
    ensure_attributes,
    ensure_categories,
    ensure_features,
    ensure_groups,
    slug,
)
from sandbox.sample.summary import LoadSummary
from schemas.ddl import PRESTASHOP_SQL_MODE, validate_prefix

# PrestaShop's FR install: tax rules group 1 = "FR Taux standard (20%)".
STANDARD_TAX_RULES_GROUP = 1
# stock_available.id_shop_group is 0 when the shop group does not share its stock (the default).
STOCK_SHOP_GROUP = 0
# out_of_stock 2: follow the shop's default (deny orders when PS_ORDER_OUT_OF_STOCK is off).
OUT_OF_STOCK_DEFAULT = 2
ZERO_DATE = "0000-00-00 00:00:00"


def _product_columns(db: ShopTables, product: Product, category_id: int) -> dict[str, Any]:
    """The columns ``product`` and ``product_shop`` share."""
    return {
        "id_category_default": category_id,
        "id_tax_rules_group": STANDARD_TAX_RULES_GROUP,
        "price": product.price,
        "wholesale_price": product.cost,
        "minimal_quantity": 1,
        "active": 1,
        "redirect_type": "404",
        "available_for_order": 1,
        "show_price": 1,
        "indexed": 1,
        "visibility": "both",
        "date_add": db.now,
        "date_upd": db.now,
    }


def _ensure_product(
    db: ShopTables, product: Product, categories: dict[str, int], features: dict[tuple[str, str], tuple[int, int]]
) -> tuple[int, bool]:
    found = db.find(f"SELECT id_product FROM `{db.t('product')}` WHERE reference = %s", (product.reference,))
    if found is not None:
        return found, False
    category_id = categories[product.category]
    simple = not product.has_combinations
    shared = _product_columns(db, product, category_id)
    product_id = db.insert(
        "product",
        {
            **shared,
            "id_shop_default": SHOP_ID,
            "reference": product.reference,
            "ean13": product.variants[0].ean13 if simple else None,
            "weight": product.weight_kg,
            "product_type": "standard" if simple else "combinations",
            "state": 1,
        },
    )
    db.insert("product_shop", {**shared, "id_product": product_id, "id_shop": SHOP_ID})
    for id_lang, iso in db.languages:
        name = db.text(product.name, iso, product.name_fr)
        db.insert(
            "product_lang",
            {
                "id_product": product_id,
                "id_shop": SHOP_ID,
                "id_lang": id_lang,
                "name": name,
                "link_rewrite": slug(name),
                "description_short": f"<p>{product.description}</p>",
                "description": "",
            },
        )
    for position, category in enumerate((HOME_CATEGORY_ID, category_id)):
        db.insert(
            "category_product", {"id_category": category, "id_product": product_id, "position": position}, ignore=True
        )
    for feature, value in product.features:
        feature_id, value_id = features[(feature, value)]
        db.insert(
            "feature_product",
            {"id_feature": feature_id, "id_product": product_id, "id_feature_value": value_id},
            ignore=True,
        )
    db.summary.products += 1
    return product_id, True


def _ensure_stock_row(db: ShopTables, product_id: int, combination_id: int, quantity: int) -> bool:
    created = db.insert(
        "stock_available",
        {
            "id_product": product_id,
            "id_product_attribute": combination_id,
            "id_shop": SHOP_ID,
            "id_shop_group": STOCK_SHOP_GROUP,
            "quantity": quantity,
            "physical_quantity": quantity,
            "reserved_quantity": 0,
            "depends_on_stock": 0,
            "out_of_stock": OUT_OF_STOCK_DEFAULT,
            "location": "",
        },
        ignore=True,
    )
    if created:
        db.summary.stock_rows += 1
    return bool(created)


def _ensure_combinations(
    db: ShopTables, product: Product, product_id: int, attributes: dict[tuple[str, str], int]
) -> bool:
    """Combinations and their stock rows; True when a stock row was created (the product row needs a sum)."""
    stock_created = False
    for index, variant in enumerate(product.variants):
        combination_id = db.find(
            f"SELECT id_product_attribute FROM `{db.t('product_attribute')}` WHERE reference = %s", (variant.sku,)
        )
        if combination_id is None:
            default_on = 1 if index == 0 else None  # NULL, not 0: (id_product, default_on) is unique
            shared = {
                "id_product": product_id,
                "price": Decimal(0),
                "weight": Decimal(0),
                "default_on": default_on,
                "minimal_quantity": 1,
                "wholesale_price": product.cost,
            }
            combination_id = db.insert(
                "product_attribute", {**shared, "reference": variant.sku, "ean13": variant.ean13}
            )
            db.insert("product_attribute_shop", {**shared, "id_product_attribute": combination_id, "id_shop": SHOP_ID})
            for option in variant.options:
                db.insert(
                    "product_attribute_combination",
                    {"id_attribute": attributes[option], "id_product_attribute": combination_id},
                )
            if default_on:
                for table in ("product", "product_shop"):
                    db.cur.execute(
                        f"UPDATE `{db.t(table)}` SET cache_default_attribute = %s WHERE id_product = %s",
                        (combination_id, product_id),
                    )
            db.summary.variants += 1
        stock_created |= _ensure_stock_row(db, product_id, combination_id, variant.stock_wh)
    return stock_created


def _sum_product_row(db: ShopTables, product_id: int) -> None:
    """StockAvailable::postSave: the product row holds the sum of its combination rows."""
    db.cur.execute(
        f"SELECT COALESCE(SUM(quantity), 0) AS q, COALESCE(SUM(physical_quantity), 0) AS p, "
        f"COALESCE(SUM(reserved_quantity), 0) AS r FROM `{db.t('stock_available')}` "
        "WHERE id_product = %s AND id_product_attribute <> 0 AND id_shop = %s",
        (product_id, SHOP_ID),
    )
    sums = db.cur.fetchone()
    db.cur.execute(
        f"UPDATE `{db.t('stock_available')}` SET quantity = %s, physical_quantity = %s, reserved_quantity = %s "
        "WHERE id_product = %s AND id_product_attribute = 0 AND id_shop = %s",
        (int(sums["q"]), int(sums["p"]), int(sums["r"]), product_id, SHOP_ID),
    )


def _ensure_group_prices(db: ShopTables, product: Product, product_id: int, groups: dict[str, int]) -> None:
    for group, price in product.group_prices.items():
        created = db.insert(
            "specific_price",
            {
                "id_specific_price_rule": 0,
                "id_cart": 0,
                "id_product": product_id,
                "id_shop": 0,
                "id_shop_group": 0,
                "id_currency": 0,
                "id_country": 0,
                "id_group": groups[group],
                "id_customer": 0,
                "id_product_attribute": 0,
                "price": price,
                "from_quantity": 1,
                "reduction": Decimal(0),
                "reduction_tax": 1,
                "reduction_type": "amount",
                "from": ZERO_DATE,
                "to": ZERO_DATE,
            },
            ignore=True,
        )  # the unique key id_product_2 makes a re-run a no-op
        if created:
            db.summary.group_prices += 1


def load_shop_catalogue(conn_mysql: pymysql.Connection[Any], prefix: str) -> LoadSummary:
    """Write the sample catalogue into the PrestaShop tables (``prefix``) of the connection's database.

    The database must hold the PrestaShop DDL and seed (``schemas.ddl.load_prestashop``). Returns the
    rows created; a second run creates none.
    """
    validate_prefix(prefix)
    summary = LoadSummary()
    with conn_mysql.cursor(pymysql.cursors.DictCursor) as cur:
        cur.execute("SET SESSION sql_mode = %s", (PRESTASHOP_SQL_MODE,))
        db = ShopTables(cur, prefix, naive_utc(utc_now()), summary)
        groups = ensure_groups(db, CUSTOMER_GROUPS)
        categories = ensure_categories(db, CATEGORIES)
        attributes = ensure_attributes(db, attribute_values())
        features = ensure_features(db, feature_values())
        for product in CATALOGUE:
            product_id, _created = _ensure_product(db, product, categories, features)
            if product.has_combinations:
                if _ensure_combinations(db, product, product_id, attributes) | _ensure_stock_row(db, product_id, 0, 0):
                    _sum_product_row(db, product_id)
            else:
                _ensure_stock_row(db, product_id, 0, product.variants[0].stock_wh)
            _ensure_group_prices(db, product, product_id, groups)
    conn_mysql.commit()
    return summary
