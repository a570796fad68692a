"""Throwaway databases on the stack's servers: ``t_<uuid>``, created for one test and dropped afterwards
whatever the test did; empty, or with the shop (PrestaShop DDL + seed) or ERP (Odoo DDL + seed) schema."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2.extensions

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.settings import Settings, get_settings
from schemas.ddl import load_prestashop
from schemas.ddl.odoo import load_odoo

PREFIX = "ps_"


@contextmanager
def throwaway_mariadb(load: Callable[[Any], None] | None = None) -> Iterator[str]:
    """An empty MariaDB database (``load(conn)`` fills it first, when given)."""
    name = f"t_{uuid.uuid4().hex}"
    admin = mariadb_admin()
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        if load is not None:
            with mariadb_admin(database=name) as conn:
                load(conn)
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


@contextmanager
def throwaway_postgres(load: Callable[[psycopg2.extensions.connection], None] | None = None) -> Iterator[str]:
    """An empty PostgreSQL database (``load(conn)`` fills it first, when given)."""
    name = f"t_{uuid.uuid4().hex}"
    admin = postgres_admin()
    try:
        with admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        if load is not None:
            conn = postgres_admin(name)
            try:
                load(conn)
            finally:
                conn.close()
        yield name
    finally:
        with admin.cursor() as cur:
            # FORCE: a server thread of a failed test may still hold a connection.
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextmanager
def shop_database() -> Iterator[str]:
    """A shop database with the PrestaShop DDL and seed (table prefix ``PREFIX``)."""
    with throwaway_mariadb(lambda conn: load_prestashop(conn, PREFIX)) as name:
        yield name


@contextmanager
def erp_database() -> Iterator[str]:
    """An ERP database with the Odoo 18.0 DDL and seed."""
    with throwaway_postgres(load_odoo) as name:
        yield name


def settings_for(shop_db: str, erp_db: str) -> Settings:
    """The project's settings, pointed at throwaway databases (never ``prestashop``/``odoo``)."""
    base = get_settings()
    return base.model_copy(
        update={
            "mariadb": base.mariadb.model_copy(update={"database": shop_db, "table_prefix": PREFIX}),
            "postgres": base.postgres.model_copy(update={"database": erp_db}),
        }
    )


def shop_rows(database: str, query: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """The rows of ``query`` in a MariaDB database (dicts)."""
    with mariadb_admin(database=database) as conn, conn.cursor() as cur:
        cur.execute(query, args)
        return list(cur.fetchall())


def table_counts(database: str, tables: list[str]) -> dict[str, int]:
    return {table: int(shop_rows(database, f"SELECT COUNT(*) AS n FROM `{table}`")[0]["n"]) for table in tables}


def shop_execute(database: str, sql: str, args: tuple[Any, ...] = ()) -> None:
    """One statement in a MariaDB database, with PrestaShop's empty sql_mode (its NOT NULL dates)."""
    with mariadb_admin(database=database) as conn, conn.cursor() as cur:
        cur.execute("SET SESSION sql_mode = ''")
        cur.execute(sql, args)


def erp_scalar(database: str, sql: str, args: tuple[Any, ...] = ()) -> Any:
    """One statement in a PostgreSQL database; the first column of its first row, if it returns rows."""
    conn = postgres_admin(database)
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchone()[0] if cur.description else None
    finally:
        conn.close()
