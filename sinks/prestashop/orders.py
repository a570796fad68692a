"""ERP -> shop order updates: status (order_histories) and tracking number (order_carriers).

Both read before writing. A status is added only when the order is not in it already and has not
been in it since the change happened (a history row for that state written by us — no employee —
dated at or after the change): a replayed, older status change must neither duplicate a history row
nor roll the order back. Nor is it added when the order no longer holds the state the command
replaces (``CommandMeta.expected``): the shop changed it since the ERP's status was derived (a
cancellation crossing the ERP's confirmation), and writing would overwrite that newer change; the
command is refused as stale and the ack says what the order holds, so the streams forward it.

PrestaShop has no conditional write, so the shop can still move the order between our read and our
write, or between our write and its read back: after writing, the order and its history are read
back. A shop change that crossed ours (its history row after ours, or between our read and ours)
stands if the order holds it, and is put back if our write overwrote it in the order. Either way
the command is refused as stale with the shop's state. PrestaShop writes an order's history row and
its state one after the other without a transaction: both are read until they agree.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from decimal import Decimal
from typing import Any

from schemas.order import OrderStatus, OrderStatusChange
from schemas.records import Canonical, Shipment
from sinks.common.errors import TerminalError, TransientError
from sinks.common.handlers import Applied, CommandMeta
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.config import PrestaShopSinkConfig
from sinks.prestashop.fields import same_value
from sinks.prestashop.lookup import ShopLookup, entity_id

log = logging.getLogger(__name__)
SETTLE_READS = 5  # reads of an order and its history, SETTLE_PAUSE_S apart, until they agree
SETTLE_PAUSE_S = 0.2


def _paid_in_full(order: dict[str, Any]) -> bool:
    """PrestaShop records a payment when an order enters a paid state with money still due."""
    try:
        return Decimal(str(order.get("total_paid_real") or 0)) >= Decimal(str(order.get("total_paid_tax_incl") or 0))
    except ArithmeticError:
        return False


def _state(history: dict[str, Any]) -> int:
    return int(history.get("id_order_state") or 0)


def _crossed(rows: list[dict[str, Any]], seen: int, written: int, ours: int) -> int:
    """The state of the shop's change that crossed our history row ``written`` (0: none): its row
    after ours (the newest), else its row between ``seen`` (the newest at our read) and ours. The same
    state as ours crosses nothing."""
    after = [h for h in rows if entity_id(h) > written]
    between = [h for h in rows if seen < entity_id(h) < written]
    shop = max(after or between, key=entity_id, default=None)
    state = _state(shop) if shop is not None else 0
    return 0 if state == ours else state


class OrderHandlers:
    def __init__(self, client: PrestaShopClient, lookup: ShopLookup, config: PrestaShopSinkConfig) -> None:
        self.client = client
        self.lookup = lookup
        self.config = config

    def _mail_params(self) -> dict[str, str] | None:
        return {"sendemail": "1"} if self.config.send_emails else None

    def _state_code(self, state_id: int) -> str:
        """The code the streams will read for this shop state (its render when unmapped)."""
        code = self.config.order_states.shop.get(state_id)
        return code if code is not None else f"origin:{state_id}"

    def _wall_clock(self, moment: datetime) -> str:
        return moment.astimezone(self.config.shop_timezone).strftime("%Y-%m-%d %H:%M:%S")

    def set_status(self, record: Canonical, meta: CommandMeta) -> Applied:
        assert isinstance(record, OrderStatus | OrderStatusChange)
        code = record.state.code
        state_id = self.config.order_states.to_shop.get(code) if code else None
        if state_id is None:
            raise TerminalError(
                f"prestashop: no shop order state for the state {code!r} "
                f"(origin state {record.state.origin_state!r}): add it to order_states.to_shop"
            )
        order = self.lookup.existing_order(record.envelope.canonical_key or meta.key)
        order_id = entity_id(order)
        current = int(order.get("current_state") or 0)
        ids = {"orders": str(order_id)}
        state_id = self.config.order_states.shop_state_for(code or "", current, _paid_in_full(order))
        if not meta.asserts("state") or current == state_id:  # only an asserted state is written
            return Applied(ids, {"state": self._state_code(current)}, changed=False)
        if meta.outdated("state", self._state_code(current)):
            # the order moved since the command was derived (a shop cancellation, issue #20): refused as
            # stale whatever it asks, so the streams forward the shop's newer state to the ERP
            return Applied.refused(ids, {"state": self._state_code(current)})
        if state_id is None:  # an unpaid order is never moved into a paid state (#13)
            return Applied(ids, {"state": self._state_code(current)}, changed=False)
        changed_at = record.changed_at if isinstance(record, OrderStatusChange) else None
        since = self._wall_clock(changed_at or record.envelope.source_ts)
        settled, histories = self._settled(order_id, current)
        if settled != current:  # moved since the lookup: decide again on what it holds now
            raise TransientError(
                f"prestashop: order {record.envelope.canonical_key!r} moved in the shop while read "
                f"(state {current}, then {settled}): read again"
            )
        newest = max(histories, key=entity_id, default=None)
        seen = entity_id(newest) if newest is not None else 0  # the newest row when we read the order
        if any(
            _state(h) == state_id and str(h.get("date_add", "")) >= since and not int(h.get("id_employee") or 0)
            for h in histories
        ):
            # Applied before (this is a replay) and superseded since: leave the order where it is. Only
            # rows written without an employee (the webservice: ours) count: dates have one-second
            # precision, and a merchant's own change of the same second (a cancellation the ERP has
            # just granted, while our write of its previous state crossed it) is not a replay of ours.
            return Applied(ids, {"state": self._state_code(current)}, changed=False)
        created = self.client.create(
            "order_histories", "order_history", {"id_order": order_id, "id_order_state": state_id}, self._mail_params()
        )
        return self._read_back(record, ids | {"order_histories": str(entity_id(created))}, state_id, seen)

    def _read_back(self, record: Canonical, ids: dict[str, str], state_id: int, seen: int) -> Applied:
        """The history row's answer does not say whether the order moved: read the order and its
        history back before acking. ``seen``: the newest history row when we read the order."""
        order_id, written = int(ids["orders"]), int(ids["order_histories"])
        after, rows = self._settled(order_id, None)
        crossed = _crossed(rows, seen, written, state_id)
        if not crossed:
            if after != state_id:
                raise self.client.refuse(
                    f"order {record.envelope.canonical_key!r}: history row {written} "
                    f"for state {state_id} written, but the order is in state {after}"
                )
            return Applied(ids, {"state": self._state_code(after)}, changed=True)
        if after == crossed:
            # the shop's change and ours crossed, and the order holds the shop's state (its row after ours,
            # or its order update after our write): it stands. Refused as stale so the streams forward it
            # to the ERP, as when the move comes before our read. Writing it again would run its effects
            # twice (a cancellation's restock).
            return Applied.refused(ids, {"state": self._state_code(after)})
        if after != state_id:
            raise self.client.refuse(
                f"order {record.envelope.canonical_key!r}: history row {written} for state {state_id} "
                f"written across the shop's change to state {crossed}, but the order is in state {after}"
            )
        # our write overwrote the shop's newer state in the order (PrestaShop has no conditional write:
        # the merchant's cancellation came between our read and our write). Put it back and refuse as
        # stale with it, so the streams forward it to the ERP. The order is read once more after the
        # history: its own update may have landed since (then it holds the state, and a second write
        # would run its effects twice).
        if int(self.client.get("orders", "order", order_id).get("current_state") or 0) == crossed:
            return Applied.refused(ids, {"state": self._state_code(crossed)})
        restored = self.client.create(
            "order_histories",
            "order_history",
            {"id_order": order_id, "id_order_state": crossed},
            self._mail_params(),
        )
        return Applied.refused(
            ids | {"order_histories": str(entity_id(restored))}, {"state": self._state_code(crossed)}
        )

    def _settled(self, order_id: int, current: int | None) -> tuple[int, list[dict[str, Any]]]:
        """The order's state and its history rows once they agree. PrestaShop writes a history row,
        then the order's new state (OrderHistory::add), with no transaction: caught between the two, they
        disagree for a few milliseconds. ``current``: the state just read, if any. Still disagreeing
        after a second: rows written around PrestaShop (SQL, an import); the order's state rules."""
        state, rows, newest = current, [], None
        for attempt in range(SETTLE_READS):
            if state is None or attempt:
                state = int(self.client.get("orders", "order", order_id).get("current_state") or 0)
            rows = self.client.find("order_histories", {"id_order": order_id})
            newest = max(rows, key=entity_id, default=None)
            if newest is None or _state(newest) == state:
                return state, rows
            time.sleep(SETTLE_PAUSE_S)
        assert state is not None and newest is not None
        log.warning(
            "prestashop: order %s is in state %s but its newest history row %s says %s: taking the order's",
            order_id,
            state,
            entity_id(newest),
            _state(newest),
        )
        return state, rows

    def set_tracking(self, record: Canonical, meta: CommandMeta) -> Applied:
        assert isinstance(record, Shipment)
        order = self.lookup.existing_order(record.order_key)
        order_id = entity_id(order)
        carriers = sorted(self.client.find("order_carriers", {"id_order": order_id}), key=entity_id)
        if not carriers:
            raise self.client.refuse(f"order {record.order_key!r} has no order_carrier row to track")
        carrier = carriers[-1]  # the latest carrier row is the one being shipped
        ids = {"orders": str(order_id), "order_carriers": str(entity_id(carrier))}
        stored = carrier.get("tracking_number", "")
        if record.tracking_number is None or same_value(stored, record.tracking_number):
            return Applied(ids, {"tracking_number": str(stored)}, changed=False)
        updated = self.client.update(
            "order_carriers",
            "order_carrier",
            entity_id(carrier),
            {"tracking_number": record.tracking_number},
            self._mail_params(),
        )
        return Applied(ids, {"tracking_number": str(updated.get("tracking_number", ""))}, changed=True)
