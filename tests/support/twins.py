"""The API twins run inside a test: each on an ephemeral port over a throwaway database, stopped afterwards."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2.extensions

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.settings import get_settings
from sandbox.odoo.auth import provision_api_key as provision_odoo_key
from sandbox.odoo.server import OdooTwinServer
from sandbox.odoo.server import build_server as build_odoo_server
from sandbox.prestashop.resources import RESOURCES
from sandbox.prestashop.server import PrestaShopTwinServer
from sandbox.prestashop.server import build_server as build_prestashop_server
from sandbox.prestashop.server import provision_api_key as provision_webservice_key
from schemas.ddl import load_prestashop
from schemas.ddl.odoo import load_odoo

INTEGRATION_UID = 6
INTEGRATION_LOGIN = "prestasync"


@dataclass
class RunningTwin:
    server: OdooTwinServer
    database: str
    key: str  # API key of the integration user

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def running_twin(database: str, conn: psycopg2.extensions.connection, version: str = "18.0") -> Iterator[RunningTwin]:
    """Load the schema of ``version`` + seed into ``database``, provision a key, serve it; stop afterwards."""
    load_odoo(conn, version)
    key = provision_odoo_key(conn, INTEGRATION_UID, "tests")
    server = build_odoo_server(
        get_settings(), port=0, database=database, version=version, connect=lambda: postgres_admin(database)
    )
    assert isinstance(server, OdooTwinServer)
    server.start()
    try:
        yield RunningTwin(server, database, key)
    finally:
        server.stop()


@dataclass
class PrestaShopTwin:
    server: PrestaShopTwinServer
    database: str
    key: str  # the webservice key, all rights

    @property
    def api(self) -> str:
        return self.server.url + "/api"

    def sql(self, query: str, args: tuple[object, ...] = ()) -> list[dict[str, Any]]:
        with mariadb_admin(database=self.database) as conn, conn.cursor() as cur:
            cur.execute(query, args)
            return list(cur.fetchall())


@contextmanager
def running_prestashop_twin(database: str, images_dir: Path) -> Iterator[PrestaShopTwin]:
    """Load the ``ps_`` schema + seed into ``database``, provision an all-rights key, serve it."""
    key = secrets.token_hex(16).upper()
    with mariadb_admin(database=database) as conn:
        load_prestashop(conn, "ps_")
        provision_webservice_key(conn, "ps_", key, [*sorted(RESOURCES), "images"])
    server = build_prestashop_server(
        get_settings(), port=0, database=database, prefix="ps_", images_dir=images_dir, admin_token="admin-" + key
    )
    server.faults.configure({"timeout_s": 2})
    server.start()
    try:
        yield PrestaShopTwin(server, database, key)
    finally:
        server.stop()
