"""`prestasync check`, the ERP's PostgreSQL: reachable, ``wal_level``, the capture role and its grants,
the captured tables and their REPLICA IDENTITY, the publication and its tables, the replication slot,
the signal table. Read-only, as the capture role (catalog views every role may read)."""

from __future__ import annotations

from typing import Any

import psycopg2

from kernel.dbcapture import postgres_capture
from kernel.errors import StackError
from kernel.settings import Settings
from prestasync.attach import dba
from prestasync.attach.capture import AdminCredential, admin_connection
from prestasync.attach.findings import Finding, Report, dba_fix

RESTART = "in postgresql.conf and restart PostgreSQL: a DBA's change, prestasync never makes it"


def check_postgres(settings: Settings, admin: AdminCredential | None = None) -> list[Finding]:
    """As the capture role; with ``admin`` (a DBA's, e.g. before the capture role exists) the same checks
    run in the admin's read-only session, about the capture role."""
    report = Report("postgres")
    p = settings.postgres
    conn = _capture_login(settings, report)
    user = p.capture_user
    if admin is not None:
        if conn is not None:
            conn.close()
        try:
            conn = admin_connection(settings, "postgres", admin, read_only=True)
        except StackError as exc:
            report.problem("admin login", str(exc), "check --admin-user and --admin-password-file")
            return report.findings
        user = f"{admin.user} (read-only session, checking role {p.capture_user})"
    elif conn is None:
        return report.findings
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW server_version")
            report.ok("reachable", f"PostgreSQL {_one(cur)} at {p.host}:{p.port}, logged in as {user}")
            _server(cur, report)
            role_exists = _role(cur, settings, report)
            existing = _tables(cur, settings, report)
            if role_exists:
                _grants(cur, settings, existing, report)
            _publication(cur, settings, report)
            _slot(cur, settings, report)
    finally:
        conn.close()
    return report.findings


def _capture_login(settings: Settings, report: Report) -> psycopg2.extensions.connection | None:
    p = settings.postgres
    try:
        return postgres_capture(settings)
    except StackError as exc:
        report.problem("capture password", str(exc).split("\n")[0], exc.hint)
    except psycopg2.OperationalError as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        if "does not exist" in text and "database" in text:
            report.problem("database", text, "set postgres.database to the ERP's database (Odoo's db_name)")
        elif "authentication" in text or "role" in text or "permission denied" in text or "no pg_hba" in text:
            report.problem(
                "capture login",
                f"{p.capture_user}@{p.host}:{p.port}/{p.database} refused: {text}",
                dba_fix("postgres") + ("; pg_hba.conf must let it in" if "pg_hba" in text else ""),
            )
        else:
            report.problem(
                "reachable",
                f"no PostgreSQL answers at {p.host}:{p.port}: {text}",
                "start the server, or set postgres.host / postgres.port to the ERP's database",
            )
    return None


def _one(cur: Any) -> Any:
    row = cur.fetchone()
    return row[0] if row else None


def _server(cur: Any, report: Report) -> None:
    cur.execute("SHOW wal_level")
    level = _one(cur)
    if level == "logical":
        report.ok("wal_level", "wal_level = logical")
    else:
        report.problem(
            "wal_level", f"wal_level = {level}; pgoutput needs logical", f"set wal_level = logical {RESTART}"
        )
    cur.execute(
        "SELECT current_setting('max_replication_slots')::int - (SELECT count(*) FROM pg_replication_slots), "
        "current_setting('max_wal_senders')::int"
    )
    row = cur.fetchone()
    if row[0] < 1:
        report.problem(
            "replication slots",
            "every replication slot (max_replication_slots) is taken",
            f"raise max_replication_slots {RESTART}",
        )
    if row[1] < 1:
        report.problem("wal senders", "max_wal_senders = 0", f"set max_wal_senders >= 1 {RESTART}")


def _role(cur: Any, settings: Settings, report: Report) -> bool:
    cur.execute(
        "SELECT rolreplication, rolsuper, rolcanlogin FROM pg_roles WHERE rolname = %s",
        (settings.postgres.capture_user,),
    )
    row = cur.fetchone()
    if row is None:
        report.problem(
            "capture role", f"no role {settings.postgres.capture_user!r}", dba_fix("postgres", "CREATE ROLE")
        )
        return False
    replication, superuser, login = row
    if not login:
        report.problem(
            "capture role",
            f"{settings.postgres.capture_user} may not log in (NOLOGIN)",
            dba_fix("postgres", "ALTER ROLE ... LOGIN"),
        )
    if not replication and not superuser:
        report.problem(
            "capture role",
            f"{settings.postgres.capture_user} has no REPLICATION attribute",
            dba_fix("postgres", "ALTER ROLE ... LOGIN REPLICATION"),
        )
    else:
        report.ok("capture role", f"{settings.postgres.capture_user}: LOGIN REPLICATION")
    if superuser:
        report.warning(
            "least privilege",
            f"{settings.postgres.capture_user} is a superuser: more than capture needs",
            "give the connector a LOGIN REPLICATION role of its own (provision --print-sql)",
        )
    return True


