"""The wizards real Odoo 18 answers from action methods instead of acting, and their buttons.

Recorded from a real Odoo 18.0 (tests/fixtures/real/odoo-18.0/): ``sale.order.action_cancel`` on an
order that is not a draft answers the ``sale.order.cancel`` wizard (``_show_cancel_wizard``; one
order only: ``ensure_one``), whose "Cancel" button (``action_cancel``) cancels with
``disable_cancel_warning``. ``stock.picking.button_validate`` of a delivery to a partner with a
phone answers stock_sms's ``confirm.stock.sms`` until the company has answered it once
(``has_received_warning_stock_sms``); ``skip_sms`` in the context skips it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.odoo.fields import Model
    from sandbox.odoo.orm import Env

# ids of records the twin does not hold (views, the cancellation mail template): a fresh real 18.0 db's
CANCEL_VIEW_ID = 1125
CANCEL_TEMPLATE_ID = 14
SMS_VIEW_ID = 1106


def cancel_wizard(order_id: int) -> dict[str, Any]:
    """``sale.order.action_cancel``'s answer for one non-draft order (sale/models/sale_order.py)."""
    return {
        "name": "Cancel Sales Order",
        "view_mode": "form",
        "res_model": "sale.order.cancel",
        "view_id": CANCEL_VIEW_ID,
        "type": "ir.actions.act_window",
        "context": {
            "default_template_id": CANCEL_TEMPLATE_ID,
            "default_order_id": order_id,
            "mark_so_as_canceled": True,
            "default_email_layout_xmlid": "mail.mail_notification_layout_with_responsible_signature",
            "model_description": "Sales Order",
        },
        "target": "new",
    }


def cancel_wizard_cancel(env: Env, model: Model, ids: list[int]) -> Any:
    """The wizard's "Cancel" button: the orders' ``action_cancel`` without the warning."""
    from sandbox.odoo import sales  # sales -> stock -> wizards: imported when a button is pressed

    env.ensure_exist(model, ids)
    orders = sorted({int(r[0]) for r in env.fetch("SELECT order_id FROM sale_order_cancel WHERE id = ANY(%s)", (ids,))})
    quiet = env.with_context(disable_cancel_warning=True)
    return sales.order_cancel(quiet, env.registry["sale.order"], orders)


def sms_wizard(env: Env, picking_ids: list[int]) -> dict[str, Any] | None:
    """stock_sms's ``_pre_action_done_hook``: the ``confirm.stock.sms`` action, or None to go on."""
    if env.context.get("skip_sms"):
        return None
    warn = env.fetch(
        "SELECT p.id FROM stock_picking p JOIN stock_picking_type t ON t.id = p.picking_type_id "
        "JOIN res_company c ON c.id = COALESCE(p.company_id, t.company_id, 1) "
        "LEFT JOIN res_partner r ON r.id = p.partner_id "
        "WHERE p.id = ANY(%s) AND t.code = 'outgoing' AND c.stock_move_sms_validation "
        "AND NOT COALESCE(c.has_received_warning_stock_sms, FALSE) "
        "AND (COALESCE(r.mobile, '') != '' OR COALESCE(r.phone, '') != '')",
        (picking_ids,),
    )
    if not warn:
        return None
    wizard = env.create(env.registry["confirm.stock.sms"], [{}])[0]
    context = {**env.context}
    context.setdefault("button_validate_picking_ids", picking_ids)
    return {
        "name": "SMS",
        "type": "ir.actions.act_window",
        "view_mode": "form",
        "res_model": "confirm.stock.sms",
        "views": [[SMS_VIEW_ID, "form"]],
        "view_id": SMS_VIEW_ID,
        "target": "new",
        "res_id": wizard,
        "context": context,
    }


def _sms_answer(env: Env, model: Model, ids: list[int], keep_sms: bool) -> Any:
    from sandbox.odoo import stock

    env.ensure_exist(model, ids)
    if len(ids) != 1:
        raise ValueError(f"Expected singleton: confirm.stock.sms({', '.join(str(i) for i in ids)})")
    pickings = [int(i) for i in env.context.get("button_validate_picking_ids") or []]
    settings = "has_received_warning_stock_sms = TRUE" + ("" if keep_sms else ", stock_move_sms_validation = FALSE")
    env.cr.execute(
        f"UPDATE res_company SET {settings}, write_uid = %s, write_date = now() AT TIME ZONE 'utc' "
        "WHERE NOT COALESCE(has_received_warning_stock_sms, FALSE) AND id IN "
        "(SELECT COALESCE(company_id, 1) FROM stock_picking WHERE id = ANY(%s))",
        (env.uid, pickings),
    )
    if not pickings:
        return True
    return stock.button_validate(env, env.registry["stock.picking"], pickings)


def sms_send(env: Env, model: Model, ids: list[int]) -> Any:
    """ "Confirm": SMS stay on for the company, the pickings are validated."""
    return _sms_answer(env, model, ids, keep_sms=True)


def sms_dont_send(env: Env, model: Model, ids: list[int]) -> Any:
    """ "Disable SMS": the company stops sending them, the pickings are validated."""
    return _sms_answer(env, model, ids, keep_sms=False)
