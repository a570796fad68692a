"""Connections to a merchant's servers as a DBA's admin given for one run (``provision --apply``;
``check`` before the capture users exist). The capture users' connections are ``kernel.dbcapture``.

`check` sessions are read-only on top (MariaDB ``SET SESSION TRANSACTION READ ONLY``, PostgreSQL
``default_transaction_read_only``), so a check cannot write even the signal table its user may write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import psycopg2
import psycopg2.extensions
import pymysql
import pymysql.cursors

from kernel.errors import StackError
from kernel.settings import Settings


@dataclass(frozen=True)
class AdminCredential:
    """A DBA's credential for one run: its password read from a file, kept nowhere."""

    user: str
    password: str | None = None
    socket: str | None = None


def admin_connection(
    settings: Settings, system: Literal["mariadb", "postgres"], admin: AdminCredential, read_only: bool = False
) -> Any:
    """MariaDB: autocommit (its DDL commits anyway); PostgreSQL: one transaction, the caller commits."""
    if system == "mariadb":
        m = settings.mariadb
        where: dict[str, Any] = {"unix_socket": admin.socket} if admin.socket else {"host": m.host, "port": m.port}
        try:
            conn = pymysql.connect(
                **where,
                user=admin.user,
                password=admin.password or "",
                autocommit=True,
                charset="utf8mb4",
                database=m.database if read_only else None,
                cursorclass=pymysql.cursors.DictCursor,
                connect_timeout=5,
            )
        except pymysql.err.MySQLError as exc:
            raise StackError(f"MariaDB refused the admin {admin.user!r}: {exc.args[-1]}") from exc
        if read_only:
            with conn.cursor() as cur:
                cur.execute("SET SESSION TRANSACTION READ ONLY")
        return conn
    p = settings.postgres
    try:
        pg = psycopg2.connect(
            host=p.host,
            port=p.port,
            user=admin.user,
            password=admin.password,
            dbname=p.database,
            connect_timeout=5,
            options="-c default_transaction_read_only=on" if read_only else "",
        )
    except psycopg2.OperationalError as exc:
        raise StackError(f"PostgreSQL refused the admin {admin.user!r}: {str(exc).strip()}") from exc
    pg.autocommit = read_only
    return pg
