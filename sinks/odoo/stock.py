"""Stock and delivery operations over the Odoo client, each idempotent (safe to replay).

* on-hand stock is set through ``stock.quant`` in inventory mode (``inventory_quantity`` then
  ``action_apply_inventory``), never by writing ``quantity``;
* a delivery gets its tracking number by writing ``carrier_tracking_ref``;
* a delivery is validated with ``button_validate`` (no backorder) after each open move's ``quantity``
  is set to its demand and ``picked``; a dict answer means Odoo wants a wizard, so nothing was
  validated (terminal, naming the wizard, e.g. ``confirm.stock.sms``) unless the picking reads
  ``done`` afterwards (Odoo 18 also answers a print or reception-report action after validating);
* every change is read back before it is reported done.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sinks.common.errors import TerminalError
from sinks.odoo.client import OdooClient, wizard_model

INVENTORY_MODE = {"inventory_mode": True}


def set_on_hand(client: OdooClient, product_id: int, location_id: int, quantity: Decimal) -> tuple[int, bool]:
    """Make the product's on-hand quantity at ``location_id`` equal ``quantity``; (quant id, changed)."""
    quants = client.search_read("stock.quant", [("product_id", "=", product_id), ("location_id", "=", location_id)],
                                ["id", "quantity"], limit=1, context=INVENTORY_MODE)
    if quants and Decimal(str(quants[0]["quantity"])) == quantity:
        return int(quants[0]["id"]), False
    if quants:
        quant_id = int(quants[0]["id"])
        client.write("stock.quant", [quant_id], {"inventory_quantity": quantity}, context=INVENTORY_MODE)
    else:
        quant_id = client.create("stock.quant", [{"product_id": product_id, "location_id": location_id,
                                                  "inventory_quantity": quantity}], context=INVENTORY_MODE)[0]
    answer = client.call("stock.quant", "action_apply_inventory", [quant_id], context=INVENTORY_MODE)
    held = client.search_read("stock.quant", [("id", "=", quant_id)], ["quantity"], limit=1, context=INVENTORY_MODE)
    if not held or Decimal(str(held[0]["quantity"])) != quantity:
        wizard = wizard_model(answer)
        raise TerminalError(f"odoo: stock.quant {quant_id} holds {held[0]['quantity'] if held else 'nothing'}, "
                            f"not {quantity}" + (f": action_apply_inventory answered the {wizard} wizard"
                                                 if wizard else ""))
    return quant_id, True


def set_tracking(client: OdooClient, picking_id: int, tracking_ref: str) -> bool:
    """Write the delivery's tracking number unless it is already there; True if written."""
    rows = client.search_read("stock.picking", [("id", "=", picking_id)], ["carrier_tracking_ref"], limit=1)
    if not rows:
        raise TerminalError(f"odoo: unknown reference: stock.picking {picking_id}")
    if (rows[0].get("carrier_tracking_ref") or None) == tracking_ref:
        return False
    return client.write("stock.picking", [picking_id], {"carrier_tracking_ref": tracking_ref})


def validate_picking(client: OdooClient, picking_id: int) -> bool:
    """Validate the delivery (all demanded quantities, no backorder); False if it already was."""
    state = _state(client, picking_id)
    if state is None:
        raise TerminalError(f"odoo: unknown reference: stock.picking {picking_id}")
    if state == "done":
        return False
    if state == "cancel":
        raise TerminalError(f"odoo: stock.picking {picking_id} is cancelled")
    _pick_whole_demand(client, picking_id)
    context: dict[str, Any] = {"skip_backorder": True, "picking_ids_not_to_backorder": [picking_id]}
    result = client.call("stock.picking", "button_validate", [picking_id], context=context)
    if _state(client, picking_id) != "done":
        # e.g. confirm.stock.sms (stock_sms, on a fresh database, for a partner with a phone): both of
        # its buttons change the company's SMS settings, which is the merchant's choice, not ours
        wizard = wizard_model(result)
        raise TerminalError(f"odoo: stock.picking {picking_id} was not validated: button_validate answered "
                            + (f"the {wizard} wizard" if wizard else repr(result)[:200]))
    return True


def _state(client: OdooClient, picking_id: int) -> str | None:
    rows = client.search_read("stock.picking", [("id", "=", picking_id)], ["state"], limit=1)
    return str(rows[0]["state"]) if rows else None


def _pick_whole_demand(client: OdooClient, picking_id: int) -> None:
    """Set every open move's ``quantity`` to its demand and ``picked``, as Odoo 17+ needs before validation:
    ``button_validate`` fills quantities only on draft pickings, refuses a picking whose moves all have
    none reserved, and with ``picking_ids_not_to_backorder`` would drop the unreserved rest."""
    moves = client.search_read("stock.move", [("picking_id", "=", picking_id), ("state", "not in", ["done", "cancel"])],
                               ["id", "product_uom_qty", "quantity", "picked"])
    for move in moves:
        demand = Decimal(str(move["product_uom_qty"]))
        if Decimal(str(move["quantity"] or 0)) != demand or not move["picked"]:
            client.write("stock.move", [int(move["id"])], {"quantity": demand, "picked": True})


def order_pickings(client: OdooClient, order_id: int) -> list[dict[str, Any]]:
    return client.search_read("stock.picking", [("sale_id", "=", order_id)], ["id", "state", "carrier_tracking_ref"])
