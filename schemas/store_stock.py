"""The store-stock figures the streams publish for the live lookup on the product page.

One record per (SKU, ERP store location) on the compacted topic ``schemas.topics.STORE_STOCK``:
Kafka keeps the latest figure of each, so a reader that starts from the beginning holds every
store's current quantity without asking the ERP. JSON, not Avro: the reader is the store-stock
service only, and a figure is four fields. Quantities are decimal strings (never floats).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class StoreFigure:
    sku: str  # a product's reference, or a combination's own reference
    location: str  # ERP stock location id
    available: Decimal
    as_of: datetime  # commit time of the ERP change the figure comes from (UTC)

    def key(self) -> bytes:
        # one record per SKU and location: compaction keeps each store's latest figure
        return json.dumps([self.sku, self.location]).encode()

    def encode(self) -> bytes:
        return json.dumps(
            {
                "sku": self.sku,
                "location": self.location,
                "available": str(self.available),
                "as_of": self.as_of.isoformat(),
            }
        ).encode()


def decode_figure(value: bytes) -> StoreFigure:
    """Raises ``ValueError`` (or ``KeyError``/``TypeError``) on a record that is not a figure."""
    data = json.loads(value)
    as_of = datetime.fromisoformat(data["as_of"])
    if as_of.tzinfo is None:
        raise ValueError(f"store figure time without a zone: {data['as_of']!r}")
    return StoreFigure(str(data["sku"]), str(data["location"]), Decimal(data["available"]), as_of)
