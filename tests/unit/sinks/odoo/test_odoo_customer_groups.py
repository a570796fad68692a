"""Shop customer groups in Odoo (sinks.odoo.customer_groups, #14 item 7): the tag's name and payloads,
and which mode sends what. The integration test on the twin (tests/integration/sinks/odoo/
test_odoo_customer_groups.py) and the recorded real Odoo 18 exchanges (fixtures .../groups/) hold the
calls themselves."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest

from sandbox.sample.commands import customer_group as group
from sinks.common.errors import TerminalError
from sinks.common.handlers import CommandMeta
from sinks.odoo import mapping
from sinks.odoo.client import OdooClient
from sinks.odoo.config import ResolvedOdooConfig
from sinks.odoo.customer_groups import GroupWriter

pytestmark = pytest.mark.unit
META = CommandMeta("test", frozenset(), frozenset(), None, None)


class _Odoo:
    def __init__(self, tags: list[dict[str, Any]] | None = None, pricelists: tuple[int, ...] = ()) -> None:
        self.tags = {t["id"]: t for t in tags or []}
        self.pricelists = list(pricelists)
        self.calls: list[tuple[str, str, Any]] = []

    def search_read(self, model: str, domain: list[Any], fields: list[str], **_: Any) -> list[dict[str, Any]]:
        self.calls.append((model, "search_read", domain))
        if model == "product.pricelist":
            return [{"id": i, "name": f"PL {i}", "active": True} for i in self.pricelists if i == domain[0][2]]
        return [t for t in self.tags.values() if t["name"] == domain[0][2]]

    def create(self, model: str, values: list[dict[str, Any]], **_: Any) -> list[int]:
        self.calls.append((model, "create", values))
        new = max(self.tags, default=0) + 1
        self.tags[new] = {"id": new, **values[0]}
        return [new]

    def write(self, model: str, ids: list[int], values: dict[str, Any], **_: Any) -> bool:
        self.calls.append((model, "write", (ids, values)))
        self.tags[ids[0]].update(values)
        return True


def writer(odoo: _Odoo, mode: str, pricelist_groups: dict[int, int] | None = None) -> GroupWriter:
    options = SimpleNamespace(customer_groups=mode, lang="en_US", pricelist_groups=pricelist_groups or {})
    return GroupWriter(cast(OdooClient, odoo), cast(ResolvedOdooConfig, SimpleNamespace(options=options)))


def test_the_tag_is_named_in_the_erp_language_else_any_shop_language_else_by_key() -> None:
    assert mapping.group_tag_name(group(4, {"fr_FR": "Grossiste", "en_US": "Wholesale "}), "en_US") == "Wholesale"
    assert mapping.group_tag_name(group(4, {"fr_FR": "Grossiste", "de_DE": "Großhändler"}), "en_US") == "Großhändler"
    assert mapping.group_tag_name(group(4, {}), "en_US") == "PS-G-4"
    assert mapping.group_tag_domain("Wholesale") == [("name", "=", "Wholesale")]
    assert mapping.group_tag_values("Wholesale") == {"name": "Wholesale", "active": True}


def test_tags_mode_creates_the_tag_once_and_a_replay_writes_nothing() -> None:
    odoo = _Odoo()
    first = writer(odoo, "tags").upsert(group(4, {"en_US": "Wholesale"}), META)
    again = writer(odoo, "tags").upsert(group(4, {"en_US": "Wholesale"}), META)
    assert first.target_ids == again.target_ids == {"res.partner.category": "1"}
    assert (first.changed, again.changed) == (True, False)
    assert [c[1] for c in odoo.calls] == ["search_read", "create", "search_read"]
    assert odoo.calls[1][2] == [{"name": "Wholesale", "active": True}]


def test_a_merchants_tag_of_that_name_is_adopted_and_a_deleted_group_archives_it() -> None:
    odoo = _Odoo([{"id": 7, "name": "VIP", "active": True}])
    adopted = writer(odoo, "tags").upsert(group(5, {"en_US": "VIP"}), META)
    gone = writer(odoo, "tags").upsert(group(5, {"en_US": "VIP"}, deleted=True), META)
    back = writer(odoo, "tags").upsert(group(5, {"en_US": "VIP"}), META)
    assert adopted.target_ids == gone.target_ids == back.target_ids == {"res.partner.category": "7"}
    assert (adopted.changed, gone.changed, back.changed) == (False, True, True)
    assert [c[2] for c in odoo.calls if c[1] == "write"] == [([7], {"active": False}), ([7], {"active": True})]
    assert not [c for c in odoo.calls if c[1] == "create"]


def test_pricelist_mode_acks_the_mapped_pricelist_and_an_unmapped_group_as_not_synced() -> None:
    odoo = _Odoo(pricelists=(2, 3))
    mapped = writer(odoo, "pricelist", {3: 4, 2: 4}).upsert(group(4, {}), META)
    unmapped = writer(odoo, "pricelist", {3: 4}).upsert(group(9, {}), META)
    assert mapped.target_ids == {"product.pricelist": "2"} and not mapped.changed
    assert unmapped == unmapped.__class__({}, {"synced": "no"}, changed=False)
    with pytest.raises(TerminalError, match="pricelist 8, which Odoo does not have"):
        writer(odoo, "pricelist", {8: 4}).upsert(group(4, {}), META)
    assert all(c[1] == "search_read" for c in odoo.calls)


def test_off_mode_acks_without_a_call() -> None:
    odoo = _Odoo()
    applied = writer(odoo, "off").upsert(group(4, {"en_US": "Wholesale"}), META)
    assert (applied.target_ids, applied.written, applied.changed) == ({}, {"synced": "no"}, False)
    assert odoo.calls == []
