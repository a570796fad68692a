"""The Odoo DDL: ORM layout rules, per-version differences, and agreement with Odoo's own field definitions.

The column-for-column comparison uses ``../shared/reference/odoo/columns_17_18_19.md`` (generated from the
upstream 17.0/18.0/19.0 sources) and is skipped when that file is absent (a fresh clone).
"""

from __future__ import annotations

import re

import pytest

from kernel.settings import REPO_ROOT
from schemas.ddl.odoo import (
    ODOO_CAPTURED_TABLES,
    ODOO_SIGNAL_TABLE,
    ODOO_VERSIONS,
    added_tables_ddl,
    odoo_ddl,
    odoo_seed,
    replica_identity_statements,
)

pytestmark = pytest.mark.unit

REFERENCE = REPO_ROOT.parent / "shared" / "reference" / "odoo" / "columns_17_18_19.md"
LOG_COLUMNS = {"create_uid", "create_date", "write_uid", "write_date"}
# Tables without the ORM's magic columns: created by hand in Odoo (apikeys, _auto=False) or not Odoo's.
# (and many2many relation tables)
NO_LOG_COLUMNS = {
    "res_users_apikeys",
    "account_tax_sale_order_line_rel",
    "res_partner_res_partner_category_rel",
    ODOO_SIGNAL_TABLE,
}

# The fields prestasync reads or writes, per table and version: they must exist with the right type.
PRESTASYNC_FIELDS: dict[str, set[str]] = {
    "res_partner": {"name", "ref", "email", "phone", "street", "zip", "city", "country_id", "parent_id"},
    "product_template": {"name", "list_price", "weight", "default_code", "description_sale", "type"},
    "product_product": {"default_code", "barcode", "product_tmpl_id", "active"},
    "stock_quant": {"product_id", "location_id", "quantity", "reserved_quantity", "inventory_quantity"},
    "stock_location": {"location_id", "usage", "warehouse_id", "complete_name"},
    "stock_warehouse": {"name", "code", "lot_stock_id", "view_location_id"},
    "stock_picking": {"carrier_tracking_ref", "state", "origin", "sale_id", "date_done"},
    "sale_order": {"name", "client_order_ref", "state", "amount_untaxed", "amount_tax", "amount_total"},
    "sale_order_line": {"order_id", "product_id", "price_unit", "product_uom_qty", "discount", "name"},
    "account_move": {"name", "invoice_origin", "state", "move_type", "payment_state", "amount_total"},
    "product_pricelist_item": {"pricelist_id", "product_id", "fixed_price", "min_quantity", "date_start"},
}
VERSION_FIELDS = {
    "17.0": {"product_template": {"detailed_type"}, "sale_order_line": {"product_uom"}},
    "18.0": {"product_template": {"is_storable"}, "sale_order_line": {"product_uom"}},
    "19.0": {"product_template": {"is_storable"}, "sale_order_line": {"product_uom_id"}},
}

_PG_TYPES = {
    "serial": "int4",
    "integer": "int4",
    "varchar": "varchar",
    "text": "text",
    "numeric": "numeric",
    "double precision": "float8",
    "boolean": "bool",
    "jsonb": "jsonb",
    "date": "date",
    "timestamp without time zone": "timestamp",
}
_TYPE_RE = re.compile(r"(double precision|timestamp without time zone|\w+)(\(\d+\))?", re.I)


def _column_type(declaration: str) -> str:
    match = _TYPE_RE.match(declaration)
    assert match, declaration
    return _PG_TYPES[match.group(1).lower()]


def schema(version: str) -> dict[str, dict[str, str]]:
    """table -> column -> reference-style type, from our CREATE/ALTER statements for ``version``."""
    tables: dict[str, dict[str, str]] = {}
    for statement in odoo_ddl(version):
        create = re.match(r"CREATE TABLE (\w+) \((.*)\)$", statement, re.S)
        if create:
            columns: dict[str, str] = {}
            for line in create.group(2).splitlines():
                parts = line.strip().rstrip(",").split(None, 1)
                if len(parts) == 2 and parts[0] != "CONSTRAINT":
                    columns[parts[0]] = _column_type(parts[1])
            tables[create.group(1)] = columns
            continue
        if alter := re.match(r"ALTER TABLE (\w+) DROP COLUMN (\w+)$", statement):
            del tables[alter.group(1)][alter.group(2)]
        elif alter := re.match(r"ALTER TABLE (\w+) ADD COLUMN (\w+) (.*)$", statement):
            tables[alter.group(1)][alter.group(2)] = _column_type(alter.group(3))
        elif alter := re.match(r"ALTER TABLE (\w+) RENAME COLUMN (\w+) TO (\w+)$", statement):
            table = tables[alter.group(1)]
            table[alter.group(3)] = table.pop(alter.group(2))
    return tables


def reference_columns(text: str) -> dict[str, dict[str, dict[str, str]]]:
    """table -> column -> {version: type}, where a type is '—' or '(no col)' when there is no column."""
    tables: dict[str, dict[str, dict[str, str]]] = {}
    current: dict[str, dict[str, str]] | None = None
    for line in text.splitlines():
        heading = re.match(r"#### `[\w.]+` → table `(\w+)`", line)
        if heading:
            current = tables.setdefault(heading.group(1), {})
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if current is not None and len(cells) >= 4 and cells[0] not in ("column", "---"):
            current[cells[0]] = dict(zip(("17.0", "18.0", "19.0"), cells[1:4], strict=True))
    return tables


