"""Default values and create-time computed columns per model (Odoo's ``default_get`` and the stored
computes the sync reads): ``prepare_create`` and the models' own steps; partners (``complete_name``),
product templates, pricelist items and users here, the stock models in ``defaults_stock``, the sales
models in ``defaults_sales``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sandbox.odoo.defaults_sales import prepare_account_move, prepare_sale_line, prepare_sale_order
from sandbox.odoo.defaults_stock import (
    prepare_location,
    prepare_move,
    prepare_picking,
    prepare_quant,
    prepare_warehouse,
)
from sandbox.odoo.fields import Model
from sandbox.odoo.vals import COMPANY_ID, scalar, set_defaults

if TYPE_CHECKING:
    from sandbox.odoo.orm import Env


# -- create ---------------------------------------------------------------------------------
def prepare_create(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> dict[str, Any]:
    """Fill Odoo's defaults and the stored computed columns known before the INSERT."""
    if "active" in model.fields and not model.fields["active"].delegate_to:
        vals.setdefault("active", True)
    prepare = _PREPARE.get(model.name)
    if prepare is not None:
        prepare(env, model, new_id, vals)
    return vals


def _partner(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    set_defaults(
        model,
        vals,
        {
            "type": "contact",
            "is_company": False,
            "lang": env.lang,
            "customer_rank": 0,
            "supplier_rank": 0,
            "color": 0,
            # Stored compute _compute_partner_share: a partner with no internal user is "shared".
            # (``employee`` has no default in Odoo: its column stays NULL.)
            "partner_share": True,
        },
    )
    partner_computed(env, new_id, vals)


def partner_computed(env: Env, partner_id: int, vals: dict[str, Any]) -> None:
    parent = vals.get("parent_id") or None
    name = vals.get("name") or ""
    parent_row = (
        env.fetch("SELECT name, commercial_partner_id FROM res_partner WHERE id = %s", (parent,)) if parent else []
    )
    if parent_row and not vals.get("is_company"):
        vals["complete_name"] = f"{parent_row[0][0]}, {name}" if name else parent_row[0][0]
        vals["commercial_partner_id"] = parent_row[0][1] or parent
    else:
        vals["complete_name"] = name or False
        vals["commercial_partner_id"] = partner_id
    email = vals.get("email")
    vals["email_normalized"] = email.strip().lower() if isinstance(email, str) and "@" in email else False


def _template(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    set_defaults(
        model,
        vals,
        {
            "type": "consu",
            "categ_id": 1,
            "uom_id": 1,
            "uom_po_id": 1,
            "sale_ok": True,
            "purchase_ok": True,
            "list_price": 1.0,
            "tracking": "none",
            "service_tracking": "no",
            "is_storable": False,
            "detailed_type": vals.get("type", "consu"),
            "sale_delay": 0,
            "invoice_policy": "order",
        },
    )


def _pricelist_item(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    applied_on = (
        "0_product_variant"
        if vals.get("product_id")
        else "1_product"
        if vals.get("product_tmpl_id")
        else "2_product_category"
        if vals.get("categ_id")
        else "3_global"
    )
    set_defaults(
        model,
        vals,
        {
            "applied_on": applied_on,
            "display_applied_on": "1_product",
            "base": "list_price",
            "compute_price": "fixed",
            "min_quantity": 0,
            "fixed_price": 0,
            "percent_price": 0,
            "price_discount": 0,
            "price_surcharge": 0,
            "price_round": 0,
            "price_markup": 0,
            "price_min_margin": 0,
            "price_max_margin": 0,
        },
    )
    row = env.fetch("SELECT company_id, currency_id FROM product_pricelist WHERE id = %s", (vals.get("pricelist_id"),))
    if row:
        vals["company_id"], vals["currency_id"] = row[0][0] or False, row[0][1]


def _user(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    set_defaults(model, vals, {"company_id": COMPANY_ID, "share": False})
    if not vals.get("partner_id") and "partner_share" in model.fields:
        # The user's new partner: partner_share is False once it has an internal (non-share) user.
        vals.setdefault("partner_share", bool(vals.get("share")))


def _carrier(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    set_defaults(
        model,
        vals,
        {
            "sequence": 10,
            "delivery_type": "fixed",
            "integration_level": "rate_and_ship",
            "invoice_policy": "estimated",
            "fixed_price": 0.0,
        },
    )


def _payment(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    """Odoo 18's defaults; ``_compute_journal_id``: the company's first bank or cash journal (no partner
    default payment method line in the twin)."""
    journal = scalar(
        env,
        "SELECT id FROM account_journal WHERE type IN ('bank', 'cash', 'credit') AND company_id = %s "
        "AND active ORDER BY sequence, type, code LIMIT 1",
        (COMPANY_ID,),
    )
    set_defaults(
        model,
        vals,
        {
            "state": "draft",
            "company_id": COMPANY_ID,
            "journal_id": journal,
            "date": dt.date.today().isoformat(),
            "is_reconciled": False,
            "is_matched": False,
            "currency_id": scalar(env, "SELECT currency_id FROM res_company WHERE id = %s", (COMPANY_ID,)),
        },
    )


def _partner_tag(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    """``active`` defaults to True; Odoo's color is random (1-11), the twin's the first of them."""
    set_defaults(model, vals, {"active": True, "color": 1})


def _tax(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    set_defaults(model, vals, {"company_id": COMPANY_ID, "sequence": 1, "include_base_amount": False})


_PREPARE = {
    "res.partner": _partner,
    "product.template": _template,
    "stock.location": prepare_location,
    "stock.warehouse": prepare_warehouse,
    "stock.quant": prepare_quant,
    "stock.picking": prepare_picking,
    "stock.move": prepare_move,
    "sale.order": prepare_sale_order,
    "sale.order.line": prepare_sale_line,
    "account.move": prepare_account_move,
    "product.pricelist.item": _pricelist_item,
    "res.users": _user,
    "delivery.carrier": _carrier,
    "account.payment": _payment,
    "account.tax": _tax,
    "res.partner.category": _partner_tag,
}
