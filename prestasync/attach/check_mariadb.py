"""`prestasync check`, the shop's MariaDB: reachable, binlog CDC settings, the capture user's grants,
the captured tables and the signal table; then the shop's own settings (``check_shop``). Read-only, as
the capture user."""

from __future__ import annotations

from typing import Any

import pymysql

from kernel.dbcapture import mariadb_capture
from kernel.errors import StackError
from kernel.settings import Settings
from prestasync.attach import dba
from prestasync.attach.capture import AdminCredential, admin_connection
from prestasync.attach.check_shop import check_shop
from prestasync.attach.findings import Finding, Report, dba_fix
from prestasync.stack.mariadb import REQUIRED_VARIABLES

# What Debezium's binlog reader needs globally; MariaDB 10.5+ names REPLICATION CLIENT "BINLOG MONITOR".
GLOBAL_NEEDED = {
    "RELOAD": ("RELOAD",),
    "SHOW DATABASES": ("SHOW DATABASES",),
    "REPLICATION SLAVE": ("REPLICATION SLAVE", "REPLICATION REPLICA"),
    "REPLICATION CLIENT": ("REPLICATION CLIENT", "BINLOG MONITOR"),
}
SIGNAL_NEEDED = ("INSERT", "UPDATE", "DELETE")
WRITES = {
    "INSERT",
    "UPDATE",
    "DELETE",
    "CREATE",
    "DROP",
    "ALTER",
    "INDEX",
    "SUPER",
    "GRANT OPTION",
    "CREATE USER",
    "FILE",
    "SHUTDOWN",
    "DELETE HISTORY",
}
RESTART = "in the server's configuration ([mysqld]) and restart MariaDB: a DBA's change, prestasync never makes it"


def check_mariadb(settings: Settings, admin: AdminCredential | None = None) -> list[Finding]:
    """As the capture user; with ``admin`` (a DBA's, e.g. before the capture user exists) the same checks
    run in the admin's read-only session, about the capture user's account."""
    report = Report("mariadb")
    m = settings.mariadb
    conn = _capture_login(settings, report)
    account = dba.mariadb_account(settings)
    user = m.capture_user
    if admin is not None:
        if conn is not None:
            conn.close()
        try:
            conn = admin_connection(settings, "mariadb", admin, read_only=True)
        except StackError as exc:
            report.problem("admin login", str(exc), "check --admin-user, --admin-socket / --admin-password-file")
            return report.findings
        user = f"{admin.user} (read-only session, checking {account})"
    elif conn is None:
        return report.findings
    with conn, conn.cursor() as cur:
        if admin is None:
            cur.execute("SELECT CURRENT_USER() AS u")
            account = "'{}'@'{}'".format(*str(cur.fetchone()["u"]).rsplit("@", 1))
        cur.execute("SELECT VERSION() AS v")
        version = str(cur.fetchone()["v"])
        report.ok("reachable", f"MariaDB {version} at {m.host}:{m.port}, logged in as {user}")
        if "mariadb" not in version.lower():
            report.warning("server", f"{version} is not MariaDB", "MySQL needs Debezium's MySQL connector")
        _variables(cur, settings, report)
        can_read = _grants(cur, settings, account, report)
        if can_read or admin is not None:
            _tables(cur, settings, report)
            report.findings += check_shop(cur, settings)
    return report.findings


def _capture_login(settings: Settings, report: Report) -> pymysql.Connection[Any] | None:
    m = settings.mariadb
    try:
        return mariadb_capture(settings)
    except StackError as exc:
        report.problem("capture password", str(exc).split("\n")[0], exc.hint)
    except pymysql.err.MySQLError as exc:
        code = exc.args[0] if exc.args else 0
        if code in (2002, 2003, 2013):
            report.problem(
                "reachable",
                f"no MariaDB answers at {m.host}:{m.port}: {exc.args[-1]}",
                "start the server, or set mariadb.host / mariadb.port to the shop's database",
            )
        elif code == 1049:
            report.problem(
                "database",
                f"no database {m.database!r} at {m.host}:{m.port}",
                "set mariadb.database to the shop's database (database_name in app/config/parameters.php)",
            )
        else:  # 1045 access denied, 1044 no access to the database
            where = f"{m.capture_user}@{m.host}:{m.port}/{m.database}"
            report.problem("capture login", f"{where} refused: {exc.args[-1]}", dba_fix("mariadb"))
    return None


