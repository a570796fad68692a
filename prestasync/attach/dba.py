"""`prestasync provision --print-sql | --apply`: everything that needs privileges, as SQL for a DBA.

The capture users and their grants, the signal tables, the PostgreSQL publication and REPLICA IDENTITY
FULL on the captured tables. Server settings (binlog, ``wal_level``) are comments: a DBA changes the
server's configuration and restarts it, prestasync never does. The capture users' passwords come from
their secret files and appear in the SQL only as verifiers (``passwords``). ``--apply`` runs exactly
these statements with an admin credential given for that run and kept nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import psycopg2
import pymysql

from kernel.errors import StackError
from kernel.settings import Settings
from prestasync.attach.capture import AdminCredential, admin_connection
from prestasync.attach.passwords import mysql_native_hash, scram_sha256_verifier
from prestasync.stack import connect, connectors

System = Literal["mariadb", "postgres"]
SYSTEMS: tuple[System, ...] = ("mariadb", "postgres")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,62}$")
_HOST = re.compile(r"^[A-Za-z0-9_.%:-]{1,255}$")


@dataclass(frozen=True)
class Statement:
    sql: str
    why: str  # one comment line above it


def name(value: str, what: str) -> str:
    """A configured identifier that goes into SQL: checked, never escaped into something else."""
    if not _NAME.fullmatch(value):
        raise StackError(f"{what} {value!r} is not a plain SQL name", "use letters, digits and _ only")
    return value


def pg_captured_tables() -> tuple[str, ...]:
    return connectors.captured_tables(connect.CONNECTOR_FILES[1])


def shop_captured_tables(settings: Settings) -> tuple[str, ...]:
    prefix = settings.mariadb.table_prefix
    return tuple(prefix + t for t in connectors.captured_tables(connect.CONNECTOR_FILES[0]))


def mariadb_account(settings: Settings) -> str:
    host = settings.mariadb.client_host
    if not _HOST.fullmatch(host):
        raise StackError(f"mariadb.client_host {host!r} is not a host name, address or pattern")
    return f"'{name(settings.mariadb.capture_user, 'mariadb.capture_user')}'@'{host}'"


def mariadb_header(settings: Settings) -> list[str]:
    m = settings.mariadb
    return [
        f"prestasync: what a DBA applies on the shop's MariaDB {m.host}:{m.port} (database `{m.database}`),",
        "as an administrator (e.g. root over the server's socket).",
        "Server settings: in the server's configuration ([mysqld]), then a restart. prestasync never changes them:",
        "  log_bin = <base name>   binlog_format = ROW   binlog_row_image = FULL   log_bin_compress = OFF",
        f"  server_id = <unique; not {m.server_id}, the connector's own binlog client id (mariadb.server_id)>",
        "  binlog_expire_logs_seconds >= 86400 (prestasync must be back within that time or it snapshots again)",
        "  gtid_strict_mode = ON (recommended: an out-of-order GTID is then an error, not silent divergence)",
    ]


def mariadb_statements(settings: Settings) -> list[Statement]:
    m = settings.mariadb
    db = name(m.database, "mariadb.database")
    signal = name(m.signal_table, "mariadb.signal_table")
    account = mariadb_account(settings)
    verifier = mysql_native_hash(settings.capture_password("mariadb").get_secret_value())
    return [
        Statement(
            f"CREATE USER IF NOT EXISTS {account} IDENTIFIED BY PASSWORD '{verifier}'",
            "the capture user Debezium logs in as (password: its secret file, given here as a verifier);\n"
            "-- an existing account of that name is left as it is (never altered: `check` tells if it fits)",
        ),
        Statement(
            f"GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO {account}",
            "read the binlog; RELOAD: the snapshot's short global read lock",
        ),
        Statement(f"GRANT SELECT ON `{db}`.* TO {account}", "read the shop's tables (the initial snapshot)"),
        Statement(
            f"CREATE TABLE IF NOT EXISTS `{db}`.`{signal}` (\n"
            "  `id` VARCHAR(42) NOT NULL,\n  `type` VARCHAR(32) NOT NULL,\n  `data` VARCHAR(2048) NULL,\n"
            "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
            "Debezium's signal table (incremental snapshots: re-sync, `reconcile --fix`); not a shop table",
        ),
        Statement(
            f"GRANT INSERT, UPDATE, DELETE ON `{db}`.`{signal}` TO {account}",
            "the only rows prestasync writes: signals and the snapshot's watermarks",
        ),
    ]


def postgres_header(settings: Settings) -> list[str]:
    p = settings.postgres
    return [
        f"prestasync: what a DBA applies on the ERP's PostgreSQL {p.host}:{p.port}, connected to database",
        f'"{p.database}" as a superuser, in one transaction:',
        f"  psql -1 -v ON_ERROR_STOP=1 -h {p.host} -p {p.port} -U postgres -d {p.database} -f <this file>",
        "Server settings: in postgresql.conf, then a restart. prestasync never changes them:",
        "  wal_level = logical   max_replication_slots, max_wal_senders: one free each for prestasync",
        f"The connector creates its replication slot '{p.slot}' (pgoutput) at its first start. A slot keeps WAL",
        "until it is read: when prestasync is removed, drop it:",
        f"  SELECT pg_drop_replication_slot('{p.slot}');",
        "REPLICA IDENTITY FULL makes updates carry the whole old row (more WAL); each ALTER TABLE takes a",
        "short exclusive lock on its table.",
    ]


def postgres_statements(settings: Settings) -> list[Statement]:
    p = settings.postgres
    role = name(p.capture_user, "postgres.capture_user")
    db = name(p.database, "postgres.database")
    publication = name(p.publication, "postgres.publication")
    signal = name(p.signal_table, "postgres.signal_table")
    tables = [name(t, "captured table") for t in pg_captured_tables()]
    verifier = scram_sha256_verifier(settings.capture_password("postgres").get_secret_value(), role)
    table_list = ", ".join(f'public."{t}"' for t in [*tables, signal])
    statements = [
        Statement(
            f"DO $$ BEGIN\n  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN\n"
            f"    CREATE ROLE \"{role}\" LOGIN REPLICATION PASSWORD '{verifier}';\n"
            f"  ELSIF EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}' AND rolsuper)\n"
            f"     OR EXISTS (SELECT FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            f"WHERE r.rolname = '{role}') THEN\n"
            f"    RAISE EXCEPTION 'role {role} is a superuser or owns tables: not a capture role "
            f"(set postgres.capture_user to a role of its own)';\n"
            f"  ELSE\n    RAISE NOTICE 'role {role} exists: left as it is';\n  END IF;\nEND $$",
            "the capture role Debezium logs in as: logical replication; password: its secret file, given\n"
            "-- here as a SCRAM verifier. An existing role is left as it is (never altered: `check` tells)",
        ),
        Statement(f'GRANT CONNECT ON DATABASE "{db}" TO "{role}"', "connect to the ERP database"),
        Statement(f'GRANT USAGE ON SCHEMA public TO "{role}"', "see its tables"),
        Statement(
            f'CREATE TABLE IF NOT EXISTS public."{signal}" (\n  id VARCHAR(42) PRIMARY KEY,\n'
            "  type VARCHAR(32) NOT NULL,\n  data VARCHAR(2048) NULL\n)",
            "Debezium's signal table (incremental snapshots: re-sync, `reconcile --fix`); not an ERP table",
        ),
        Statement(
            f'GRANT SELECT ON {", ".join(f"public.{chr(34)}{t}{chr(34)}" for t in tables)} TO "{role}"',
            "read the captured tables (the initial snapshot)",
        ),
        Statement(
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON public."{signal}" TO "{role}"',
            "the only rows prestasync writes: signals and the snapshot's watermarks",
        ),
    ]
    statements += [
        Statement(
            f'ALTER TABLE public."{t}" REPLICA IDENTITY FULL',
            "updates and deletes carry the whole old row" if t == tables[0] else "",
        )
        for t in [*tables, signal]
    ]
    statements.append(
        Statement(
            f"DO $$ BEGIN\n  IF EXISTS (SELECT FROM pg_publication WHERE pubname = '{publication}') THEN\n"
            f'    ALTER PUBLICATION "{publication}" SET TABLE {table_list};\n  ELSE\n'
            f'    CREATE PUBLICATION "{publication}" FOR TABLE {table_list};\n  END IF;\nEND $$',
            "the publication the connector reads (only the captured tables, and the signal table)",
        )
    )
    return statements


def removal_statements(settings: Settings, system: System) -> list[Statement]:
    """Everything ``statements`` made, taken away again: prestasync removed from a merchant's server."""
    if system == "mariadb":
        m = settings.mariadb
        return [
            Statement(f"DROP USER IF EXISTS {mariadb_account(settings)}", "the capture user and its grants"),
            Statement(
                f"DROP TABLE IF EXISTS `{name(m.database, 'mariadb.database')}`."
                f"`{name(m.signal_table, 'mariadb.signal_table')}`",
                "the signal table",
            ),
        ]
    p = settings.postgres
    role, signal = name(p.capture_user, "postgres.capture_user"), name(p.signal_table, "postgres.signal_table")
    tables = [name(t, "captured table") for t in pg_captured_tables()]
    return [
        Statement(
            f"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = "
            f"'{name(p.slot, 'postgres.slot')}'",
            "the slot first: nobody reads it any more, it would keep WAL",
        ),
        Statement(f'DROP PUBLICATION IF EXISTS "{name(p.publication, "postgres.publication")}"', "the publication"),
        Statement(f'DROP TABLE IF EXISTS public."{signal}"', "the signal table"),
        *[
            Statement(
                f'ALTER TABLE public."{t}" REPLICA IDENTITY DEFAULT',
                "back to PostgreSQL's default (what Odoo's tables have unless a DBA set another)"
                if t == tables[0]
                else "",
            )
            for t in tables
        ],
        Statement(
            f"DO $$ BEGIN\n  IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN\n"
            f'    REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{role}";\n'
            f'    REVOKE USAGE ON SCHEMA public FROM "{role}";\n'
            f'    REVOKE CONNECT ON DATABASE "{name(p.database, "postgres.database")}" FROM "{role}";\n'
            f'    DROP ROLE "{role}";\n  END IF;\nEND $$',
            "the capture role, after its grants. DROP ROLE fails (and so the whole transaction) if the\n"
            "-- role owns anything: then it is not prestasync's capture role",
        ),
    ]


