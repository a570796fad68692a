"""Administrative connections to the local MariaDB and PostgreSQL servers.

MariaDB: ``root`` over the unix socket (Debian's default ``unix_socket`` auth for the OS root) when the
socket exists; otherwise (a server in a container) the admin user over TCP with the password in
``<home>/secrets/mariadb_admin.password``.
PostgreSQL: a superuser role ``prestasync_admin`` created by ``stack up`` with a password kept
in ``<home>/secrets/postgres_admin.password``; used for DDL, publications and tests, never by
Debezium or the twins (they get least-privilege users).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import pymysql
import pymysql.cursors

from prestasync.config import Settings, get_settings


def mariadb_admin(database: str | None = None, settings: Settings | None = None) -> pymysql.Connection[Any]:
    s = settings or get_settings()
    if Path(s.mariadb.socket).exists():
        where: dict[str, Any] = {"unix_socket": s.mariadb.socket, "user": "root"}
    else:
        password = s.secret("mariadb_admin.password").get_secret_value()
        where = {"host": s.mariadb.host, "port": s.mariadb.port, "user": s.mariadb.admin_user, "password": password}
    return pymysql.connect(
        **where,
        database=database,
        autocommit=True,
        charset="utf8mb4",
        cursorclass=pymysql.cursors.DictCursor,
    )


def postgres_admin(
    database: str | None = None, settings: Settings | None = None
) -> psycopg2.extensions.connection:
    s = settings or get_settings()
    conn = psycopg2.connect(
        host=s.postgres.host,
        port=s.postgres.port,
        user=s.postgres.admin_user,
        password=s.secret("postgres_admin.password").get_secret_value(),
        dbname=database or "postgres",
    )
    conn.autocommit = True
    return conn
