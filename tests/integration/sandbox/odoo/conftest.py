"""Throwaway PostgreSQL databases holding the sandbox Odoo schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg2.extensions
import pytest

from kernel.dbadmin import postgres_admin
from tests.integration.sandbox.odoo.twin import RunningTwin, running_twin


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """Create an empty ``t_<uuid>`` database; drop it afterwards whatever the test did."""
    name = f"t_{uuid.uuid4().hex}"
    admin = postgres_admin()
    try:
        with admin.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        yield name
    finally:
        with admin.cursor() as cur:
            # FORCE: a server thread of a failed test may still hold a connection.
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def postgres_conn(postgres_database: str) -> Iterator[psycopg2.extensions.connection]:
    """An autocommit superuser connection to the throwaway database."""
    conn = postgres_admin(postgres_database)
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def twin(postgres_database: str, postgres_conn: psycopg2.extensions.connection) -> Iterator[RunningTwin]:
    """An Odoo 18.0 twin on an ephemeral port over a seeded throwaway database."""
    with running_twin(postgres_database, postgres_conn) as running:
        yield running


@pytest.fixture
def twin19(postgres_database: str, postgres_conn: psycopg2.extensions.connection) -> Iterator[RunningTwin]:
    """The same twin speaking Odoo 19.0 (JSON-2, /web/version)."""
    with running_twin(postgres_database, postgres_conn, version="19.0") as running:
        yield running
