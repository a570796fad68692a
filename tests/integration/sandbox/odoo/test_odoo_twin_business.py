"""Stock, sales and fault-injection behaviour of the Odoo twin, through OdooRPC and the admin API."""

from __future__ import annotations

import odoorpc
import odoorpc.error
import psycopg2.extensions
import pytest
import requests

from tests.support.twins import INTEGRATION_LOGIN, INTEGRATION_UID, RunningTwin

pytestmark = pytest.mark.integration

WH_STOCK = 8
CUSTOMERS = 5


def _client(twin: RunningTwin) -> odoorpc.ODOO:
    odoo = odoorpc.ODOO("127.0.0.1", port=twin.port)
    odoo.login(twin.database, INTEGRATION_LOGIN, twin.key)
    return odoo


def _product(odoo: odoorpc.ODOO, code: str) -> int:
    product_id: int = odoo.env["product.product"].create({"name": code, "default_code": code, "is_storable": True})
    return product_id


def _set_stock(odoo: odoorpc.ODOO, product_id: int, quantity: float) -> int:
    quants = odoo.env["stock.quant"].with_context(inventory_mode=True)
    quant_id: int = quants.create({"product_id": product_id, "location_id": WH_STOCK, "inventory_quantity": quantity})
    quants.browse(quant_id).action_apply_inventory()
    return quant_id


def test_inventory_mode_create_then_apply_sets_quantity_and_clears_counts(
    twin: RunningTwin, postgres_conn: psycopg2.extensions.connection
) -> None:
    odoo = _client(twin)
    product_id = _product(odoo, "INV-1")
    quants = odoo.env["stock.quant"].with_context(inventory_mode=True)
    quant_id = quants.create({"product_id": product_id, "location_id": WH_STOCK, "inventory_quantity": 7})
    [counted] = quants.read([quant_id], ["quantity", "inventory_quantity", "inventory_quantity_set"])
    assert (counted["quantity"], counted["inventory_quantity"], counted["inventory_quantity_set"]) == (0, 7, True)
    quants.browse(quant_id).action_apply_inventory()
    # A second count of the same product/location reuses the quant (no duplicate).
    again = quants.create({"product_id": product_id, "location_id": WH_STOCK, "inventory_quantity": 4})
    assert again == quant_id
    quants.browse(quant_id).action_apply_inventory()
    [applied] = quants.read([quant_id], ["quantity", "inventory_quantity", "inventory_quantity_set"])
    assert (applied["quantity"], applied["inventory_quantity"], applied["inventory_quantity_set"]) == (4, 0, False)
    assert odoo.env["product.product"].read([product_id], ["qty_available"])[0]["qty_available"] == 4
    with postgres_conn.cursor() as cur:
        cur.execute(
            "SELECT quantity, location_id, location_dest_id FROM stock_move "
            "WHERE product_id = %s AND is_inventory AND state = 'done' ORDER BY id",
            (product_id,),
        )
        assert [(float(q), s, d) for q, s, d in cur.fetchall()] == [(7.0, 6, WH_STOCK), (3.0, WH_STOCK, 6)]


def test_quant_create_outside_inventory_mode_is_a_plain_create(
    twin: RunningTwin, postgres_conn: psycopg2.extensions.connection
) -> None:
    # A real 18.0 (admin) creates the quant as given, books no move (tests/fixtures/real/odoo/33_*).
    odoo = _client(twin)
    product_id = _product(odoo, "INV-2")
    quant_id = odoo.env["stock.quant"].create({"product_id": product_id, "location_id": WH_STOCK, "quantity": 3})
    [quant] = odoo.env["stock.quant"].read([quant_id], ["quantity", "inventory_quantity_set"])
    assert (quant["quantity"], quant["inventory_quantity_set"]) == (3, False)
    with postgres_conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM stock_move WHERE product_id = %s", (product_id,))
        assert cur.fetchone() == (0,)


def test_quant_create_in_inventory_mode_refuses_other_fields(twin: RunningTwin) -> None:
    odoo = _client(twin)
    product_id = _product(odoo, "INV-3")
    quants = odoo.env["stock.quant"].with_context(inventory_mode=True)
    with pytest.raises(odoorpc.error.RPCError, match="Quant's creation is restricted"):
        quants.create({"product_id": product_id, "location_id": WH_STOCK, "inventory_quantity": 1, "quantity": 5})


