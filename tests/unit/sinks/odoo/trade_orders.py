"""The real PrestaShop 8.1.2 trade's orders (tests/fixtures/real/prestashop-8.1.2/trade/steps.json, mapped
and assembled by the streams' own code) and the real Odoo 18's answers the order-term tests read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from schemas.order import Order
from tests.real.scenario_trade import STEPS
from tests.real.shop_rows import assembled
from tests.real.trade_sync import CTX


@dataclass(frozen=True)
class Options:
    """The Odoo sink settings these read, at their defaults (sinks/odoo/config.py)."""

    shipping_product_code: str | None = "SHIP-WEB"
    discount_product_code: str | None = "DISC-WEB"
    rounding_product_code: str | None = "ROUND-WEB"
    shipping_product_codes: dict[int, str] = field(default_factory=dict)
    carrier_ids: dict[int, int] = field(default_factory=dict)
    payment_journal_ids: dict[str, int] = field(default_factory=dict)
    currency_codes: dict[int, str] = field(default_factory=dict)
    pricelist_ids: dict[str, int] = field(default_factory=dict)
    tax_ids: dict[str, int] = field(default_factory=dict)
    tax_ids_included: dict[str, int] = field(default_factory=dict)


TAXES = [
    {"id": 3, "name": "PS 23% (excl)", "amount": 23.0, "price_include": False},
    {"id": 4, "name": "PS 23% (incl)", "amount": 23.0, "price_include": True},
    {"id": 5, "name": "PS 0%", "amount": 0.0, "price_include": False},
    {"id": 8, "name": "PS 9% (excl)", "amount": 9.0, "price_include": False},
    {"id": 9, "name": "PS 9% (incl)", "amount": 9.0, "price_include": True},
]


class _Odoo:
    """search_read answers of the real Odoo 18 (ids as the trade's run had them)."""

    def __init__(self, pricelists: list[dict[str, Any]]) -> None:
        self.pricelists = pricelists
        self.calls: list[str] = []

    def search_read(self, model: str, domain: list[Any], fields: list[str], **_: Any) -> list[dict[str, Any]]:
        self.calls.append(model)
        if model == "account.tax":
            return TAXES
        if model == "res.currency":
            return [r for r in ({"id": 125, "name": "EUR"}, {"id": 143, "name": "GBP"}) if r["name"] in domain[0][2]]
        assert model == "product.pricelist"
        return [p for p in self.pricelists if p["currency_id"][0] in domain[0][2]]


def _order(label: str) -> Order:
    step = next(s for s in json.loads(STEPS.read_text()) if s["step"] == f"order {label}")
    return assembled(step["events"], CTX)


def _odoo_taxes() -> Any:
    return _Odoo([])
