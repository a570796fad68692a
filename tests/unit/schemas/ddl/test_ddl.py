"""The PrestaShop DDL: prefix handling, and column-for-column agreement with PrestaShop's own schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.ddl import (
    SIGNAL_TABLE,
    prestashop_ddl,
    prestashop_seed,
    prestashop_tables,
    split_statements,
    validate_prefix,
)
from schemas.ddl.parse import parse_tables

pytestmark = pytest.mark.unit

REFERENCE = Path("/work/shared/reference/prestashop")
REF_8 = REFERENCE / "prestashop_db_structure_8.0.0-dev_develop-2022-06-03.sql"
REF_9 = REFERENCE / "prestashop_db_structure_9.1.0-dev.sql"
# Doctrine entities in 1.7/8.x: absent from 8.x db_structure.sql, DDL published in 9.x's.
DOCTRINE_TABLES = {
    "shop",
    "shop_group",
    "lang",
    "attribute",
    "attribute_lang",
    "attribute_group",
    "attribute_group_lang",
}

SYNCED_TABLES = set(
    [
        "customer",
        "address",
        "group",
        "group_lang",
        "customer_group",
        "orders",
        "order_detail",
        "order_detail_tax",
        "order_history",
        "order_state",
        "order_state_lang",
        "order_carrier",
        "order_invoice",
        "order_payment",
        "order_cart_rule",
        "product",
        "product_lang",
        "product_shop",
        "product_attribute",
        "product_attribute_combination",
        "product_attribute_shop",
        "attribute",
        "attribute_lang",
        "attribute_group",
        "attribute_group_lang",
        "feature",
        "feature_lang",
        "feature_value",
        "feature_value_lang",
        "feature_product",
        "category",
        "category_lang",
        "category_product",
        "image",
        "image_lang",
        "image_shop",
        "stock_available",
        "specific_price",
        "shop",
        "shop_group",
        "currency",
        "lang",
        "country",
        "carrier",
        "cart",
        "webservice_account",
        "webservice_permission",
        "webservice_account_shop",
        "configuration",
    ]
)


@pytest.mark.parametrize("prefix", ["ps_", "xyz9_", "a", "p" * 16])
def test_valid_prefixes_are_substituted_everywhere(prefix: str) -> None:
    statements = prestashop_ddl(prefix) + prestashop_seed(prefix)
    assert all("{prefix}" not in s for s in statements)
    tables = prestashop_tables(prefix)
    assert set(tables) == {prefix + t for t in SYNCED_TABLES} | {SIGNAL_TABLE}


@pytest.mark.parametrize("prefix", ["", "PS_", "ps-", "ps_`; DROP TABLE x; --", "p" * 17, "ps_\n"])
def test_invalid_prefixes_are_refused(prefix: str) -> None:
    with pytest.raises(ValueError):
        validate_prefix(prefix)
    with pytest.raises(ValueError):
        prestashop_ddl(prefix)
    with pytest.raises(ValueError):
        prestashop_seed(prefix)


def test_seed_only_writes_tables_the_ddl_creates() -> None:
    created = set(prestashop_tables("ps_"))
    for statement in prestashop_seed("ps_"):
        target = statement.split("`")[1]
        assert target in created, statement


def test_split_statements_ignores_comment_lines_and_semicolons_inside_them() -> None:
    script = "-- a comment; with a semicolon\nCREATE TABLE `a` (x int);\n\n-- b;\nINSERT INTO a VALUES (1);\n"
    assert split_statements(script) == ["CREATE TABLE `a` (x int)", "INSERT INTO a VALUES (1)"]


def test_signal_table_shape() -> None:
    ours = parse_tables("\n".join(s + ";" for s in prestashop_ddl("ps_")))
    assert ours[SIGNAL_TABLE] == {"id": "varchar(42)", "type": "varchar(32)", "data": "varchar(2048)"}


@pytest.mark.skipif(not REF_8.is_file() or not REF_9.is_file(), reason="PrestaShop reference schema absent")
def test_every_column_matches_prestashop_8_schema() -> None:
    ours = parse_tables("\n".join(s + ";" for s in prestashop_ddl("ps_")))
    ref8 = parse_tables(REF_8.read_text(encoding="utf-8"))
    ref9 = parse_tables(REF_9.read_text(encoding="utf-8"))
    assert set(ours) == {f"ps_{t}" for t in SYNCED_TABLES} | {SIGNAL_TABLE}
    for table in SYNCED_TABLES:
        reference = ref9[table] if table in DOCTRINE_TABLES else ref8[table]
        assert table not in DOCTRINE_TABLES or table not in ref8
        # Same columns, same order, same types: a DDL copied from PrestaShop, not re-typed by hand.
        assert list(ours[f"ps_{table}"].items()) == list(reference.items()), table
