"""Faults in the data rather than the processes: schema changes of captured tables, and big values.

A merchant installs a module (PrestaShop) or an app (Odoo) while trade goes on: columns are added to,
widened in and renamed in tables prestasync captures. Debezium must follow (the binlog's DDL through its
schema history, PostgreSQL's relation messages), the mappers must ignore what they do not read, and
nothing may be lost or dead-lettered. Each run uses column names of its own, so runs can repeat on one
stack; the columns stay, as a module's would.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prestasync.chaos.faults import Context

# Tables the day of trade writes all the time (a checkout: orders and stock; ERP moves: quants).
SHOP_TABLES = ("customer", "orders", "stock_available")
ERP_TABLES = ("res_partner", "sale_order", "stock_quant")


def alter_tables(ctx: Context) -> str:
    """On both sides, per hot captured table: add a column, widen it, rename it."""
    from kernel.dbadmin import mariadb_admin, postgres_admin

    settings = ctx.settings
    tag = f"{int(time.time()) % 1_000_000}"
    prefix = settings.mariadb.table_prefix
    shop_steps = ("ADD COLUMN {c} VARCHAR(16) NULL", "MODIFY COLUMN {c} VARCHAR(64) NULL", "RENAME COLUMN {c} TO {c}_r")
    erp_steps = ("ADD COLUMN {c} varchar(16)", "ALTER COLUMN {c} TYPE varchar(64)", "RENAME COLUMN {c} TO {c}_r")
    shop_tables = [prefix + t for t in SHOP_TABLES]
    _alter(mariadb_admin(settings.mariadb.database, settings=settings), shop_tables, f"chaos_{tag}", shop_steps)
    _alter(postgres_admin(settings.postgres.database, settings=settings), ERP_TABLES, f"x_chaos_{tag}", erp_steps)
    shop, erp = ", ".join(shop_tables), ", ".join(ERP_TABLES)
    return f"add, widen, rename column chaos_{tag} in {shop}; x_chaos_{tag} in {erp}"


def _alter(conn: Any, tables: Sequence[str], column: str, steps: Sequence[str]) -> None:
    try:
        with conn.cursor() as cur:
            for table in tables:
                for step in steps:
                    cur.execute(f"ALTER TABLE {table} " + step.format(c=column))
        conn.commit()
    finally:
        conn.close()
