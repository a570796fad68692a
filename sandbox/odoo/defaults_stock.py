"""Create defaults and stored computes of the stock models: a location's complete name and path, a warehouse's
own view and stock locations, quants, pickings and moves with their sequence-style names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.odoo.errors import UserError
from sandbox.odoo.fields import Model
from sandbox.odoo.vals import COMPANY_ID, now, set_defaults

if TYPE_CHECKING:
    from sandbox.odoo.orm import Env


def prepare_location(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    set_defaults(model, vals, {"usage": "internal", "company_id": COMPANY_ID, "scrap_location": False})
    parent = vals.get("location_id") or None
    row = env.fetch("SELECT complete_name, parent_path, warehouse_id FROM stock_location WHERE id = %s", (parent,))
    name = vals.get("name") or ""
    if row:
        full, path, warehouse = row[0]
        vals["complete_name"] = f"{full}/{name}" if vals["usage"] != "view" else name
        vals["parent_path"] = f"{path}{new_id}/"
        vals.setdefault("warehouse_id", warehouse or False)
    else:
        vals["complete_name"], vals["parent_path"] = name, f"{new_id}/"


def prepare_warehouse(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    """Odoo creates a warehouse's view and stock locations with it."""
    set_defaults(
        model,
        vals,
        {
            "company_id": COMPANY_ID,
            "reception_steps": "one_step",
            "delivery_steps": "ship_only",
            "sequence": 10,
            "partner_id": 1,
        },
    )
    if not vals.get("view_location_id"):
        location = env.registry["stock.location"]
        code = vals.get("code") or "WH"
        view = env.create(location, [{"name": code, "usage": "view", "location_id": 1}])[0]
        vals["view_location_id"] = view
        vals.setdefault("lot_stock_id", env.create(location, [{"name": "Stock", "location_id": view}])[0])


def prepare_quant(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    set_defaults(model, vals, {"reserved_quantity": 0, "quantity": 0, "in_date": now(), "company_id": COMPANY_ID})


def prepare_picking(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    ptype = vals.get("picking_type_id")
    row = env.fetch(
        "SELECT t.default_location_src_id, t.default_location_dest_id, t.sequence_code, w.code "
        "FROM stock_picking_type t LEFT JOIN stock_warehouse w ON w.id = t.warehouse_id WHERE t.id = %s",
        (ptype,),
    )
    if not row:
        raise UserError("A picking type is required to create a transfer.")
    src, dest, seq_code, wh_code = row[0]
    set_defaults(
        model,
        vals,
        {
            "location_id": src,
            "location_dest_id": dest,
            "state": "draft",
            "move_type": "direct",
            "priority": "0",
            "company_id": COMPANY_ID,
            "scheduled_date": now(),
            "date": now(),
            "name": f"{wh_code or 'WH'}/{seq_code}/{new_id:05d}",
            "user_id": env.uid,
        },
    )


def prepare_move(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    picking = env.fetch(
        "SELECT location_id, location_dest_id, picking_type_id, name, partner_id FROM stock_picking WHERE id = %s",
        (vals.get("picking_id") or None,),
    )
    if picking:
        src, dest, ptype, ref, partner = picking[0]
        set_defaults(
            model,
            vals,
            {
                "location_id": src,
                "location_dest_id": dest,
                "picking_type_id": ptype,
                "reference": ref,
                "partner_id": partner or False,
            },
        )
    product_name = (
        env.display_names(env.registry["product.product"], [vals["product_id"]]).get(vals["product_id"], "")
        if vals.get("product_id")
        else ""
    )
    set_defaults(
        model,
        vals,
        {
            "name": product_name or "/",
            "date": now(),
            "company_id": COMPANY_ID,
            "procure_method": "make_to_stock",
            "product_uom": 1,
            "state": "draft",
            "quantity": 0,
            "picked": False,
            "sequence": 10,
            "product_uom_qty": 1,
        },
    )