def statements(settings: Settings, system: System, remove: bool = False) -> list[Statement]:
    if remove:
        return removal_statements(settings, system)
    return mariadb_statements(settings) if system == "mariadb" else postgres_statements(settings)


def script(settings: Settings, system: System, remove: bool = False) -> str:
    header = mariadb_header(settings) if system == "mariadb" else postgres_header(settings)
    if remove:
        keep = 3 if system == "postgres" else 2
        header = [header[0].replace("applies on", "applies to remove prestasync from"), *header[1:keep]]
    lines = [f"-- {line}" for line in header]
    for st in statements(settings, system, remove):
        if st.why:
            lines += ["", f"-- {st.why}"]
        lines.append(f"{st.sql};")
    return "\n".join(lines) + "\n"


def apply(settings: Settings, system: System, admin: AdminCredential, echo: Any, remove: bool = False) -> int:
    """Run the statements of ``script`` in order as ``admin``; returns how many ran. On PostgreSQL in one
    transaction (all or nothing); MariaDB commits each DDL statement itself, and every one is idempotent."""
    todo = statements(settings, system, remove)
    conn = admin_connection(settings, system, admin)
    try:
        cur = conn.cursor()
        if system == "mariadb":  # an existing account of that name must be ours to grant to or drop
            _only_capture_privileges(cur, settings)
        for st in todo:
            echo(st.sql.splitlines()[0][:110])
            try:
                cur.execute(st.sql)
            except (pymysql.err.MySQLError, psycopg2.Error) as exc:
                undone = "rolled back: nothing applied" if system == "postgres" else "the statements before it stay"
                message = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                raise StackError(f"{system} refused `{st.sql.splitlines()[0][:80]}`: {message} ({undone})") from exc
        cur.close()
        conn.commit()
    finally:
        conn.close()
    return len(todo)


def _only_capture_privileges(cur: Any, settings: Settings) -> None:
    """Before granting to or dropping the account: it must hold nothing but what ``mariadb_statements``
    grants, else it is someone else's (a capture_user setting naming the shop's own user): left alone."""
    from prestasync.attach.check_mariadb import GLOBAL_NEEDED, SIGNAL_NEEDED

    account = mariadb_account(settings)
    allowed = {"USAGE", *(n for names in GLOBAL_NEEDED.values() for n in names), "SELECT", *SIGNAL_NEEDED}
    held: set[str] = set()
    for view in ("USER_PRIVILEGES", "SCHEMA_PRIVILEGES", "TABLE_PRIVILEGES"):
        cur.execute(f"SELECT PRIVILEGE_TYPE AS p FROM information_schema.{view} WHERE GRANTEE = %s", (account,))
        held |= {str(r["p"]).upper() for r in cur.fetchall()}
    if held - allowed:
        raise StackError(
            f"{account} holds {', '.join(sorted(held - allowed))}: not prestasync's capture user, left as it is",
            "set mariadb.capture_user to prestasync's own capture user",
        )
