"""Connections to the shop's and the ERP's databases as the capture users: the only database
credentials prestasync holds in attach mode (read-only sessions unless a signal row is written).

`check` sessions are read-only on top (MariaDB ``SET SESSION TRANSACTION READ ONLY``, PostgreSQL
``default_transaction_read_only``), so a check cannot write even the signal table its user may write.
"""

from __future__ import annotations

from typing import Any

import psycopg2
import psycopg2.extensions
import pymysql
import pymysql.cursors

from kernel.settings import Settings


def mariadb_capture(settings: Settings, read_only: bool = True) -> pymysql.Connection[Any]:
    m = settings.mariadb
    conn = pymysql.connect(
        host=m.host,
        port=m.port,
        user=m.capture_user,
        password=settings.capture_password("mariadb", generate=False).get_secret_value(),
        database=m.database,
        charset="utf8mb4",
        cursorclass=pymysql.cursors.DictCursor,
        connect_timeout=5,
        autocommit=True,
    )
    if read_only:
        with conn.cursor() as cur:
            cur.execute("SET SESSION TRANSACTION READ ONLY")
    return conn


def postgres_capture(settings: Settings, read_only: bool = True) -> psycopg2.extensions.connection:
    p = settings.postgres
    conn = psycopg2.connect(
        host=p.host,
        port=p.port,
        user=p.capture_user,
        dbname=p.database,
        password=settings.capture_password("postgres", generate=False).get_secret_value(),
        connect_timeout=5,
        options="-c default_transaction_read_only=on" if read_only else "",
    )
    conn.autocommit = True
    return conn
