"""DDL and seed applied to a real MariaDB, for the default prefix and a randomised one."""

from __future__ import annotations

import pytest

from kernel.dbadmin import mariadb_admin
from schemas.ddl import SIGNAL_TABLE, load_prestashop, prestashop_tables

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("prefix", ["ps_", "xyz9_"])
def test_ddl_and_seed_create_prestashop_tables(mariadb_database: str, prefix: str) -> None:
    conn = mariadb_admin(database=mariadb_database)
    try:
        load_prestashop(conn, prefix)
        load_prestashop(conn, prefix)  # idempotent: stack up may run it again
        with conn.cursor() as cur:
            cur.execute(
                "SELECT table_name AS t, engine AS e, table_collation AS c FROM information_schema.tables "
                "WHERE table_schema = %s",
                (mariadb_database,),
            )
            rows = {r["t"]: r for r in cur.fetchall()}
            assert set(rows) == set(prestashop_tables(prefix))
            assert all(r["e"] == "InnoDB" and r["c"].startswith("utf8mb4") for r in rows.values())
            assert SIGNAL_TABLE in rows

            cur.execute(
                "SELECT column_name AS c FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                (mariadb_database, f"{prefix}stock_available"),
            )
            assert [r["c"] for r in cur.fetchall()] == [
                "id_stock_available",
                "id_product",
                "id_product_attribute",
                "id_shop",
                "id_shop_group",
                "quantity",
                "physical_quantity",
                "reserved_quantity",
                "depends_on_stock",
                "out_of_stock",
                "location",
            ]

            cur.execute(
                f"SELECT s.id_order_state AS id, l.name FROM `{prefix}order_state` s "
                f"JOIN `{prefix}order_state_lang` l USING (id_order_state) WHERE l.id_lang = 1 "
                "ORDER BY s.id_order_state"
            )
            states = {r["id"]: r["name"] for r in cur.fetchall()}
            assert list(states) == list(range(1, 14))
            assert states[2] == "Payment accepted"
            assert states[4] == "Shipped"
            assert states[11] == "Remote payment accepted"

            cur.execute(f"SELECT id_group, name FROM `{prefix}group_lang` ORDER BY id_group")
            assert [(r["id_group"], r["name"]) for r in cur.fetchall()] == [
                (1, "Visitor"),
                (2, "Guest"),
                (3, "Customer"),
            ]
            cur.execute(f"SELECT iso_code FROM `{prefix}currency` WHERE id_currency = 1")
            assert cur.fetchone() == {"iso_code": "EUR"}
            cur.execute(f"SELECT iso_code FROM `{prefix}lang` WHERE id_lang = 1")
            assert cur.fetchone() == {"iso_code": "en"}
            cur.execute(f"SELECT COUNT(*) AS n FROM `{prefix}shop` WHERE id_shop = 1 AND id_shop_group = 1")
            assert cur.fetchone() == {"n": 1}
            cur.execute(f"SELECT value FROM `{prefix}configuration` WHERE name = 'PS_WEBSERVICE'")
            assert cur.fetchone() == {"value": "1"}
    finally:
        conn.close()
