"""Pure helpers of the Odoo sink: which fields an update writes, what differs, state actions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sinks.odoo import mapping

pytestmark = pytest.mark.unit


def test_update_values_keep_only_asserted_non_create_only_fields() -> None:
    values = {"name": "Ada", "email": "a@x", "ref": "PS-1", "lang": "fr_FR"}
    sources = mapping.PARTNER_FIELD_SOURCES
    assert mapping.update_values(values, sources, frozenset(), frozenset()) == {
        "name": "Ada",
        "email": "a@x",
        "lang": "fr_FR",
    }
    assert mapping.update_values(values, sources, frozenset({"email"}), frozenset()) == {"email": "a@x"}
    assert mapping.update_values(values, sources, frozenset(), frozenset({"lang"})) == {"name": "Ada", "email": "a@x"}


def test_changed_values_compare_as_odoo_reads() -> None:
    current = {"name": "Ada", "email": False, "country_id": [8, "France"], "price": 12.5}
    wanted = {"name": "Ada", "email": None, "country_id": 8, "price": Decimal("12.50")}
    assert mapping.changed_values(wanted, current) == {}
    assert mapping.changed_values({"email": "a@x", "country_id": 9}, current) == {"email": "a@x", "country_id": 9}


def test_target_order_state() -> None:
    confirm, cancel = frozenset({"paid"}), frozenset({"cancelled"})
    assert mapping.target_order_state("paid", "draft", confirm, cancel) == "confirm"
    assert mapping.target_order_state("paid", "sale", confirm, cancel) is None
    assert mapping.target_order_state("cancelled", "sale", confirm, cancel) == "cancel"
    assert mapping.target_order_state("cancelled", "cancel", confirm, cancel) is None
    assert mapping.target_order_state("awaiting_payment", "draft", confirm, cancel) is None
