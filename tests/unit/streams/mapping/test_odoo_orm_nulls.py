"""Odoo's ORM reads a NULL boolean as False and a NULL number as 0; the mappers read rows the same way.

Rows written outside the ORM (SQL imports, data fixes, other integrations) often leave such columns
NULL; they must map, not go to the dead-letter topic.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from schemas.records import Customer, Product
from streams.mapping.odoo import map_odoo_record
from tests.unit.streams.mapping.captured import FIXTURES, ODOO_CONTEXT

pytestmark = pytest.mark.unit


def _with_nulls(name: str, columns: list[str]) -> tuple[dict[str, object], str]:
    document = json.loads((FIXTURES / "odoo" / f"{name}.json").read_text())
    meta = json.loads((FIXTURES / "odoo" / f"{name}.meta.json").read_text())
    for column in columns:
        document["payload"]["after"][column] = None
    return document, meta["topic"]


def test_partner_with_null_is_company_maps_as_a_person() -> None:
    document, topic = _with_nulls("res_partner_insert", ["is_company", "active"])
    records = map_odoo_record(document, topic=topic, ctx=ODOO_CONTEXT)
    (customer,) = [r for r in records if isinstance(r, Customer)]
    assert customer.company is None and customer.active is False


def test_template_with_null_price_and_weight_maps_to_zero() -> None:
    document, topic = _with_nulls("product_template_insert", ["list_price", "weight"])
    (product,) = [r for r in map_odoo_record(document, topic=topic, ctx=ODOO_CONTEXT) if isinstance(r, Product)]
    assert product.list_price == Decimal(0)
