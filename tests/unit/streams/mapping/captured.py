"""Loading of the captured Debezium events in tests/fixtures/debezium/<system>/ (real records:
the exact Kafka value JsonConverter wrote with schemas.enable=true, topic and key in *.meta.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from schemas.records import Canonical
from streams.mapping.odoo import OdooContext, map_odoo_record
from streams.mapping.prestashop import PrestaShopContext, map_prestashop_record
from tests.support.paths import FIXTURES as FIXTURES_DIR

FIXTURES = FIXTURES_DIR / "debezium"
# The test configuration: the capture tool writes items of the seed's pricelist 1, which this
# configuration maps to shop customer group 3 ("Customer" in a PrestaShop install).
PRICELIST_GROUP = 3
ODOO_CONTEXT = OdooContext(pricelist_groups={1: PRICELIST_GROUP})


@dataclass(frozen=True)
class Captured:
    system: str
    name: str
    value: bytes | None
    topic: str
    key: Any

    @property
    def document(self) -> Any:
        return None if self.value is None else json.loads(self.value)

    @property
    def row(self) -> dict[str, Any]:
        """The raw row image (``after``, else ``before`` for a delete) as Debezium sent it."""
        payload = self.document["payload"]
        row: dict[str, Any] = payload["after"] or payload["before"]
        return row

    def map(self) -> list[Canonical]:
        if self.system == "prestashop":
            return map_prestashop_record(self.value, topic=self.topic, key=self.key, ctx=PrestaShopContext())
        return map_odoo_record(self.value, topic=self.topic, key=self.key, ctx=ODOO_CONTEXT)


def captured_events() -> list[Captured]:
    found = []
    for path in sorted(FIXTURES.glob("*/*.json")):
        if path.name.endswith(".meta.json"):
            continue
        meta = json.loads(path.with_name(path.stem + ".meta.json").read_text())
        raw = path.read_bytes()
        found.append(
            Captured(
                path.parent.name, path.stem, None if raw.strip() == b"null" else raw, meta["topic"], meta.get("key")
            )
        )
    return found


def captured(system: str, name: str) -> Captured:
    for event in captured_events():
        if (event.system, event.name) == (system, name):
            return event
    raise LookupError(f"no captured fixture {system}/{name}")
