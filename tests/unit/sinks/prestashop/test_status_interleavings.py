"""Issue #20 item 1, the shop sink's side: every interleaving of a merchant's cancellation with the sink's
status write. PrestaShop has no transaction around a state change (OrderHistory::add inserts the history
row, then updates the order's state: DESIGN.md 2.4), so the merchant's two writes can land between any
two of the sink's reads and inside its own write (the same two steps). Over all of them, with the
worker's retries: the cancellation is what the shop ends on, no cancellation runs its effects twice (a
restock), and no crossing is a dead letter.

The shop is an in-memory model of the two tables the handler reads and writes; the handler is the real
one (sinks/prestashop/orders.py), its client calls answered by the model.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from schemas.order import OrderState, OrderStatusChange
from schemas.records import Envelope
from sinks.common.errors import TerminalError, TransientError
from sinks.common.handlers import Applied, CommandMeta
from sinks.prestashop import orders
from sinks.prestashop.config import PrestaShopSinkConfig
from sinks.prestashop.lookup import ShopLookup

pytestmark = pytest.mark.unit

PAID, PROCESSING, CANCELLED = 11, 3, 6
ATTEMPTS = 6  # the worker's retries of a transient error


@dataclass
class Shop:
    """``orders.current_state`` and ``order_history`` of one order. Every write is one step; before
    step ``at[0]`` the merchant's history row is inserted, before ``at[1]`` the order's state set."""

    at: tuple[int, int]
    state: int = PAID
    history: list[tuple[int, int, int]] = field(default_factory=lambda: [(1, PAID, 0)])  # id, state, employee
    steps: int = 0
    merchant: int = 0  # how many of the merchant's two writes are done
    double_effects: int = 0  # a state entered while the order already held it (a second restock)

    def _step(self) -> None:
        while self.merchant < 2 and self.steps >= self.at[self.merchant]:
            if self.merchant == 0:
                self.history.append((len(self.history) + 1, CANCELLED, 1))
            else:
                self._enter(CANCELLED)
            self.merchant += 1
        self.steps += 1

    def _enter(self, state: int) -> None:
        self.double_effects += self.state == state
        self.state = state

    def finish(self) -> None:
        self.at = (0, 0)
        self._step()

    # -- the client calls OrderHandlers makes --------------------------------------------------
    def find_one(self, resource: str, filters: dict[str, Any]) -> dict[str, Any]:
        self._step()
        return {
            "id": 7,
            "reference": filters["reference"],
            "current_state": self.state,
            "total_paid_real": "12",
            "total_paid_tax_incl": "12",
        }

    def get(self, resource: str, node: str, entity: int) -> dict[str, Any]:
        self._step()
        return {"id": 7, "current_state": self.state}

    def find(self, resource: str, filters: dict[str, Any]) -> list[dict[str, Any]]:
        self._step()
        return [
            {"id": i, "id_order": 7, "id_order_state": s, "id_employee": e, "date_add": "2026-12-02 10:00:00"}
            for i, s, e in self.history
        ]

    def create(self, resource: str, node: str, values: dict[str, Any], params: Any = None) -> dict[str, Any]:
        self._step()  # PrestaShop's OrderHistory::add: the row ...
        row = (len(self.history) + 1, int(values["id_order_state"]), 0)
        self.history.append(row)
        self._step()  # ... then the order's state
        self._enter(row[1])
        return {"id": row[0]}

    def refuse(self, reason: str) -> TerminalError:
        return TerminalError(reason)


def _handle(shop: Shop) -> Applied:
    config = PrestaShopSinkConfig(api_url="http://127.0.0.1:9/api", api_key="K" * 32)
    handlers = orders.OrderHandlers(shop, ShopLookup(shop, 1), config)  # type: ignore[arg-type]
    at = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    record = OrderStatusChange(
        envelope=Envelope(
            canonical_key="ORDREF",
            origin_system="odoo",
            origin_table="sale_order",
            origin_id="7",
            source_ts=at,
            source_position="0",
            snapshot=False,
            deleted=False,
            content_hash="",
        ),
        order_origin_id="7",
        state=OrderState(code="processing", origin_state="sale"),
        changed_at=at,
    ).sealed()
    meta = CommandMeta(uuid.uuid4().hex, frozenset(), frozenset(), None, "ORDREF", {"state": "paid"})
    for _ in range(ATTEMPTS):
        try:
            return handlers.set_status(record, meta)
        except TransientError:
            continue
    raise AssertionError(f"still transient after {ATTEMPTS} attempts: {shop}")


# the sink's steps in the longest run (retries and settle re-reads included) stay below this
SPAN = 24
# The merchant's two writes are consecutive statements of one request (OrderHistory::add: the row, a
# SELECT of the order, its UPDATE), well under a millisecond apart, while each of the sink's steps is an
# HTTP round trip: at most two of them fit between the two. (A history row the order never follows is
# not a change in progress but rows written around PrestaShop: test_status_crossing.py's control.)
MAX_GAP = 2


@pytest.mark.parametrize("first", range(SPAN))
def test_every_interleaving_of_a_cancellation_ends_cancelled_once(first: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(orders, "SETTLE_PAUSE_S", 0.0)
    for second in range(first, min(first + MAX_GAP, SPAN) + 1):
        shop = Shop((first, second))
        applied = _handle(shop)  # a TerminalError here is a crossing dead-lettered
        shop.finish()
        where = f"merchant's row before step {first}, order update before step {second}: {shop.history}"
        assert shop.state == CANCELLED, where
        if shop.history[-1][1] != CANCELLED:
            # the one interleaving that leaves our row last: the merchant's row before ours, its order update
            # after ours. The order holds the cancellation; only the history's last line is ours (writing
            # the cancellation again would run its effects twice)
            assert shop.history[-2:] == [(len(shop.history) - 1, CANCELLED, 1), (len(shop.history), PROCESSING, 0)]
        assert shop.double_effects == 0, where
        ours = [i for i, s, e in shop.history if e == 0 and s == PROCESSING]
        if applied.stale:  # refused: the ack names the shop's cancellation for the streams to forward
            assert applied.written == {"state": "cancelled"}, where
        else:  # written before the merchant's change began: it is simply the newer change
            assert applied.changed and ours, where
            assert all(i < j for i in ours for j, s, e in shop.history if e == 1), where  # ours came first
