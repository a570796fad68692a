"""Confluent wire format against a tiny in-test HTTP server speaking the registry REST API.

No real registry can be installed here; the server implements the three calls the codec uses
(POST /subjects/{s}, POST /subjects/{s}/versions, GET /schemas/ids/{id}) as the Confluent API
documents them, and records every request.
"""

from __future__ import annotations

import io
import json
import struct
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

import pytest
from fastavro import parse_schema, schemaless_writer

from schemas.catalogue import default_catalogue
from schemas.codec import make_codec
from schemas.errors import CodecError
from schemas.model import to_datum
from schemas.records import Envelope, Product
from schemas.registry import ConfluentCodec, RegistryError, SchemaRegistryClient

pytestmark = pytest.mark.integration


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
                    self.reply(200, {"subject": subject, "id": schema_id, "schema": body["schema"],
                                     "version": registry.subjects[subject].index(schema_id) + 1})
            else:
                self.reply(404, {"error_code": 404, "message": "not found"})

        def do_GET(self) -> None:
            registry.calls.append(f"GET {self.path}")
            parts = self.path.strip("/").split("/")
            if len(parts) == 3 and parts[:2] == ["schemas", "ids"] and parts[2].isdigit() \
                    and 0 < int(parts[2]) <= len(registry.schemas):
                self.reply(200, {"schema": registry.schemas[int(parts[2]) - 1]})
            else:
                self.reply(404, {"error_code": 40403, "message": "Schema not found"})

    return Handler


@pytest.fixture
def registry() -> Iterator[tuple[Registry, str]]:
    state = Registry()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def product(ean13: str | None = None) -> Product:
    envelope = Envelope("SKU-1", "odoo", "product_template", "1", datetime(2026, 5, 1, 12, tzinfo=UTC),
                        "lsn:9", False, False, "")
    return Product(envelope, "SKU-1", {"en_US": "Shirt", "fr_FR": "Chemise"}, Decimal("19.9"),
                   Decimal("7.5"), Decimal("0.25"), True, False, ean13).sealed()


def test_wire_format_and_round_trip(registry):
    state, url = registry
    codec = make_codec(url)
    assert isinstance(codec, ConfluentCodec)
    record = product("3760000000017")
    data = codec.encode(record)
    magic, schema_id = struct.unpack(">bI", data[:5])
    assert magic == 0 and schema_id == 1
    assert state.subjects == {"prestasync.canonical.Product": [1]}
    assert codec.decode(data) == record
    # a fresh consumer resolves the writer schema through the registry by id
    assert make_codec(url).decode(data) == record
    # the id is cached: one lookup (404) and one registration, then no more calls to encode
    codec.encode(record)
    assert [c for c in state.calls if c.startswith("POST")] == [
        "POST /subjects/prestasync.canonical.Product", "POST /subjects/prestasync.canonical.Product/versions"]


def test_an_already_registered_schema_is_looked_up_not_registered_again(registry):
    state, url = registry
    make_codec(url).encode(product())
    calls_before = len(state.calls)
    make_codec(url).encode(product())
    assert state.calls[calls_before:] == ["POST /subjects/prestasync.canonical.Product"]


def test_a_message_written_with_v1_decodes_with_the_v2_reader(registry):
    _, url = registry
    v1 = default_catalogue().versions("product")[0]
    client = SchemaRegistryClient(url)
    v1_id = client.register("prestasync.canonical.Product", v1.schema)
    datum = to_datum(product())
    del datum["ean13"]
    body = io.BytesIO()
    schemaless_writer(body, parse_schema(v1.schema), datum)
    decoded = make_codec(url).decode(struct.pack(">bI", 0, v1_id) + body.getvalue())
    assert isinstance(decoded, Product) and decoded.ean13 is None
    assert decoded.names == {"en_US": "Shirt", "fr_FR": "Chemise"}


def test_unknown_ids_and_foreign_schemas_are_refused(registry):
    _, url = registry
    codec = make_codec(url)
    with pytest.raises(RegistryError):
        codec.decode(struct.pack(">bI", 0, 42) + b"\x00")
    foreign = SchemaRegistryClient(url).register(
        "other", {"type": "record", "name": "Other", "namespace": "x", "fields": []})
    with pytest.raises(CodecError):
        codec.decode(struct.pack(">bI", 0, foreign))
    with pytest.raises(CodecError):
        codec.decode(b"\xc3\x01" + bytes(12))
