"""The Odoo client's stock helpers (``sinks/odoo/stock.py``) against the twin, checked in the database.

On-hand quantities go through ``stock.quant`` in inventory mode + ``action_apply_inventory``; a
delivery gets ``carrier_tracking_ref`` and is validated with every move's ``quantity`` = demand and
``picked`` set, as a real Odoo 18.0 requires before ``button_validate`` answers True.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

import psycopg2.extensions
import pytest

from sinks.common.errors import TerminalError
from sinks.odoo.client import OdooClient
from sinks.odoo.stock import order_pickings, set_on_hand, set_tracking, validate_picking
from tests.integration.sandbox.odoo.twin import RunningTwin
from tests.integration.sinks.odoo.conftest import sink_config

pytestmark = pytest.mark.integration
PgConnection: TypeAlias = psycopg2.extensions.connection


@pytest.fixture
def client(twin: RunningTwin, tmp_path: Path) -> Iterator[OdooClient]:
    odoo = OdooClient(sink_config(twin, tmp_path))
    try:
        yield odoo
    finally:
        odoo.close()


def _rows(conn: PgConnection, query: str, *args: object) -> list[tuple[Any, ...]]:
    with conn.cursor() as cur:
        cur.execute(query, args)
        return list(cur.fetchall())


def _stock_location(client: OdooClient) -> int:
    [warehouse] = client.search_read("stock.warehouse", [], ["lot_stock_id"], limit=1)
    return int(warehouse["lot_stock_id"][0])


def _inventory_location(conn: PgConnection) -> int:
    return int(_rows(conn, "SELECT id FROM stock_location WHERE usage = 'inventory' ORDER BY id LIMIT 1")[0][0])


def _storable(client: OdooClient, code: str) -> int:
    return client.create("product.product", [{"name": code, "default_code": code, "is_storable": True}])[0]


def _confirmed_order(client: OdooClient, product_id: int, quantity: int) -> int:
    partner_id = client.create("res.partner", [{"name": "Buyer"}])[0]
    order_id = client.create("sale.order", [{"partner_id": partner_id, "client_order_ref": "PS-SHIP-1", "order_line": [
        (0, 0, {"product_id": product_id, "product_uom_qty": quantity, "price_unit": Decimal("9.90")})]}])[0]
    client.call("sale.order", "action_confirm", [order_id])
    return order_id


def test_set_on_hand_books_an_inventory_move_and_a_replay_changes_nothing(client: OdooClient,
                                                                           postgres_conn: PgConnection) -> None:
    location = _stock_location(client)
    product_id = _storable(client, "INV-1")

    quant_id, changed = set_on_hand(client, product_id, location, Decimal(12))
    assert changed
    quant_row = "SELECT quantity, inventory_quantity, inventory_quantity_set, write_date FROM stock_quant WHERE id = %s"
    [(quantity, counted, counted_set, written_at)] = _rows(postgres_conn, quant_row, quant_id)
    assert (quantity, counted, counted_set) == (Decimal(12), Decimal(0), False)  # applied, counts cleared
    moves = ("SELECT product_uom_qty, location_dest_id, state FROM stock_move "
             "WHERE product_id = %s AND is_inventory ORDER BY id")
    assert [(q, dest, state) for q, dest, state in _rows(postgres_conn, moves, product_id)] == [
        (Decimal(12), location, "done")]

    assert set_on_hand(client, product_id, location, Decimal(12)) == (quant_id, False)
    assert _rows(postgres_conn, quant_row, quant_id) == [(Decimal(12), Decimal(0), False, written_at)]
    assert len(_rows(postgres_conn, moves, product_id)) == 1

    assert set_on_hand(client, product_id, location, Decimal("4.5")) == (quant_id, True)
    assert _rows(postgres_conn, quant_row, quant_id)[0][:3] == (Decimal("4.5"), Decimal(0), False)
    assert _rows(postgres_conn, moves, product_id)[-1] == (Decimal("7.5"), _inventory_location(postgres_conn), "done")
    assert _rows(postgres_conn, "SELECT count(*) FROM stock_quant WHERE product_id = %s", product_id) == [(1,)]


def test_tracking_ref_then_validation_of_the_delivery(client: OdooClient, postgres_conn: PgConnection) -> None:
    location = _stock_location(client)
    product_id = _storable(client, "SHIP-1")
    quant_id, _ = set_on_hand(client, product_id, location, Decimal(10))
    order_id = _confirmed_order(client, product_id, 3)
    [picking] = order_pickings(client, order_id)
    picking_id = int(picking["id"])
    assert picking["state"] != "done" and not picking["carrier_tracking_ref"]

    assert set_tracking(client, picking_id, "1Z999AA10123456784") is True
    assert set_tracking(client, picking_id, "1Z999AA10123456784") is False  # replay: no write
    assert validate_picking(client, picking_id) is True
    assert validate_picking(client, picking_id) is False  # replay: already done

    picking_row = "SELECT state, date_done IS NOT NULL, carrier_tracking_ref FROM stock_picking WHERE id = %s"
    assert _rows(postgres_conn, picking_row, picking_id) == [("done", True, "1Z999AA10123456784")]
    moves = "SELECT product_uom_qty, quantity, picked, state FROM stock_move WHERE picking_id = %s"
    assert _rows(postgres_conn, moves, picking_id) == [(Decimal(3), Decimal(3), True, "done")]
    assert _rows(postgres_conn, "SELECT quantity FROM stock_quant WHERE id = %s", quant_id) == [(Decimal(7),)]
    assert order_pickings(client, order_id) == [
        {"id": picking_id, "state": "done", "carrier_tracking_ref": "1Z999AA10123456784"}]


def test_validation_ships_the_whole_demand_of_a_partly_reserved_delivery(client: OdooClient,
                                                                          postgres_conn: PgConnection) -> None:
    # Only 1 of 4 reserved (what Odoo does when stock is short): the helper sets quantity = demand and
    # picked before button_validate, so the delivery ships 4 and no backorder is left.
    product_id = _storable(client, "SHIP-2")
    set_on_hand(client, product_id, _stock_location(client), Decimal(1))
    [picking] = order_pickings(client, _confirmed_order(client, product_id, 4))
    picking_id = int(picking["id"])
    [move] = client.search_read("stock.move", [("picking_id", "=", picking_id)], ["id"])
    client.write("stock.move", [int(move["id"])], {"quantity": 1})

    assert validate_picking(client, picking_id) is True
    moves = "SELECT product_uom_qty, quantity, picked, state FROM stock_move WHERE picking_id = %s"
    assert _rows(postgres_conn, moves, picking_id) == [(Decimal(4), Decimal(4), True, "done")]
    assert _rows(postgres_conn, "SELECT count(*) FROM stock_picking WHERE backorder_id = %s", picking_id) == [(0,)]


def test_unknown_or_cancelled_picking_is_terminal(client: OdooClient) -> None:
    with pytest.raises(TerminalError, match="unknown reference"):
        set_tracking(client, 999_999, "X")
    with pytest.raises(TerminalError, match="unknown reference"):
        validate_picking(client, 999_999)
    order_id = _confirmed_order(client, _storable(client, "SHIP-3"), 1)
    # a confirmed order answers the sale.order.cancel wizard (as real Odoo 18); its button cancels
    wizard = client.call("sale.order", "action_cancel", [order_id])
    assert wizard["res_model"] == "sale.order.cancel"
    [wizard_id] = client.create("sale.order.cancel", [{"order_id": order_id}], context=wizard["context"])
    assert client.call("sale.order.cancel", "action_cancel", [wizard_id]) is True
    [picking] = order_pickings(client, order_id)
    with pytest.raises(TerminalError, match="cancelled"):
        validate_picking(client, int(picking["id"]))
