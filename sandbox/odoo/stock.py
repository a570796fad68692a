"""stock.quant inventory mode and stock.picking validation, as Odoo 17/18 do them through the API.

Quant (odoo/addons/stock/models/stock_quant.py): in ``inventory_mode`` (context), ``create`` finds the
quant of (product, location) or makes one, and only sets the counted ``inventory_quantity``;
``action_apply_inventory`` then books the difference with a done inventory ``stock.move`` (from/to the
inventory-adjustment location), sets ``quantity`` and clears the inventory fields. Outside inventory mode
(or without a counted quantity) ``create`` is the ORM's plain create: the quant is made as given.

Picking confirmation reserves on the source quant (``reserved_quantity``, what "available" subtracts);
validation and cancellation release it. Picking (stock_picking.py ``button_validate``): a draft picking is
confirmed first; moves with no quantity
get their demand; a picking short of its demand returns the backorder wizard action (nothing validated)
unless ``skip_backorder`` is in the context; then moves are done, quants of internal locations move, and
the picking is ``done`` with ``date_done``. Returns True.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.odoo import wizards
from sandbox.odoo.errors import UserError
from sandbox.odoo.reservation import RESERVED, open_moves, picking_confirm, reserve

if TYPE_CHECKING:
    from sandbox.odoo.fields import Model
    from sandbox.odoo.orm import Env

INVENTORY_CREATE_FIELDS = {
    "product_id",
    "owner_id",
    "inventory_quantity",
    "inventory_quantity_auto_apply",
    "inventory_diff_quantity",
    "inventory_date",
    "user_id",
    "inventory_quantity_set",
    "is_outdated",
    "lot_id",
    "location_id",
    "package_id",
}
# create() takes the inventory path only in inventory mode and when one of these is given.
INVENTORY_KEYS = {"inventory_quantity", "inventory_quantity_auto_apply"}
PROTECTED_IN_INVENTORY_MODE = {"product_id", "location_id", "lot_id", "package_id", "owner_id"}


def _inventory_location(env: Env) -> int:
    rows = env.fetch("SELECT id FROM stock_location WHERE usage = 'inventory' ORDER BY id LIMIT 1")
    if not rows:
        raise UserError("No inventory adjustment location is configured.")
    return int(rows[0][0])


def quant_create(env: Env, model: Model, vals_list: list[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    for vals in vals_list:
        if not (env.context.get("inventory_mode") and INVENTORY_KEYS & set(vals)):
            # Odoo's plain ``super().create``: the quant is made as given, no move is booked (recorded
            # from a real 18.0 as admin; Odoo's access rights, which the twin does not model, decide who may).
            ids += env.create(model, [vals])
            continue
        if set(vals) - INVENTORY_CREATE_FIELDS:
            raise UserError("Quant's creation is restricted, you can't do this operation.")
        rows = env.fetch(
            "SELECT id FROM stock_quant WHERE product_id = %s AND location_id = %s AND lot_id IS NULL "
            "AND package_id IS NULL AND owner_id IS NULL ORDER BY id LIMIT 1",
            (vals.get("product_id"), vals.get("location_id")),
        )
        counted = {k: v for k, v in vals.items() if k not in PROTECTED_IN_INVENTORY_MODE}
        if rows:
            quant_id = int(rows[0][0])
        else:
            quant_id = env.create(model, [{k: v for k, v in vals.items() if k in PROTECTED_IN_INVENTORY_MODE}])[0]
        if counted:
            quant_write(env, model, [quant_id], counted)
        ids.append(quant_id)
    return ids


def quant_write(env: Env, model: Model, ids: list[int], vals: dict[str, Any]) -> bool:
    if env.context.get("inventory_mode") and PROTECTED_IN_INVENTORY_MODE & set(vals):
        raise UserError("Quant's editing is restricted, you can't do this operation.")
    vals = dict(vals)
    auto_apply = vals.pop("inventory_quantity_auto_apply", None)
    if auto_apply is not None:
        vals["inventory_quantity"] = auto_apply
    if "inventory_quantity" in vals:
        counted = Decimal(str(vals["inventory_quantity"] or 0))
        for quant_id in ids:
            quantity = env.fetch("SELECT quantity FROM stock_quant WHERE id = %s", (quant_id,))
            on_hand = Decimal(quantity[0][0] or 0) if quantity else Decimal(0)
            env.write(
                model,
                [quant_id],
                {
                    **vals,
                    "inventory_quantity_set": True,
                    "user_id": env.uid,
                    "inventory_diff_quantity": counted - on_hand,
                },
            )
    elif vals:
        env.write(model, ids, vals)
    if auto_apply is not None:
        apply_inventory(env, model, ids)
    return True


def apply_inventory(env: Env, model: Model, ids: list[int]) -> None:
    """``action_apply_inventory``: book each counted quant's difference and reset its inventory fields."""
    env.ensure_exist(model, ids)
    inventory = _inventory_location(env)
    move_model = env.registry["stock.move"]
    rows = env.fetch(
        "SELECT id, product_id, location_id, COALESCE(quantity, 0), COALESCE(inventory_quantity, 0) "
        "FROM stock_quant WHERE id = ANY(%s) AND inventory_quantity_set ORDER BY id",
        (ids,),
    )
    for quant_id, product_id, location_id, quantity, counted in rows:
        diff = Decimal(counted) - Decimal(quantity)
        if diff:
            src, dest = (inventory, location_id) if diff > 0 else (location_id, inventory)
            env.create(
                move_model,
                [
                    {
                        "name": "Product Quantity Updated",
                        "reference": "Product Quantity Updated",
                        "product_id": product_id,
                        "product_uom_qty": abs(diff),
                        "quantity": abs(diff),
                        "location_id": src,
                        "location_dest_id": dest,
                        "is_inventory": True,
                        "picked": True,
                        "state": "done",
                    }
                ],
            )
        env.cr.execute(
            "UPDATE stock_quant SET quantity = %s, inventory_quantity = 0, inventory_diff_quantity = 0, "
            "inventory_quantity_set = FALSE, user_id = NULL, inventory_date = NULL, write_uid = %s, "
            "write_date = now() AT TIME ZONE 'utc' WHERE id = %s",
            (counted, env.uid, quant_id),
        )


