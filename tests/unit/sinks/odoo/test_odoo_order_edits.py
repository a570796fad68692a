"""A shop order edited after its import (sinks.odoo.order_edits): when Odoo's lines may change, and how."""

from __future__ import annotations

import pytest

from sinks.odoo.order_edits import line_commands, refusal

pytestmark = pytest.mark.unit


def _line(line_id: int, product: int, qty: float, delivered: float = 0.0) -> dict[str, object]:
    return {
        "id": line_id,
        "product_id": [product, f"[P{product}]"],
        "product_uom_qty": qty,
        "qty_delivered": delivered,
        "display_type": False,
    }


def test_an_order_odoo_acted_on_keeps_its_lines_and_says_why() -> None:
    lines = [_line(1, 10, 2)]
    assert refusal({"state": "sale", "locked": False, "delivery_status": "pending"}, lines) is None
    assert refusal({"state": "draft", "locked": False}, lines) is None
    assert refusal({"state": "cancel", "locked": False}, lines) == "it is cancelled in Odoo"
    assert refusal({"state": "sale", "locked": True}, lines) == "it is locked in Odoo"
    assert (
        refusal({"state": "sale", "locked": False, "delivery_status": "full"}, lines) == "Odoo has delivered it (full)"
    )
    assert (
        refusal({"state": "sale", "locked": False}, [_line(1, 10, 2, delivered=1)]) == "Odoo has delivered it (partial)"
    )


def test_a_quotation_gets_the_new_lines_in_place_of_the_old() -> None:
    new = [(0, 0, {"product_id": 10, "product_uom_qty": 3})]
    assert line_commands(False, [_line(1, 10, 2), _line(2, 11, 1)], new) == [(2, 1, 0), (2, 2, 0), *new]


def test_a_confirmed_order_is_updated_in_place_a_product_gone_set_to_zero() -> None:
    # real Odoo 18 refuses to delete a confirmed order's line: "set the quantity to 0"
    old = [_line(1, 10, 2), _line(2, 11, 1), _line(3, 12, 1)]
    new = [
        (0, 0, {"product_id": 10, "product_uom_qty": 3, "price_unit": 20}),
        (0, 0, {"product_id": 13, "product_uom_qty": 1, "price_unit": 5}),
        (0, 0, {"product_id": 12, "product_uom_qty": 1, "price_unit": 8}),
    ]
    assert line_commands(True, old, new) == [
        (1, 1, {"product_uom_qty": 3, "price_unit": 20}),
        (0, 0, new[1][2]),
        (1, 3, {"product_uom_qty": 1, "price_unit": 8}),
        (1, 2, {"product_uom_qty": 0}),
    ]
