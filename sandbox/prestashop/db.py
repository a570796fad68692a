"""Database access for the PrestaShop twin: connections and the live table schema."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pymysql
import pymysql.cursors

from schemas.ddl import PRESTASHOP_SQL_MODE, validate_prefix

Connect = Callable[[], "pymysql.Connection[Any]"]

_INT_TYPES = frozenset({"tinyint", "smallint", "mediumint", "int", "bigint"})


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str  # information_schema DATA_TYPE: int, varchar, decimal, datetime, enum...
    nullable: bool
    default: str | None
    column_type: str = ""  # information_schema COLUMN_TYPE, e.g. "tinyint(1) unsigned"

    @property
    def is_int(self) -> bool:
        return self.data_type in _INT_TYPES

    @property
    def is_flag(self) -> bool:
        """``tinyint(1)``: how PrestaShop stores its TYPE_BOOL fields."""
        return self.column_type.startswith("tinyint(1)")

    @property
    def is_decimal(self) -> bool:
        return self.data_type in ("decimal", "float", "double")

    @property
    def is_date(self) -> bool:
        return self.data_type in ("date", "datetime", "timestamp")

    def zero(self, allow_null: bool = False) -> Any:
        """What PrestaShop's ObjectModel stores for an unset (null) value of this column (sql_mode='').

        ``ObjectModel::formatValue`` turns null into 0, '' or '0000-00-00' by field type, whatever the
        column's default; only ``allow_null`` fields keep NULL (numbers: ``Resource.allow_null``; other
        types: any nullable column) -- except dates,
        which formatValue always zeroes (customer ``birthday`` reads '0000-00-00' on a real 8.1.2)."""
        if self.data_type == "date":
            return "0000-00-00"
        if self.is_date:
            return "0000-00-00 00:00:00"
        if self.nullable and (allow_null or not (self.is_int or self.is_decimal)):
            return None
        if self.is_int or self.is_decimal:  # (int) null / (float) null, even in a nullable column
            return 0
        return ""


class ShopDatabase:
    """Connections to one PrestaShop database (one per request) and its cached column lists."""

    def __init__(self, connect: Connect, prefix: str) -> None:
        self.prefix = validate_prefix(prefix)
        self._connect = connect
        self._columns: dict[str, list[Column]] = {}
        self._lock = threading.Lock()

    def table(self, name: str) -> str:
        """Backquoted, prefixed table name (``name`` comes from code, never from a request)."""
        return f"`{self.prefix}{name}`"

    @contextmanager
    def cursor(self) -> Iterator[pymysql.cursors.DictCursor]:
        """A cursor in a transaction committed on success, rolled back on error."""
        conn = self._connect()
        try:
            with conn.cursor(pymysql.cursors.DictCursor) as cur:
                cur.execute("SET SESSION sql_mode = %s", (PRESTASHOP_SQL_MODE,))
                self._shop_clock(cur)
                conn.begin()
                yield cur
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    def _shop_clock(self, cur: Any) -> None:
        """PrestaShop writes its DATETIMEs in ``PS_TIMEZONE`` (date_default_timezone_set at start):
        NOW() of this session is that zone's wall clock (as an offset: MariaDB may have no zone tables)."""
        try:
            cur.execute(f"SELECT value FROM {self.table('configuration')} WHERE name = 'PS_TIMEZONE' LIMIT 1")
        except pymysql.MySQLError:
            return  # a database without the shop's tables yet (DDL being loaded)
        found = cur.fetchone()
        try:
            zone = ZoneInfo(str(found["value"])) if found and found["value"] else None
        except (ValueError, ZoneInfoNotFoundError):
            zone = None
        if zone is None:
            return
        offset = datetime.now(zone).utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "-" if minutes < 0 else "+"
        cur.execute("SET SESSION time_zone = %s", (f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}",))

    def columns(self, table: str) -> list[Column]:
        with self._lock:
            cached = self._columns.get(table)
        if cached is not None:
            return cached
        with self.cursor() as cur:
            cur.execute(
                "SELECT column_name AS n, data_type AS t, is_nullable AS nl, column_default AS d, column_type AS ct "
                "FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = %s "
                "ORDER BY ordinal_position",
                (self.prefix + table,),
            )
            found = [
                Column(r["n"], r["t"].lower(), r["nl"] == "YES", r["d"], str(r["ct"]).lower()) for r in cur.fetchall()
            ]
        if not found:
            raise LookupError(f"table {self.prefix}{table} does not exist")
        with self._lock:
            self._columns[table] = found
        return found

    def column_map(self, table: str) -> dict[str, Column]:
        return {c.name: c for c in self.columns(table)}


def admin_connect(database: str, socket: str) -> Connect:
    """Root over the unix socket (the sandbox default; the real shop uses its own DB user)."""

    def connect() -> pymysql.Connection[Any]:
        return pymysql.connect(unix_socket=socket, user="root", database=database, charset="utf8mb4", autocommit=False)

    return connect