def _add_to_quant(env: Env, product_id: int, location_id: int, delta: Decimal) -> None:
    """Odoo's ``_update_available_quantity``: only internal/transit locations hold quants."""
    usage = env.fetch("SELECT usage FROM stock_location WHERE id = %s", (location_id,))
    if not usage or usage[0][0] not in ("internal", "transit"):
        return
    rows = env.fetch(
        "SELECT id FROM stock_quant WHERE product_id = %s AND location_id = %s AND lot_id IS NULL "
        "AND package_id IS NULL AND owner_id IS NULL ORDER BY id LIMIT 1",
        (product_id, location_id),
    )
    if rows:
        env.cr.execute(
            "UPDATE stock_quant SET quantity = COALESCE(quantity, 0) + %s, write_uid = %s, "
            "write_date = now() AT TIME ZONE 'utc' WHERE id = %s",
            (delta, env.uid, rows[0][0]),
        )
    else:
        env.create(
            env.registry["stock.quant"], [{"product_id": product_id, "location_id": location_id, "quantity": delta}]
        )


def picking_cancel(env: Env, model: Model, ids: list[int]) -> bool:
    env.ensure_exist(model, ids)
    for product_id, location_id, demand in open_moves(env, ids, RESERVED):
        reserve(env, product_id, location_id, -Decimal(demand))
    for table, column in (("stock_move", "picking_id"), ("stock_picking", "id")):
        env.cr.execute(
            f"UPDATE {table} SET state = 'cancel', write_uid = %s, write_date = now() AT TIME ZONE 'utc' "
            f"WHERE {column} = ANY(%s) AND state != 'done'",
            (env.uid, ids),
        )
    refresh_delivery_status(env, _sale_orders_of(env, ids))
    return True


def _sale_orders_of(env: Env, picking_ids: list[int]) -> list[int]:
    rows = env.fetch(
        "SELECT DISTINCT sale_id FROM stock_picking WHERE id = ANY(%s) AND sale_id IS NOT NULL", (picking_ids,)
    )
    return [int(r[0]) for r in rows]


def refresh_delivery_status(env: Env, sale_ids: list[int]) -> None:
    """sale_stock's stored ``sale.order.delivery_status`` (``_compute_delivery_status``, Odoo 17/18),
    recomputed in the transaction that changed the pickings, by the user who changed them. The twin
    keeps no ``qty_delivered``: some pickings done (not all) is ``partial``."""
    for sale_id in sale_ids:
        states = [str(r[0]) for r in env.fetch("SELECT state FROM stock_picking WHERE sale_id = %s", (sale_id,))]
        if not states or all(s == "cancel" for s in states):
            status = None
        elif all(s in ("done", "cancel") for s in states):
            status = "full"
        elif any(s == "done" for s in states):
            status = "partial"
        else:
            status = "pending"
        env.cr.execute(
            "UPDATE sale_order SET delivery_status = %s, write_uid = %s, write_date = now() AT TIME ZONE 'utc' "
            "WHERE id = %s AND delivery_status IS DISTINCT FROM %s",
            (status, env.uid, sale_id, status),
        )


