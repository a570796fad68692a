"""A connector an attach-mode `stack down` stopped is resumed by the next deploy (`stack up`, `serve`).

The fake Connect answers as Connect 4.1.1 did in the real run of `prestasync serve` (docs/REAL_SYSTEMS.md):
a resume sent right after a config update of a STOPPED connector is lost (it stays STOPPED); a resume
before the update takes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kernel.settings import Settings
from prestasync.stack import connect

pytestmark = pytest.mark.unit


class FakeConnect:
    def __init__(self) -> None:
        self.state, self.calls, self.updated_while_stopped = "STOPPED", [], False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, status: int, body: object = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                tasks = [{"id": 0, "state": "RUNNING"}] if fake.state == "RUNNING" else []
                self._reply(200, {"name": "c", "connector": {"state": fake.state}, "tasks": tasks})

            def do_PUT(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake.calls.append(self.path.rsplit("/", 1)[1])
                if self.path.endswith("/config"):
                    fake.updated_while_stopped = fake.state == "STOPPED"
                elif self.path.endswith("/resume") and not fake.updated_while_stopped:
                    fake.state = "RUNNING"
                self._reply(200 if self.path.endswith("/config") else 202, {})

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def fake() -> Iterator[FakeConnect]:
    server = FakeConnect()
    yield server
    server.httpd.shutdown()


def test_a_stopped_connector_is_resumed_before_its_config_is_written(fake: FakeConnect, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, kafka={"connect_url": fake.url})
    connect.deploy_spec(settings, {"name": "c", "config": {"connector.class": "x"}})
    assert fake.calls[:2] == ["resume", "config"]
    assert connect.wait_running(settings, "c", timeout=5).healthy
