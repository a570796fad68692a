"""Order status between the systems (the ``order_status`` entity), on captured Debezium events of one
order (shop R00807777 and the ERP order holding that client reference) varied field by field:
the ERP's confirmed / shipped / cancelled reach the shop, a quotation does not, a shop cancellation
is forwarded to the ERP, and other shop-side states are left alone."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import pytest

from schemas import topics
from schemas.acks import SinkAck
from schemas.order import Order, OrderStatus
from streams.outputs import Out
from tests.unit.streams.pipeline import ERP_COMMANDS, SHOP_COMMANDS, Pipeline, event, varied

pytestmark = pytest.mark.unit

ORDER_ROWS = [
    "orders_insert",
    "order_detail_insert_1",
    "order_detail_insert_2",
    "order_history_insert",
    "orders_update_state",
    "order_cart_rule_insert",
]


def imported() -> Pipeline:
    """The shop order placed (awaiting payment, state 10) and sent to the ERP."""
    pipeline = Pipeline()
    commands = pipeline.feed([event("prestashop", name) for name in ORDER_ROWS])
    assert [(o.topic, type(pipeline.decode(o))) for o in commands] == [(ERP_COMMANDS, Order)]
    return pipeline


def status_commands(pipeline: Pipeline, outs: list[Out]) -> list[tuple[str, str | None]]:
    found = []
    for out in outs:
        record = pipeline.decode(out)
        assert isinstance(record, OrderStatus), record
        assert out.key == b"R00807777" and record.order_ref == "R00807777"
        found.append((out.topic, record.state.code))
    return found


@pytest.mark.parametrize(
    ("erp_after", "expected"),
    [
        ({"state": "sale", "delivery_status": None}, [(SHOP_COMMANDS, "processing")]),
        ({"state": "sale", "delivery_status": "pending"}, [(SHOP_COMMANDS, "processing")]),
        ({"state": "sale", "delivery_status": "full"}, [(SHOP_COMMANDS, "shipped")]),
        ({"state": "cancel", "delivery_status": None}, [(SHOP_COMMANDS, "cancelled")]),
        ({"state": "draft", "delivery_status": None}, []),  # a quotation has no shop state
        ({"state": "sale", "client_order_ref": None}, []),  # not an order of the shop
    ],
)
def test_erp_order_states_reach_the_shop_through_the_state_map(
    erp_after: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    pipeline = imported()
    outs = pipeline.feed([varied("odoo", "sale_order_update_confirm", 1, **erp_after)])
    assert status_commands(pipeline, outs) == expected


def test_erp_progress_is_sent_once_per_change_and_the_shops_echo_is_dropped() -> None:
    pipeline = imported()
    confirmed = pipeline.feed([varied("odoo", "sale_order_update_confirm", 1, state="sale")])
    assert status_commands(pipeline, confirmed) == [(SHOP_COMMANDS, "processing")]
    # the shop sink wrote state 3: its CDC echo sends nothing back; an unrelated ERP update neither
    echo = pipeline.feed(
        [
            varied("prestashop", "orders_update_state", 2, current_state=3),
            varied("odoo", "sale_order_update_confirm", 3, state="sale", note="packed"),
        ]
    )
    assert echo == []
    shipped = pipeline.feed([varied("odoo", "sale_order_update_confirm", 4, state="sale", delivery_status="full")])
    assert status_commands(pipeline, shipped) == [(SHOP_COMMANDS, "shipped")]


def test_a_shop_cancellation_is_forwarded_to_the_erp_and_its_answer_is_no_new_change() -> None:
    pipeline = imported()
    pipeline.feed(
        [
            varied("odoo", "sale_order_update_confirm", 1, state="sale"),
            varied("prestashop", "orders_update_state", 2, current_state=3),
        ]
    )
    cancel = pipeline.feed([varied("prestashop", "orders_update_state", 3, current_state=6)])
    assert status_commands(pipeline, cancel) == [(ERP_COMMANDS, "cancelled")]
    # the ERP cancels (written by the integration user): nothing goes back to the shop
    answer = pipeline.feed([varied("odoo", "sale_order_update_confirm", 4, state="cancel", write_uid=6)])
    assert answer == []


def test_other_shop_states_after_import_are_left_to_the_shop() -> None:
    pipeline = imported()
    pipeline.feed(
        [
            varied("odoo", "sale_order_update_confirm", 1, state="sale"),
            varied("prestashop", "orders_update_state", 2, current_state=3),
        ]
    )
    # the merchant marks it delivered in the shop: not forwarded, and not overwritten with "processing"
    assert pipeline.feed([varied("prestashop", "orders_update_state", 3, current_state=5)]) == []


def acked_import(pipeline: Pipeline, written_state: str) -> None:
    """The Odoo sink's ack of the order command, saying which state the ERP order was left in."""
    [command] = [o for o in pipeline.sent if o.topic == ERP_COMMANDS]
    order = pipeline.decode(command)
    ack = SinkAck(
        envelope=order.envelope,
        command_id=dict(command.headers)[topics.HEADER_COMMAND_ID].decode(),
        target_system="odoo",
        command_entity="order",
        status="applied",
        target_ids={"sale.order": "2"},
        written={"state": written_state},
        applied_ts=order.envelope.source_ts + timedelta(seconds=1),
    ).sealed()

    async def deliver() -> None:
        async with pipeline.app.process_agent.test_context() as agent:
            queue = pipeline.app.processor.ack_to_canonical(pipeline.app.processor.codec.encode(ack))
            while queue:
                out = queue.pop(0)
                before = len(pipeline.sent)
                await agent.put(out.value, key=out.key, headers=out.headers)
                queue += [o for o in pipeline.sent[before:] if o.topic == pipeline.app.processor.canonical]

    asyncio.run(deliver())


