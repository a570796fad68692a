"""What a test needs and cannot make itself (the stack's servers, its capture connectors, a free port),
and the one way to say that it is missing."""

from __future__ import annotations

import os

import pytest
import requests

from kernel.procs import port_open
from kernel.settings import get_settings

CAPTURE_CONNECTORS = ("prestashop-mariadb", "odoo-postgres")


def unavailable(reason: str) -> None:
    """A prerequisite missing: a skip under a plain `pytest`, a failure under `make test`
    (PRESTASYNC_REQUIRE_STACK), where a missing Connect or a taken port must not pass as skipped."""
    if os.environ.get("PRESTASYNC_REQUIRE_STACK"):
        pytest.fail(reason)
    pytest.skip(reason)


def stack_down() -> str:
    """The stack's servers that do not answer (``Kafka :9092, MariaDB :3306``), or "" when all do."""
    settings = get_settings()
    ports = {
        "Kafka": int(settings.kafka.bootstrap.rsplit(":", 1)[1]),
        "MariaDB": settings.mariadb.port,
        "PostgreSQL": settings.postgres.port,
    }
    return ", ".join(f"{name} :{port}" for name, port in ports.items() if not port_open(port))


def capture_not_running() -> str | None:
    """Why the live CDC tests cannot run (Connect unreachable, a capture connector not RUNNING), or None."""
    settings = get_settings()
    try:
        for name in CAPTURE_CONNECTORS:
            reply = requests.get(f"{settings.kafka.connect_url}/connectors/{name}/status", timeout=3)
            if reply.status_code != 200 or reply.json()["connector"]["state"] != "RUNNING":
                return f"connector {name} is not running"
    except requests.RequestException as exc:
        return f"Kafka Connect unreachable: {exc}"
    return None


def require_capture() -> None:
    """``unavailable`` unless both capture connectors are RUNNING."""
    reason = capture_not_running()
    if reason:
        unavailable(f"needs the live CDC stack: {reason}")
