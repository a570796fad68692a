"""deploy/systemd: the units run commands the CLI has, with env names the settings read, and give serve
the time to stop its children before systemd kills anything."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from kernel.settings import REPO_ROOT, Settings
from tests.support.wiring import env_names_read, parse_cli

pytestmark = pytest.mark.unit

UNITS = REPO_ROOT / "deploy" / "systemd"


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """Sections -> key -> every value (systemd keys repeat: Environment=)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key, []).append(value)
    return sections


def prestasync_args(exec_line: str, service: dict[str, list[str]]) -> list[str]:
    argv = shlex.split(exec_line)
    workdir = Path(service["WorkingDirectory"][0])
    assert argv[0] == str(workdir / ".venv" / "bin" / "prestasync"), f"{argv[0]}: not the checkout's CLI"
    return argv[1:]


@pytest.mark.parametrize("name", ["prestasync.service", "prestasync-stack.service"])
def test_each_unit_runs_cli_commands_with_env_the_settings_read(name: str) -> None:
    service = unit(name)["Service"]
    for key in ("ExecStart", "ExecStop"):
        for line in service.get(key, []):
            parse_cli(prestasync_args(line, service))
    known = env_names_read()
    for assignment in service["Environment"]:
        assert assignment.split("=", 1)[0] in known, f"{name}: {assignment} is read by nothing"


def test_serve_gets_the_time_to_drain_its_children_and_restarts_on_failure() -> None:
    service = unit("prestasync.service")["Service"]
    assert prestasync_args(service["ExecStart"][0], service) == ["serve"]
    assert service["KillMode"] == ["mixed"]  # SIGTERM to serve only: it stops the children in order
    assert int(service["TimeoutStopSec"][0]) > Settings().serve.stop_timeout_s
    assert service["Restart"] == ["on-failure"]
    assert "prestasync-stack.service" in unit("prestasync.service")["Unit"]["After"][0]


def test_the_stack_unit_is_a_oneshot_that_keeps_the_databases_on_stop() -> None:
    service = unit("prestasync-stack.service")["Service"]
    assert service["Type"] == ["oneshot"] and service["RemainAfterExit"] == ["yes"]
    assert prestasync_args(service["ExecStart"][0], service) == ["stack", "up"]
    assert prestasync_args(service["ExecStop"][0], service) == ["stack", "down", "--keep-databases"]
