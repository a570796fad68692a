"""PostgreSQL for the Odoo side: install from Debian, wal_level=logical, schema, users, publication."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg2
import psycopg2.extensions

from kernel.dbadmin import postgres_admin
from kernel.errors import StackError
from kernel.procs import run, wait_until
from kernel.settings import Settings


def _major() -> str:
    versions = sorted((p.name for p in Path("/usr/lib/postgresql").glob("*") if (p / "bin/postgres").exists()), key=int)
    if not versions:
        raise StackError("PostgreSQL server binaries not found under /usr/lib/postgresql")
    return versions[-1]


def ensure_installed() -> None:
    """Debian's ``postgresql`` (server binaries + ``pg_ctlcluster``), and its ``main`` cluster, which
    an install that skipped Debian's default cluster (e.g. the real-Odoo script's) does not have."""
    if not (shutil.which("pg_ctlcluster") and any(Path("/usr/lib/postgresql").glob("*/bin/postgres"))):
        from prestasync.stack.mariadb import _apt_install

        _apt_install("postgresql")
    major, name = _cluster()
    if not Path(f"/etc/postgresql/{major}/{name}/postgresql.conf").exists():
        run(["pg_createcluster", major, name], f"pg_createcluster {major} {name}", timeout=120)


def cdc_conf_text(settings: Settings) -> str:
    return (
        "# Written by `prestasync stack up`: logical decoding for Debezium (pgoutput).\n"
        "wal_level = logical\n"
        "max_replication_slots = 10\n"
        "max_wal_senders = 10\n"
        f"listen_addresses = '{settings.postgres.host}'\n"
        f"port = {settings.postgres.port}\n"
    )


def _cluster() -> tuple[str, str]:
    return _major(), "main"


def _ctl(action: str) -> None:
    major, name = _cluster()
    run(["pg_ctlcluster", major, name, action], f"pg_ctlcluster {major} {name} {action}", timeout=120)


def _cluster_running() -> bool:
    major, name = _cluster()
    out = run(["pg_lsclusters", "--no-header"], "pg_lsclusters")
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0] == major and parts[1] == name:
            return parts[3] == "online"
    raise StackError(f"PostgreSQL cluster {major}/{name} does not exist", f"create it: pg_createcluster {major} main")


def _psql_as_postgres(sql: str) -> str:
    return run(["runuser", "-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1", "-qAtc", sql], "psql")


def _ensure_admin_role(settings: Settings) -> None:
    admin = settings.postgres.admin_user
    password = settings.secret("postgres_admin.password").get_secret_value().replace("'", "''")
    exists = _psql_as_postgres(f"SELECT 1 FROM pg_roles WHERE rolname = '{admin}'").strip()
    verb = "ALTER" if exists else "CREATE"
    _psql_as_postgres(f"{verb} ROLE {admin} SUPERUSER LOGIN PASSWORD '{password}'")


def _can_connect(settings: Settings) -> bool:
    try:
        postgres_admin(settings=settings).close()
    except psycopg2.OperationalError:
        return False
    return True


def ensure_running(settings: Settings) -> None:
    major, name = _cluster()
    conf = Path(f"/etc/postgresql/{major}/{name}/conf.d/60-prestasync-cdc.conf")
    wanted = cdc_conf_text(settings)
    changed = not conf.exists() or conf.read_text() != wanted
    if changed:
        conf.parent.mkdir(parents=True, exist_ok=True)
        conf.write_text(wanted)
    if _cluster_running():
        if changed:
            _ctl("restart")
    else:
        _ctl("start")
    wait_until(_cluster_running, 60, "PostgreSQL to start")
    _ensure_admin_role(settings)
    wait_until(lambda: _can_connect(settings), 30, "PostgreSQL to accept connections")
    check_cdc_ready(settings)


def check_cdc_ready(settings: Settings) -> None:
    with postgres_admin(settings=settings) as conn, conn.cursor() as cur:
        cur.execute("SHOW wal_level")
        row = cur.fetchone()
    level = row[0] if row else "(unknown)"
    if level != "logical":
        raise StackError(
            f"PostgreSQL is not configured for change-data capture: wal_level={level}",
            "set wal_level = logical in postgresql.conf and restart PostgreSQL",
        )


def ensure_schema(settings: Settings) -> None:
    from schemas.ddl.odoo import ODOO_CAPTURED_TABLES, added_tables_ddl, odoo_ddl, odoo_seed

    pg = settings.postgres
    app_pw = settings.secret("postgres_app.password").get_secret_value()
    capture_pw = settings.capture_password("postgres").get_secret_value()
    admin = postgres_admin(settings=settings)
    with admin.cursor() as cur:
        for role, password, extra in ((pg.app_user, app_pw, ""), (pg.capture_user, capture_pw, " REPLICATION")):
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
            verb = "ALTER" if cur.fetchone() else "CREATE"
            cur.execute(f'{verb} ROLE "{role}" LOGIN{extra} PASSWORD %s', (password,))
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (pg.database,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{pg.database}" OWNER "{pg.app_user}"')
    admin.close()

    conn = postgres_admin(pg.database, settings=settings)
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('public.res_partner') IS NOT NULL")
        row = cur.fetchone()
        if not (row and row[0]):
            for statement in odoo_ddl() + odoo_seed():
                cur.execute(statement)
        else:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            for statement in added_tables_ddl({name for (name,) in cur.fetchall()}):
                cur.execute(statement)
        cur.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{pg.app_user}"')
        cur.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{pg.app_user}"')
        captured = [*ODOO_CAPTURED_TABLES, "debezium_signal"]
        for table in captured:
            # FULL: update and delete events then carry every column in `before`.
            cur.execute(f'ALTER TABLE public."{table}" REPLICA IDENTITY FULL')
            cur.execute(f'GRANT SELECT ON public."{table}" TO "{pg.capture_user}"')
        cur.execute(f'GRANT INSERT, UPDATE, DELETE ON public.debezium_signal TO "{pg.capture_user}"')
        _ensure_publication(cur, pg.publication, captured)
    conn.close()


def _ensure_publication(cur: psycopg2.extensions.cursor, name: str, tables: list[str]) -> None:
    table_list = ", ".join(f'public."{t}"' for t in tables)
    cur.execute("SELECT 1 FROM pg_publication WHERE pubname = %s", (name,))
    if cur.fetchone() is None:
        cur.execute(f'CREATE PUBLICATION "{name}" FOR TABLE {table_list}')
    else:
        cur.execute(f'ALTER PUBLICATION "{name}" SET TABLE {table_list}')


def stop() -> None:
    if shutil.which("pg_ctlcluster") is None:
        return
    if _cluster_running():
        _ctl("stop")