def button_validate(env: Env, model: Model, ids: list[int]) -> Any:
    """Checks and pre-validation wizards for every picking first (backorder, then stock_sms's
    ``confirm.stock.sms``, as ``_pre_action_done_hook``), then ``_action_done``."""
    env.ensure_exist(model, ids)
    moves_model = env.registry["stock.move"]
    plan: list[tuple[int, list[tuple[Any, ...]]]] = []
    for picking_id, state, name in env.fetch("SELECT id, state, name FROM stock_picking WHERE id = ANY(%s)", (ids,)):
        if state in ("done", "cancel"):
            raise UserError(f"{name}: this transfer is already done or cancelled.")
        moves = env.fetch(
            "SELECT id, product_id, product_uom_qty, COALESCE(quantity, 0), location_id, location_dest_id "
            "FROM stock_move WHERE picking_id = %s AND state != 'cancel' ORDER BY id",
            (picking_id,),
        )
        if not moves:
            raise UserError("Please add some items to move.")
        if all(Decimal(m[3]) == 0 for m in moves):
            for move in moves:
                env.write(moves_model, [move[0]], {"quantity": move[2]})
            moves = [(m[0], m[1], m[2], m[2], m[4], m[5]) for m in moves]
        short = [m for m in moves if Decimal(m[3]) < Decimal(m[2])]
        if short and not env.context.get("skip_backorder"):
            return _backorder_wizard(ids)
        plan.append((picking_id, moves))
    sms = wizards.sms_wizard(env, ids)
    if sms is not None:
        return sms
    for picking_id, moves in plan:
        _action_done(env, model, picking_id, moves)
    refresh_delivery_status(env, _sale_orders_of(env, ids))
    return True


def _action_done(env: Env, model: Model, picking_id: int, moves: list[tuple[Any, ...]]) -> None:
    moves_model = env.registry["stock.move"]
    short = [m for m in moves if Decimal(m[3]) < Decimal(m[2])]
    if short and picking_id not in (env.context.get("picking_ids_not_to_backorder") or []):
        _create_backorder(env, model, picking_id, short)
    assigned = {
        int(r[0])
        for r in env.fetch(
            "SELECT id FROM stock_move WHERE picking_id = %s AND state = ANY(%s)", (picking_id, list(RESERVED))
        )
    }
    for move_id, product_id, demand, quantity, src, dest in moves:
        if move_id in assigned:  # what confirmation reserved is consumed (or freed) now
            reserve(env, product_id, src, -Decimal(demand))
        env.write(moves_model, [move_id], {"state": "done", "picked": True, "product_uom_qty": quantity})
        _add_to_quant(env, product_id, src, -Decimal(quantity))
        _add_to_quant(env, product_id, dest, Decimal(quantity))
    env.cr.execute(
        "UPDATE stock_picking SET state = 'done', date_done = now() AT TIME ZONE 'utc', write_uid = %s, "
        "write_date = now() AT TIME ZONE 'utc' WHERE id = %s",
        (env.uid, picking_id),
    )


def _backorder_wizard(ids: list[int]) -> dict[str, Any]:
    return {
        "name": "Create Backorder?",
        "type": "ir.actions.act_window",
        "res_model": "stock.backorder.confirmation",
        "view_mode": "form",
        "views": [[False, "form"]],
        "target": "new",
        "context": {"button_validate_picking_ids": ids, "default_pick_ids": [[4, i] for i in ids]},
    }


def _create_backorder(env: Env, model: Model, picking_id: int, short: list[tuple[Any, ...]]) -> None:
    picking = env.read(
        model,
        [picking_id],
        ["picking_type_id", "partner_id", "origin", "location_id", "location_dest_id", "sale_id"],
        "_classic_write",
    )[0]
    vals = {k: v for k, v in picking.items() if k != "id"}
    backorder = env.create(model, [{**vals, "backorder_id": picking_id}])[0]
    for _move_id, product_id, demand, quantity, _src, _dest in short:
        env.create(
            env.registry["stock.move"],
            [
                {
                    "picking_id": backorder,
                    "product_id": product_id,
                    "product_uom_qty": Decimal(demand) - Decimal(quantity),
                }
            ],
        )
    picking_confirm(env, model, [backorder])
