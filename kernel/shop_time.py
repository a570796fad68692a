"""The shop's time zone: PrestaShop DATETIMEs are wall-clock times in ``PS_TIMEZONE``.

One setting for every reader and writer of shop times (the streams' mappers, the PrestaShop sink):
``shop.timezone`` when set, else the shop's own ``PS_TIMEZONE`` read once from its configuration
table (a SELECT, harmless on a merchant's database), else UTC — with a warning, because every shop
time is then shifted by the shop's offset.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kernel.settings import Settings

log = logging.getLogger(__name__)
Reader = Callable[[Settings], str | None]


def read_ps_timezone(settings: Settings) -> str | None:
    """``PS_TIMEZONE`` of the shop's database (the shop-wide row: id_shop NULL first). In attach mode as
    the capture user (it may SELECT the shop's tables; prestasync holds no admin credential there)."""
    from kernel.dbadmin import mariadb_admin
    from kernel.dbcapture import mariadb_capture

    conn = mariadb_capture(settings) if settings.attach else mariadb_admin(settings.mariadb.database, settings=settings)
    try:
        with conn.cursor() as cur:
            cur.execute(
                f"SELECT value FROM `{settings.mariadb.table_prefix}configuration` "
                "WHERE name = 'PS_TIMEZONE' ORDER BY id_shop IS NOT NULL, id_configuration LIMIT 1"
            )
            row = cur.fetchone()
    finally:
        conn.close()
    return str(row["value"]) if row and row.get("value") else None


def zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (shop.timezone / PS_TIMEZONE)") from exc


def shop_timezone(settings: Settings, read: Reader = read_ps_timezone) -> tzinfo:
    if settings.shop.timezone:
        return zone(settings.shop.timezone)
    try:
        name = read(settings)
    except Exception as exc:
        log.warning(
            "shop time zone: PS_TIMEZONE unreadable (%s); shop times read as UTC — set shop.timezone",
            type(exc).__name__,
        )
        return UTC
    if not name:
        log.warning("shop time zone: no PS_TIMEZONE in the shop's configuration; shop times read as UTC")
        return UTC
    return zone(name)