@pytest.mark.parametrize("version", ODOO_VERSIONS)
def test_every_odoo_table_has_the_orm_log_columns(version: str) -> None:
    for table, columns in schema(version).items():
        if table in NO_LOG_COLUMNS:
            continue
        assert set(columns) >= LOG_COLUMNS, table
        assert columns["id"] == "int4", table
        assert columns["create_date"] == columns["write_date"] == "timestamp", table


def test_numeric_columns_are_unscaled_as_the_orm_creates_them() -> None:
    statements = "\n".join(odoo_ddl())
    assert re.search(r"NUMERIC\s*\(", statements, re.I) is None
    assert schema("18.0")["sale_order"]["amount_total"] == "numeric"


def test_translated_fields_are_jsonb_and_partner_name_is_plain() -> None:
    tables = schema("18.0")
    for column in ("name", "description_sale", "description", "description_purchase"):
        assert tables["product_template"][column] == "jsonb"
    assert tables["product_pricelist"]["name"] == "jsonb"
    assert tables["res_partner"]["name"] == "varchar"
    assert tables["stock_location"]["name"] == "varchar"


def test_version_differences_on_product_kind_and_company_dependent_fields() -> None:
    v17, v18, v19 = schema("17.0"), schema("18.0"), schema("19.0")
    assert "detailed_type" in v17["product_template"] and "is_storable" not in v17["product_template"]
    assert "is_storable" in v18["product_template"] and "detailed_type" not in v18["product_template"]
    assert "standard_price" not in v17["product_product"]
    assert v18["product_product"]["standard_price"] == "jsonb"
    assert "expiration_date" not in v17["res_users_apikeys"]
    assert v18["res_users_apikeys"]["expiration_date"] == "timestamp"
    assert "product_uom_id" in v19["sale_order_line"] and "product_uom" not in v19["sale_order_line"]


def test_captured_tables_exist_and_get_replica_identity_full() -> None:
    tables = schema("18.0")
    assert set(ODOO_CAPTURED_TABLES) <= set(tables)
    assert ODOO_SIGNAL_TABLE in tables and ODOO_SIGNAL_TABLE not in ODOO_CAPTURED_TABLES
    assert tables[ODOO_SIGNAL_TABLE] == {"id": "varchar", "type": "varchar", "data": "varchar"}
    statements = replica_identity_statements()
    assert len(statements) == len(ODOO_CAPTURED_TABLES)
    assert all(s.endswith("REPLICA IDENTITY FULL") for s in statements)


def test_a_database_built_before_the_attribute_tables_gets_just_those() -> None:
    # an embedded stack's database is built once: `stack up` adds the tables captured since (#14 item 1)
    older = set(schema("18.0")) - {"product_attribute", "product_attribute_value", "product_template_attribute_value"}
    added = added_tables_ddl(older)
    created = [re.match(r"CREATE (?:UNIQUE )?(TABLE|INDEX)", s) for s in added]
    assert all(created)
    assert sorted(s.split()[2] for s in added if s.startswith("CREATE TABLE")) == [
        "product_attribute",
        "product_attribute_value",
        "product_template_attribute_value",
    ]
    assert sum("UNIQUE INDEX" in s for s in added) == 1  # the template value's (line, value) key
    assert added_tables_ddl(set(schema("18.0"))) == []


def test_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported Odoo version"):
        odoo_ddl("16.0")


def test_seed_inserts_the_reference_rows_prestasync_relies_on() -> None:
    seed = "\n".join(odoo_seed())
    assert "INSERT INTO res_company" in seed and "INSERT INTO stock_warehouse" in seed
    assert "(2, 'admin'," in seed
    for usage in ("'customer'", "'supplier'", "'inventory'", "'internal'"):
        assert usage in seed
    assert "'STORE'" in seed and "'WH'" in seed


@pytest.mark.skipif(not REFERENCE.is_file(), reason="shared Odoo column reference not available")
@pytest.mark.parametrize("version", ODOO_VERSIONS)
def test_columns_match_odoo_field_definitions(version: str) -> None:
    reference = reference_columns(REFERENCE.read_text(encoding="utf-8"))
    ours = schema(version)
    compared = 0
    for table, columns in ours.items():
        if table not in reference:
            continue
        for column, column_type in columns.items():
            if column == "id" or (column in LOG_COLUMNS and column not in reference[table]):
                continue
            assert column in reference[table], f"{table}.{column} is not an Odoo column"
            assert reference[table][column][version] == column_type, f"{version} {table}.{column}"
            compared += 1
    assert compared > 250  # guards against the reference parser silently matching nothing


@pytest.mark.parametrize("version", ODOO_VERSIONS)
def test_fields_prestasync_uses_exist_in_that_version(version: str) -> None:
    ours = schema(version)
    for table, columns in _wanted(version).items():
        missing = columns - set(ours[table])
        assert not missing, f"{version}: {table} lacks {sorted(missing)}"


@pytest.mark.skipif(not REFERENCE.is_file(), reason="shared Odoo column reference not available")
@pytest.mark.parametrize("version", ODOO_VERSIONS)
def test_fields_prestasync_uses_are_real_odoo_columns(version: str) -> None:
    reference = reference_columns(REFERENCE.read_text(encoding="utf-8"))
    for table, columns in _wanted(version).items():
        for column in columns:
            assert reference[table][column][version] not in ("—", "(no col)"), f"{version} {table}.{column}"


def _wanted(version: str) -> dict[str, set[str]]:
    wanted = {table: set(cols) for table, cols in PRESTASYNC_FIELDS.items()}
    for table, cols in VERSION_FIELDS[version].items():
        wanted[table] |= cols
    return wanted
