"""Throwaway MariaDB databases for sandbox integration tests."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from kernel.dbadmin import mariadb_admin
from kernel.settings import get_settings
from sandbox.prestashop.resources import RESOURCES
from sandbox.prestashop.server import PrestaShopTwinServer, build_server, provision_api_key
from schemas.ddl import load_prestashop


@pytest.fixture
def mariadb_database() -> Iterator[str]:
    """Create ``t_<uuid>``; drop it afterwards whatever the test did."""
    name = f"t_{uuid.uuid4().hex}"
    admin = mariadb_admin()
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


@dataclass
class PrestaShopTwin:
    server: PrestaShopTwinServer
    database: str
    key: str

    @property
    def api(self) -> str:
        return self.server.url + "/api"

    def sql(self, query: str, args: tuple[object, ...] = ()) -> list[dict[str, Any]]:
        conn = mariadb_admin(database=self.database)
        try:
            with conn.cursor() as cur:
                cur.execute(query, args)
                return list(cur.fetchall())
        finally:
            conn.close()


@pytest.fixture
def prestashop_twin(mariadb_database: str, tmp_path) -> Iterator[PrestaShopTwin]:
    """A PrestaShop twin on an ephemeral port over a fresh ps_ database with one all-rights key."""
    conn = mariadb_admin(database=mariadb_database)
    key = secrets.token_hex(16).upper()
    try:
        load_prestashop(conn, "ps_")
        provision_api_key(conn, "ps_", key, [*sorted(RESOURCES), "images"])
    finally:
        conn.close()
    server = build_server(
        get_settings(),
        port=0,
        database=mariadb_database,
        prefix="ps_",
        images_dir=tmp_path / "images",
        admin_token="admin-" + key,
    )
    server.faults.configure({"timeout_s": 2})
    server.start()
    try:
        yield PrestaShopTwin(server, mariadb_database, key)
    finally:
        server.stop()
