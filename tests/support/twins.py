"""Helpers to run an Odoo twin on an ephemeral port against a throwaway database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg2.extensions

from kernel.dbadmin import postgres_admin
from kernel.settings import get_settings
from sandbox.odoo.auth import provision_api_key
from sandbox.odoo.server import OdooTwinServer, build_server
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
    key = provision_api_key(conn, INTEGRATION_UID, "tests")
    server = build_server(
        get_settings(), port=0, database=database, version=version, connect=lambda: postgres_admin(database)
    )
    assert isinstance(server, OdooTwinServer)
    server.start()
    try:
        yield RunningTwin(server, database, key)
    finally:
        server.stop()
