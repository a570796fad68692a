"""ERP tracking numbers to the shop order (issue #14 item 8), on the captured events of sale order
S807777 (client reference R00807777, confirmed) and its delivery WH/OUT/807777 (tracking number set):
the picking names its sale order by id, so the streams gave no command ("no key"); now its Shipment
is keyed by the order's shop reference once the order's status was seen."""

from __future__ import annotations

import pytest

from schemas.records import Shipment
from tests.unit.streams.test_order_status import SHOP_COMMANDS, Pipeline, event

pytestmark = pytest.mark.unit


def shipments(pipeline: Pipeline, names: list[str]) -> list[Shipment]:
    outs = pipeline.feed([event("odoo", name) for name in names])
    found = [pipeline.decode(o) for o in outs if o.topic == SHOP_COMMANDS]
    return [r for r in found if isinstance(r, Shipment)]


def test_the_tracking_number_goes_to_the_shop_order() -> None:
    (shipment,) = shipments(Pipeline(), ["sale_order_update_confirm", "stock_picking_update_tracking"])
    assert (shipment.order_key, shipment.envelope.canonical_key) == ("R00807777", "R00807777")
    assert shipment.tracking_number and shipment.name == "WH/OUT/807777"


def test_a_picking_before_its_order_is_counted_and_the_tracking_event_later_goes() -> None:
    pipeline = Pipeline()
    assert shipments(pipeline, ["stock_picking_insert"]) == []  # the confirmation's picking, order unknown
    assert pipeline.app.tables.counters["shipments_unresolved"] == 1
    (shipment,) = shipments(pipeline, ["sale_order_update_confirm", "stock_picking_update_tracking"])
    assert shipment.order_key == "R00807777"
