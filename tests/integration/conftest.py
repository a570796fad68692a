"""Integration-test session hygiene: what the tests start in the background, they stop.

Tests start the API twins (`sandbox up`) and the workers (`prestasync demo`, the day of trade) as
background processes with pid files under the stack's home. Whatever of them was not running when the
session began is stopped when it ends, so `make test` leaves only the stack it brought up.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from prestasync.config import get_settings
from prestasync.demo import WORKERS, worker_process
from sandbox.lifecycle import TWINS, twin_process


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that wipes the whole stack runs after every other one (they need its data and topics)."""
    items.sort(key=lambda item: item.get_closest_marker("wipes_stack") is not None)


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
