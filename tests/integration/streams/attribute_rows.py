"""Odoo attribute rows written as the ORM writes them (issue #14 item 1): what names a variant's values."""

from __future__ import annotations

import json

from tests.integration.streams.rows import ErpRows


def template_values(rows: ErpRows, template_id: int, attribute: str, values: list[str]) -> list[int]:
    """A new attribute with these values on the template (one line): the template values' ids, which
    ``combination_indices`` lists."""
    names = json.dumps({"en_US": attribute})
    attribute_id = rows._insert(
        "product_attribute", {"name": names, "create_variant": "always", "display_type": "select", "active": True}
    )
    line = rows._insert(
        "product_template_attribute_line",
        {"product_tmpl_id": template_id, "attribute_id": attribute_id, "active": True, "value_count": len(values)},
    )
    found = []
    for text in values:
        value_id = rows._insert(
            "product_attribute_value", {"name": json.dumps({"en_US": text}), "attribute_id": attribute_id}
        )
        ptav = {
            "product_attribute_value_id": value_id,
            "attribute_line_id": line,
            "product_tmpl_id": template_id,
            "attribute_id": attribute_id,
            "ptav_active": True,
        }
        found.append(rows._insert("product_template_attribute_value", ptav))
    return found
