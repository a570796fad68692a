"""`deploy_spec` on a connector an attach-mode `stack down` stopped: it must be resumed even when
Connect, restarting it for the config update, reports another state right after the PUT."""

from __future__ import annotations

from typing import Any

import pytest

from kernel.settings import Settings
from prestasync.stack import connect
from prestasync.stack.connect import ConnectorState

pytestmark = pytest.mark.unit


def deploy_with_states(monkeypatch: pytest.MonkeyPatch, before: str, after: str) -> list[str]:
    """Connect reports `before` until the config PUT, `after` from then on."""
    calls: list[str] = []

    class Reply:
        status_code = 200

    def put(url: str, **_: Any) -> Reply:
        calls.append("PUT " + url.rsplit("/", 1)[1])
        return Reply()

    monkeypatch.setattr(connect.requests, "put", put)
    monkeypatch.setattr(connect, "state", lambda _s, name: ConnectorState(name, after if calls else before, ()))
    monkeypatch.setattr(connect, "resume", lambda _s, name: calls.append("resume"))
    monkeypatch.setattr(connect, "restart", lambda _s, name: calls.append("restart"))
    connect.deploy_spec(Settings(), {"name": "c", "config": {}})
    return calls


def test_a_stopped_connector_is_resumed_although_it_reads_running_after_the_update(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert deploy_with_states(monkeypatch, "STOPPED", "RUNNING") == ["resume", "PUT config", "resume"]


def test_a_running_connector_is_only_updated_and_a_failed_one_restarted(monkeypatch: pytest.MonkeyPatch) -> None:
    assert deploy_with_states(monkeypatch, "RUNNING", "RUNNING") == ["PUT config"]
    assert deploy_with_states(monkeypatch, "RUNNING", "FAILED") == ["PUT config", "restart"]
    assert deploy_with_states(monkeypatch, "MISSING", "UNASSIGNED") == ["PUT config"]
