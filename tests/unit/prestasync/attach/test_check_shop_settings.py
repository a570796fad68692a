"""`prestasync check` holds shop.shop_id / shop_group_id / languages against the shop's own tables."""

from __future__ import annotations

from typing import Any

import pytest

from kernel.settings import Settings
from prestasync.attach.check_shop import _configured_shop
from prestasync.attach.findings import Report

pytestmark = pytest.mark.unit


class Cursor:
    """Answers the two queries from rows given per table."""

    def __init__(self, shops: list[dict[str, Any]], langs: list[dict[str, Any]]) -> None:
        self.shops, self.langs, self.rows = shops, langs, []

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> None:
        if "`ps_shop` s" in sql:
            self.rows = [s for s in self.shops if s["id_shop"] == args[0]]
        else:
            self.rows = self.langs

    def fetchone(self) -> dict[str, Any] | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[dict[str, Any]]:
        return self.rows


SHOPS = [{"id_shop": 1, "id_shop_group": 1, "share_stock": 0}, {"id_shop": 2, "id_shop_group": 2, "share_stock": 1}]
LANGS = [
    {"id_lang": 1, "language_code": "en-us", "active": 1},
    {"id_lang": 2, "language_code": "fr-fr", "active": 1},
    {"id_lang": 3, "language_code": "de-de", "active": 0},
]


def findings(**shop: Any) -> list[tuple[str, str, str]]:
    report = Report("shop")
    _configured_shop(Cursor(SHOPS, LANGS), Settings.model_validate({"shop": shop}), report)
    return [(f.check, f.status, f.detail) for f in report.findings]


def test_a_matching_shop_passes() -> None:
    assert [(c, s) for c, s, _ in findings(languages={1: "en_US", 2: "fr_FR"})] == [
        ("shop", "ok"),
        ("shop languages", "ok"),
    ]


def test_wrong_ids_and_languages_are_problems_each_with_its_fix() -> None:
    found = findings(shop_id=9, languages={1: "en_US", 3: "de_DE"})
    assert [(c, s) for c, s, _ in found] == [
        ("shop", "problem"),
        ("shop languages", "problem"),
        ("shop languages", "warning"),
    ]
    assert "shop.shop_id 9" in found[0][2] and "3 (de_DE)" in found[1][2] and "2 (fr-fr)" in found[2][2]
    group = findings(shop_id=1, shop_group_id=2, languages={1: "en_US", 2: "fr_FR"})
    assert group[0][:2] == ("shop", "problem") and "belongs to shop group 1, not shop.shop_group_id 2" in group[0][2]
    shared = findings(shop_id=2, shop_group_id=2, languages={1: "en_US", 2: "fr_FR"})
    assert shared[0][:2] == ("shop", "warning") and "shares its stock" in shared[0][2]
