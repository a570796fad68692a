"""A back-office line edit of a shop order the ERP already has (issue #13) goes out again as an Order
command carrying the new lines and totals: the real PrestaShop 8.1.2 trade's order 11 (recorded change
events, tests/fixtures/real/prestashop-8.1.2/trade/steps.json), placed, then edited (BOOK 1 -> 3)."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import pytest

from schemas import topics
from schemas.order import Order
from streams.outputs import Out
from tests.real.scenario_trade import STEPS
from tests.real.shop_rows import with_schema
from tests.unit.streams.pipeline import make_app

pytestmark = pytest.mark.unit


async def _feed(events: list[dict[str, object]], app: object, sent: list[Out]) -> None:
    processor = app.processor  # type: ignore[attr-defined]
    mapped: list[Out] = []
    for offset, event in enumerate(events):
        table = event["payload"]["source"]["table"]  # type: ignore[index]
        mapped += processor.map_raw(
            f"shop.prestashop.{table}", 0, offset, None, json.dumps(with_schema(event)).encode(), 0.0
        )  # type: ignore[arg-type]
    async with app.process_agent.test_context() as agent:  # type: ignore[attr-defined]
        queue = [o for o in mapped if o.topic == processor.canonical]
        while queue:
            out = queue.pop(0)
            before = len(sent)
            await agent.put(out.value, key=out.key, headers=out.headers)
            queue += [o for o in sent[before:] if o.topic == processor.canonical]


def test_an_edited_order_is_sent_again_with_its_new_lines_and_totals() -> None:
    steps = json.loads(STEPS.read_text())
    placed = next(s for s in steps if s["step"] == "order 11")["events"]
    edit = next(s for s in steps if s["step"].startswith("order 11: back-office edit"))["events"]
    app, sent = make_app()
    asyncio.run(_feed(placed, app, sent))
    asyncio.run(_feed(edit, app, sent))
    orders = [
        app.processor.codec.decode(o.value or b"") for o in sent if o.topic == topics.commands_topic("odoo") + ".unit"
    ]
    orders = [o for o in orders if isinstance(o, Order)]
    assert [[(line.sku, line.quantity) for line in o.lines] for o in orders] == [
        [(orders[0].lines[0].sku, Decimal(1))],
        [(orders[0].lines[0].sku, Decimal(3))],
    ]
    header = next(e["payload"]["after"] for e in edit if e["payload"]["source"]["table"] == "ps_orders")
    assert orders[1].total_tax_incl == Decimal(header["total_paid_tax_incl"]) != orders[0].total_tax_incl
