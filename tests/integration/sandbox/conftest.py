"""Throwaway MariaDB databases for sandbox integration tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from prestasync.stack.dbadmin import mariadb_admin


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
