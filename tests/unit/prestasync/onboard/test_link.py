"""`onboard --execute` writes a link only into an empty key field, re-read just before writing."""

from __future__ import annotations

from typing import Any

import pytest

from prestasync.onboard.link import record_links
from prestasync.onboard.model import Link, Match, Rec

pytestmark = pytest.mark.unit


class Odoo:
    """The two calls record_links makes, on rows held here (what Odoo holds by the time it runs)."""

    def __init__(self, rows: dict[tuple[str, int], dict[str, Any]]) -> None:
        self.rows, self.writes = rows, []  # type: ignore[var-annotated]

    def search_read(self, model: str, domain: list[Any], fields: list[str], **_: Any) -> list[dict[str, Any]]:
        row = self.rows.get((model, domain[0][2]))
        return [dict(row)] if row is not None else []

    def write(self, model: str, ids: list[int], vals: dict[str, Any]) -> bool:
        self.writes.append((model, ids, vals))
        self.rows[(model, ids[0])].update(vals)
        return True


def linked(model: str, record_id: int, field: str, value: str) -> Match:
    return Match("customers", "matched", value, Rec(1), Rec(record_id), "email", Link(model, record_id, field, value))


def test_only_empty_fields_are_written() -> None:
    odoo = Odoo(
        {
            ("res.partner", 8): {"ref": False},
            ("res.partner", 9): {"ref": "C0042"},  # a person typed a code since the dry run
            ("sale.order", 2): {"client_order_ref": "OHSATSERP"},  # recorded by an earlier run
        }
    )
    outcomes = record_links(
        odoo,  # type: ignore[arg-type]
        [
            linked("res.partner", 8, "ref", "PS-2"),
            linked("res.partner", 9, "ref", "PS-3"),
            linked("sale.order", 2, "client_order_ref", "OHSATSERP"),
            linked("res.partner", 77, "ref", "PS-4"),  # deleted since
            Match("orders", "only_in_shop", "X"),
        ],
    )
    assert odoo.writes == [("res.partner", [8], {"ref": "PS-2"})]
    assert [(o.written, o.reason) for o in outcomes] == [
        (True, ""),
        (False, "ref is 'C0042' by now: left as it is"),
        (False, "already recorded"),
        (False, "res.partner 77 is gone"),
    ]
