"""Avro serialisation of canonical records (fastavro).

Two framings, chosen by configuration (:func:`make_codec`):

* no schema registry: Avro single-object encoding, ``C3 01`` + the writer schema's 8-byte
  little-endian CRC-64-AVRO fingerprint + the Avro binary body. The writer schema is found by
  fingerprint among every version published under ``schemas/avro``.
* a Confluent-compatible registry URL: the Confluent wire format, magic byte ``0`` + the 4-byte
  big-endian schema id + the body (see :mod:`schemas.registry`).

Decoding always resolves the writer schema against the newest published version of the same
entity, so a message written with an old version decodes into today's record class.
"""

from __future__ import annotations

import io
from typing import Any, Protocol

from fastavro import schemaless_reader, schemaless_writer

from schemas.catalogue import CLASS_BY_ENTITY, SchemaCatalogue, default_catalogue
from schemas.errors import CodecError
from schemas.model import from_datum, to_datum
from schemas.records import Canonical

SINGLE_OBJECT_MARKER = b"\xc3\x01"
_HEADER_LEN = len(SINGLE_OBJECT_MARKER) + 8


class Codec(Protocol):
    def encode(self, record: Canonical) -> bytes: ...

    def decode(self, data: bytes) -> Canonical: ...


def write_body(parsed_schema: Any, record: Canonical) -> bytes:
    buffer = io.BytesIO()
    schemaless_writer(buffer, parsed_schema, to_datum(record))
    return buffer.getvalue()


def read_body(body: bytes, writer: Any, reader: Any, entity: str) -> Canonical:
    buffer = io.BytesIO(body)
    try:
        datum = schemaless_reader(buffer, writer, reader)
    except (EOFError, ValueError, IndexError, KeyError, TypeError) as exc:
        raise CodecError(f"cannot decode a {entity} body: {exc}") from exc
    if buffer.tell() != len(body):
        raise CodecError(f"{len(body) - buffer.tell()} trailing bytes after a {entity} body")
    if not isinstance(datum, dict):
        raise CodecError(f"a {entity} body did not decode to a record")
    return from_datum(CLASS_BY_ENTITY[entity], datum)


class SingleObjectCodec:
    """Avro single-object encoding with fingerprints from the local schema catalogue."""

    def __init__(self, catalogue: SchemaCatalogue | None = None) -> None:
        self.catalogue = catalogue or default_catalogue()

    def encode(self, record: Canonical) -> bytes:
        published = self.catalogue.latest(record.ENTITY)
        return SINGLE_OBJECT_MARKER + published.fingerprint + write_body(published.parsed, record)

    def decode(self, data: bytes) -> Canonical:
        if len(data) < _HEADER_LEN or data[:2] != SINGLE_OBJECT_MARKER:
            raise CodecError("not an Avro single-object message (no C3 01 marker)")
        writer = self.catalogue.by_fingerprint(bytes(data[2:_HEADER_LEN]))
        if writer is None:
            raise CodecError(f"unknown writer schema fingerprint {bytes(data[2:_HEADER_LEN]).hex()}")
        reader = self.catalogue.latest(writer.entity)
        return read_body(bytes(data[_HEADER_LEN:]), writer.parsed, reader.parsed, writer.entity)


def make_codec(registry_url: str | None = None, *, catalogue: SchemaCatalogue | None = None) -> Codec:
    """The codec the configuration asks for: Confluent framing with a registry, else single-object."""
    if registry_url:
        from schemas.registry import ConfluentCodec, SchemaRegistryClient

        return ConfluentCodec(SchemaRegistryClient(registry_url), catalogue=catalogue)
    return SingleObjectCodec(catalogue)
