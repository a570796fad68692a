"""Issue #20: the merchant's change of an order's state crossing the sink's status write. PrestaShop
has no conditional write, so the sink reads the order and its history back after writing: a newer state
(after our row) stands, an overwritten one (between our read and our row) is put back; either way the
ack is stale with the shop's state, which the streams forward to the ERP. Recorded on the real
PrestaShop 8.1.2 as the ``crossing`` scenario (tests/real/scenario_prestashop.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.order import OrderStatus
from sinks.common.errors import TerminalError
from tests.integration.sinks.prestashop.commands import create_order, meta, status

pytestmark = pytest.mark.integration


def merchant_cancels(twin, order_id: int) -> None:
    """The back office's status change: an employee's history row, the order's new state."""
    twin.sql(
        "INSERT INTO ps_order_history (id_employee, id_order, id_order_state, date_add) VALUES (1, %s, 6, NOW())",
        (order_id,),
    )
    twin.sql("UPDATE ps_orders SET current_state = 6 WHERE id_order = %s", (order_id,))


def test_a_cancellation_crossing_our_status_write_is_the_newer_state_not_a_dead_letter(
    ps_sink, prestashop_twin, monkeypatch
) -> None:
    """Issue #20: the merchant cancels between our history row and the order's read back. Our row was
    written and superseded: the ack is stale with the shop's state (the streams forward it to the ERP),
    not a dead letter. Control: an order that did not move into our state with no newer row is refused."""
    order_id = create_order(ps_sink.client, "CROSS0001")
    handle = ps_sink.handlers()[OrderStatus]
    create = ps_sink.client.create

    def create_then_merchant_cancels(*args, **kwargs):
        created = create(*args, **kwargs)
        if args[0] == "order_histories":
            merchant_cancels(prestashop_twin, order_id)
        return created

    monkeypatch.setattr(ps_sink.client, "create", create_then_merchant_cancels)
    crossed = handle(status("CROSS0001", "processing", datetime.now(UTC)), meta(expected={"state": "paid"}))
    assert crossed.stale and not crossed.changed and crossed.written == {"state": "cancelled"}
    ours = int(crossed.target_ids["order_histories"])
    history = prestashop_twin.sql(
        "SELECT id_order_history, id_order_state FROM ps_order_history WHERE id_order = %s ORDER BY id_order_history",
        (order_id,),
    )
    assert [r["id_order_state"] for r in history][-1] == 6 and history[-2]["id_order_history"] == ours

    # control: the order is put back where it was, with no newer history row: a refusal, named
    def create_then_order_stays(*args, **kwargs):
        created = create(*args, **kwargs)
        if args[0] == "order_histories":
            prestashop_twin.sql("UPDATE ps_orders SET current_state = 6 WHERE id_order = %s", (order_id,))
        return created

    monkeypatch.setattr(ps_sink.client, "create", create_then_order_stays)
    with pytest.raises(TerminalError, match="but the order is in state 6"):
        handle(status("CROSS0001", "shipped", datetime.now(UTC)), meta(expected={"state": "cancelled"}))


def test_a_cancellation_between_our_read_and_our_write_is_put_back(ps_sink, prestashop_twin, monkeypatch) -> None:
    """The merchant cancels after the sink read the order (awaiting payment) and before its history row:
    our row moved the cancelled order to "processing". The sink finds the cancellation just before its
    row and writes it again: the order ends cancelled and the ack is stale with it, not a lost cancel."""
    order_id = create_order(ps_sink.client, "CROSS0002")
    handle = ps_sink.handlers()[OrderStatus]
    create = ps_sink.client.create

    def merchant_cancels_then_create(*args, **kwargs):
        if args[0] == "order_histories" and not cancelled:
            cancelled.append(True)
            merchant_cancels(prestashop_twin, order_id)
        return create(*args, **kwargs)

    cancelled: list[bool] = []
    monkeypatch.setattr(ps_sink.client, "create", merchant_cancels_then_create)
    crossed = handle(status("CROSS0002", "processing", datetime.now(UTC)), meta(expected={"state": "paid"}))
    assert crossed.stale and not crossed.changed and crossed.written == {"state": "cancelled"}
    rows = prestashop_twin.sql(
        "SELECT id_order_history, id_employee, id_order_state FROM ps_order_history WHERE id_order = %s "
        "ORDER BY id_order_history",
        (order_id,),
    )
    # ..., the merchant's cancellation, our processing over it, the cancellation put back (by us)
    assert [(r["id_employee"], r["id_order_state"]) for r in rows[-3:]] == [(1, 6), (0, 3), (0, 6)]
    assert int(crossed.target_ids["order_histories"]) == rows[-1]["id_order_history"]
    assert prestashop_twin.sql("SELECT current_state FROM ps_orders WHERE id_order = %s", (order_id,)) == [
        {"current_state": 6}
    ]
    # control: the same write with nothing crossing it is applied, and nothing is put back
    order_id = create_order(ps_sink.client, "CROSS0003")
    monkeypatch.setattr(ps_sink.client, "create", create)
    applied = handle(status("CROSS0003", "processing", datetime.now(UTC)), meta(expected={"state": "paid"}))
    assert applied.changed and not applied.stale and applied.written == {"state": "processing"}
    assert prestashop_twin.sql("SELECT current_state FROM ps_orders WHERE id_order = %s", (order_id,)) == [
        {"current_state": 3}
    ]