def in_flight(pipeline: Pipeline) -> dict[str, Any]:
    """Per SKU of the order: its in-flight entry for R00807777 ([quantity, acked at]), or "out" once
    it left the ledger (the fixture's times are long past the hold: an acked order leaves at once)."""
    found: dict[str, Any] = {}
    for key, value in pipeline.app.tables.stock.items():
        if value and "R00807777" in value["inflight"]:
            found[key] = value["inflight"]["R00807777"]
        elif value and "R00807777" in value["settled"]:
            found[key] = "out"
    return found


def test_an_order_the_erp_holds_as_a_quotation_stays_in_flight_until_confirmed() -> None:
    pipeline = imported()  # placed awaiting payment: imported as a quotation
    entries = in_flight(pipeline)
    assert entries and all(acked is None for _, acked in entries.values())
    acked_import(pipeline, "quotation")  # a quotation reserves nothing in the ERP: still in flight
    assert in_flight(pipeline) == entries
    pipeline.feed([varied("odoo", "sale_order_update_confirm", 1, state="sale")])  # paid, confirmed: reserved
    assert set(in_flight(pipeline).values()) == {"out"}


def test_an_order_confirmed_at_import_leaves_the_ledger_with_the_ack() -> None:
    pipeline = imported()
    assert in_flight(pipeline)
    acked_import(pipeline, "processing")
    assert set(in_flight(pipeline).values()) == {"out"}


def test_a_deleted_shop_order_leaves_the_ledger() -> None:
    pipeline = imported()  # in flight: the ERP never acknowledged it
    assert in_flight(pipeline) and "out" not in in_flight(pipeline).values()
    topic, value = varied("prestashop", "orders_update_state", 9)
    payload = value["payload"]
    payload["before"], payload["after"], payload["op"] = payload["after"], None, "d"  # a cleanup deletes the row
    assert pipeline.feed([(topic, value)]) == []
    assert set(in_flight(pipeline).values()) == {"out"}


