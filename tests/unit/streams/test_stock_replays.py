"""Stock commands and stale writes: a stock command carries the shop quantity it replaces, and a
restarted streams worker re-reading an ERP quant older than the one it applied commands nothing
(the newest source position wins), on captured Debezium events of one product (SKU-807777)."""

from __future__ import annotations

import json

import pytest

from schemas import topics
from schemas.records import StockLevel
from tests.unit.streams.pipeline import SHOP_COMMANDS, Pipeline, event, varied

pytestmark = pytest.mark.unit


def levels(pipeline: Pipeline, outs: list) -> list[tuple[str, dict[str, str]]]:
    found = []
    for out in outs:
        record = pipeline.decode(out)
        assert out.topic == SHOP_COMMANDS and isinstance(record, StockLevel), record
        expected = dict(out.headers).get(topics.HEADER_EXPECTED)
        found.append((str(int(record.available)), json.loads(expected) if expected else {}))
    return found


def test_the_newest_quant_wins_and_commands_say_what_they_replace() -> None:
    pipeline = Pipeline()
    pipeline.feed([event("odoo", "product_product_insert")])  # the SKU's identity
    first = pipeline.feed([event("odoo", "stock_quant_insert")])
    assert levels(pipeline, first) == [("12", {})]  # the shop's quantity is not known yet
    later = varied("odoo", "stock_quant_update", 2)  # 9.5 on hand, 2 reserved: 7 available
    assert levels(pipeline, pipeline.feed([later])) == [("7", {"available": "12"})]  # replaces our 12
    # the worker is killed before committing and re-reads the older quant: not 12 over 7
    assert pipeline.feed([event("odoo", "stock_quant_insert")]) == []
    # ... and the same newest one again is nothing new either
    assert pipeline.feed([later]) == []
