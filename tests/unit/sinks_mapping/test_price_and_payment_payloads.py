"""Price rules and payments -> PrestaShop XML / Odoo values, from records mapped off captured events."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from defusedxml import ElementTree

from sinks.odoo import mapping as odoo
from sinks.prestashop import mapping as presta
from tests.unit.mapping.captured import PRICELIST_GROUP, captured

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
    node = parse(presta.specific_price_payload(rule, product_id=12, group_id=PRICELIST_GROUP, shop_id=1,
                                               shop_timezone=PARIS))
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
    assert parse(presta.specific_price_payload(open_ended, product_id=12, group_id=3, shop_id=1)).findtext(
        "to") == presta.ZERO_DATE


def test_erp_variant_percentage_becomes_a_percentage_specific_price():
    raw = captured("odoo", "product_pricelist_item_variant_insert").row
    node = parse(presta.specific_price_payload(one("odoo", "product_pricelist_item_variant_insert"), product_id=12,
                                               combination_id=34, group_id=3, shop_id=1))
    assert node.findtext("price") == "-1.000000"  # keep the base price, reduce it
    assert node.findtext("reduction_type") == "percentage"
    assert Decimal(node.findtext("reduction")) == Decimal(repr(raw["percent_price"])) / 100
    assert node.findtext("id_product_attribute") == "34"


def test_shop_group_price_becomes_a_pricelist_item():
    raw = captured("prestashop", "specific_price_insert").row
    values = odoo.pricelist_item_values(one("prestashop", "specific_price_insert"), pricelist_id=4,
                                        product_tmpl_id=9)
    assert values["pricelist_id"] == 4 and values["applied_on"] == "1_product" and "product_id" not in values
    assert values["compute_price"] == "percentage"
    assert values["percent_price"] == Decimal(raw["reduction"]) * 100  # stored as a fraction in the shop
    assert values["date_start"] == (EPOCH + timedelta(milliseconds=raw["from"])).strftime("%Y-%m-%d %H:%M:%S")
    assert values["date_end"] is False  # 0000-00-00: no end
    assert values["min_quantity"] == raw["from_quantity"]


def test_pricelist_item_kinds_and_the_inexpressible_one():
    fixed = one("odoo", "product_pricelist_item_insert")
    variant = odoo.pricelist_item_values(fixed, pricelist_id=1, product_tmpl_id=9, product_id=10)
    assert (variant["applied_on"], variant["product_id"]) == ("0_product_variant", 10)
    assert (variant["compute_price"], variant["fixed_price"]) == ("fixed", fixed.price)
    amount_off = dataclasses.replace(fixed, price=None, reduction_amount=Decimal("2.5"))
    formula = odoo.pricelist_item_values(amount_off, pricelist_id=1, product_tmpl_id=9)
    assert formula["compute_price"] == "formula" and formula["price_surcharge"] == Decimal("-2.5")
    with pytest.raises(ValueError, match="fixed price with a reduction"):
        odoo.pricelist_item_values(dataclasses.replace(fixed, reduction_percent=Decimal(5)), pricelist_id=1,
                                   product_tmpl_id=9)


def test_shop_payment_becomes_an_inbound_erp_payment():
    raw = captured("prestashop", "order_payment_update").row
    capture = one("prestashop", "order_payment_update")
    values = odoo.payment_values(capture, partner_id=7, journal_id=3, currency_id=1)
    assert values["memo"] == f"PS-P-{raw['id_order_payment']}"
    assert values["amount"] == Decimal(raw["amount"])
    assert values["payment_reference"] == raw["transaction_id"]
    assert (values["payment_type"], values["partner_type"]) == ("inbound", "customer")
    assert values["date"] == (EPOCH + timedelta(milliseconds=raw["date_add"])).date().isoformat()
    legacy = odoo.payment_values(capture, partner_id=7, journal_id=3, currency_id=1, memo_field="ref")
    assert legacy["ref"] == values["memo"] and "memo" not in legacy
    first = one("prestashop", "order_payment_insert")  # no transaction id yet
    assert "payment_reference" not in odoo.payment_values(first, partner_id=7, journal_id=3, currency_id=1)


def test_capture_becomes_a_shop_order_payment_and_authorisations_are_refused():
    capture = one("prestashop", "order_payment_update")
    node = parse(presta.order_payment_payload(capture, order_reference="XKBKNABJK", currency_id=1,
                                              payment_method="Card", shop_timezone=PARIS))
    assert node.findtext("order_reference") == "XKBKNABJK" and node.findtext("payment_method") == "Card"
    assert Decimal(node.findtext("amount")) == capture.amount
    assert node.findtext("transaction_id") == capture.provider_reference
    assert node.findtext("date_add") == capture.captured_at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S")
    held = dataclasses.replace(capture, state="authorized")
    with pytest.raises(ValueError, match="not captured"):
        presta.order_payment_payload(held, order_reference="X", currency_id=1, payment_method="Card")
    with pytest.raises(ValueError, match="not captured"):
        odoo.payment_values(held, partner_id=7, journal_id=3, currency_id=1)
