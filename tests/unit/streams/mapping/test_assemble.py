"""assemble_order over the captured checkout rows, and sum_stock_quants."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

import pytest

from schemas.order import OrderHeader, OrderLine, OrderStatusChange
from streams.mapping.assemble import assemble_order, is_order_complete, sum_stock_quants
from streams.mapping.odoo import OdooContext, map_odoo_record
from streams.positions import position_key
from tests.unit.streams.mapping.captured import captured
from tests.unit.streams.mapping.handmade import erp_event

pytestmark = pytest.mark.unit


def one(system: str, name: str) -> Any:
    (record,) = captured(system, name).map()
    return record


def test_order_waits_for_the_commit_signal_then_assembles():
    header = one("prestashop", "orders_insert")
    lines = [one("prestashop", "order_detail_insert_1"), one("prestashop", "order_detail_insert_2")]
    history = one("prestashop", "order_history_insert")
    assert isinstance(header, OrderHeader) and isinstance(history, OrderStatusChange)
    assert not is_order_complete(header)
    assert assemble_order(header, lines) is None
    by_history = assemble_order(header, lines, history=[history])
    assert by_history is not None
    # the header still says 0: the history row's state wins
    assert by_history.state.origin_state == str(captured("prestashop", "order_history_insert").row["id_order_state"])
    assert header.state.origin_state == "0"
    by_state = assemble_order(one("prestashop", "orders_update_state"), lines)
    assert by_state is not None
    detail_ids = [str(captured("prestashop", f"order_detail_insert_{i}").row["id_order_detail"]) for i in (1, 2)]
    assert [item.line_origin_id for item in by_state.lines] == detail_ids
    assert by_state.envelope.canonical_key == captured("prestashop", "orders_update_state").row["reference"]
    assert sum((item.total_tax_excl for item in by_state.lines), Decimal(0)) == by_state.total_products_tax_excl


def test_assembly_ignores_other_orders_deleted_and_stale_rows():
    header = one("prestashop", "orders_update_state")
    line = one("prestashop", "order_detail_insert_1")
    assert isinstance(line, OrderLine)
    foreign = dataclasses.replace(line, order_origin_id=header.order_origin_id + "0")
    _, binlog, pos, _ = position_key(line.envelope.source_position) or ("", "", 0, 0)
    later = f"binlog:{binlog}:{pos + 1000}:0"  # later in the log (positions compare as numbers)
    newer = dataclasses.replace(
        line,
        envelope=dataclasses.replace(line.envelope, source_position=later),
        item=dataclasses.replace(line.item, quantity=Decimal(5)),
    )
    second = one("prestashop", "order_detail_insert_2")
    deleted = dataclasses.replace(second, envelope=dataclasses.replace(second.envelope, deleted=True))
    order = assemble_order(header, [newer, foreign, line, deleted])
    assert order is not None
    assert [(i.line_origin_id, i.quantity) for i in order.lines] == [(line.item.line_origin_id, Decimal(5))]
    deleted_header = dataclasses.replace(header, envelope=dataclasses.replace(header.envelope, deleted=True))
    assert assemble_order(deleted_header, [line]) is None


def quant(quant_id: int, product: int, location: int, quantity: str, reserved: str, op: str = "c") -> Any:
    row = {
        "id": quant_id,
        "product_id": product,
        "location_id": location,
        "lot_id": None,
        "quantity": quantity,
        "reserved_quantity": reserved,
    }
    event = erp_event("stock_quant", None if op == "d" else row, before=row if op == "d" else None, op=op)
    (record,) = map_odoo_record(json.dumps(event), topic=None, ctx=OdooContext())
    return record


def test_quants_are_summed_per_product_and_location():
    raw = captured("odoo", "stock_quant_update").row  # the captured quant, after its update
    product, location, other = raw["product_id"], raw["location_id"], raw["product_id"] + 1
    quants = [
        one("odoo", "stock_quant_insert"),
        one("odoo", "stock_quant_update"),
        quant(raw["id"] + 1, product, location, "3.25", "1"),
        quant(raw["id"] + 2, product, location + 1, "4", "0"),
        quant(raw["id"] + 3, other, location, "7", "0"),
        quant(raw["id"] + 3, other, location, "7", "0", op="d"),
    ]
    levels = {(lvl.variant_origin_id, lvl.location): lvl for lvl in sum_stock_quants(quants)}
    here = levels[(str(product), f"location:{location}")]
    # the update replaces the insert of the same quant; the hand-made quant adds to it
    assert here.on_hand == Decimal(raw["quantity"]) + Decimal("3.25")
    assert here.reserved == Decimal(raw["reserved_quantity"]) + 1
    assert here.available == here.on_hand - here.reserved
    assert levels[(str(product), f"location:{location + 1}")].available == Decimal(4)
    assert levels[(str(other), f"location:{location}")].on_hand == 0  # its only quant was deleted
    assert here.envelope.content_hash != levels[(str(product), f"location:{location + 1}")].envelope.content_hash
