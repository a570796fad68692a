"""ERP price rules to the shop (issue #14 item 6), on the captured pricelist items of pricelist 1
(mapped to the shop's customer group 3): a fixed 17.50 from 2 units on template 14 with validity
dates, and 12.5 % off variant 25. Their rows name the product by id, so the streams gave no command
("no key"); now each is keyed by its item and carries the product's SKU once the product was seen."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from schemas.records import PriceRule
from tests.unit.streams.test_order_status import SHOP_COMMANDS, Pipeline, event

pytestmark = pytest.mark.unit


def pipeline() -> Pipeline:
    found = Pipeline()
    processor = found.app.processor
    processor.erp = dataclasses.replace(processor.erp, pricelist_groups={1: 3})
    return found


def rules(p: Pipeline, names: list[str]) -> list[PriceRule]:
    outs = p.feed([event("odoo", name) for name in names])
    return [r for r in (p.decode(o) for o in outs if o.topic == SHOP_COMMANDS) if isinstance(r, PriceRule)]


def test_a_group_price_with_dates_and_a_variant_discount_name_their_skus() -> None:
    found = rules(
        pipeline(),
        [
            "product_template_insert",
            "product_product_insert",
            "product_pricelist_item_insert",
            "product_pricelist_item_variant_insert",
        ],
    )
    by_key = {r.envelope.canonical_key: r for r in found}
    assert sorted(by_key) == ["ODOO-PR-16", "ODOO-PR-17"]
    fixed, percent = by_key["ODOO-PR-16"], by_key["ODOO-PR-17"]
    assert (fixed.sku, fixed.customer_group_key, fixed.price, fixed.from_quantity) == (
        "SKU-807777",
        "PS-G-3",
        Decimal("17.5"),
        2,
    )
    assert fixed.valid_from == datetime.fromtimestamp(1796083200, UTC) and fixed.valid_to is not None
    assert (percent.sku, percent.reduction_percent, percent.price) == ("SKU-807777", Decimal("12.5"), None)


def test_a_rule_of_a_product_not_seen_is_counted() -> None:
    p = pipeline()
    assert rules(p, ["product_pricelist_item_insert"]) == []
    assert p.app.tables.counters["price_rules_unresolved"] == 1
