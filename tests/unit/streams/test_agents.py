"""The Faust agents on captured Debezium events (agent.test_context(), memory store):
an order is emitted once, complete; an incomplete one times out to the DLQ; poison goes to the DLQ."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from pathlib import Path

import pytest

from sandbox.sample import commands as samples
from schemas import topics
from schemas.acks import SinkAck
from schemas.order import Order
from streams.app import StreamsApp
from streams.outputs import Out
from tests.unit.streams.pipeline import make_app

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "debezium" / "prestashop"


def raw(name: str) -> tuple[str, bytes]:
    meta = json.loads((FIXTURES / f"{name}.meta.json").read_text())
    return meta["topic"], (FIXTURES / f"{name}.json").read_bytes()


async def feed(app: StreamsApp, sent: list[Out], names: list[str]) -> None:
    """Map each raw event, then run every repartitioned record through the process agent."""
    mapped: list[Out] = []
    for offset, name in enumerate(names):
        topic, value = raw(name)
        mapped += app.processor.map_raw(topic, 0, offset, None, value, 0.0)
    sent.extend(o for o in mapped if o.topic != app.processor.canonical)
    async with app.process_agent.test_context() as agent:
        queue = [o for o in mapped if o.topic == app.processor.canonical]
        while queue:
            out = queue.pop(0)
            before = len(sent)
            await agent.put(out.value, key=out.key, headers=out.headers)
            queue += [o for o in sent[before:] if o.topic == app.processor.canonical]


def test_order_is_emitted_once_complete() -> None:
    app, sent = make_app()
    # the header says 2.40 of vouchers: the order waits for its order_cart_rule row, wherever it is
    names = [
        "orders_insert",
        "order_detail_insert_1",
        "order_detail_insert_2",
        "order_history_insert",
        "orders_update_state",
    ]
    asyncio.run(feed(app, sent, names))
    assert not [o for o in sent if o.topic == topics.commands_topic("odoo") + ".unit"]
    asyncio.run(feed(app, sent, ["order_cart_rule_insert"]))
    commands = [o for o in sent if o.topic == topics.commands_topic("odoo") + ".unit"]
    assert len(commands) == 1, [o.topic for o in sent]
    order = app.processor.codec.decode(commands[0].value or b"")
    assert isinstance(order, Order) and len(order.lines) == 2
    assert [d.name for d in order.discounts] == ["WELCOME"]
    headers = dict(commands[0].headers)
    assert headers[topics.HEADER_COMMAND_ID] and b"state" in headers[topics.HEADER_CREATE_ONLY]


def test_incomplete_order_times_out_to_the_dlq() -> None:
    app, sent = make_app(timeout=0.0)
    asyncio.run(feed(app, sent, ["orders_insert", "order_detail_insert_1"]))
    assert not [o for o in sent if o.topic.startswith("prestasync.commands")]
    ticks = app.processor.expired_assemblies(app.tables, time.time() + 10)
    assert len(ticks) == 1

    async def tick() -> None:
        async with app.process_agent.test_context() as agent:
            await agent.put(None, key=ticks[0].key, headers=ticks[0].headers)

    asyncio.run(tick())
    dead = [o for o in sent if o.topic == topics.STREAMS_DLQ + ".unit"]
    assert len(dead) == 1 and dict(dead[0].headers)[topics.HEADER_DLQ_ERROR] == b"AssemblyTimeout"
    assert app.processor.expired_assemblies(app.tables, time.time() + 20) == []


class _Unscannable(dict):  # type: ignore[type-arg]
    def items(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the sweep scanned every order's rows")


def test_the_sweep_reads_only_the_orders_still_being_assembled() -> None:
    """``assembly`` keeps every order's rows for ever (a later row re-assembles the order): the
    timeout sweep must not read it, only the small index of incomplete ones."""
    app, sent = make_app(timeout=0.0)
    asyncio.run(
        feed(
            app,
            sent,
            [
                "orders_insert",
                "order_detail_insert_1",
                "order_detail_insert_2",
                "order_history_insert",
                "orders_update_state",
                "order_cart_rule_insert",
            ],
        )
    )
    assert [o for o in sent if o.topic == topics.commands_topic("odoo") + ".unit"]  # emitted: complete
    assert len(app.tables.assembly) == 1 and not app.tables.open_orders
    tables = dataclasses.replace(app.tables, assembly=_Unscannable(app.tables.assembly))
    assert app.processor.expired_assemblies(tables, time.time() + 10) == []


def test_poison_goes_to_the_dlq_and_the_worker_keeps_going() -> None:
    app, _ = make_app()
    outs = app.processor.map_raw("shop.prestashop.ps_orders", 3, 42, b"k", b"\xff\x00 not json", 0.0)
    assert [o.topic for o in outs] == [topics.STREAMS_DLQ + ".unit"]
    headers = dict(outs[0].headers)
    assert outs[0].value == b"\xff\x00 not json" and headers[topics.HEADER_DLQ_OFFSET] == b"42"
    assert headers[topics.HEADER_DLQ_ERROR] == b"MappingError"
    unknown = app.processor.map_raw(
        "shop.prestashop.ps_unknown_table",
        0,
        1,
        None,
        raw("orders_insert")[1].replace(b'"table":"ps_orders"', b'"table":"ps_unknown_table"'),
        0.0,
    )
    assert [o.topic for o in unknown] == [topics.STREAMS_DLQ + ".unit"]
    topic, value = raw("orders_insert")  # and the next good event still maps
    assert app.processor.map_raw(topic, 0, 43, None, value, 0.0)


def test_a_bad_ack_goes_to_the_dlq_and_the_acks_agent_keeps_going() -> None:
    """Garbage, a tombstone and a record that is not an ack on the acks topic: each is dead-lettered with
    its original bytes (the agent crashed on the first one), and the next real ack still flows."""
    app, sent = make_app()
    customer = samples.customer(9)
    ack = SinkAck(
        envelope=customer.envelope,
        command_id="c1",
        target_system="odoo",
        command_entity="customer",
        status="applied",
        target_ids={"res.partner": "9"},
        written={},
        applied_ts=customer.envelope.source_ts,
    ).sealed()
    codec = app.processor.codec

    async def deliver() -> None:
        async with app.acks_agent.test_context() as agent:
            for value in (b"\x00junk", None, codec.encode(customer), codec.encode(ack)):
                await agent.put(value, key=b"k")

    asyncio.run(deliver())
    dead = [o for o in sent if o.topic == topics.STREAMS_DLQ + ".unit"]
    assert [o.value for o in dead] == [b"\x00junk", None, codec.encode(customer)]
    assert [dict(o.headers)[topics.HEADER_DLQ_ERROR] for o in dead] == [b"Undecodable", b"Undecodable", b"NotAnAck"]
    assert [o.topic for o in sent if o not in dead] == [app.processor.canonical]
