"""MariaDB for the PrestaShop side: install from Debian, configure for CDC, create schema and users."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pymysql

from kernel.dbadmin import LOOPBACK, mariadb_admin
from kernel.errors import StackError
from kernel.procs import run, wait_until
from kernel.settings import Settings

CDC_CONF = Path("/etc/mysql/mariadb.conf.d/60-prestasync-cdc.cnf")

# The binlog settings Debezium's MariaDB connector needs (Debezium docs, "enabling-binlog"); GTIDs are
# always on in MariaDB, strict mode makes an out-of-order GTID an error instead of silent divergence.
REQUIRED_VARIABLES = {
    "log_bin": "ON",
    "binlog_format": "ROW",
    "binlog_row_image": "FULL",
    "log_bin_compress": "OFF",
}


def cdc_conf_text(settings: Settings) -> str:
    return (
        "# Written by `prestasync stack up`: binlog settings for Debezium change-data capture.\n"
        "[mysqld]\n"
        "server_id = 1\n"
        "log_bin = mariadb-bin\n"
        "binlog_format = ROW\n"
        "binlog_row_image = FULL\n"
        "binlog_expire_logs_seconds = 864000\n"
        "gtid_strict_mode = ON\n"
        f"bind-address = {settings.mariadb.host}\n"
        f"port = {settings.mariadb.port}\n"
    )


# What `service mariadb` runs: Debian's mariadb-server package. The server binary alone (mariadb-server-core,
# which other tools install, e.g. the real-PrestaShop script) has no service, so it does not count.
SERVICE_SCRIPT = Path("/etc/init.d/mariadb")


def ensure_installed() -> None:
    if SERVICE_SCRIPT.exists() and shutil.which("mariadb"):
        return
    _apt_install("mariadb-server", "mariadb-client")


def _apt_install(*packages: str) -> None:
    if shutil.which("apt-get") is None:
        raise StackError(
            f"{', '.join(packages)} not installed and apt-get is not available",
            "install them with your system's package manager, or point the config at existing servers",
        )
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-q"], "apt-get update", env=env)
    run(["apt-get", "install", "-y", "-q", *packages], f"apt-get install {' '.join(packages)}", env=env)


def _ping(settings: Settings) -> bool:
    if settings.mariadb.host in LOOPBACK and not Path(settings.mariadb.socket).exists():
        # a local server not started yet (just installed: Debian's policy-rc.d keeps it stopped) has no
        # socket, and the admin connection would fall back to a password file only a running stack has
        return False
    try:
        conn = mariadb_admin(settings=settings)
    except pymysql.err.OperationalError:
        return False
    conn.close()
    return True


def _service(action: str) -> None:
    run(["service", "mariadb", action], f"service mariadb {action}", timeout=120)


def ensure_running(settings: Settings) -> None:
    """Write the CDC config, (re)start the server when needed, and verify the settings took."""
    wanted = cdc_conf_text(settings)
    changed = not CDC_CONF.exists() or CDC_CONF.read_text() != wanted
    if changed:
        CDC_CONF.write_text(wanted)
    if _ping(settings):
        if changed:
            _service("restart")
    else:
        _service("start")
    wait_until(lambda: _ping(settings), 60, "MariaDB to accept connections")
    check_cdc_ready(settings)


def cdc_problems(actual: dict[str, str]) -> dict[str, str]:
    """The server variables that differ from what binlog CDC needs: name -> value found."""
    found = {k.lower(): str(v).upper() for k, v in actual.items()}
    return {k: found.get(k, "(unset)") for k, v in REQUIRED_VARIABLES.items() if found.get(k) != v}


def check_cdc_ready(settings: Settings) -> None:
    with mariadb_admin(settings=settings) as conn, conn.cursor() as cur:
        cur.execute("SHOW GLOBAL VARIABLES WHERE Variable_name IN %s", (tuple(REQUIRED_VARIABLES),))
        actual = {row["Variable_name"]: row["Value"] for row in cur.fetchall()}
    wrong = cdc_problems(actual)
    if wrong:
        found = ", ".join(f"{k}={v}" for k, v in wrong.items())
        wanted = ", ".join(f"{k}={REQUIRED_VARIABLES[k]}" for k in wrong)
        raise StackError(
            f"MariaDB is not configured for change-data capture: {found}",
            f"set {wanted} in the server config ({CDC_CONF}) and restart MariaDB",
        )


def ensure_schema(settings: Settings) -> None:
    """Create the PrestaShop database, tables (own DDL, configurable prefix) and users."""
    from schemas.ddl import load_prestashop

    db, prefix = settings.mariadb.database, settings.mariadb.table_prefix
    with mariadb_admin(settings=settings) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE IF NOT EXISTS `{db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
    # CREATE TABLE IF NOT EXISTS + INSERT IGNORE: rerunning adds tables a newer DDL has, keeps rows.
    with mariadb_admin(db, settings=settings) as shop_conn:
        load_prestashop(shop_conn, prefix)
    with mariadb_admin(settings=settings) as conn, conn.cursor() as cur:
        _ensure_users(cur, settings)


def _ensure_users(cur: Any, settings: Settings) -> None:
    db, host = settings.mariadb.database, settings.mariadb.client_host
    app = settings.mariadb.app_user
    capture = settings.mariadb.capture_user
    app_pw = settings.secret("mariadb_app.password").get_secret_value()
    capture_pw = settings.capture_password("mariadb").get_secret_value()
    for user, password in ((app, app_pw), (capture, capture_pw)):
        cur.execute("CREATE USER IF NOT EXISTS %s@%s IDENTIFIED BY %s", (user, host, password))
        cur.execute("ALTER USER %s@%s IDENTIFIED BY %s", (user, host, password))
    cur.execute(f"GRANT ALL PRIVILEGES ON `{db}`.* TO %s@%s", (app, host))
    # Least privilege for Debezium: the global replication/reload rights its binlog reader needs,
    # SELECT on the shop database only (snapshots), INSERT on the signal table (incremental snapshots).
    cur.execute("GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO %s@%s", (capture, host))
    cur.execute(f"GRANT SELECT, LOCK TABLES ON `{db}`.* TO %s@%s", (capture, host))
    cur.execute(f"GRANT INSERT, UPDATE, DELETE ON `{db}`.`debezium_signal` TO %s@%s", (capture, host))


def _first(row: Any) -> Any:
    if row is None:
        return None
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


def stop() -> None:
    subprocess.run(["service", "mariadb", "stop"], capture_output=True, check=False, timeout=120)
