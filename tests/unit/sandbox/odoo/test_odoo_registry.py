"""The twin's registry over a database created before a table existed (#14 item 7: res_partner_category)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.odoo.registry import build_registry

pytestmark = pytest.mark.unit

COLUMNS = [
    ("res_partner", "id", "int4", True),
    ("res_partner", "name", "varchar", False),
    ("res_partner", "country_id", "int4", False),
    ("res_partner", "parent_id", "int4", False),
    ("res_partner", "active", "bool", False),
]


class _Cursor:
    def __init__(self, rows: list[tuple[str, str, str, bool]]) -> None:
        self.rows = rows

    def execute(self, sql: str, *args: Any) -> None:
        assert "information_schema.columns" in sql

    def fetchall(self) -> list[tuple[str, str, str, bool]]:
        return self.rows


def test_a_partner_without_the_tag_tables_serves_no_category_id_and_with_them_the_many2many() -> None:
    old = build_registry(_Cursor(COLUMNS), "18.0")
    assert "res.partner.category" not in old.models
    assert "category_id" not in old.models["res.partner"].fields
    assert old.models["res.partner"].fields["country_id"].type == "integer"  # res_country missing too
    tags = [("res_partner_category", c, t, n) for c, t, n in (("id", "int4", True), ("name", "jsonb", True))]
    new = build_registry(_Cursor(COLUMNS + tags), "18.0")
    field = new.models["res.partner"].fields["category_id"]
    assert (field.type, field.relation, field.relation_table) == (
        "many2many",
        "res.partner.category",
        "res_partner_res_partner_category_rel",
    )
    assert new.models["res.partner.category"].fields["name"].translate
