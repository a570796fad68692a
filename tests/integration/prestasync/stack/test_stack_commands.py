"""`stack status` and connector failures on the real stack."""

from __future__ import annotations

import os

import pytest

from kernel.errors import StackError
from kernel.settings import get_settings
from prestasync.stack import connect
from prestasync.stack.lifecycle import status
from tests.support.cli import run_cli

pytestmark = pytest.mark.integration


def test_status_is_all_green_on_the_running_stack() -> None:
    rows = status(get_settings())
    assert {r.name for r in rows} >= {"MariaDB", "PostgreSQL", "Kafka broker", "Kafka Connect"}
    assert all(r.ok for r in rows), [r for r in rows if not r.ok]


def test_status_command_exits_nonzero_when_a_component_is_down() -> None:
    env = {**os.environ, "PRESTASYNC_KAFKA__CONNECT_URL": "http://127.0.0.1:9"}
    done = run_cli("stack", "status", env=env, timeout=60)
    assert done.returncode == 1
    assert "DOWN" in done.stdout and "Kafka Connect" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_failing_connector_shows_connects_error() -> None:
    settings = get_settings()
    spec = connect.load_connector(connect.CONNECTOR_FILES[1])
    name = "prestasync-test-bad-password"
    config = {
        **spec["config"],
        "database.password": "definitely-wrong",  # test-only literal, never deployed
        "slot.name": "prestasync_test_bad",
        "topic.prefix": "badpw",
    }
    try:
        with pytest.raises(StackError) as err:
            connect.deploy_spec(settings, {"name": name, "config": config})
            connect.wait_running(settings, name, timeout=60)
        assert "password authentication failed" in str(err.value)
    finally:
        connect.delete(settings, name)