def test_sale_order_with_lines_confirm_creates_delivery_and_validate_moves_stock(
    twin: RunningTwin, postgres_conn: psycopg2.extensions.connection
) -> None:
    odoo = _client(twin)
    product_id = _product(odoo, "SO-1")
    quant_id = _set_stock(odoo, product_id, 10)
    partner_id = odoo.env["res.partner"].create({"name": "Buyer"})
    orders = odoo.env["sale.order"]
    order_id = orders.create(
        {
            "partner_id": partner_id,
            "client_order_ref": "PS-ORDER-7",
            "order_line": [
                (0, 0, {"product_id": product_id, "product_uom_qty": 3, "price_unit": 19.9, "discount": 10})
            ],
        }
    )
    [order] = orders.read([order_id], ["name", "state", "amount_untaxed", "amount_total", "order_line"])
    assert order["state"] == "draft" and len(order["order_line"]) == 1
    # no tax_id sent: the default sale tax (15 %), as a fresh real Odoo 18 applies it
    assert order["amount_untaxed"] == pytest.approx(53.73) and order["amount_total"] == pytest.approx(61.79)
    assert orders.search([("client_order_ref", "=", "PS-ORDER-7")]) == [order_id]

    orders.browse(order_id).action_confirm()
    [confirmed] = orders.read([order_id], ["state", "picking_ids", "delivery_status"])
    assert confirmed["state"] == "sale" and len(confirmed["picking_ids"]) == 1
    assert confirmed["delivery_status"] == "pending"  # sale_stock's stored compute
    # reserved at confirmation (reservation_method at_confirm): 10 on hand, 7 available
    quant = odoo.env["stock.quant"].read([quant_id], ["quantity", "reserved_quantity"])[0]
    assert (quant["quantity"], quant["reserved_quantity"]) == (10, 3)
    pickings = odoo.env["stock.picking"]
    picking_id = confirmed["picking_ids"][0]
    pickings.write([picking_id], {"carrier_tracking_ref": "1Z999"})
    assert pickings.browse(picking_id).button_validate() is True
    [done] = pickings.read([picking_id], ["state", "carrier_tracking_ref", "origin", "location_dest_id"])
    assert (done["state"], done["carrier_tracking_ref"], done["origin"]) == ("done", "1Z999", order["name"])
    assert done["location_dest_id"][0] == CUSTOMERS
    quant = odoo.env["stock.quant"].read([quant_id], ["quantity", "reserved_quantity"])[0]
    assert (quant["quantity"], quant["reserved_quantity"]) == (7, 0)  # the reservation is consumed
    with postgres_conn.cursor() as cur:
        cur.execute("SELECT state, date_done IS NOT NULL FROM stock_picking WHERE id = %s", (picking_id,))
        assert cur.fetchone() == ("done", True)
        # every delivery done: "full", written by the user who validated, in the same transaction
        cur.execute("SELECT delivery_status, write_uid FROM sale_order WHERE id = %s", (order_id,))
        assert cur.fetchone() == ("full", INTEGRATION_UID)


def test_partial_delivery_returns_backorder_wizard_unless_skipped(twin: RunningTwin) -> None:
    odoo = _client(twin)
    product_id = _product(odoo, "BO-1")
    _set_stock(odoo, product_id, 10)
    partner_id = odoo.env["res.partner"].create({"name": "Partial"})
    order_id = odoo.env["sale.order"].create(
        {"partner_id": partner_id, "order_line": [(0, 0, {"product_id": product_id, "product_uom_qty": 4})]}
    )
    odoo.env["sale.order"].browse(order_id).action_confirm()
    picking_id = odoo.env["sale.order"].read([order_id], ["picking_ids"])[0]["picking_ids"][0]
    move_id = odoo.env["stock.picking"].read([picking_id], ["move_ids"])[0]["move_ids"][0]
    odoo.env["stock.move"].write([move_id], {"quantity": 1, "picked": True})
    wizard = odoo.execute_kw("stock.picking", "button_validate", [[picking_id]])
    assert isinstance(wizard, dict) and wizard["res_model"] == "stock.backorder.confirmation"
    assert odoo.env["stock.picking"].read([picking_id], ["state"])[0]["state"] == "assigned"
    done = odoo.execute_kw(
        "stock.picking",
        "button_validate",
        [[picking_id]],
        {"context": {"skip_backorder": True, "picking_ids_not_to_backorder": [picking_id]}},
    )
    assert done is True
    assert odoo.env["stock.picking"].search([("backorder_id", "=", picking_id)]) == []


