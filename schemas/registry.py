"""Confluent-compatible schema registry client and the Confluent wire format.

REST calls used (Confluent Schema Registry API, also served by Karapace and Apicurio's
``/apis/ccompat/v7``): ``POST /subjects/{subject}`` looks a schema up under a subject (404 when not
registered), ``POST /subjects/{subject}/versions`` registers it and answers ``{"id": N}``, and
``GET /schemas/ids/{id}`` returns ``{"schema": "<json text>"}``.

Subjects follow the RecordNameStrategy (the record's full name), because one command topic
carries several entity types.
"""

from __future__ import annotations

import json
import struct
from typing import Any
from urllib.parse import quote

import requests
from fastavro import parse_schema

from schemas.catalogue import SchemaCatalogue, default_catalogue
from schemas.codec import read_body, write_body
from schemas.errors import CodecError
from schemas.records import Canonical

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
MAGIC = 0
_HEADER = struct.Struct(">bI")


class RegistryError(RuntimeError):
    """The registry refused a call or answered something unexpected."""


class SchemaRegistryClient:
    def __init__(self, url: str, *, session: requests.Session | None = None, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = timeout

    def _post(self, path: str, schema: dict[str, Any]) -> requests.Response:
        body = json.dumps({"schema": json.dumps(schema, separators=(",", ":"))})
        return self.session.post(
            f"{self.url}{path}",
            data=body,
            timeout=self.timeout,
            headers={"Content-Type": CONTENT_TYPE, "Accept": CONTENT_TYPE},
        )

    def lookup(self, subject: str, schema: dict[str, Any]) -> int | None:
        """The id of ``schema`` under ``subject``, or None if it is not registered there."""
        response = self._post(f"/subjects/{quote(subject, safe='')}", schema)
        if response.status_code == 404:
            return None
        return _id_of(response)

    def register(self, subject: str, schema: dict[str, Any]) -> int:
        """Register ``schema`` under ``subject`` (idempotent: an existing schema keeps its id)."""
        return _id_of(self._post(f"/subjects/{quote(subject, safe='')}/versions", schema))

    def schema_by_id(self, schema_id: int) -> dict[str, Any]:
        response = self.session.get(
            f"{self.url}/schemas/ids/{schema_id}", timeout=self.timeout, headers={"Accept": CONTENT_TYPE}
        )
        if response.status_code != 200:
            raise RegistryError(f"GET /schemas/ids/{schema_id}: HTTP {response.status_code} {response.text[:200]}")
        schema = json.loads(response.json()["schema"])
        if not isinstance(schema, dict):
            raise RegistryError(f"schema {schema_id} is not a record schema")
        return schema


def _id_of(response: requests.Response) -> int:
    if response.status_code != 200:
        raise RegistryError(
            f"{response.request.method} {response.url}: HTTP {response.status_code} {response.text[:200]}"
        )
    schema_id = response.json().get("id")
    if not isinstance(schema_id, int):
        raise RegistryError(f"{response.url}: no integer id in the answer")
    return schema_id


class ConfluentCodec:
    """Confluent wire format: magic 0, 4-byte big-endian schema id, Avro binary body."""

    def __init__(self, registry: SchemaRegistryClient, *, catalogue: SchemaCatalogue | None = None) -> None:
        self.registry = registry
        self.catalogue = catalogue or default_catalogue()
        self._id_by_entity: dict[str, int] = {}
        self._writer_by_id: dict[int, tuple[str, Any]] = {}

    def _schema_id(self, entity: str) -> int:
        if entity not in self._id_by_entity:
            published = self.catalogue.latest(entity)
            subject = published.full_name
            schema_id = self.registry.lookup(subject, published.schema)
            if schema_id is None:
                schema_id = self.registry.register(subject, published.schema)
            self._id_by_entity[entity] = schema_id
        return self._id_by_entity[entity]

    def encode(self, record: Canonical) -> bytes:
        published = self.catalogue.latest(record.ENTITY)
        return _HEADER.pack(MAGIC, self._schema_id(record.ENTITY)) + write_body(published.parsed, record)

    def _writer(self, schema_id: int) -> tuple[str, Any]:
        if schema_id not in self._writer_by_id:
            schema = self.registry.schema_by_id(schema_id)
            full_name = f"{schema.get('namespace')}.{schema.get('name')}"
            entity = self.catalogue.entity_of_full_name(full_name)
            if entity is None:
                raise CodecError(f"schema id {schema_id} is {full_name}, not a canonical record")
            self._writer_by_id[schema_id] = (entity, parse_schema(schema))
        return self._writer_by_id[schema_id]

    def decode(self, data: bytes) -> Canonical:
        if len(data) < _HEADER.size or data[0] != MAGIC:
            raise CodecError("not a Confluent wire-format message (magic byte 0 missing)")
        _, schema_id = _HEADER.unpack_from(data)
        entity, writer = self._writer(schema_id)
        reader = self.catalogue.latest(entity).parsed
        return read_body(bytes(data[_HEADER.size :]), writer, reader, entity)
