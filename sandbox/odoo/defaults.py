"""Default values and create-time computed columns per model (Odoo's ``default_get`` and the stored
computes the sync reads): sequence-style names (``S00042``, ``WH/OUT/00042``), ``complete_name`` of
partners and locations, sale line amounts (with the taxes of ``sandbox.odoo.taxes``), a warehouse's own
view and stock locations.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.odoo import taxes
from sandbox.odoo.errors import UserError
from sandbox.odoo.fields import Model

if TYPE_CHECKING:
    from sandbox.odoo.orm import Env

COMPANY_ID = 1
CENT = Decimal("0.01")


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _one(env: Env, sql: str, params: Any = ()) -> Any:
    rows = env.fetch(sql, params)
    return rows[0][0] if rows else None


def _set_defaults(model: Model, vals: dict[str, Any], defaults: dict[str, Any]) -> None:
    for name, value in defaults.items():
        if name in model.fields and name not in vals:
            vals[name] = value


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
    _set_defaults(
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
    _set_defaults(
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


def _location(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    _set_defaults(model, vals, {"usage": "internal", "company_id": COMPANY_ID, "scrap_location": False})
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


def _warehouse(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    """Odoo creates a warehouse's view and stock locations with it."""
    _set_defaults(
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


def _quant(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    _set_defaults(model, vals, {"reserved_quantity": 0, "quantity": 0, "in_date": _now(), "company_id": COMPANY_ID})


def _picking(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    ptype = vals.get("picking_type_id")
    row = env.fetch(
        "SELECT t.default_location_src_id, t.default_location_dest_id, t.sequence_code, w.code "
        "FROM stock_picking_type t LEFT JOIN stock_warehouse w ON w.id = t.warehouse_id WHERE t.id = %s",
        (ptype,),
    )
    if not row:
        raise UserError("A picking type is required to create a transfer.")
    src, dest, seq_code, wh_code = row[0]
    _set_defaults(
        model,
        vals,
        {
            "location_id": src,
            "location_dest_id": dest,
            "state": "draft",
            "move_type": "direct",
            "priority": "0",
            "company_id": COMPANY_ID,
            "scheduled_date": _now(),
            "date": _now(),
            "name": f"{wh_code or 'WH'}/{seq_code}/{new_id:05d}",
            "user_id": env.uid,
        },
    )


def _move(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    picking = env.fetch(
        "SELECT location_id, location_dest_id, picking_type_id, name, partner_id FROM stock_picking WHERE id = %s",
        (vals.get("picking_id") or None,),
    )
    if picking:
        src, dest, ptype, ref, partner = picking[0]
        _set_defaults(
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
    _set_defaults(
        model,
        vals,
        {
            "name": product_name or "/",
            "date": _now(),
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


def _sale_order(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    partner = vals.get("partner_id")
    _set_defaults(
        model,
        vals,
        {
            "name": f"S{new_id:05d}",
            "state": "draft",
            "date_order": _now(),
            "company_id": COMPANY_ID,
            "partner_invoice_id": partner,
            "partner_shipping_id": partner,
            "picking_policy": "direct",
            "pricelist_id": 1,
            "warehouse_id": 1,
            "user_id": env.uid,
            "invoice_status": "no",
            "locked": False,
            "require_signature": False,
            "require_payment": False,
            "amount_untaxed": 0,
            "amount_tax": 0,
            "amount_total": 0,
            "currency_rate": 1,
            # Odoo 18 _compute_currency_id: the pricelist's currency, else the company's
            "currency_id": _one(
                env,
                "SELECT COALESCE((SELECT currency_id FROM product_pricelist WHERE id = %s),"
                " (SELECT currency_id FROM res_company WHERE id = %s))",
                (vals.get("pricelist_id", 1), COMPANY_ID),
            ),
        },
    )


def _sale_line(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    product = vals.get("product_id")
    if product:
        names = env.display_names(env.registry["product.product"], [product])
        price = _one(
            env,
            "SELECT t.list_price FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id "
            "WHERE p.id = %s",
            (product,),
        )
        _set_defaults(model, vals, {"name": names.get(product, "/"), "price_unit": price or 0})
    uom = "product_uom_id" if "product_uom_id" in model.fields else "product_uom"
    _set_defaults(
        model,
        vals,
        {
            "customer_lead": 0.0,
            uom: 1,
            "discount": 0,
            "sequence": 10,
            "product_uom_qty": 1,
            "price_unit": 0,
            "qty_delivered": 0,
            "qty_invoiced": 0,
            "qty_to_invoice": 0,
            "qty_delivered_method": "stock_move",
            "invoice_status": "no",
            "is_downpayment": False,
            "is_expense": False,
            "is_delivery": False,
        },
    )
    sale_line_amounts(env, vals)


def sale_line_amounts(env: Env, vals: dict[str, Any], current_taxes: list[int] | None = None) -> None:
    """The line's amounts with its taxes (``sandbox.odoo.taxes``); ``current_taxes`` None on create."""
    order = env.fetch(
        "SELECT company_id, currency_id, partner_id, user_id, state FROM sale_order WHERE id = %s",
        (vals.get("order_id") or None,),
    )
    if order:
        for name, value in zip(
            ("company_id", "currency_id", "order_partner_id", "salesman_id", "state"), order[0], strict=True
        ):
            vals[name] = value if value is not None else False
    if "tax_id" in vals:
        tax_ids = taxes.tax_ids_after(current_taxes or [], vals["tax_id"])
    elif current_taxes is None:  # a new line without taxes: the default sale tax, as a real Odoo does
        tax_ids = taxes.default_sale_taxes(env, vals.get("company_id"))
        vals["tax_id"] = [(6, 0, tax_ids)]
    else:
        tax_ids = current_taxes
    price_unit = taxes.round_price(Decimal(str(vals.get("price_unit") or 0)))
    vals["price_unit"] = price_unit
    amounts = taxes.line_amounts(
        env,
        price_unit,
        Decimal(str(vals.get("product_uom_qty") or 0)),
        Decimal(str(vals.get("discount") or 0)),
        tax_ids,
    )
    vals.update(amounts, untaxed_amount_to_invoice=0, untaxed_amount_invoiced=0)


def _account_move(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    _set_defaults(
        model,
        vals,
        {
            "state": "draft",
            "move_type": "entry",
            "date": dt.date.today().isoformat(),
            "auto_post": "no",
            "journal_id": 1,
            "name": "/",
            "payment_state": "not_paid",
            "company_id": COMPANY_ID,
            "amount_untaxed": 0,
            "amount_tax": 0,
            "amount_total": 0,
            "amount_residual": 0,
            "currency_id": _one(env, "SELECT currency_id FROM res_company WHERE id = %s", (COMPANY_ID,)),
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
    _set_defaults(
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
    _set_defaults(model, vals, {"company_id": COMPANY_ID, "share": False})
    if not vals.get("partner_id") and "partner_share" in model.fields:
        # The user's new partner: partner_share is False once it has an internal (non-share) user.
        vals.setdefault("partner_share", bool(vals.get("share")))


def _carrier(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    _set_defaults(
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
    journal = _one(
        env,
        "SELECT id FROM account_journal WHERE type IN ('bank', 'cash', 'credit') AND company_id = %s "
        "AND active ORDER BY sequence, type, code LIMIT 1",
        (COMPANY_ID,),
    )
    _set_defaults(
        model,
        vals,
        {
            "state": "draft",
            "company_id": COMPANY_ID,
            "journal_id": journal,
            "date": dt.date.today().isoformat(),
            "is_reconciled": False,
            "is_matched": False,
            "currency_id": _one(env, "SELECT currency_id FROM res_company WHERE id = %s", (COMPANY_ID,)),
        },
    )


def _tax(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    _set_defaults(model, vals, {"company_id": COMPANY_ID, "sequence": 1, "include_base_amount": False})


_PREPARE = {
    "res.partner": _partner,
    "product.template": _template,
    "stock.location": _location,
    "stock.warehouse": _warehouse,
    "stock.quant": _quant,
    "stock.picking": _picking,
    "stock.move": _move,
    "sale.order": _sale_order,
    "sale.order.line": _sale_line,
    "account.move": _account_move,
    "product.pricelist.item": _pricelist_item,
    "res.users": _user,
    "delivery.carrier": _carrier,
    "account.payment": _payment,
    "account.tax": _tax,
}
