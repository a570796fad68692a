"""ERP price rules -> PrestaShop specific_prices XML, from records mapped off captured events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from defusedxml import ElementTree

from sinks.prestashop import mapping as presta
from tests.unit.streams.mapping.captured import PRICELIST_GROUP, captured

pytestmark = pytest.mark.unit
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def one(system: str, name: str) -> Any:
    (record,) = captured(system, name).map()
    return record


def parse(payload: bytes) -> Any:
    root = ElementTree.fromstring(payload)
    (resource,) = list(root)
    return resource


def test_erp_group_price_becomes_a_shop_specific_price():
    raw = captured("odoo", "product_pricelist_item_insert").row
    rule = one("odoo", "product_pricelist_item_insert")
    assert rule.customer_group_key == f"PS-G-{PRICELIST_GROUP}"
    node = parse(
        presta.specific_price_payload(rule, product_id=12, group_id=PRICELIST_GROUP, shop_id=1, shop_timezone=PARIS)
    )
    assert node.findtext("id_group") == str(PRICELIST_GROUP) and node.findtext("id_product") == "12"
    assert Decimal(node.findtext("price")) == Decimal(raw["fixed_price"])
    assert (node.findtext("reduction_type"), Decimal(node.findtext("reduction"))) == ("amount", Decimal(0))
    assert int(node.findtext("from_quantity")) == Decimal(raw["min_quantity"])
    # Odoo's UTC timestamps, written as the shop's wall clock (Paris in December: UTC+1)
    start = (EPOCH + timedelta(microseconds=raw["date_start"])).astimezone(PARIS)
    end = (EPOCH + timedelta(microseconds=raw["date_end"])).astimezone(PARIS)
    assert node.findtext("from") == start.strftime("%Y-%m-%d %H:%M:%S")
    assert node.findtext("to") == end.strftime("%Y-%m-%d %H:%M:%S")
    open_ended = one("odoo", "product_pricelist_item_update")  # date_end cleared
    assert (
        parse(presta.specific_price_payload(open_ended, product_id=12, group_id=3, shop_id=1)).findtext("to")
        == presta.ZERO_DATE
    )


def test_erp_variant_percentage_becomes_a_percentage_specific_price():
    raw = captured("odoo", "product_pricelist_item_variant_insert").row
    node = parse(
        presta.specific_price_payload(
            one("odoo", "product_pricelist_item_variant_insert"),
            product_id=12,
            combination_id=34,
            group_id=3,
            shop_id=1,
        )
    )
    assert node.findtext("price") == "-1.000000"  # keep the base price, reduce it
    assert node.findtext("reduction_type") == "percentage"
    assert Decimal(node.findtext("reduction")) == Decimal(repr(raw["percent_price"])) / 100
    assert node.findtext("id_product_attribute") == "34"
