"""Every published schema version, by entity and by fingerprint.

Published versions live in ``schemas/avro/<entity>/v<N>.avsc`` and are never edited or deleted
once released: a consumer must always find the writer schema of any message still in Kafka.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fastavro import parse_schema
from fastavro.schema import fingerprint, to_parsing_canonical_form

from schemas.acks import SinkAck
from schemas.observations import OBSERVATION_CLASSES
from schemas.order import ORDER_CLASSES
from schemas.records import (
    Address,
    Canonical,
    Customer,
    CustomerGroup,
    Invoice,
    PaymentCapture,
    PriceRule,
    Product,
    Shipment,
    StockLevel,
    Variant,
)

AVRO_DIR = Path(__file__).resolve().parent / "avro"
_VERSION_FILE = re.compile(r"^v(\d+)\.avsc$")

ENTITY_CLASSES: tuple[type[Canonical], ...] = (
    Customer,
    Address,
    CustomerGroup,
    Product,
    Variant,
    StockLevel,
    PriceRule,
    Shipment,
    Invoice,
    PaymentCapture,
    *ORDER_CLASSES,
    *OBSERVATION_CLASSES,
    SinkAck,
)
CLASS_BY_ENTITY: dict[str, type[Canonical]] = {cls.ENTITY: cls for cls in ENTITY_CLASSES}


def crc64_fingerprint(schema: dict[str, Any]) -> bytes:
    """The 8-byte little-endian CRC-64-AVRO fingerprint of the schema's parsing canonical form."""
    canonical = to_parsing_canonical_form(parse_schema(schema, _write_hint=False))
    return bytes.fromhex(fingerprint(canonical, "CRC-64-AVRO"))


@dataclass(frozen=True)
class PublishedSchema:
    entity: str
    version: int
    schema: dict[str, Any]
    path: Path

    @property
    def full_name(self) -> str:
        return f"{self.schema['namespace']}.{self.schema['name']}"

    @property
    def fingerprint(self) -> bytes:
        return crc64_fingerprint(self.schema)

    @property
    def parsed(self) -> Any:
        return _parsed(self.path)


@cache
def _parsed(path: Path) -> Any:
    return parse_schema(json.loads(path.read_text(encoding="utf-8")))


def published_versions(entity: str, root: Path = AVRO_DIR) -> list[PublishedSchema]:
    """The published versions of one entity, oldest first (empty if none yet)."""
    folder = root / entity
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _VERSION_FILE.match(path.name)
        if match:
            schema = json.loads(path.read_text(encoding="utf-8"))
            found.append(PublishedSchema(entity, int(match.group(1)), schema, path))
    found.sort(key=lambda p: p.version)
    versions = [p.version for p in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"{folder}: versions must be v1..vN without gaps, found {versions}")
    return found


class SchemaCatalogue:
    """Lookup of published schemas: newest per entity, any version by fingerprint."""

    def __init__(self, root: Path = AVRO_DIR) -> None:
        self.root = root
        self._versions: dict[str, list[PublishedSchema]] = {}
        self._by_fingerprint: dict[bytes, PublishedSchema] = {}
        for entity in CLASS_BY_ENTITY:
            versions = published_versions(entity, root)
            if not versions:
                continue
            self._versions[entity] = versions
            for published in versions:
                fp = published.fingerprint
                other = self._by_fingerprint.get(fp)
                if other is not None:
                    raise ValueError(
                        f"{published.path} has the same fingerprint as {other.path}: "
                        "a new version must change the parsing canonical form"
                    )
                self._by_fingerprint[fp] = published

    def latest(self, entity: str) -> PublishedSchema:
        try:
            return self._versions[entity][-1]
        except KeyError:
            raise KeyError(f"no published schema for entity {entity!r}") from None

    def versions(self, entity: str) -> list[PublishedSchema]:
        return list(self._versions.get(entity, []))

    def by_fingerprint(self, fp: bytes) -> PublishedSchema | None:
        return self._by_fingerprint.get(fp)

    def entity_of_full_name(self, full_name: str) -> str | None:
        for entity, versions in self._versions.items():
            if versions[-1].full_name == full_name:
                return entity
        return None


@cache
def default_catalogue() -> SchemaCatalogue:
    return SchemaCatalogue()
