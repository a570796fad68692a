"""The embedded Connect worker resolves the connectors' ${env:...} references from its environment: one
started with other values (or the names before the one env grammar) is restarted by `stack up`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kernel.settings import Settings
from prestasync.stack import connect

pytestmark = pytest.mark.unit


class Worker:
    def __init__(self) -> None:
        self.alive, self.starts, self.stops = True, [], 0

    def running(self) -> bool:
        return self.alive

    def stop(self, timeout: float) -> bool:
        self.alive, self.stops = False, self.stops + 1
        return True

    def start(self, argv: list[str], env: dict[str, str]) -> None:
        self.alive = True
        self.starts.append(env)


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> Worker:
    fake = Worker()
    monkeypatch.setattr(connect, "connect_process", lambda settings: fake)
    monkeypatch.setattr(connect, "check_java", lambda: "java")
    monkeypatch.setattr(connect, "classpath", lambda settings: "cp")
    monkeypatch.setattr(connect, "port_open", lambda port: False)
    monkeypatch.setattr(connect, "rest_ready", lambda settings: True)
    import prestasync.stack.kafka as kafka

    monkeypatch.setattr(kafka, "_log4j_config", lambda settings, name: Path("log4j2.xml"))
    return fake


def test_a_worker_of_unknown_environment_is_restarted_once(worker: Any, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    connect.ensure_worker(settings)  # running, but no record of what it was started with (an older stack)
    assert worker.stops == 1 and worker.starts[0]["PRESTASYNC_MARIADB__HOST"] == "127.0.0.1"
    connect.ensure_worker(settings)  # the same environment: left alone
    assert worker.stops == 1 and len(worker.starts) == 1
    moved = Settings(home=tmp_path, mariadb={"port": 3307})
    connect.ensure_worker(moved)
    assert worker.stops == 2 and worker.starts[-1]["PRESTASYNC_MARIADB__PORT"] == "3307"
    assert "127.0.0.1" not in (tmp_path / "connect" / "worker.env.sha256").read_text()  # a digest only
