"""The shared twin HTTP base over real sockets: admin API, every fault kind, call recording."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from typing import ClassVar

import pytest
import requests

from sandbox.common.server import TwinRequestHandler, TwinResponse, TwinServer

pytestmark = pytest.mark.integration

TOKEN = secrets.token_urlsafe(16)


class EchoHandler(TwinRequestHandler):
    """Answers with what it received; counts how many requests reached handle_api."""

    served: ClassVar[list[str]] = []

    def handle_api(self, method, path, query, headers, body):
        EchoHandler.served.append(f"{method} {path}")
        payload = f"{method} {path} {sorted(query.items())} {body.decode()}".encode()
        return TwinResponse(200, {"Content-Type": "text/plain"}, payload, resource="echo", ids=[42])


@pytest.fixture
def twin() -> Iterator[TwinServer]:
    EchoHandler.served = []
    server = TwinServer(("127.0.0.1", 0), EchoHandler, admin_token=TOKEN)
    server.faults.configure({"timeout_s": 1.5})
    server.start()
    try:
        yield server
    finally:
        server.stop()


def admin(twin: TwinServer, method: str, route: str, **kwargs) -> requests.Response:
    return requests.request(
        method, f"{twin.url}/__admin/{route}", headers={"X-Admin-Token": TOKEN}, timeout=5, **kwargs
    )


def test_admin_requires_the_token(twin: TwinServer) -> None:
    assert requests.get(f"{twin.url}/__admin/faults", timeout=5).status_code == 401
    wrong = requests.get(f"{twin.url}/__admin/calls", headers={"X-Admin-Token": "nope"}, timeout=5)
    assert wrong.status_code == 401
    assert admin(twin, "GET", "faults").json()["queue"] == []
    assert requests.get(f"{twin.url}/__admin/health", timeout=5).json() == {"status": "ok"}


def test_admin_configures_and_clears_faults(twin: TwinServer) -> None:
    bad = admin(twin, "POST", "faults", json={"queue": [{"kind": "teapot"}]})
    assert bad.status_code == 400 and "kind" in bad.json()["error"]
    ok = admin(twin, "POST", "faults", json={"latency_ms": 5, "queue": [{"kind": "500", "count": 2}]})
    assert ok.json()["queue"] == [{"kind": "500", "count": 2, "retry_after": 1}]
    assert admin(twin, "DELETE", "faults").json()["queue"] == []
    assert requests.get(f"{twin.url}/api/x", timeout=5).status_code == 200


def test_500_and_429_answer_without_running_the_request(twin: TwinServer) -> None:
    admin(twin, "POST", "faults", json={"queue": [{"kind": "500"}, {"kind": "429", "retry_after": 9}]})
    first = requests.post(f"{twin.url}/api/things", data=b"a", timeout=5)
    second = requests.post(f"{twin.url}/api/things", data=b"b", timeout=5)
    third = requests.post(f"{twin.url}/api/things", data=b"c", timeout=5)
    assert first.status_code == 500
    assert second.status_code == 429 and second.headers["Retry-After"] == "9"
    assert third.status_code == 200 and third.text.endswith(" c")
    assert EchoHandler.served == ["POST /api/things"]


def test_timeout_holds_the_connection_past_the_client_timeout(twin: TwinServer) -> None:
    admin(twin, "POST", "faults", json={"queue": [{"kind": "timeout"}]})
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{twin.url}/api/slow", timeout=0.5)
    assert time.monotonic() - started >= 0.5
    assert EchoHandler.served == []
    time.sleep(1.2)  # the twin closes the connection after timeout_s and records the call
    calls = admin(twin, "GET", "calls").json()["calls"]
    assert [(c["fault"], c["status"]) for c in calls] == [("timeout", 0)]


def test_drop_closes_without_answering(twin: TwinServer) -> None:
    admin(twin, "POST", "faults", json={"queue": [{"kind": "drop"}]})
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{twin.url}/api/gone", timeout=5)
    assert requests.get(f"{twin.url}/api/back", timeout=5).status_code == 200


def test_malformed_runs_the_request_and_garbles_the_answer(twin: TwinServer) -> None:
    admin(twin, "POST", "faults", json={"queue": [{"kind": "malformed"}]})
    answer = requests.put(f"{twin.url}/api/things/1", data=b"payload", timeout=5)
    assert answer.status_code == 200
    assert answer.content.endswith(b"garbled") and b"payload" not in answer.content
    assert EchoHandler.served == ["PUT /api/things/1"]


def test_latency_delays_answers(twin: TwinServer) -> None:
    admin(twin, "POST", "faults", json={"latency_ms": 300})
    started = time.monotonic()
    assert requests.get(f"{twin.url}/api/x", timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_calls_are_recorded_with_since_filter_and_cleared(twin: TwinServer) -> None:
    requests.get(f"{twin.url}/api/a?filter%5Bid%5D=%5B1%5D", timeout=5)
    middle = time.time()
    time.sleep(0.01)
    requests.delete(f"{twin.url}/api/b/42", timeout=5)
    calls = admin(twin, "GET", "calls").json()["calls"]
    assert [(c["method"], c["path"], c["status"], c["resource"], c["ids"]) for c in calls] == [
        ("GET", "/api/a?filter%5Bid%5D=%5B1%5D", 200, "echo", [42]),
        ("DELETE", "/api/b/42", 200, "echo", [42]),
    ]
    assert all(c["duration_ms"] >= 0 and c["ts"] > 1.7e9 for c in calls)
    recent = admin(twin, "GET", "calls", params={"since": middle}).json()["calls"]
    assert [c["method"] for c in recent] == ["DELETE"]
    assert admin(twin, "GET", "calls", params={"since": "yesterday"}).status_code == 400
    admin(twin, "DELETE", "calls")
    assert admin(twin, "GET", "calls").json()["calls"] == []


def test_query_is_decoded_for_the_handler(twin: TwinServer) -> None:
    answer = requests.get(f"{twin.url}/api/a", params={"filter[id]": "[1|2]", "display": "full"}, timeout=5)
    assert "('filter[id]', ['[1|2]'])" in answer.text and "('display', ['full'])" in answer.text
