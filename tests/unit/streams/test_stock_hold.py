"""The in-flight hold is released by a timer, not only by the SKU's next event: an acknowledged order
whose reservation the ERP's stock never visibly showed must not keep the web stock low for ever."""

from __future__ import annotations

from decimal import Decimal

import pytest

from schemas import topics
from schemas.records import StockLevel
from streams import stock
from streams.outputs import Tables
from streams.state_json import stock_to_json
from tests.unit.streams.pipeline import make_app

pytestmark = pytest.mark.unit
HOLD_S = 30.0


def tables_with(state: stock.SkuStock) -> Tables:
    return Tables(
        guard={},
        latest={},
        assembly={},
        quants={},
        stock={"stock:TSH-1": stock_to_json(state)},
        identity={},
        counters={},
    )


def test_an_acknowledged_order_past_the_hold_is_released_by_the_timer() -> None:
    app, _ = make_app()
    processor = app.processor
    acked_at = 1_000.0
    state = stock.SkuStock(
        erp_available={"8": Decimal(10)},
        erp_ts=acked_at - 1,  # reservation seen before the ack
        inflight={"ORDER1": stock.InFlight(Decimal(2), acked_ts=acked_at)},
        shop_quantity=8,
    )
    tables = tables_with(state)
    assert processor.expired_holds(tables, acked_at + HOLD_S - 1) == []  # still held
    [tick] = processor.expired_holds(tables, acked_at + HOLD_S)
    assert tick.key == b"stock:TSH-1" and tick.value is None
    [command] = processor.process(tables, "stock:TSH-1", None, tick.headers, acked_at + HOLD_S)
    level = processor.codec.decode(command.value or b"")
    assert command.topic == topics.commands_topic("prestashop") + ".unit" and command.key == b"TSH-1"
    assert isinstance(level, StockLevel) and level.available == 10
    # released for good: no more ticks, and a replayed tick changes nothing
    assert processor.expired_holds(tables, acked_at + HOLD_S + 60) == []
    assert processor.process(tables, "stock:TSH-1", None, tick.headers, acked_at + HOLD_S + 61) == []


def test_orders_not_yet_acknowledged_are_never_released_by_time() -> None:
    app, _ = make_app()
    state = stock.SkuStock(
        erp_available={"8": Decimal(10)}, erp_ts=1.0, inflight={"ORDER1": stock.InFlight(Decimal(2))}, shop_quantity=8
    )
    assert app.processor.expired_holds(tables_with(state), 10**9) == []
