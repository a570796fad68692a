"""A second MariaDB and a second PostgreSQL of the test's own: own ports, data directories and sockets.

They stand for a merchant's servers: the default ones (3306, 5432) are never touched. The servers are
``prestasync.chaos.servers`` (the chaos run's own servers too), in temporary directories, stopped by
the test by its own pid.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from prestasync.chaos.servers import OwnMariaDb, OwnPostgres
from schemas.ddl import load_prestashop
from schemas.ddl.odoo import odoo_ddl, odoo_seed

__all__ = ["MARIADB_PORT", "POSTGRES_PORT", "MerchantMariaDb", "MerchantPostgres"]

MARIADB_PORT = 3317
POSTGRES_PORT = 5442


class MerchantMariaDb(OwnMariaDb):
    """The shop's server: root over its socket (unix_socket auth) is the DBA's credential."""

    def __init__(self) -> None:
        super().__init__(Path(tempfile.mkdtemp(prefix="prestasync-attach-mariadb-")), MARIADB_PORT, server_id=7)

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


class MerchantPostgres(OwnPostgres):
    """The ERP's server: superuser ``postgres`` with a password (the DBA's credential), role ``odoo``."""

    def __init__(self) -> None:
        directory = Path(tempfile.mkdtemp(prefix="prestasync-attach-pg-"))
        self.superuser_password_file = directory.parent / f"{directory.name}.superuser.password"
        self.superuser_password_file.write_text("dba-" + os.urandom(12).hex())
        super().__init__(directory, POSTGRES_PORT, self.superuser_password_file)

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
        super().remove()
        self.superuser_password_file.unlink(missing_ok=True)
