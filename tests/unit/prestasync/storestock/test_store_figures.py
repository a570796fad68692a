"""The streams publish a store figure per SKU and ERP store location, on captured Debezium quants of
one product (SKU-807777); web locations feed the web stock only, never the lookup."""

from __future__ import annotations

from decimal import Decimal

import pytest

from schemas.store_stock import StoreFigure, decode_figure
from streams.outputs import Out
from tests.unit.streams.test_order_status import Pipeline, event, varied

pytestmark = pytest.mark.unit
STORE_TOPIC = "prestasync.store_stock.unit"


def figures(pipeline: Pipeline, before: int) -> list[tuple[bytes | None, StoreFigure]]:
    outs: list[Out] = [o for o in pipeline.sent[before:] if o.topic == STORE_TOPIC]
    return [(o.key, decode_figure(o.value or b"")) for o in outs]


def test_a_store_quant_is_published_and_a_web_quant_is_not() -> None:
    pipeline = Pipeline()
    pipeline.feed([event("odoo", "product_product_insert")])  # the SKU's identity
    start = len(pipeline.sent)
    pipeline.feed([event("odoo", "stock_quant_insert")])  # location 8: the web shop's (streams.web_locations)
    assert figures(pipeline, start) == []
    start = len(pipeline.sent)
    # a second quant of the product in location 10 (streams.store_locations): 5 on hand, 2 reserved
    store = varied("odoo", "stock_quant_insert", 3, id=44, location_id=10, quantity="5", reserved_quantity="2")
    commands = pipeline.feed([store])
    assert commands == []  # a store's quantity never changes the web stock
    [(key, figure)] = figures(pipeline, start)
    assert (figure.sku, figure.location, figure.available) == ("SKU-807777", "10", Decimal(3))
    assert key == b'["SKU-807777", "10"]'  # one compacted record per SKU and store
    assert figure.as_of.tzinfo is not None and figure.as_of.year == 2026


def test_a_figure_survives_its_encoding() -> None:
    from datetime import UTC, datetime

    figure = StoreFigure("REF-1", "10", Decimal("2.500"), datetime(2026, 12, 2, 4, 30, tzinfo=UTC))
    assert decode_figure(figure.encode()) == figure
    with pytest.raises(ValueError):
        decode_figure(b'{"sku": "REF-1", "location": "10", "available": "1", "as_of": "2026-12-02T04:30:00"}')
