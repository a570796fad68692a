"""sale.order and account.move state changes callable over RPC (Odoo 17/18 semantics, simplified).

``action_confirm`` moves a quotation (draft/sent) to ``sale`` and, like sale_stock, creates the delivery
(an outgoing picking of the order's warehouse with one move per goods line, ``origin`` = order name,
``sale_id`` set). Invoices (``account.move``) are posted with ``action_post`` (name from a per-type
sequence, returns False as Odoo's does). No taxes, no accounting lines: the twin stores the headers only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sandbox.odoo import wizards
from sandbox.odoo.errors import UserError
from sandbox.odoo.reservation import picking_confirm
from sandbox.odoo.stock import picking_cancel, refresh_delivery_status

if TYPE_CHECKING:
    from sandbox.odoo.fields import Model
    from sandbox.odoo.orm import Env

_MOVE_PREFIX = {"out_invoice": "INV", "out_refund": "RINV", "in_invoice": "BILL", "in_refund": "RBILL"}


def _states(env: Env, table: str, ids: list[int]) -> dict[int, str]:
    return {int(i): s for i, s in env.fetch(f'SELECT id, state FROM "{table}" WHERE id = ANY(%s)', (ids,))}


def order_confirm(env: Env, model: Model, ids: list[int]) -> bool:
    env.ensure_exist(model, ids)
    if any(state not in ("draft", "sent") for state in _states(env, "sale_order", ids).values()):
        raise UserError("Some orders are not in a state requiring confirmation.")
    env.write(model, ids, {"state": "sale", "date_order": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")})
    for order_id in ids:
        _create_delivery(env, order_id)
    refresh_delivery_status(env, ids)
    return True


def _create_delivery(env: Env, order_id: int) -> None:
    order = env.fetch(
        "SELECT o.name, o.partner_shipping_id, w.out_type_id FROM sale_order o "
        "JOIN stock_warehouse w ON w.id = COALESCE(o.warehouse_id, 1) WHERE o.id = %s",
        (order_id,),
    )
    name, partner, out_type = order[0]
    lines = env.fetch(
        "SELECT l.id, l.product_id, l.product_uom_qty FROM sale_order_line l "
        "JOIN product_product p ON p.id = l.product_id JOIN product_template t ON t.id = p.product_tmpl_id "
        "WHERE l.order_id = %s AND l.display_type IS NULL AND t.type != 'service' ORDER BY l.sequence, l.id",
        (order_id,),
    )
    if not lines or out_type is None:
        return
    picking_model = env.registry["stock.picking"]
    picking = env.create(
        picking_model, [{"picking_type_id": out_type, "partner_id": partner, "origin": name, "sale_id": order_id}]
    )[0]
    for line_id, product_id, qty in lines:
        env.create(
            env.registry["stock.move"],
            [
                {
                    "picking_id": picking,
                    "product_id": product_id,
                    "product_uom_qty": qty,
                    "sale_line_id": line_id,
                    "origin": name,
                }
            ],
        )
    picking_confirm(env, picking_model, [picking])


def order_cancel(env: Env, model: Model, ids: list[int]) -> Any:
    """``action_cancel``: a non-draft order answers the ``sale.order.cancel`` wizard (one order at a
    time) unless called from it (``disable_cancel_warning``); see :mod:`sandbox.odoo.wizards`."""
    env.ensure_exist(model, ids)
    rows = env.fetch("SELECT id, state, locked FROM sale_order WHERE id = ANY(%s) ORDER BY id", (ids,))
    if any(locked for _, _, locked in rows):
        raise UserError("You cannot cancel a locked order. Please unlock it first.")
    if not env.context.get("disable_cancel_warning") and any(state != "draft" for _, state, _ in rows):
        if len(ids) != 1:
            raise ValueError(f"Expected singleton: sale.order({', '.join(str(i) for i in ids)})")
        return wizards.cancel_wizard(ids[0])
    env.write(model, ids, {"state": "cancel"})
    pickings = [
        r[0] for r in env.fetch("SELECT id FROM stock_picking WHERE sale_id = ANY(%s) AND state != 'done'", (ids,))
    ]
    if pickings:
        picking_cancel(env, env.registry["stock.picking"], pickings)
    return True


def order_draft(env: Env, model: Model, ids: list[int]) -> bool:
    env.ensure_exist(model, ids)
    if any(state not in ("cancel", "sent") for state in _states(env, "sale_order", ids).values()):
        raise UserError("Only cancelled or sent quotations can be set back to draft.")
    return env.write(model, ids, {"state": "draft"})


def order_lock(env: Env, model: Model, ids: list[int]) -> bool:
    env.ensure_exist(model, ids)
    return env.write(model, ids, {"locked": True})


def order_unlock(env: Env, model: Model, ids: list[int]) -> bool:
    env.ensure_exist(model, ids)
    return env.write(model, ids, {"locked": False})


def move_post(env: Env, model: Model, ids: list[int]) -> bool:
    env.ensure_exist(model, ids)
    today = dt.date.today()
    for move_id, state, name, move_type, invoice_date in env.fetch(
        "SELECT id, state, name, move_type, invoice_date FROM account_move WHERE id = ANY(%s) ORDER BY id", (ids,)
    ):
        if state != "draft":
            raise UserError(f"The entry {name} (id {move_id}) is already posted.")
        vals: dict[str, Any] = {"state": "posted", "posted_before": True}
        if name in (None, "/"):
            prefix = f"{_MOVE_PREFIX.get(move_type, 'MISC')}/{today.year}/"
            count = env.fetch("SELECT count(*) FROM account_move WHERE name LIKE %s", (prefix + "%",))[0][0]
            vals["name"] = f"{prefix}{int(count) + 1:05d}"
            vals["sequence_prefix"], vals["sequence_number"] = prefix, int(count) + 1
        if move_type != "entry" and invoice_date is None:
            vals["invoice_date"] = today.isoformat()
        env.write(model, [move_id], vals)
    return False  # account.move.action_post returns False in Odoo 17/18


def move_draft(env: Env, model: Model, ids: list[int]) -> bool:
    env.ensure_exist(model, ids)
    return env.write(model, ids, {"state": "draft"})


def move_cancel(env: Env, model: Model, ids: list[int]) -> bool:
    env.ensure_exist(model, ids)
    return env.write(model, ids, {"state": "cancel"})


def payment_post(env: Env, model: Model, ids: list[int]) -> None:
    """``account.payment.action_post`` (18.0): draft -> ``in_process`` (``paid`` only when the outstanding
    account is of type asset_cash, which a fresh 18.0's Bank and Cash journals' are not: both answered
    in_process on the real one); answers None."""
    env.ensure_exist(model, ids)
    for payment_id, code, name, date in env.fetch(
        "SELECT p.id, j.code, p.name, p.date FROM account_payment p "
        "JOIN account_journal j ON j.id = p.journal_id WHERE p.id = ANY(%s) ORDER BY p.id",
        (ids,),
    ):
        vals: dict[str, Any] = {"state": "in_process"}
        if not name:  # _compute_name: the entry's number, in posting order ("date desc, name desc" lists)
            prefix = f"P{code}/{date.year}/"
            count = env.fetch("SELECT count(*) FROM account_payment WHERE name LIKE %s", (prefix + "%",))[0][0]
            vals["name"] = f"{prefix}{int(count) + 1:05d}"
        env.write(model, [payment_id], vals)
