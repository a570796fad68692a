"""Commands of one customer never write its Odoo partner concurrently (#13: real Odoo answered "could not
serialize access due to concurrent update" on res_partner when a customer's Customer and Address commands
ran in parallel). A stand-in client keeps partners in memory and records every overlap of two calls."""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar, cast

import pytest

from sandbox.sample.commands import address, customer
from sinks.common.handlers import CommandMeta
from sinks.odoo.client import OdooClient
from sinks.odoo.config import ResolvedOdooConfig
from sinks.odoo.partners import upsert_address, upsert_customers

pytestmark = pytest.mark.unit
META = CommandMeta("c1", frozenset(), frozenset(), None, None)


def _matches(row: dict[str, Any], domain: list[Any]) -> bool:
    for name, op, value in domain:
        have = row.get(name) or False
        if op == "=" and have != (value or False):
            return False
        if op == "in" and have not in value:
            return False
        if op == "=like" and not str(have).startswith(str(value).rstrip("%")):
            return False
    return True


class MemoryOdoo:
    """res.partner in memory; each call takes 5 ms and notes when another call is in flight."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[str, Any]] = {}
        self.inside = 0
        self.overlaps = 0
        self.lock = threading.Lock()

    def _enter(self) -> None:
        with self.lock:
            self.inside += 1
            self.overlaps += self.inside > 1
        time.sleep(0.005)
        with self.lock:
            self.inside -= 1

    def search_read(self, model: str, domain: list[Any], fields: list[str], **_: Any) -> list[dict[str, Any]]:
        self._enter()
        return [dict(row) for row in self.rows.values() if _matches(row, domain)]

    def create(self, model: str, vals_list: list[dict[str, Any]], **_: Any) -> list[int]:
        self._enter()
        ids = []
        for vals in vals_list:
            new = len(self.rows) + 1
            email = vals.get("email")
            self.rows[new] = {"id": new, "active": True, **vals, "email_normalized": (email or "").lower() or False}
            ids.append(new)
        return ids

    def write(self, model: str, ids: list[int], vals: dict[str, Any], **_: Any) -> bool:
        self._enter()
        for i in ids:
            self.rows[i].update(vals)
        return True


class _Options:
    country_ids: ClassVar[dict[int, int]] = {}


class _Config:
    options = _Options


def _both(client: OdooClient, shop_id: int, address_id: int) -> list[threading.Thread]:
    config = cast(ResolvedOdooConfig, _Config)
    return [
        threading.Thread(target=upsert_customers, args=(client, [(customer(shop_id), META)])),
        threading.Thread(target=upsert_address, args=(client, config, address(address_id, shop_id), META)),
    ]


def test_a_customers_customer_and_address_commands_never_overlap() -> None:
    for round_ in range(20):
        odoo = MemoryOdoo()
        shop_id = 100 + round_
        threads = _both(cast(OdooClient, odoo), shop_id, 900 + round_)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert odoo.overlaps == 0, f"round {round_}: two commands of PS-{shop_id} wrote at the same time"
        customers = [r for r in odoo.rows.values() if r.get("ref") == f"PS-{shop_id}"]
        assert len(customers) == 1  # and the partner exists once, whoever came first
