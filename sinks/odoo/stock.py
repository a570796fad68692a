"""Stock and delivery operations over the Odoo client, each idempotent (safe to replay).

* on-hand stock is set through ``stock.quant`` in inventory mode (``inventory_quantity`` then
  ``action_apply_inventory``), never by writing ``quantity``;
* a delivery gets its tracking number by writing ``carrier_tracking_ref``;
* a delivery is validated with ``button_validate`` (no backorder); a dict answer means Odoo wants a
  wizard, so nothing was validated (terminal).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sinks.common.errors import TerminalError
from sinks.odoo.client import OdooClient

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
    client.call("stock.quant", "action_apply_inventory", [quant_id], context=INVENTORY_MODE)
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
    rows = client.search_read("stock.picking", [("id", "=", picking_id)], ["state"], limit=1)
    if not rows:
        raise TerminalError(f"odoo: unknown reference: stock.picking {picking_id}")
    if rows[0]["state"] == "done":
        return False
    if rows[0]["state"] == "cancel":
        raise TerminalError(f"odoo: stock.picking {picking_id} is cancelled")
    context: dict[str, Any] = {"skip_backorder": True, "picking_ids_not_to_backorder": [picking_id]}
    result = client.call("stock.picking", "button_validate", [picking_id], context=context)
    if result is not True:
        raise TerminalError(f"odoo: stock.picking {picking_id} was not validated (Odoo answered an action: "
                            f"{str(result)[:200]})")
    return True


def order_pickings(client: OdooClient, order_id: int) -> list[dict[str, Any]]:
    return client.search_read("stock.picking", [("sale_id", "=", order_id)], ["id", "state", "carrier_tracking_ref"])
