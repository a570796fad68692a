"""Small row writers shared by the sample loaders and the simulator.

PostgreSQL (Odoo): the sandbox DDL differs per Odoo version (17.0 lacks ``is_storable``, 19.0 lacks
``stock_move.name``...), so rows are written with only the columns the table really has.
MariaDB (PrestaShop): table names carry the shop's prefix; values go through PyMySQL's escaping.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Odoo's log-access columns: who a human edit in the back office is recorded as (admin, user 2).
ODOO_ADMIN_UID = 2


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def naive_utc(moment: datetime) -> datetime:
    """Odoo stores UTC in ``timestamp without time zone``; PrestaShop datetimes have no zone either."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def pg_columns(cur: Any, table: str) -> set[str]:
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s",
        (table,),
    )
    return {row[0] for row in cur.fetchall()}


def pg_insert(cur: Any, table: str, values: dict[str, Any], columns: set[str] | None = None) -> int:
    """INSERT the values whose column exists in ``table``; return the new id."""
    present = columns if columns is not None else pg_columns(cur, table)
    kept = {name: value for name, value in values.items() if name in present}
    names = ", ".join(f'"{name}"' for name in kept)
    placeholders = ", ".join(["%s"] * len(kept))
    cur.execute(f'INSERT INTO "{table}" ({names}) VALUES ({placeholders}) RETURNING id', list(kept.values()))
    return int(cur.fetchone()[0])


def my_insert(cur: Any, table: str, values: dict[str, Any], ignore: bool = False) -> int:
    """INSERT (or INSERT IGNORE) one row into the MariaDB ``table`` (prefixed name).

    Returns the new auto-increment id; for a table without one, 1 when a row was inserted; 0 when
    INSERT IGNORE skipped a duplicate.
    """
    names = ", ".join(f"`{name}`" for name in values)
    placeholders = ", ".join(["%s"] * len(values))
    verb = "INSERT IGNORE" if ignore else "INSERT"
    inserted = cur.execute(f"{verb} INTO `{table}` ({names}) VALUES ({placeholders})", list(values.values()))
    if not inserted:
        return 0
    return int(cur.lastrowid or 1)


def shop_zone(conn: Any, prefix: str) -> tzinfo:
    """The shop's PS_TIMEZONE (its DATETIMEs are that zone's wall clock); UTC if unset or unknown."""
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT value FROM `{prefix}configuration` WHERE name = 'PS_TIMEZONE' "
            "ORDER BY id_shop IS NOT NULL, id_configuration LIMIT 1"
        )
        row = cur.fetchone()
    value = (row.get("value") if isinstance(row, dict) else row[0]) if row else None
    try:
        return ZoneInfo(str(value)) if value else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC
