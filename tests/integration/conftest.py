"""Integration-test session hygiene, and the fixtures every integration package shares.

What the tests start in the background, they stop. The throwaway databases and the in-process API twins
are defined here once (from tests/support), so that no test module imports another one's conftest.

Tests start the API twins (`sandbox up`) and the workers (`prestasync demo`, the day of trade) as
background processes with pid files under the stack's home. Whatever of them was not running when the
session began is stopped when it ends, so `make test` leaves only the stack it brought up.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg2.extensions
import pytest

from kernel.dbadmin import postgres_admin
from kernel.settings import get_settings
from prestasync.workers import WORKERS, worker_process
from sandbox.lifecycle import TWINS, twin_process
from tests.support.databases import throwaway_mariadb, throwaway_postgres
from tests.support.prerequisites import require_capture, stack_down
from tests.support.twins import PrestaShopTwin, RunningTwin, running_prestashop_twin, running_twin


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that wipes the whole stack runs after every other one (they need its data and topics).
    With the stack down, a plain `pytest` skips the integration tests and says why; `make test` (which
    brings the stack up and sets PRESTASYNC_REQUIRE_STACK) lets them fail instead, so a dead broker in CI
    can never pass as skipped."""
    items.sort(key=lambda item: item.get_closest_marker("wipes_stack") is not None)
    down = stack_down()
    if down and not os.environ.get("PRESTASYNC_REQUIRE_STACK"):
        skip = pytest.mark.skip(reason=f"the local stack is down ({down}): `prestasync stack up`, or `make test`")
        for item in items:
            if item.get_closest_marker("integration") is not None:
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def stop_what_the_tests_started() -> Iterator[None]:
    settings = get_settings()
    processes = [twin_process(settings, system) for system in TWINS]
    processes += [worker_process(settings, name) for name in WORKERS]
    already = {proc.name for proc in processes if proc.running()}
    yield
    for proc in processes:
        if proc.name not in already:
            proc.stop(timeout=30)


@pytest.fixture
def capture_running() -> None:
    """For the tests that read Debezium's events: both capture connectors RUNNING, else ``unavailable``."""
    require_capture()


@pytest.fixture
def mariadb_database() -> Iterator[str]:
    """An empty ``t_<uuid>`` MariaDB database, dropped afterwards whatever the test did."""
    with throwaway_mariadb() as name:
        yield name


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """An empty ``t_<uuid>`` PostgreSQL database, dropped afterwards whatever the test did."""
    with throwaway_postgres() as name:
        yield name


@pytest.fixture
def postgres_conn(postgres_database: str) -> Iterator[psycopg2.extensions.connection]:
    """An autocommit superuser connection to the throwaway database."""
    conn = postgres_admin(postgres_database)
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def prestashop_twin(mariadb_database: str, tmp_path: Path) -> Iterator[PrestaShopTwin]:
    """A PrestaShop twin on an ephemeral port over a fresh ps_ database with one all-rights key."""
    with running_prestashop_twin(mariadb_database, tmp_path / "images") as twin:
        yield twin


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
