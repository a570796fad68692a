"""Issue #20: the merchant's change of an order's state crossing the sink's status write. PrestaShop
has no conditional write, so the sink reads the order and its history back after writing: a newer state
(after our row) stands, an overwritten one (between our read and our row) is put back; either way the
ack is stale with the shop's state, which the streams forward to the ERP. Recorded on the real
PrestaShop 8.1.2 as the ``crossing`` scenario (tests/real/scenario_prestashop.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.order import OrderStatus
from sinks.common.errors import TerminalError, TransientError
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


def test_a_cancellation_between_the_order_read_and_the_history_read_is_read_again_not_overwritten(
    ps_sink, prestashop_twin, monkeypatch
) -> None:
    """The chaos short run's stale overwrite (CI, sigstop-sink-odoo): the merchant cancelled after the sink
    read the order (still paid) and before it read the history, so the cancellation was among the rows
    "seen" and our processing row went over it unnoticed. Now the order and its newest history row are
    read until they agree: the order moved, so the command is retried (transient), and the retry is
    stale with the cancellation. Nothing of ours is written."""
    order_id = create_order(ps_sink.client, "CROSS0004")
    handle = ps_sink.handlers()[OrderStatus]
    find = ps_sink.client.find
    done: list[bool] = []

    def merchant_cancels_then_find(resource, *args, **kwargs):
        if resource == "order_histories" and not done:
            done.append(True)
            merchant_cancels(prestashop_twin, order_id)
        return find(resource, *args, **kwargs)

    monkeypatch.setattr(ps_sink.client, "find", merchant_cancels_then_find)
    command = status("CROSS0004", "processing", datetime.now(UTC))
    with pytest.raises(TransientError, match=r"moved in the shop while read \(state 11, then 6\)"):
        handle(command, meta(expected={"state": "paid"}))
    retried = handle(command, meta(expected={"state": "paid"}))
    assert retried.stale and not retried.changed and retried.written == {"state": "cancelled"}
    assert history(prestashop_twin, order_id)[-1] == (1, 6)  # nothing of ours after it
    assert all(state != 3 for _, state in history(prestashop_twin, order_id))


def test_a_half_written_shop_change_is_read_until_it_is_whole(ps_sink, prestashop_twin, monkeypatch) -> None:
    """Caught between the history row and the order update of the shop's change (OrderHistory::add writes
    them one after the other, no transaction: DESIGN.md 2.4): the sink reads again until both agree, then
    decides on the cancellation. An order whose history never agrees with it (rows written around
    PrestaShop) is taken at the order's state after a second, not retried for ever (control)."""
    order_id = create_order(ps_sink.client, "CROSS0005")
    handle = ps_sink.handlers()[OrderStatus]
    prestashop_twin.sql(
        "INSERT INTO ps_order_history (id_employee, id_order, id_order_state, date_add) VALUES (1, %s, 6, NOW())",
        (order_id,),
    )  # the history row of the merchant's cancellation; the order update follows at the sink's next read
    get = ps_sink.client.get

    def order_update_then_get(resource, *args, **kwargs):
        prestashop_twin.sql("UPDATE ps_orders SET current_state = 6 WHERE id_order = %s", (order_id,))
        return get(resource, *args, **kwargs)

    monkeypatch.setattr(ps_sink.client, "get", order_update_then_get)
    with pytest.raises(TransientError, match="moved in the shop while read"):
        handle(status("CROSS0005", "processing", datetime.now(UTC)), meta(expected={"state": "paid"}))
    monkeypatch.setattr(ps_sink.client, "get", get)
    assert handle(status("CROSS0005", "processing", datetime.now(UTC)), meta(expected={"state": "paid"})).stale

    order_id = create_order(ps_sink.client, "CROSS0007")
    prestashop_twin.sql(
        "INSERT INTO ps_order_history (id_employee, id_order, id_order_state, date_add) VALUES (1, %s, 8, NOW())",
        (order_id,),
    )  # a row the order never followed
    applied = handle(status("CROSS0007", "processing", datetime.now(UTC)), meta(expected={"state": "paid"}))
    assert applied.changed and applied.written == {"state": "processing"}


def test_the_shop_changes_that_cross_our_write_stand_or_are_put_back_never_run_twice(
    ps_sink, prestashop_twin, monkeypatch
) -> None:
    """The shop's change (OrderHistory::add: its history row, then the order's state) crossing ours.
    Its row before ours and its order update after our write: the order holds the cancellation, the ack
    is stale with it and nothing is put back (a second cancellation row would restock twice; the old
    code dead-lettered this one). Both of its writes inside ours (its row after our row, its order update
    before ours): our write overwrote the cancellation in the order; it is put back."""
    find, create = ps_sink.client.find, ps_sink.client.create
    handle = ps_sink.handlers()[OrderStatus]

    def crossing(reference: str, before_ours: str, after_ours: str) -> int:
        order_id = create_order(ps_sink.client, reference)
        reads: list[bool] = []
        writes = {
            "history": (
                "INSERT INTO ps_order_history (id_employee, id_order, id_order_state, date_add) "
                "VALUES (1, %s, 6, NOW())"
            ),
            "order": "UPDATE ps_orders SET current_state = 6 WHERE id_order = %s",
        }

        def shop_writes_after_our_read(resource, *args, **kwargs):
            found = find(resource, *args, **kwargs)
            if resource == "order_histories" and not reads:
                reads.append(True)
                prestashop_twin.sql(writes[before_ours], (order_id,))
            return found

        def create_then_shop_writes(*args, **kwargs):
            created = create(*args, **kwargs)
            if args[0] == "order_histories" and len(reads) == 1:
                reads.append(True)
                prestashop_twin.sql(writes[after_ours], (order_id,))
            return created

        monkeypatch.setattr(ps_sink.client, "find", shop_writes_after_our_read)
        monkeypatch.setattr(ps_sink.client, "create", create_then_shop_writes)
        crossed = handle(status(reference, "processing", datetime.now(UTC)), meta(expected={"state": "paid"}))
        assert crossed.stale and not crossed.changed and crossed.written == {"state": "cancelled"}
        assert prestashop_twin.sql("SELECT current_state FROM ps_orders WHERE id_order = %s", (order_id,)) == [
            {"current_state": 6}
        ]
        return order_id

    stood = crossing("CROSS0006", before_ours="history", after_ours="order")
    assert history(prestashop_twin, stood)[-2:] == [(1, 6), (0, 3)]  # no put-back row
    restored = crossing("CROSS0008", before_ours="order", after_ours="history")
    assert history(prestashop_twin, restored)[-3:] == [(0, 3), (1, 6), (0, 6)]  # ours, the shop's, put back


def history(twin, order_id: int) -> list[tuple[int, int]]:
    rows = twin.sql(
        "SELECT id_employee, id_order_state FROM ps_order_history WHERE id_order = %s ORDER BY id_order_history",
        (order_id,),
    )
    return [(int(r["id_employee"]), int(r["id_order_state"])) for r in rows]
