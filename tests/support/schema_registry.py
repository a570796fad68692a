"""A schema registry in the test process: a tiny HTTP server speaking the three Confluent REST calls the
codec uses (POST /subjects/{s}, POST /subjects/{s}/versions, GET /schemas/ids/{id}), as the Confluent API
documents them, recording every request. No real registry can be installed here."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote


class Registry:
    def __init__(self) -> None:
        self.schemas: list[str] = []  # id - 1 -> canonical schema text
        self.subjects: dict[str, list[int]] = {}
        self.calls: list[str] = []

    @staticmethod
    def canonical(text: str) -> str:
        return json.dumps(json.loads(text), sort_keys=True)

    def id_of(self, text: str) -> int | None:
        canonical = self.canonical(text)
        return self.schemas.index(canonical) + 1 if canonical in self.schemas else None

    def register(self, subject: str, text: str) -> int:
        schema_id = self.id_of(text)
        if schema_id is None:
            self.schemas.append(self.canonical(text))
            schema_id = len(self.schemas)
        versions = self.subjects.setdefault(subject, [])
        if schema_id not in versions:
            versions.append(schema_id)
        return schema_id


def handler_for(registry: Registry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            registry.calls.append(f"POST {self.path}")
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            parts = self.path.strip("/").split("/")
            if len(parts) == 3 and parts[0] == "subjects" and parts[2] == "versions":
                self.reply(200, {"id": registry.register(unquote(parts[1]), body["schema"])})
            elif len(parts) == 2 and parts[0] == "subjects":
                subject, schema_id = unquote(parts[1]), registry.id_of(body["schema"])
                if schema_id is None or schema_id not in registry.subjects.get(subject, []):
                    self.reply(404, {"error_code": 40403, "message": "Schema not found"})
                else:
                    self.reply(
                        200,
                        {
                            "subject": subject,
                            "id": schema_id,
                            "schema": body["schema"],
                            "version": registry.subjects[subject].index(schema_id) + 1,
                        },
                    )
            else:
                self.reply(404, {"error_code": 404, "message": "not found"})

        def do_GET(self) -> None:
            registry.calls.append(f"GET {self.path}")
            parts = self.path.strip("/").split("/")
            if (
                len(parts) == 3
                and parts[:2] == ["schemas", "ids"]
                and parts[2].isdigit()
                and 0 < int(parts[2]) <= len(registry.schemas)
            ):
                self.reply(200, {"schema": registry.schemas[int(parts[2]) - 1]})
            else:
                self.reply(404, {"error_code": 40403, "message": "Schema not found"})

    return Handler


@contextmanager
def running_registry() -> Iterator[tuple[Registry, str]]:
    state = Registry()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