def _tables(cur: Any, settings: Settings, report: Report) -> dict[str, str]:
    """Captured tables that exist -> their replica identity (d default, f full, n nothing, i index)."""
    wanted = [*dba.pg_captured_tables(), settings.postgres.signal_table]
    cur.execute(
        "SELECT c.relname, c.relreplident FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY(%s)",
        (wanted,),
    )
    existing = {str(name): str(ident) for name, ident in cur.fetchall()}
    signal = settings.postgres.signal_table
    missing = [t for t in dba.pg_captured_tables() if t not in existing]
    if missing:
        report.problem(
            "captured tables",
            f"not in public: {', '.join(missing)}",
            "install the Odoo apps these belong to (Sales, Inventory, Invoicing), or point "
            "postgres.database at the ERP's database",
        )
    else:
        report.ok("captured tables", f"{len(dba.pg_captured_tables())} tables present in public")
    if signal not in existing:
        report.problem("signal table", f"no table public.{signal}", dba_fix("postgres", "CREATE TABLE"))
    else:
        report.ok("signal table", f"public.{signal}")
    not_full = sorted(t for t, ident in existing.items() if ident != "f")
    if not_full:
        report.problem(
            "replica identity",
            f"not REPLICA IDENTITY FULL: {', '.join(not_full)} (updates would carry no old row)",
            dba_fix("postgres", "ALTER TABLE ... REPLICA IDENTITY FULL"),
        )
    elif existing:
        report.ok("replica identity", f"REPLICA IDENTITY FULL on all {len(existing)} tables")
    return existing


def _grants(cur: Any, settings: Settings, existing: dict[str, str], report: Report) -> None:
    signal = settings.postgres.signal_table
    lacking: list[str] = []
    role = settings.postgres.capture_user
    cur.execute(
        "SELECT has_database_privilege(%s, current_database(), 'CONNECT'), has_schema_privilege(%s, 'public', 'USAGE')",
        (role, role),
    )
    connect, usage = cur.fetchone()
    if not connect:
        lacking.append("CONNECT on the database")
    if not usage:
        lacking.append("USAGE on schema public")
    writable: list[str] = []
    for table in existing:
        qualified = f'public."{table}"'
        cur.execute(
            "SELECT has_table_privilege(%s, %s, 'SELECT'), has_table_privilege(%s, %s, 'INSERT'), "
            "has_table_privilege(%s, %s, 'UPDATE'), has_table_privilege(%s, %s, 'DELETE')",
            (role, qualified) * 4,
        )
        select, insert, update, delete = cur.fetchone()
        if not select:
            lacking.append(f"SELECT on {table}")
        if table == signal:
            lacking += [
                f"{p} on {table}" for p, ok in (("INSERT", insert), ("UPDATE", update), ("DELETE", delete)) if not ok
            ]
        elif insert or update or delete:
            writable.append(table)
    if lacking:
        report.problem(
            "capture grants",
            f"{settings.postgres.capture_user} lacks {', '.join(lacking)}",
            dba_fix("postgres", "the GRANT statements"),
        )
    else:
        report.ok("capture grants", f"SELECT on the captured tables; INSERT, UPDATE, DELETE on {signal}")
    if writable:
        report.warning(
            "least privilege",
            f"{settings.postgres.capture_user} may write {', '.join(writable)}",
            "revoke it: the capture role only reads, and writes its signal table",
        )


def _publication(cur: Any, settings: Settings, report: Report) -> None:
    name = settings.postgres.publication
    cur.execute("SELECT puballtables, pubinsert, pubupdate, pubdelete FROM pg_publication WHERE pubname = %s", (name,))
    row = cur.fetchone()
    if row is None:
        report.problem("publication", f"no publication {name!r}", dba_fix("postgres", "CREATE PUBLICATION"))
        return
    all_tables, *ops = row
    if not all(ops):
        report.problem(
            "publication",
            f"{name!r} does not publish every insert, update and delete",
            f"ALTER PUBLICATION \"{name}\" SET (publish = 'insert, update, delete')",
        )
    cur.execute("SELECT tablename FROM pg_publication_tables WHERE pubname = %s AND schemaname = 'public'", (name,))
    published = {str(r[0]) for r in cur.fetchall()}
    wanted = {*dba.pg_captured_tables(), settings.postgres.signal_table}
    missing = sorted(wanted - published)
    if missing:
        report.problem("publication", f"{name!r} lacks {', '.join(missing)}", dba_fix("postgres", "ALTER PUBLICATION"))
    elif all_tables:
        report.warning(
            "publication",
            f"{name!r} is FOR ALL TABLES: every table's changes are decoded",
            "filter it to the captured tables: `prestasync provision --print-sql --only postgres`",
        )
    else:
        extra = sorted(published - wanted)
        report.ok(
            "publication",
            f"{name!r}: the {len(wanted)} captured tables" + (f" (and {', '.join(extra)})" if extra else ""),
        )


def _slot(cur: Any, settings: Settings, report: Report) -> None:
    p = settings.postgres
    cur.execute(
        "SELECT plugin, database, active, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), "
        "restart_lsn)) FROM pg_replication_slots WHERE slot_name = %s",
        (p.slot,),
    )
    row = cur.fetchone()
    if row is None:
        report.info("replication slot", f"no slot {p.slot!r} yet: the connector creates it at its first start")
        return
    plugin, database, active, retained = row
    if plugin != "pgoutput" or database != p.database:
        report.problem(
            "replication slot",
            f"slot {p.slot!r} exists for {plugin} on {database!r}, not pgoutput on {p.database!r}",
            "set postgres.slot to a name of its own (another deployment's slot?)",
        )
    else:
        report.ok(
            "replication slot",
            f"{p.slot!r} (pgoutput, {'active' if active else 'inactive'}, retains {retained} of WAL)",
        )
