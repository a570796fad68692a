"""Administrative connections to the embedded MariaDB and PostgreSQL servers.

MariaDB: ``root`` over the unix socket (Debian's default ``unix_socket`` auth for the OS root) when the
server is on this machine and the socket exists; otherwise (a server in a container) the admin user over
TCP with the password in ``<home>/secrets/mariadb_admin.password`` (``prestasync stack secrets`` writes it).
PostgreSQL: a superuser role ``prestasync_admin`` created by ``stack up`` with a password kept
in ``<home>/secrets/postgres_admin.password``; used for DDL, publications and tests, never by
Debezium or the twins (they get least-privilege users).

Attach mode has no admin connection at all: prestasync holds no administrative credential for a
merchant's servers (a DBA's credential is given to one `prestasync provision --apply` run only), so
both functions refuse, and any code path that would need one fails with that message instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import pymysql
import pymysql.cursors

from kernel.errors import StackError
from kernel.settings import Settings, get_settings

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def _refuse_in_attach(s: Settings, what: str) -> None:
    if s.attach:
        raise StackError(
            f"attach mode: prestasync has no admin connection to {what}",
            "what needs privileges is `prestasync provision --print-sql` (a DBA applies it); "
            "this command is for the embedded stack (mode: embedded)",
        )


def _admin_password(s: Settings, name: str) -> str:
    path = s.secrets_dir / name
    if not path.is_file():  # never generated here: a made-up admin password can only fail to log in
        raise StackError(
            f"no admin password file {path}",
            "`prestasync stack up` (embedded) or `prestasync stack secrets` (docker-compose) writes it",
        )
    return path.read_text(encoding="utf-8").strip()


def mariadb_admin(database: str | None = None, settings: Settings | None = None) -> pymysql.Connection[Any]:
    s = settings or get_settings()
    _refuse_in_attach(s, "MariaDB")
    if s.mariadb.host in LOOPBACK and Path(s.mariadb.socket).exists():
        where: dict[str, Any] = {"unix_socket": s.mariadb.socket, "user": "root"}
    else:
        password = _admin_password(s, "mariadb_admin.password")
        where = {"host": s.mariadb.host, "port": s.mariadb.port, "user": s.mariadb.admin_user, "password": password}
    return pymysql.connect(
        **where,
        database=database,
        autocommit=True,
        charset="utf8mb4",
        cursorclass=pymysql.cursors.DictCursor,
    )


def postgres_admin(database: str | None = None, settings: Settings | None = None) -> psycopg2.extensions.connection:
    s = settings or get_settings()
    _refuse_in_attach(s, "PostgreSQL")
    try:
        conn = psycopg2.connect(
            host=s.postgres.host,
            port=s.postgres.port,
            user=s.postgres.admin_user,
            password=_admin_password(s, "postgres_admin.password"),
            dbname=database or "postgres",
        )
    except psycopg2.OperationalError as exc:
        if "password authentication failed" in str(exc):
            raise StackError(
                f"PostgreSQL refused the admin role {s.postgres.admin_user!r}: {exc}".strip(),
                "the role is created by `prestasync stack up` on the embedded server; for a "
                "server prestasync did not build, use mode: attach",
            ) from exc
        raise
    conn.autocommit = True
    return conn
