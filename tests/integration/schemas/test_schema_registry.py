"""Confluent wire format against a tiny in-test HTTP server speaking the registry REST API.

No real registry can be installed here; the server implements the three calls the codec uses
(POST /subjects/{s}, POST /subjects/{s}/versions, GET /schemas/ids/{id}) as the Confluent API
documents them, and records every request.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from fastavro import parse_schema, schemaless_writer

from schemas.catalogue import default_catalogue
from schemas.codec import make_codec
from schemas.errors import CodecError
from schemas.model import to_datum
from schemas.records import Envelope, Product
from schemas.registry import ConfluentCodec, RegistryError, SchemaRegistryClient
from tests.support.schema_registry import Registry, running_registry

pytestmark = pytest.mark.integration


@pytest.fixture
def registry() -> Iterator[tuple[Registry, str]]:
    with running_registry() as running:
        yield running


def product(ean13: str | None = None) -> Product:
    envelope = Envelope(
        "SKU-1", "odoo", "product_template", "1", datetime(2026, 5, 1, 12, tzinfo=UTC), "lsn:9", False, False, ""
    )
    return Product(
        envelope,
        "SKU-1",
        {"en_US": "Shirt", "fr_FR": "Chemise"},
        Decimal("19.9"),
        Decimal("7.5"),
        Decimal("0.25"),
        True,
        False,
        ean13,
    ).sealed()


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
        "POST /subjects/prestasync.canonical.Product",
        "POST /subjects/prestasync.canonical.Product/versions",
    ]


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
        "other", {"type": "record", "name": "Other", "namespace": "x", "fields": []}
    )
    with pytest.raises(CodecError):
        codec.decode(struct.pack(">bI", 0, foreign))
    with pytest.raises(CodecError):
        codec.decode(b"\xc3\x01" + bytes(12))
