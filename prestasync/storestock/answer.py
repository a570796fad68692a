"""The pure part of the lookup: the latest figure per SKU and store, the answer to one request, its
weak ETag, ``If-None-Match``, and the CORS headers for the configured shop origins.

The figures come from the compacted topic ``schemas.topics.STORE_STOCK`` (``schemas.store_stock``);
nothing here calls the ERP. The ETag covers the figures only, not the age: the age grows every
second while the figure is the same, so the ETag is weak (``W/``) and an answer revalidated with
``If-None-Match`` is a 304 until a figure changes; the page computes the age from ``as_of``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from schemas.store_stock import StoreFigure

PREFLIGHT_MAX_AGE_S = 600


@dataclass
class StoreIndex:
    """SKU -> ERP location -> latest figure; the newer ``as_of`` wins (a replayed older figure is kept out)."""

    figures: dict[str, dict[str, StoreFigure]] = field(default_factory=dict)

    def apply(self, figure: StoreFigure) -> None:
        per_location = self.figures.setdefault(figure.sku, {})
        known = per_location.get(figure.location)
        if known is None or figure.as_of >= known.as_of:
            per_location[figure.location] = figure


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, object]
    etag: str | None = None


def _quantity(available: Decimal) -> str:
    # Odoo's numeric(…, 6) as the page shows it: 4, 2.5 (a decimal string, never a float)
    return format(available.normalize(), "f")


def _age_s(as_of: datetime, now: datetime) -> float:
    return round(max(0.0, (now - as_of).total_seconds()), 1)


def lookup(
    index: StoreIndex,
    stores: Mapping[str, int],
    reference: str,
    combination: str | None,
    store: str | None,
    now: datetime,
) -> Reply:
    """Quantity per store of a product (``reference``) or of one of its combinations (addressed by the
    combination's own reference, which is its SKU); ``store`` narrows the answer to one store code."""
    if store is not None and store not in stores:
        return Reply(404, {"error": f"unknown store {store!r}", "stores": sorted(stores)})
    sku = combination or reference
    known = index.figures.get(sku)
    if known is None:
        return Reply(404, {"error": f"no store stock known for {sku!r}", "reference": reference})
    codes = [store] if store is not None else sorted(stores)
    rows = []
    for code in codes:
        figure = known.get(str(stores[code]))
        rows.append(
            {"store": code, "quantity": None, "as_of": None, "age_s": None}
            if figure is None
            else {
                "store": code,
                "quantity": _quantity(figure.available),
                "as_of": figure.as_of.isoformat(),
                "age_s": _age_s(figure.as_of, now),
            }
        )
    body: dict[str, object] = {"reference": reference, "combination": combination, "stores": rows}
    return Reply(200, body, etag_of(row for row in rows))


def etag_of(rows: Iterable[Mapping[str, object]]) -> str:
    stable = [(r["store"], r["quantity"], r["as_of"]) for r in rows]
    return 'W/"' + hashlib.sha256(json.dumps(stable).encode()).hexdigest()[:20] + '"'


def not_modified(if_none_match: str | None, etag: str | None) -> bool:
    """RFC 9110 13.1.2: weak comparison against each listed tag, or ``*``."""
    if not if_none_match or etag is None:
        return False
    if if_none_match.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in if_none_match.split(","))


def cors_headers(origin: str | None, allowed: Iterable[str], preflight: bool = False) -> dict[str, str]:
    """CORS headers for a request from ``origin``: only a configured shop origin is allowed (echoed,
    never ``*``); every answer varies by Origin so a cache never hands one shop's CORS to another."""
    headers = {"Vary": "Origin"}
    if origin is None or origin not in set(allowed):
        return headers
    headers.update({"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "ETag"})
    if preflight:
        headers.update(
            {
                "Access-Control-Allow-Methods": "GET",
                "Access-Control-Allow-Headers": "If-None-Match",
                "Access-Control-Max-Age": str(PREFLIGHT_MAX_AGE_S),
            }
        )
    return headers
