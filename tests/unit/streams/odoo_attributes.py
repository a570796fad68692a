"""Odoo attribute events for the streams' unit tests: the ones captured from a real Odoo 18.0
(tests/fixtures/debezium/odoo/product_attribute*_), varied to name template 14's variants."""

from __future__ import annotations

import json
from typing import Any

from tests.unit.streams.pipeline import varied

Event = tuple[str, dict[str, Any]]
TEMPLATE = 14  # the captured template's id (tests/fixtures/debezium/odoo/product_template_insert)


def named(found: Event, names: dict[str, str]) -> Event:
    """The event with its translated ``name`` column set (``varied`` takes ``name`` as the fixture's)."""
    found[1]["payload"]["after"]["name"] = json.dumps(names)
    return found


def attribute(step: int, attribute_id: int, names: dict[str, str]) -> Event:
    return named(varied("odoo", "product_attribute_insert", step, id=attribute_id), names)


def value(step: int, value_id: int, attribute_id: int, names: dict[str, str]) -> Event:
    return named(varied("odoo", "product_attribute_value_insert", step, id=value_id, attribute_id=attribute_id), names)


def template_value(step: int, ptav: int, value_id: int, attribute_id: int) -> Event:
    return varied(
        "odoo",
        "product_template_attribute_value_update",
        step,
        id=ptav,
        product_attribute_value_id=value_id,
        attribute_id=attribute_id,
        product_tmpl_id=TEMPLATE,
    )


def names_of_tee(step: int) -> list[Event]:
    """Size (S, M) and Fabric (Linen, in French Lin) on template 14: template values 3 = S, 4 = M, 5 = Linen."""
    return [
        attribute(step, 1, {"en_US": "Size", "fr_FR": "Taille"}),
        value(step + 1, 11, 1, {"en_US": "S"}),
        value(step + 2, 12, 1, {"en_US": "M"}),
        attribute(step + 3, 2, {"en_US": "Fabric", "fr_FR": "Tissu"}),
        value(step + 4, 21, 2, {"en_US": "Linen", "fr_FR": "Lin"}),
        template_value(step + 5, 3, 11, 1),
        template_value(step + 6, 4, 12, 1),
        template_value(step + 7, 5, 21, 2),
    ]
