"""Faults in the data rather than the processes: schema changes of captured tables, and big values.

A merchant installs a module (PrestaShop) or an app (Odoo) while trade goes on: columns are added to,
widened in and renamed in tables prestasync captures. Debezium must follow (the binlog's DDL through its
schema history, PostgreSQL's relation messages), the mappers must ignore what they do not read, and
nothing may be lost or dead-lettered. Each run uses column names of its own, so runs can repeat on one
stack; the columns stay, as a module's would.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

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
    shop = mariadb_admin(settings.mariadb.database, settings=settings)
    try:
        with shop.cursor() as cur:
            for table in SHOP_TABLES:
                column = f"chaos_{tag}"
                cur.execute(f"ALTER TABLE {prefix}{table} ADD COLUMN {column} VARCHAR(16) NULL")
                cur.execute(f"ALTER TABLE {prefix}{table} MODIFY COLUMN {column} VARCHAR(64) NULL")
                cur.execute(f"ALTER TABLE {prefix}{table} RENAME COLUMN {column} TO {column}_r")
        shop.commit()
    finally:
        shop.close()
    erp = postgres_admin(settings.postgres.database, settings=settings)
    try:
        with erp.cursor() as cur:
            for table in ERP_TABLES:
                column = f"x_chaos_{tag}"
                cur.execute(f"ALTER TABLE {table} ADD COLUMN {column} varchar(16)")
                cur.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(64)")
                cur.execute(f"ALTER TABLE {table} RENAME COLUMN {column} TO {column}_r")
        erp.commit()
    finally:
        erp.close()
    shop_tables = ", ".join(prefix + t for t in SHOP_TABLES)
    return f"add, widen, rename column chaos_{tag} in {shop_tables}; x_chaos_{tag} in {', '.join(ERP_TABLES)}"
