"""The Odoo tables CDC reads: DDL and seed statements for PostgreSQL, per Odoo version. The embedded
stack provisions its ERP database from them and the Odoo twin runs on them.

``odoo.sql`` holds the Odoo 18.0 layout. 17.0 and 19.0 differ on a few columns we create; those differences
are applied as ALTER statements after the 18.0 DDL so that one file stays the source of truth. The
differences come from the upstream field definitions (see ``docs/TWINS.md``); the unit test
``tests/unit/schemas/ddl/test_odoo_ddl.py`` checks every column against the upstream column tables when they are
available.
"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg2.extensions

ODOO_VERSIONS = ("17.0", "18.0", "19.0")
DEFAULT_ODOO_VERSION = "18.0"

# Tables whose changes Debezium captures (REPLICA IDENTITY FULL, in the publication). Users, currencies,
# uoms, categories and picking types are reference data read by the twin and the sinks, not synced.
ODOO_CAPTURED_TABLES: tuple[str, ...] = (
    "res_partner",
    "product_template",
    "product_product",
    "product_pricelist_item",
    # what names a variant's values (issue #14 item 1; product_template_attribute_line is not needed:
    # a template value carries its attribute and template)
    "product_attribute",
    "product_attribute_value",
    "product_template_attribute_value",
    "stock_warehouse",
    "stock_location",
    "stock_quant",
    "stock_picking",
    "stock_move",
    "sale_order",
    "sale_order_line",
    "account_move",
)

# Debezium's source signalling channel reads this table from the WAL, so it belongs in the publication,
# but its rows are never replicated to the other side.
ODOO_SIGNAL_TABLE = "debezium_signal"

# Per version: statements applied after odoo.sql (which is 18.0) to reach that version's layout.
_VERSION_ALTERATIONS: dict[str, tuple[str, ...]] = {
    "17.0": (
        # company_dependent fields have no column in 17.0 (they live in ir_property).
        "ALTER TABLE res_partner DROP COLUMN barcode",
        "ALTER TABLE product_product DROP COLUMN standard_price",
        # 17.0 product kinds: `detailed_type` (consu/service/product); is_storable/service_tracking are 18.0.
        "ALTER TABLE product_template DROP COLUMN is_storable",
        "ALTER TABLE product_template DROP COLUMN service_tracking",
        "ALTER TABLE product_template ADD COLUMN detailed_type VARCHAR NOT NULL",
        "ALTER TABLE product_pricelist_item DROP COLUMN display_applied_on",
        "ALTER TABLE product_pricelist_item DROP COLUMN price_markup",
        "ALTER TABLE sale_order_line DROP COLUMN warehouse_id",
        "ALTER TABLE sale_order_line DROP COLUMN technical_price_unit",
        "ALTER TABLE account_move DROP COLUMN checked",
        "ALTER TABLE account_move ADD COLUMN to_check BOOLEAN",
        "ALTER TABLE stock_move DROP COLUMN location_final_id",
        "ALTER TABLE res_users_apikeys DROP COLUMN expiration_date",
    ),
    "18.0": (),
    "19.0": (
        "ALTER TABLE res_partner DROP COLUMN mobile",
        "ALTER TABLE product_template DROP COLUMN uom_po_id",
        "ALTER TABLE stock_location DROP COLUMN comment",
        "ALTER TABLE stock_location DROP COLUMN scrap_location",
        "ALTER TABLE stock_quant DROP COLUMN storage_category_id",
        "ALTER TABLE stock_move DROP COLUMN name",
        "ALTER TABLE stock_picking DROP COLUMN date",
        # 19.0 renamed the sale line's unit of measure field.
        "ALTER TABLE sale_order_line RENAME COLUMN product_uom TO product_uom_id",
    ),
}


def split_sql(script: str) -> list[str]:
    """Split a script whose statements end with ``;`` at the end of a line; drop ``--`` comment lines."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        current.append(line)
        if stripped.endswith(";"):
            statements.append("\n".join(current).rstrip().rstrip(";"))
            current = []
    if current:
        statements.append("\n".join(current).rstrip())
    return statements


def _read(name: str) -> str:
    return (Path(__file__).parent / name).read_text(encoding="utf-8")


def _check_version(version: str) -> None:
    if version not in _VERSION_ALTERATIONS:
        raise ValueError(f"unsupported Odoo version {version!r}; expected one of {', '.join(ODOO_VERSIONS)}")


def odoo_ddl(version: str = DEFAULT_ODOO_VERSION) -> list[str]:
    """CREATE/ALTER statements building the Odoo tables of ``version`` in an empty database."""
    _check_version(version)
    return split_sql(_read("odoo.sql")) + list(_VERSION_ALTERATIONS[version])


_CREATES = re.compile(r"CREATE (?:TABLE|(?:UNIQUE )?INDEX \w+\s+ON) (\w+)")


def added_tables_ddl(existing: set[str], version: str = DEFAULT_ODOO_VERSION) -> list[str]:
    """The CREATE statements of the tables (and their indexes) a database made by an older prestasync
    lacks, e.g. the attribute tables captured since issue #14: an embedded stack's database is built
    once, and its publication must not name a table that is not there."""
    return [
        statement
        for statement in odoo_ddl(version)
        if (found := _CREATES.match(statement)) is not None and found.group(1) not in existing
    ]


def odoo_seed(version: str = DEFAULT_ODOO_VERSION) -> list[str]:
    """INSERT statements for the reference rows (company, users, warehouses, locations...)."""
    _check_version(version)
    return split_sql(_read("odoo_seed.sql"))


def replica_identity_statements() -> list[str]:
    """``REPLICA IDENTITY FULL`` for the captured tables, so update events carry the full ``before`` row."""
    return [f"ALTER TABLE {table} REPLICA IDENTITY FULL" for table in ODOO_CAPTURED_TABLES]


def load_odoo(conn: psycopg2.extensions.connection, version: str = DEFAULT_ODOO_VERSION, seed: bool = True) -> None:
    """Create the tables of ``version`` in the connection's (empty) database, then the seed rows."""
    statements = odoo_ddl(version) + (odoo_seed(version) if seed else [])
    with conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)
    if not conn.autocommit:
        conn.commit()
