"""Combinations with their attribute values (issue #14 item 1) against the twin: the groups and values
found by name or created, linked to the combination, a replay only reading, the same name in another
case linked rather than duplicated, and a combination made before the names were known linked later."""

from __future__ import annotations

import pytest

from tests.integration.sinks.prestashop.commands import api_calls, meta, product, variant

pytestmark = pytest.mark.integration


def writes(twin) -> list[str]:
    return [f"{c['method']} {c['path'].split('?')[0]}" for c in api_calls(twin) if c["method"] != "GET"]


def shown(twin, combination_id: int) -> list[tuple[str, str]]:
    """What the product page offers for this combination: (group public name, value name)."""
    rows = twin.sql(
        "SELECT gl.public_name, al.name FROM ps_product_attribute_combination c"
        " JOIN ps_attribute a ON a.id_attribute = c.id_attribute"
        " JOIN ps_attribute_lang al ON al.id_attribute = a.id_attribute AND al.id_lang = 1"
        " JOIN ps_attribute_group_lang gl ON gl.id_attribute_group = a.id_attribute_group AND gl.id_lang = 1"
        " WHERE c.id_product_attribute = %s ORDER BY gl.public_name",
        (combination_id,),
    )
    return [(r["public_name"], r["name"]) for r in rows]


def test_values_found_or_created_by_name_and_linked(ps_sink, prestashop_twin) -> None:
    handle = ps_sink.handlers()[type(variant("X", "Y"))]
    ps_sink.handlers()[type(product("P"))](product("POLO"), meta("POLO"))
    small = handle(variant("POLO-S", "POLO", values=[("Size", "S"), ("Fabric", "Linen")]), meta("POLO-S"))
    assert shown(prestashop_twin, int(small.target_ids["combinations"])) == [("Fabric", "Linen"), ("Size", "S")]
    before = len(writes(prestashop_twin))
    medium = handle(variant("POLO-M", "POLO", values=[("size", "M"), ("FABRIC", "linen")]), meta("POLO-M"))
    # the groups and Linen existed (the shop compares names without case): only M and the combination
    assert writes(prestashop_twin)[before:] == [
        "POST /api/product_option_values",
        "POST /api/combinations",
    ]
    assert shown(prestashop_twin, int(medium.target_ids["combinations"])) == [("Fabric", "Linen"), ("Size", "M")]
    assert prestashop_twin.sql("SELECT COUNT(*) AS n FROM ps_attribute_group") == [{"n": 2}]
    before = len(writes(prestashop_twin))
    replay = handle(variant("POLO-M", "POLO", values=[("size", "M"), ("FABRIC", "linen")]), meta("POLO-M"))
    assert not replay.changed and writes(prestashop_twin)[before:] == []


def test_a_combination_made_before_its_names_is_linked_when_they_come(ps_sink, prestashop_twin) -> None:
    handle = ps_sink.handlers()[type(variant("X", "Y"))]
    ps_sink.handlers()[type(product("P"))](product("TEE"), meta("TEE"))
    bare = handle(variant("TEE-L", "TEE"), meta("TEE-L"))
    combination = int(bare.target_ids["combinations"])
    assert shown(prestashop_twin, combination) == []
    named = handle(variant("TEE-L", "TEE", values=[("Size", "L")]), meta("TEE-L", fields="sku,attribute_values"))
    assert named.changed and shown(prestashop_twin, combination) == [("Size", "L")]
    assert prestashop_twin.sql(
        "SELECT reference, price FROM ps_product_attribute WHERE id_product_attribute = %s", (combination,)
    ) == [{"reference": "TEE-L", "price": pytest.approx(2)}]
