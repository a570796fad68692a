"""Odoo variants reach the shop with their attribute values named (issue #14 item 1), on the events captured
from a real Odoo 18.0 (attribute "Size", value "M", template value 2; varied for the others).

A variant lists template attribute values (``combination_indices``); their group and value names come on
three other topics, in no set order. The variant is held until every value is named, then sent with the
names in every locale; a name changed later sends it again; an insert of a template value before its
stored attribute and template (as the ORM writes it) names nothing.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from schemas.records import AttributeValue, Variant
from tests.unit.streams.odoo_attributes import attribute, names_of_tee, value
from tests.unit.streams.pipeline import Pipeline, event, varied
from tests.unit.streams.test_odoo_variants import MULTI, commands, variant

pytestmark = pytest.mark.unit


def shown(found: list[Any]) -> dict[str, list[tuple[str | None, str | None]]]:
    """Per variant SKU: the (group, value) names a customer will choose from."""
    return {v.sku: [(a.attribute, a.value) for a in v.attribute_values] for v in found if isinstance(v, Variant)}


def test_the_captured_real_rows_name_a_variants_value() -> None:
    # the captured template value 2 is value M (2) of Size (1) on template 2; variant 3 lists 2 and 3
    real = [event("odoo", "product_attribute_insert"), event("odoo", "product_attribute_value_insert")]
    real.append(event("odoo", "product_template_attribute_value_update"))
    template = varied("odoo", "product_template_insert", 1, id=2, **MULTI)
    variant_m = event("odoo", "product_product_update_combination")
    pipeline = Pipeline()
    assert shown(commands(pipeline, [template, variant_m, *real])) == {}  # template value 3 is not named yet
    fabric = [
        attribute(9, 2, {"en_US": "Fabric"}),
        value(10, 3, 2, {"en_US": "Cotton"}),
        varied(
            "odoo", "product_template_attribute_value_update", 11, id=3, product_attribute_value_id=3, attribute_id=2
        ),
    ]
    assert shown(commands(pipeline, fabric)) == {"TEEC24338-M": [("Size", "M"), ("Fabric", "Cotton")]}


@pytest.mark.parametrize("order", ["variants first", "names first", "template last"])
def test_a_variant_goes_once_every_value_is_named_whatever_comes_first(order: str) -> None:
    template = varied("odoo", "product_template_insert", 1, **MULTI)
    variants = [variant(20, 25, "SHIRT-S", None, "3,5"), variant(21, 26, "SHIRT-M", None, "4,5")]
    names = names_of_tee(2)
    events = {
        "variants first": [template, *variants, *names],
        "names first": [*names, template, *variants],
        "template last": [*variants, *names, template],
    }[order]
    found = commands(Pipeline(), events)
    assert shown(found) == {
        "SHIRT-S": [("Size", "S"), ("Fabric", "Linen")],
        "SHIRT-M": [("Size", "M"), ("Fabric", "Linen")],
    }
    (small,) = [v for v in found if isinstance(v, Variant) and v.sku == "SHIRT-S"]
    assert small.attribute_values[1] == AttributeValue(
        origin_value_id=5,
        attribute="Fabric",
        value="Linen",
        attribute_names={"en_US": "Fabric", "fr_FR": "Tissu"},
        value_names={"en_US": "Linen", "fr_FR": "Lin"},
    )


def test_no_variant_before_all_its_names_then_exactly_one() -> None:
    pipeline = Pipeline()
    template = varied("odoo", "product_template_insert", 1, **MULTI)
    names = names_of_tee(2)
    sent = commands(pipeline, [template, variant(20, 25, "SHIRT-S", None, "3,5"), *names[:-1]])
    assert shown(sent) == {}  # Linen's template value (5) is not known yet
    assert shown(commands(pipeline, names[-1:])) == {"SHIRT-S": [("Size", "S"), ("Fabric", "Linen")]}
    assert shown(commands(pipeline, names)) == {}  # the same names again: nothing new for the shop


@pytest.mark.parametrize(("renamed", "expected"), [("value", ("Size", "Small")), ("attribute", ("Fit", "S"))])
def test_a_name_changed_later_sends_the_variant_again(renamed: str, expected: tuple[str, str]) -> None:
    pipeline = Pipeline()
    template = varied("odoo", "product_template_insert", 1, **MULTI)
    commands(pipeline, [template, variant(20, 25, "SHIRT-S", None, "3,5"), *names_of_tee(2)])
    change = value(30, 11, 1, {"en_US": "Small"}) if renamed == "value" else attribute(30, 1, {"en_US": "Fit"})
    assert shown(commands(pipeline, [change])) == {"SHIRT-S": [expected, ("Fabric", "Linen")]}


def test_a_template_value_inserted_before_its_stored_fields_names_nothing() -> None:
    assert Pipeline().feed([event("odoo", "product_template_attribute_value_insert")]) == []


def test_names_in_any_order_give_the_same_command() -> None:
    template = varied("odoo", "product_template_insert", 1, **MULTI)
    names = names_of_tee(2)
    seen = set()
    for shuffled in itertools.islice(itertools.permutations(names), 0, 40000, 5000):
        found = commands(Pipeline(), [template, variant(20, 25, "SHIRT-S", None, "3,5"), *shuffled])
        seen.add(json.dumps(shown(found)))
    assert seen == {json.dumps({"SHIRT-S": [["Size", "S"], ["Fabric", "Linen"]]})}


def test_a_single_variant_template_does_not_wait_for_names() -> None:
    # one attribute line with one value: Odoo lists it, the shop has no combination for it (simple product)
    rows = [
        event("odoo", "product_template_insert"),
        varied("odoo", "product_product_insert", 1, combination_indices="7"),
    ]
    (simple,) = [v for v in commands(Pipeline(), rows) if isinstance(v, Variant)]
    assert (simple.sku, simple.product_origin_id, simple.ean13) == ("SKU-807777", "SKU-807777", "3760000000017")
