"""Canonical -> PrestaShop XML and Odoo values, from records mapped off captured events."""

from __future__ import annotations

import dataclasses
from datetime import UTC
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from defusedxml import ElementTree

from schemas import keys
from sinks.odoo import mapping as odoo
from sinks.prestashop import mapping as presta
from streams.mapping.assemble import assemble_order
from tests.unit.streams.mapping.captured import captured

pytestmark = pytest.mark.unit


def one(system: str, name: str) -> Any:
    (record,) = captured(system, name).map()
    return record


def parse(payload: bytes) -> Any:
    root = ElementTree.fromstring(payload)
    assert root.tag == "prestashop"
    (resource,) = list(root)
    return resource


def test_stock_rounds_down_and_never_goes_negative():
    level = one("prestashop", "stock_available_update")
    assert presta.sellable_quantity(dataclasses.replace(level, available=Decimal("7.9"))) == 7
    assert presta.sellable_quantity(dataclasses.replace(level, available=Decimal(-2))) == 0


def test_group_price_payload():
    rule = one("prestashop", "specific_price_insert")
    node = parse(
        presta.specific_price_payload(
            rule, product_id=800873, group_id=3, shop_id=1, shop_timezone=ZoneInfo("Europe/Paris")
        )
    )
    assert node.findtext("price") == "-1.000000" and node.findtext("id_group") == "3"
    # captured row: reduction 0.15 percentage, from 1796083200000 ms (2026-12-01 00:00 wall clock), to 0
    assert rule.reduction_percent == Decimal(15)
    assert (node.findtext("reduction_type"), node.findtext("reduction")) == ("percentage", "0.150000")
    assert node.findtext("to") == "0000-00-00 00:00:00"
    # read as UTC wall clock by default, written back in the shop zone given here (Paris, UTC+1)
    assert node.findtext("from") == "2026-12-01 01:00:00"


def test_customer_and_order_values_for_odoo():
    customer = one("prestashop", "customer_insert")
    values = odoo.partner_values(customer)
    customer_id = captured("prestashop", "customer_insert").row["id_customer"]
    assert values["ref"] == keys.customer_ref(customer_id) == customer.envelope.canonical_key
    assert keys.shop_customer_id(values["ref"]) == customer_id
    address = odoo.address_values(one("prestashop", "address_insert"), parent_partner_id=7, country_id=75)
    address_id = captured("prestashop", "address_insert").row["id_address"]
    assert address["ref"] == f"PS-A-{address_id}" and address["type"] == "delivery" and address["name"] == "Jane Doe"
    order = assemble_order(
        one("prestashop", "orders_update_state"),
        [one("prestashop", "order_detail_insert_1"), one("prestashop", "order_detail_insert_2")],
    )
    assert order is not None
    lines = [(0, 0, {"product_id": 1})]  # priced by sinks.odoo.order_lines (tests/unit/sinks/odoo/test_odoo_taxes.py)
    so = odoo.sale_order_values(order, partner_id=7, partner_invoice_id=8, partner_shipping_id=9, lines=lines)
    assert so["client_order_ref"] == captured("prestashop", "orders_update_state").row["reference"]
    assert so["order_line"] is lines and (so["partner_invoice_id"], so["partner_shipping_id"]) == (8, 9)
    # date_order is UTC, as Odoo stores it (the shop's wall clock was converted by the mapper)
    assert order.placed_at is not None and so["date_order"] == order.placed_at.astimezone(UTC).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def test_odoo_acks_render_a_partner_as_the_streams_render_its_cdc_events() -> None:
    """``SinkAck.written`` is compared with the values the streams read from Odoo's CDC events
    (``streams.fields.render_value``: booleans lower-case, text trimmed): the same partner must read the same."""
    stored = odoo.stored_text(
        {"name": " Ada Lovelace ", "email": "ada@example.com", "active": False, "lang": False},
        odoo.PARTNER_FIELD_SOURCES,
    )
    assert stored == {"display_name": "Ada Lovelace", "email": "ada@example.com", "active": "false", "lang": ""}
    assert odoo.stored_text({"active": True}, odoo.PARTNER_FIELD_SOURCES) == {"active": "true"}
