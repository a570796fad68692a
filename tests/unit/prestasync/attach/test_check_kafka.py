"""`prestasync check --only kafka`: the cluster as the workers reach it, and the schema registry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kernel.settings import Settings
from prestasync.attach import check_kafka as module

pytestmark = pytest.mark.unit


def test_a_sasl_cluster_without_its_login_is_a_problem_with_its_fix() -> None:
    (finding,) = module.check_kafka(Settings(kafka={"security_protocol": "SASL_SSL"}))
    assert (finding.check, finding.status) == ("reachable", "problem")
    assert "needs kafka.sasl_username and kafka.sasl_password_file" in finding.detail and finding.fix


class Reply:
    def __init__(self, status: int, body: Any) -> None:
        self.status_code, self.body = status, body

    def json(self) -> Any:
        return self.body


def test_the_cluster_and_the_registry_with_its_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class Client:
        def list_topics(self) -> list[str]:
            return ["a", "b"]

    @contextmanager
    def admin(settings: Settings, bootstrap_timeout_s: float) -> Iterator[Client]:
        # The check must not wait the workers' 30 s on a broker that is down.
        assert bootstrap_timeout_s <= 10
        yield Client()

    seen: list[Any] = []

    class Session:
        def get(self, url: str, timeout: float) -> Reply:
            seen.append(url)
            return Reply(401 if len(seen) > 1 else 200, ["prestasync.canonical.Order"])

    monkeypatch.setattr(module, "admin", admin)
    monkeypatch.setattr(module, "registry_session", lambda kafka: Session())
    settings = Settings(kafka={"schema_registry_url": "http://registry:8081/"})
    found = [(f.check, f.status) for f in module.check_kafka(settings)]
    assert found == [("reachable", "ok"), ("schema registry", "ok")] and seen == ["http://registry:8081/subjects"]
    found = [(f.check, f.status) for f in module.check_kafka(settings)]
    assert found == [("reachable", "ok"), ("schema registry", "problem")]  # refused credentials
