"""The sample catalogue loaded into throwaway shop and ERP databases: content and idempotency."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest

from kernel.dbadmin import mariadb_admin, postgres_admin
from sandbox.sample import CATALOGUE, is_valid_ean13, load_erp_catalogue, load_shop_catalogue
from sandbox.sample.catalogue import all_variants
from sandbox.sample.erp import SERVICE_PRODUCTS
from schemas.ddl import prestashop_tables
from tests.support.databases import PREFIX, erp_database, shop_database, shop_rows, table_counts

pytestmark = pytest.mark.integration


@pytest.fixture
def shop_db() -> Iterator[str]:
    with shop_database() as name:
        yield name


@pytest.fixture
def erp_db() -> Iterator[str]:
    with erp_database() as name:
        yield name


def test_shop_catalogue_load_is_complete_and_idempotent(shop_db):
    conn = mariadb_admin(database=shop_db)
    try:
        first = load_shop_catalogue(conn, PREFIX)
        counts = table_counts(shop_db, [t for t in prestashop_tables(PREFIX) if t.startswith(PREFIX)])
        second = load_shop_catalogue(conn, PREFIX)
    finally:
        conn.close()
    combinations = sum(len(p.variants) for p in CATALOGUE if p.has_combinations)
    assert (first.products, first.variants, first.groups, first.categories) == (len(CATALOGUE), combinations, 3, 3)
    assert second.created == 0
    assert table_counts(shop_db, list(counts)) == counts

    rows = shop_rows(shop_db, f"SELECT reference, ean13 FROM {PREFIX}product_attribute")
    assert {r["reference"] for r in rows} == {v.sku for p, v in all_variants() if p.has_combinations}
    assert all(is_valid_ean13(r["ean13"]) for r in rows)
    # Every combination row holds its WH stock; every product row the sum of its combinations.
    stock = shop_rows(
        shop_db,
        f"SELECT pa.reference, sa.quantity FROM {PREFIX}stock_available sa "
        f"JOIN {PREFIX}product_attribute pa USING (id_product_attribute)",
    )
    assert {r["reference"]: r["quantity"] for r in stock} == {
        v.sku: v.stock_wh for p, v in all_variants() if p.has_combinations
    }
    totals = shop_rows(
        shop_db,
        f"SELECT p.reference, sa.quantity FROM {PREFIX}stock_available sa "
        f"JOIN {PREFIX}product p USING (id_product) WHERE sa.id_product_attribute = 0",
    )
    assert {r["reference"]: r["quantity"] for r in totals} == {
        p.reference: sum(v.stock_wh for v in p.variants) for p in CATALOGUE
    }
    # Group prices: one fixed specific price per (product, group) of the catalogue.
    prices = shop_rows(
        shop_db,
        f"SELECT p.reference, gl.name, sp.price FROM {PREFIX}specific_price sp "
        f"JOIN {PREFIX}product p USING (id_product) "
        f"JOIN {PREFIX}group_lang gl ON gl.id_group = sp.id_group AND gl.id_lang = 1",
    )
    assert {(r["reference"], r["name"]): r["price"] for r in prices} == {
        (p.reference, g): price for p in CATALOGUE for g, price in p.group_prices.items()
    }
    features = shop_rows(shop_db, f"SELECT COUNT(*) AS n FROM {PREFIX}feature_product")
    assert features[0]["n"] == sum(len(p.features) for p in CATALOGUE)
    combos = shop_rows(shop_db, f"SELECT COUNT(*) AS n FROM {PREFIX}product_attribute_combination")
    assert combos[0]["n"] == sum(len(v.options) for _p, v in all_variants())


def test_erp_catalogue_load_is_complete_and_idempotent(erp_db):
    conn = postgres_admin(erp_db)
    try:
        first = load_erp_catalogue(conn)
        second = load_erp_catalogue(conn)
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pp.default_code, pp.barcode, pt.name, pt.list_price, pt.create_uid, pp.write_uid "
                "FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id"
            )
            variants = {row[0]: row[1:] for row in cur.fetchall()}
            cur.execute(
                "SELECT pp.default_code, sq.location_id, sq.quantity FROM stock_quant sq "
                "JOIN product_product pp ON pp.id = sq.product_id"
            )
            quants = {(row[0], row[1]): row[2] for row in cur.fetchall()}
            cur.execute(
                "SELECT pl.name->>'en_US', pt.name->>'en_US', i.fixed_price, i.compute_price "
                "FROM product_pricelist_item i JOIN product_pricelist pl ON pl.id = i.pricelist_id "
                "JOIN product_template pt ON pt.id = i.product_tmpl_id"
            )
            items = {(row[0], row[1]): (row[2], row[3]) for row in cur.fetchall()}
            cur.execute("SELECT name->>'en_US' FROM product_pricelist ORDER BY id")
            pricelists = [row[0] for row in cur.fetchall()]
    finally:
        conn.close()
    assert first.products == len(CATALOGUE) + len(SERVICE_PRODUCTS) and first.variants == len(all_variants())
    for code in SERVICE_PRODUCTS:  # shipping and voucher lines need these in the ERP
        assert code in variants and not any(sku == code for sku, _ in quants)
    assert second.created == 0
    assert pricelists == ["Default", "Retail", "Wholesale", "VIP"]
    for product, variant in all_variants():
        barcode, name, list_price, create_uid, write_uid = variants[variant.sku]
        assert barcode == variant.ean13
        names = name if isinstance(name, dict) else json.loads(name)
        assert names == {"en_US": product.name, "fr_FR": product.name_fr}
        assert list_price == product.price
        assert (create_uid, write_uid) == (2, 2)  # the admin, a human: not the integration user (6)
        for location, expected in ((8, variant.stock_wh), (10, variant.stock_store)):
            assert quants.get((variant.sku, location), Decimal(0)) == expected
    assert items == {(g, p.name): (price, "fixed") for p in CATALOGUE for g, price in p.group_prices.items()}
