"""Throwaway shop (MariaDB) and ERP (PostgreSQL) databases with the sandbox schema, seed and sample."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.settings import Settings, get_settings
from schemas.ddl import load_prestashop
from schemas.ddl.odoo import load_odoo

PREFIX = "ps_"


@contextmanager
def shop_database() -> Iterator[str]:
    """A ``t_<uuid>`` MariaDB database with the PrestaShop DDL and seed; dropped afterwards."""
    name = f"t_{uuid.uuid4().hex}"
    admin = mariadb_admin()
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        conn = mariadb_admin(database=name)
        try:
            load_prestashop(conn, PREFIX)
        finally:
            conn.close()
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


@contextmanager
def erp_database() -> Iterator[str]:
    """A ``t_<uuid>`` PostgreSQL database with the Odoo 18.0 DDL and seed; dropped afterwards."""
    name = f"t_{uuid.uuid4().hex}"
    admin = postgres_admin()
    try:
        with admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn = postgres_admin(name)
        try:
            load_odoo(conn)
        finally:
            conn.close()
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def settings_for(shop_db: str, erp_db: str) -> Settings:
    """The project's settings, pointed at the throwaway databases (never ``prestashop``/``odoo``)."""
    base = get_settings()
    return base.model_copy(
        update={
            "mariadb": base.mariadb.model_copy(update={"database": shop_db, "table_prefix": PREFIX}),
            "postgres": base.postgres.model_copy(update={"database": erp_db}),
        }
    )


def shop_rows(database: str, query: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    conn = mariadb_admin(database=database)
    try:
        with conn.cursor() as cur:
            cur.execute(query, args)
            return list(cur.fetchall())
    finally:
        conn.close()


def table_counts(database: str, tables: list[str]) -> dict[str, int]:
    return {table: int(shop_rows(database, f"SELECT COUNT(*) AS n FROM `{table}`")[0]["n"]) for table in tables}
