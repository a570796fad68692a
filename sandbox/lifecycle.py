"""`prestasync sandbox up | down | status`: the two API twins as background processes."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from kernel.errors import StackError
from kernel.procs import ManagedProcess, port_open, wait_until
from kernel.settings import Settings

TWINS = ("prestashop", "odoo")


def twin_process(settings: Settings, system: str) -> ManagedProcess:
    return ManagedProcess(f"twin-{system}", settings.home / "run", settings.logs_dir)


def twin_port(settings: Settings, system: str) -> int:
    return settings.sandbox.prestashop_port if system == "prestashop" else settings.sandbox.odoo_port


def up(settings: Settings) -> list[str]:
    started = []
    for system in TWINS:
        proc, port = twin_process(settings, system), twin_port(settings, system)
        if proc.running():
            continue
        if port_open(port, settings.sandbox.host):
            raise StackError(
                f"port {port} is already taken; the {system} twin cannot start",
                f"stop what holds it or set PRESTASYNC_SANDBOX__{system.upper()}_PORT",
            )
        proc.start([sys.executable, "-m", "sandbox.run", system])
        try:
            wait_until(
                lambda p=port, pr=proc: port_open(p, settings.sandbox.host) or not pr.running(),  # type: ignore[misc]
                60,
                f"the {system} twin on port {port}",
            )
        except StackError as exc:
            raise StackError(f"{exc}\n--- {proc.log_file} ---\n{proc.log_tail()}") from exc
        if not proc.running():
            raise StackError(f"the {system} twin exited at start\n--- {proc.log_file} ---\n{proc.log_tail()}")
        started.append(system)
    return started


def down(settings: Settings) -> list[str]:
    return [system for system in TWINS if twin_process(settings, system).stop(timeout=20)]


@dataclass(frozen=True)
class TwinStatus:
    system: str
    running: bool
    url: str
    credentials: dict[str, Any]


def status(settings: Settings) -> list[TwinStatus]:
    from sandbox.credentials import admin_token, prestashop_key

    sb = settings.sandbox
    key_file = settings.secrets_dir / "odoo_api.key"
    odoo_key = key_file.read_text().strip() if key_file.is_file() else None
    creds: dict[str, dict[str, Any]] = {
        "prestashop": {"webservice_key": prestashop_key(settings), "auth": "basic auth user = key, empty password"},
        "odoo": {
            "database": settings.postgres.database,
            "login": sb.odoo_login,
            "api_key": odoo_key,
            "uid": sb.odoo_user_id,
            "version": sb.odoo_version,
        },
    }
    rows = []
    for system in TWINS:
        port = twin_port(settings, system)
        running = twin_process(settings, system).running() and port_open(port, sb.host)
        suffix = "/api/" if system == "prestashop" else ""
        creds[system]["admin_token"] = admin_token(settings)
        rows.append(TwinStatus(system, running, f"http://{sb.host}:{port}{suffix}", creds[system]))
    return rows
