"""A second MariaDB and a second PostgreSQL of the test's own: own ports, data directories and sockets.

They stand for a merchant's servers: the default ones (3306, 5432) are never touched. Each is built
from the Debian binaries with ``--no-defaults`` / ``initdb``, so no system configuration is read, and
stopped by the test by its own pid.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg2
import pymysql
import pymysql.cursors

from schemas.ddl import load_prestashop
from schemas.ddl.odoo import odoo_ddl, odoo_seed
from tests.support.polling import wait_until

MARIADB_PORT = 3317
POSTGRES_PORT = 5442
BINLOG_ARGS = (
    "--log-bin=mariadb-bin",
    "--binlog-format=ROW",
    "--binlog-row-image=FULL",
    "--server-id=7",
    "--gtid-strict-mode=ON",
)


class MerchantMariaDb:
    """The shop's server: root over its socket (unix_socket auth) is the DBA's credential."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="prestasync-attach-mariadb-"))
        self.datadir = self.dir / "data"
        self.socket = str(self.dir / "mysqld.sock")
        self.proc: subprocess.Popen[bytes] | None = None

    def install(self) -> None:
        subprocess.run(
            [
                "mariadb-install-db",
                "--no-defaults",
                f"--datadir={self.datadir}",
                "--user=root",
                "--skip-test-db",
                "--auth-root-authentication-method=socket",
            ],
            check=True,
            capture_output=True,
        )

    def start(self, binlog: bool) -> None:
        argv = [
            shutil.which("mariadbd") or "/usr/sbin/mariadbd",
            "--no-defaults",
            "--user=root",
            f"--datadir={self.datadir}",
            f"--socket={self.socket}",
            f"--port={MARIADB_PORT}",
            "--bind-address=127.0.0.1",
            f"--pid-file={self.dir / 'mysqld.pid'}",
            f"--log-error={self.dir / 'error.log'}",
            *(BINLOG_ARGS if binlog else ()),
        ]
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: self.root().close() is None, "the test's MariaDB", 60, ignoring=(Exception,))

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=60)
        self.proc = None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def root(self, database: str | None = None) -> pymysql.Connection[Any]:
        return pymysql.connect(
            unix_socket=self.socket,
            user="root",
            database=database,
            autocommit=True,
            cursorclass=pymysql.cursors.DictCursor,
            charset="utf8mb4",
        )

    def build_shop(self, app_password: str) -> None:
        """What a merchant has: a PrestaShop database, its application user, a few orders; no prestasync."""
        with self.root() as conn, conn.cursor() as cur:
            cur.execute("CREATE DATABASE prestashop CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
            cur.execute("CREATE USER 'prestashop'@'127.0.0.1' IDENTIFIED BY %s", (app_password,))
            cur.execute("GRANT ALL ON prestashop.* TO 'prestashop'@'127.0.0.1'")
        with self.root("prestashop") as conn:
            load_prestashop(conn, "ps_")
            with conn.cursor() as cur:
                cur.execute("DROP TABLE debezium_signal")  # the project's DDL has it; a merchant's shop does not
                cur.execute(
                    "INSERT INTO ps_configuration (id_shop_group, id_shop, name, value, date_add, date_upd) "
                    "VALUES (NULL, NULL, 'PS_TIMEZONE', 'Europe/Paris', NOW(), NOW())"
                )
                cur.execute(
                    "INSERT INTO ps_customer (id_shop_group, id_shop, id_gender, id_default_group, id_lang, "
                    "firstname, lastname, email, passwd, secure_key, active, date_add, date_upd) VALUES "
                    "(1, 1, 1, 3, 1, 'Ada', 'Lovelace', 'ada@example.com', 'x', 'k', 1, NOW(), NOW())"
                )

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class MerchantPostgres:
    """The ERP's server: superuser ``postgres`` with a password (the DBA's credential), role ``odoo``."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="prestasync-attach-pg-"))
        self.datadir = self.dir / "data"
        self.superuser_password_file = self.dir / "superuser.password"

    def _as_postgres(self, *argv: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *argv], check=True, capture_output=True)

    def install(self) -> None:
        shutil.chown(self.dir, "postgres", "postgres")
        self.superuser_password_file.write_text("dba-" + os.urandom(12).hex())
        shutil.chown(self.superuser_password_file, "postgres")
        self._as_postgres(
            "initdb",
            "-D",
            str(self.datadir),
            "-U",
            "postgres",
            "--auth-local=peer",
            "--auth-host=scram-sha-256",
            f"--pwfile={self.superuser_password_file}",
        )

    def start(self) -> None:
        options = f"-p {POSTGRES_PORT} -k {self.dir} -c listen_addresses=127.0.0.1 -c wal_level=logical"
        self._as_postgres(
            "pg_ctl", "-D", str(self.datadir), "-o", options, "-l", str(self.dir / "server.log"), "-w", "start"
        )

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._as_postgres("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        try:
            self.superuser().close()
        except psycopg2.OperationalError:
            return False
        return True

    def superuser(self, database: str = "postgres") -> psycopg2.extensions.connection:
        conn = psycopg2.connect(
            host="127.0.0.1",
            port=POSTGRES_PORT,
            user="postgres",
            dbname=database,
            password=self.superuser_password_file.read_text().strip(),
        )
        conn.autocommit = True
        return conn

    def build_erp(self, app_password: str) -> None:
        """What a merchant has: an Odoo database owned by role ``odoo``, its tables, no prestasync."""
        conn = self.superuser()
        with conn.cursor() as cur:
            cur.execute("CREATE ROLE odoo LOGIN CREATEDB PASSWORD %s", (app_password,))
            cur.execute("CREATE DATABASE odoo OWNER odoo")
        conn.close()
        conn = self.superuser("odoo")
        with conn.cursor() as cur:
            cur.execute("SET ROLE odoo")  # Odoo's tables belong to Odoo's role
            for statement in odoo_ddl() + odoo_seed():
                cur.execute(statement)
            cur.execute("DROP TABLE debezium_signal")  # the project's DDL has it; a merchant's ERP does not
        conn.close()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