def deliver_ack(pipeline: Pipeline, command: Out, target: str, status: str, written: dict[str, str]) -> list[Out]:
    """A sink's ack of ``command``; the commands the streams produce on it."""
    record = pipeline.decode(command)
    ack = SinkAck(
        envelope=record.envelope,
        command_id=dict(command.headers)[topics.HEADER_COMMAND_ID].decode(),
        target_system=target,
        command_entity=record.ENTITY,
        status=status,
        target_ids={"orders": "1"},
        written=written,
        applied_ts=record.envelope.source_ts + timedelta(seconds=1),
    ).sealed()
    before = len(pipeline.sent)

    async def deliver() -> None:
        async with pipeline.app.process_agent.test_context() as agent:
            queue = pipeline.app.processor.ack_to_canonical(pipeline.app.processor.codec.encode(ack))
            while queue:
                out = queue.pop(0)
                start = len(pipeline.sent)
                await agent.put(out.value, key=out.key, headers=out.headers)
                queue += [o for o in pipeline.sent[start:] if o.topic == pipeline.app.processor.canonical]

    asyncio.run(deliver())
    return [o for o in pipeline.sent[before:] if o.topic in (SHOP_COMMANDS, ERP_COMMANDS)]


def test_a_status_refused_as_stale_forwards_the_cancellation_the_shop_sink_found() -> None:
    """Issue #20: "processing" reaches the shop after the merchant cancelled. The command says what it
    replaces; the sink refuses it (stale) and acks what the order holds: the ERP is asked to cancel at
    once, before the shop's own event of the cancellation, which then is nothing new."""
    pipeline = imported()
    [confirm] = pipeline.feed([varied("odoo", "sale_order_update_confirm", 1, state="sale")])
    assert json.loads(dict(confirm.headers)[topics.HEADER_EXPECTED])["state"] == "awaiting_payment"
    forwarded = deliver_ack(pipeline, confirm, "prestashop", "stale", {"state": "cancelled"})
    assert status_commands(pipeline, forwarded) == [(ERP_COMMANDS, "cancelled")]
    assert pipeline.app.tables.counters["stale_refused"] == 1
    assert pipeline.feed([varied("prestashop", "orders_update_state", 2, current_state=6)]) == []
    # the ERP grants it (its integration user's write): nothing goes back, the shop holds it already
    assert pipeline.feed([varied("odoo", "sale_order_update_confirm", 3, state="cancel", write_uid=6)]) == []


def test_a_replayed_erp_change_older_than_the_one_applied_is_no_command() -> None:
    """A restarted streams worker re-reads the ERP's confirmation after its shipment was applied."""
    pipeline = imported()
    confirm = varied("odoo", "sale_order_update_confirm", 1, state="sale")
    assert status_commands(pipeline, pipeline.feed([confirm])) == [(SHOP_COMMANDS, "processing")]
    shipped = pipeline.feed([varied("odoo", "sale_order_update_confirm", 4, state="sale", delivery_status="full")])
    assert status_commands(pipeline, shipped) == [(SHOP_COMMANDS, "shipped")]
    assert pipeline.feed([confirm]) == []  # not "processing" over "shipped"
    assert pipeline.app.tables.counters["replayed_older"] == 1


def test_a_restarted_worker_reading_the_cancellation_first_sends_no_stale_processing_to_the_shop() -> None:
    """Issue #20 with the streams worker down: the ERP confirmed (by the Odoo sink, at import), then the
    shop cancelled; the restarted worker reads the shop's cancellation before the ERP's confirmation
    (one topic per table). The confirmation is the ERP's state from before it took the request: it
    is not sent over the cancellation; the ERP's answer decides."""
    pipeline = imported()
    cancel = pipeline.feed([varied("prestashop", "orders_update_state", 2, current_state=6)])
    assert status_commands(pipeline, cancel) == [(ERP_COMMANDS, "cancelled")]
    assert pipeline.feed([varied("odoo", "sale_order_update_confirm", 1, state="sale", write_uid=6)]) == []
    # the Odoo sink cancels it and acks; the ERP's row comes back: nothing for the shop, it holds it
    assert deliver_ack(pipeline, cancel[0], "odoo", "applied", {"state": "cancelled"}) == []
    assert pipeline.feed([varied("odoo", "sale_order_update_confirm", 3, state="cancel", write_uid=6)]) == []
