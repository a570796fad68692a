"""ERP variants to the shop (issue #14 items 1 and 3), on the captured product_template /
product_product events ("Linen shirt", template 14, variant 25 SKU-807777 with EAN13 3760000000017):

- the variant used to carry its template's id (14) as its parent, where the shop sink looks for the
  parent's reference: every variant dead-lettered "no parent product '14'". Now the parent is the
  template's SKU: its own SKU for a single-variant template (the simple product), ``ODOO-T14`` for a
  template with variants, whichever topic comes first;
- variants of a service or a product not for sale give no command (counted), as their template.
"""

from __future__ import annotations

from typing import Any

import pytest

from kernel import metrics
from schemas import topics
from schemas.records import Product, Variant
from tests.unit.streams.odoo_attributes import names_of_tee
from tests.unit.streams.test_order_status import SHOP_COMMANDS, Pipeline, event, varied

pytestmark = pytest.mark.unit

MULTI = {"default_code": None, "has_configurable_attributes": True, "weight": "0.00"}


def commands(pipeline: Pipeline, events: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    outs = pipeline.feed(events)
    assert [o for o in pipeline.sent if o.topic.startswith(topics.STREAMS_DLQ)] == []
    assert all(o.topic == SHOP_COMMANDS for o in outs)
    return [pipeline.decode(o) for o in outs]


def variant(step: int, vid: int, sku: str, barcode: str | None, indices: str | None) -> tuple[str, dict[str, Any]]:
    return varied(
        "odoo", "product_product_insert", step, id=vid, default_code=sku, barcode=barcode, combination_indices=indices
    )


def filtered_variants() -> float:
    sample = metrics.REGISTRY.get_sample_value(
        "prestasync_filtered_total", {"system": "odoo", "table": "product_product"}
    )
    return sample or 0.0


@pytest.mark.parametrize("template_first", [True, False])
def test_a_single_variant_template_is_a_simple_product_with_its_ean13(template_first: bool) -> None:
    rows = [event("odoo", "product_template_insert"), event("odoo", "product_product_insert")]
    found = commands(Pipeline(), rows if template_first else rows[::-1])
    product = next(r for r in found if isinstance(r, Product))
    (var,) = [r for r in found if isinstance(r, Variant)]
    assert (product.sku, product.ean13, product.weight) == ("SKU-807777", None, 1.25)
    # its own parent: the shop sink writes the barcode onto the simple product
    assert (var.sku, var.product_origin_id, var.ean13) == ("SKU-807777", "SKU-807777", "3760000000017")


@pytest.mark.parametrize("template_first", [True, False])
def test_variants_of_a_template_with_variants_name_its_derived_reference(template_first: bool) -> None:
    template = varied("odoo", "product_template_insert", 1, **MULTI)
    variants = [variant(2, 25, "SHIRT-S", "3760000000024", "3"), variant(3, 26, "SHIRT-M", None, "4")]
    names = names_of_tee(10)  # a variant goes once its values are named (test_odoo_attribute_names)
    found = commands(Pipeline(), [template, *variants, *names] if template_first else [*variants, *names, template])
    (product,) = [r for r in found if isinstance(r, Product)]
    assert (product.sku, product.has_variants, product.weight) == ("ODOO-T14", True, None)  # 0 kg: not set
    got = sorted((v.sku, v.product_origin_id, v.ean13, v.weight_impact) for v in found if isinstance(v, Variant))
    assert got == [("SHIRT-M", "ODOO-T14", None, 1.25), ("SHIRT-S", "ODOO-T14", "3760000000024", 1.25)]


def test_a_template_edit_sends_its_variants_nothing_again() -> None:
    pipeline = Pipeline()
    commands(pipeline, [varied("odoo", "product_template_insert", 1, **MULTI), variant(2, 25, "SHIRT-S", None, "3")])
    again = commands(pipeline, [varied("odoo", "product_template_insert", 3, list_price="42.0", **MULTI)])
    assert [type(r) for r in again] == [Product]


@pytest.mark.parametrize("template_first", [True, False])
def test_variants_of_a_service_give_no_command(template_first: bool) -> None:
    service = varied("odoo", "product_template_insert", 1, type="service", default_code="SHIP-WEB", is_storable=False)
    row = variant(2, 25, "SHIP-WEB", None, None)
    before = filtered_variants()
    assert commands(Pipeline(), [service, row] if template_first else [row, service]) == []
    assert filtered_variants() == before + 1


def test_a_variant_keeps_its_stock_identity_before_its_template() -> None:
    pipeline = Pipeline()
    assert commands(pipeline, [event("odoo", "product_product_insert")]) == []  # waits for its template
    (level,) = commands(pipeline, [event("odoo", "stock_quant_insert")])
    assert (level.sku, int(level.available)) == ("SKU-807777", 12)