def _variables(cur: Any, settings: Settings, report: Report) -> None:
    names = (*REQUIRED_VARIABLES, "server_id", "gtid_strict_mode", "binlog_expire_logs_seconds")
    cur.execute("SHOW GLOBAL VARIABLES WHERE Variable_name IN %s", (names,))
    found = {str(r["Variable_name"]).lower(): str(r["Value"]) for r in cur.fetchall()}
    for key, wanted in REQUIRED_VARIABLES.items():
        value = found.get(key, "(unset)")
        if value.upper() == wanted:
            report.ok(key, f"{key} = {value}")
        else:
            report.problem(
                key, f"{key} = {value}; binlog change-data capture needs {wanted}", f"set {key} = {wanted} {RESTART}"
            )
    server_id = found.get("server_id", "0")
    if server_id == str(settings.mariadb.server_id):
        report.problem(
            "server_id",
            f"the server's server_id {server_id} is the connector's own binlog client id",
            "set mariadb.server_id (prestasync's setting) to another number",
        )
    elif server_id == "0":
        report.problem("server_id", "server_id = 0: the server cannot serve its binlog", f"set server_id {RESTART}")
    else:
        report.ok("server_id", f"server_id = {server_id} (connector's client id {settings.mariadb.server_id})")
    if found.get("gtid_strict_mode", "OFF").upper() != "ON":
        report.warning(
            "gtid_strict_mode",
            "gtid_strict_mode = OFF: an out-of-order GTID would not be an error",
            f"set gtid_strict_mode = ON {RESTART}",
        )
    else:
        report.ok("gtid_strict_mode", "GTIDs on, strict mode on")
    expire = int(found.get("binlog_expire_logs_seconds", "0") or 0)
    if 0 < expire < 86400:
        report.warning(
            "binlog retention",
            f"binlogs are kept {expire}s: a stop longer than that forces a new snapshot",
            f"set binlog_expire_logs_seconds >= 86400 {RESTART}",
        )


def _privileges(cur: Any, view: str, account: str, where: str = "", args: tuple[Any, ...] = ()) -> set[str]:
    cur.execute(
        f"SELECT PRIVILEGE_TYPE AS p FROM information_schema.{view} WHERE GRANTEE = %s{where}", (account, *args)
    )
    return {str(r["p"]).upper() for r in cur.fetchall()}


def _grants(cur: Any, settings: Settings, account: str, report: Report) -> bool:
    """The capture account's privileges (information_schema shows a user its own, an admin everyone's).
    True if it can read the shop's tables."""
    db, signal = settings.mariadb.database, settings.mariadb.signal_table
    on_all = _privileges(cur, "USER_PRIVILEGES", account)
    cur.execute(
        "SELECT REPLACE(TABLE_SCHEMA, '\\\\', '') AS s, PRIVILEGE_TYPE AS p "
        "FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = %s",
        (account,),
    )
    on_db = {str(r["p"]).upper() for r in cur.fetchall() if r["s"] == db}
    on_signal = _privileges(
        cur, "TABLE_PRIVILEGES", account, " AND TABLE_SCHEMA = %s AND TABLE_NAME = %s", (db, signal)
    )
    missing = [need for need, names in GLOBAL_NEEDED.items() if not on_all.intersection(names)]
    can_read = "SELECT" in on_all | on_db
    if not can_read:
        missing.append(f"SELECT ON `{db}`.*")
    missing += [f"{p} ON `{db}`.`{signal}`" for p in SIGNAL_NEEDED if p not in on_all | on_db | on_signal]
    if missing:
        report.problem(
            "capture grants", f"{account} lacks {', '.join(missing)}", dba_fix("mariadb", "the GRANT statements")
        )
    else:
        report.ok(
            "capture grants",
            "RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT; "
            f"SELECT on `{db}`; INSERT, UPDATE, DELETE on `{signal}`",
        )
    extra = sorted((on_all | on_db) & WRITES)
    if extra:
        report.warning(
            "least privilege",
            f"{settings.mariadb.capture_user} may also {', '.join(extra)} "
            f"({'globally' if on_all & WRITES else f'on `{db}`'}): more than capture needs",
            "revoke them: the capture user only reads, and writes its signal table",
        )
    return can_read


def _tables(cur: Any, settings: Settings, report: Report) -> None:
    db, signal = settings.mariadb.database, settings.mariadb.signal_table
    cur.execute("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s", (db,))
    existing = {str(r["t"]) for r in cur.fetchall()}
    wanted = dba.shop_captured_tables(settings)
    missing = [t for t in wanted if t not in existing]
    if missing:
        report.problem(
            "captured tables",
            f"not in `{db}`: {', '.join(missing)}",
            "set mariadb.table_prefix to the shop's (database_prefix in app/config/parameters.php) "
            "and mariadb.database to its database",
        )
    else:
        report.ok("captured tables", f"{len(wanted)} tables `{db}`.{settings.mariadb.table_prefix}* present")
    if signal not in existing:
        report.problem("signal table", f"no table `{db}`.`{signal}`", dba_fix("mariadb", "CREATE TABLE"))
        return
    cur.execute(
        "SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
        (db, signal),
    )
    columns = {str(r["c"]).lower() for r in cur.fetchall()}
    if not {"id", "type", "data"} <= columns:
        report.problem(
            "signal table",
            f"`{signal}` has columns {sorted(columns)}, Debezium needs id, type, data",
            "drop it and apply `prestasync provision --print-sql --only mariadb` again",
        )
    else:
        report.ok("signal table", f"`{db}`.`{signal}` (id, type, data)")
