"""The Odoo DDL and seed applied to a real PostgreSQL 15 database, for every supported Odoo version."""

from __future__ import annotations

import psycopg2
import psycopg2.errors
import psycopg2.extensions
import pytest

from schemas.ddl.odoo import (
    ODOO_CAPTURED_TABLES,
    ODOO_SIGNAL_TABLE,
    ODOO_VERSIONS,
    load_odoo,
    replica_identity_statements,
)

pytestmark = pytest.mark.integration


def _columns(conn: psycopg2.extensions.connection, table: str) -> dict[str, str]:
    with conn.cursor() as cur:
        cur.execute("SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = %s", (table,))
        return dict(cur.fetchall())


@pytest.mark.parametrize("version", ODOO_VERSIONS)
def test_ddl_and_seed_apply_and_accept_replica_identity_full(
    postgres_conn: psycopg2.extensions.connection, version: str
) -> None:
    load_odoo(postgres_conn, version)
    with postgres_conn.cursor() as cur:
        for statement in replica_identity_statements():
            cur.execute(statement)
        cur.execute(
            "SELECT relname, relreplident FROM pg_class WHERE relname = ANY(%s)",
            (list(ODOO_CAPTURED_TABLES),),
        )
        identities = dict(cur.fetchall())
    assert identities == {table: "f" for table in ODOO_CAPTURED_TABLES}
    product = _columns(postgres_conn, "product_template")
    assert product["name"] == "jsonb" and product["list_price"] == "numeric"
    assert ("is_storable" in product) == (version != "17.0")
    assert ("detailed_type" in product) == (version == "17.0")
    assert _columns(postgres_conn, ODOO_SIGNAL_TABLE) == {
        "id": "varchar",
        "type": "varchar",
        "data": "varchar",
    }


def test_seed_has_company_admin_and_two_warehouses_with_stock_locations(
    postgres_conn: psycopg2.extensions.connection,
) -> None:
    load_odoo(postgres_conn)
    with postgres_conn.cursor() as cur:
        cur.execute("SELECT login, partner_id, company_id FROM res_users WHERE id = 2")
        assert cur.fetchone() == ("admin", 3, 1)
        cur.execute(
            "SELECT w.code, l.usage, l.complete_name FROM stock_warehouse w "
            "JOIN stock_location l ON l.id = w.lot_stock_id ORDER BY w.id"
        )
        assert cur.fetchall() == [("WH", "internal", "WH/Stock"), ("STORE", "internal", "STORE/Stock")]
        cur.execute("SELECT usage FROM stock_location WHERE location_id IS NOT NULL ORDER BY usage")
        usages = {row[0] for row in cur.fetchall()}
        assert {"customer", "supplier", "inventory", "internal", "view"} <= usages
        # Sequences were moved past the seeded ids: a plain insert gets a fresh id.
        cur.execute("INSERT INTO res_partner (name, type) VALUES ('New', 'contact') RETURNING id")
        row = cur.fetchone()
        assert row is not None and row[0] == 7


def test_partner_check_name_constraint_is_enforced(postgres_conn: psycopg2.extensions.connection) -> None:
    load_odoo(postgres_conn)
    with postgres_conn.cursor() as cur, pytest.raises(psycopg2.errors.CheckViolation):
        cur.execute("INSERT INTO res_partner (name, type) VALUES (NULL, 'contact')")