def test_invoice_post_names_it_and_confirmed_order_cannot_be_deleted(twin: RunningTwin) -> None:
    odoo = _client(twin)
    partner_id = odoo.env["res.partner"].create({"name": "Invoiced"})
    move_id = odoo.env["account.move"].create(
        {"move_type": "out_invoice", "partner_id": partner_id, "invoice_origin": "S00001"}
    )
    assert odoo.execute_kw("account.move", "action_post", [[move_id]]) is False
    [move] = odoo.env["account.move"].read([move_id], ["name", "state", "invoice_origin"])
    assert move["state"] == "posted" and move["name"].startswith("INV/") and move["invoice_origin"] == "S00001"
    order_id = odoo.env["sale.order"].create({"partner_id": partner_id})
    odoo.env["sale.order"].browse(order_id).action_confirm()
    with pytest.raises(odoorpc.error.RPCError, match="You must first cancel it"):
        odoo.env["sale.order"].unlink([order_id])


def test_pricelist_item_and_warehouse_lookups(twin: RunningTwin) -> None:
    odoo = _client(twin)
    product_id = _product(odoo, "PL-1")
    item_id = odoo.env["product.pricelist.item"].create(
        {"pricelist_id": 1, "product_id": product_id, "fixed_price": 8.5, "min_quantity": 2}
    )
    [item] = odoo.env["product.pricelist.item"].read([item_id], ["applied_on", "compute_price", "fixed_price"])
    assert (item["applied_on"], item["compute_price"], item["fixed_price"]) == ("0_product_variant", "fixed", 8.5)
    warehouses = odoo.env["stock.warehouse"].search_read([], ["code", "lot_stock_id"], order="id")
    assert [(w["code"], w["lot_stock_id"][1]) for w in warehouses] == [("WH", "WH/Stock"), ("STORE", "STORE/Stock")]
    internal = odoo.env["stock.location"].search([("usage", "=", "internal"), ("warehouse_id.code", "=", "STORE")])
    assert internal == [10]


def test_fault_injection_and_call_recording(twin: RunningTwin) -> None:
    admin = {"X-Admin-Token": twin.server.admin_token}
    queue = {"queue": [{"kind": "500", "count": 1}]}
    assert requests.post(f"{twin.url}/__admin/faults", json=queue, headers=admin, timeout=10).status_code == 200
    failed = requests.post(f"{twin.url}/web/webclient/version_info", json={"params": {}}, timeout=10)
    assert failed.status_code == 500
    client = _client(twin)
    client.env["res.partner"].create({"name": "Recorded"})
    calls = requests.get(f"{twin.url}/__admin/calls", headers=admin, timeout=10).json()["calls"]
    assert (calls[0]["fault"], calls[0]["status"], calls[0]["path"]) == ("500", 500, "/web/webclient/version_info")
    created = [c for c in calls if c["resource"] == "res.partner" and c["ids"]]
    assert created and all(c["status"] == 200 for c in created)
    assert requests.get(f"{twin.url}/__admin/calls", timeout=10).status_code == 401


def test_cancelling_a_confirmed_order_frees_its_reservation(twin: RunningTwin) -> None:
    odoo = _client(twin)
    product_id = _product(odoo, "RES-1")
    quant_id = _set_stock(odoo, product_id, 2)
    partner_id = odoo.env["res.partner"].create({"name": "Changed mind"})
    orders = odoo.env["sale.order"]
    # asks for more than there is: only what the quant holds is reserved
    order_id = orders.create(
        {"partner_id": partner_id, "order_line": [(0, 0, {"product_id": product_id, "product_uom_qty": 5})]}
    )
    orders.browse(order_id).action_confirm()
    assert odoo.env["stock.quant"].read([quant_id], ["reserved_quantity"])[0]["reserved_quantity"] == 2
    # real Odoo 18 answers its cancel wizard for a confirmed order (tests/fixtures/real/odoo-18.0/sink/)
    wizard = odoo.execute_kw("sale.order", "action_cancel", [[order_id]])
    assert (wizard["res_model"], wizard["context"]["default_order_id"]) == ("sale.order.cancel", order_id)
    assert orders.read([order_id], ["state"])[0]["state"] == "sale"
    wizard_id = odoo.env["sale.order.cancel"].create({"order_id": order_id})
    assert odoo.execute_kw("sale.order.cancel", "action_cancel", [[wizard_id]]) is True
    [cancelled] = orders.read([order_id], ["state", "delivery_status"])
    assert (cancelled["state"], cancelled["delivery_status"]) == ("cancel", False)
    quant = odoo.env["stock.quant"].read([quant_id], ["quantity", "reserved_quantity"])[0]
    assert (quant["quantity"], quant["reserved_quantity"]) == (2, 0)
