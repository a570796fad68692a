"""Create defaults and stored computes of the sales models: a sale order's name and totals, its lines'
amounts with the taxes of ``sandbox.odoo.taxes``, the invoice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.odoo import taxes
from sandbox.odoo.fields import Model
from sandbox.odoo.vals import COMPANY_ID, now, scalar, set_defaults

if TYPE_CHECKING:
    from sandbox.odoo.orm import Env


def prepare_sale_order(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    partner = vals.get("partner_id")
    set_defaults(
        model,
        vals,
        {
            "name": f"S{new_id:05d}",
            "state": "draft",
            "date_order": now(),
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
            "currency_id": scalar(
                env,
                "SELECT COALESCE((SELECT currency_id FROM product_pricelist WHERE id = %s),"
                " (SELECT currency_id FROM res_company WHERE id = %s))",
                (vals.get("pricelist_id", 1), COMPANY_ID),
            ),
        },
    )


def prepare_sale_line(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    product = vals.get("product_id")
    if product:
        names = env.display_names(env.registry["product.product"], [product])
        price = scalar(
            env,
            "SELECT t.list_price FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id "
            "WHERE p.id = %s",
            (product,),
        )
        set_defaults(model, vals, {"name": names.get(product, "/"), "price_unit": price or 0})
    uom = "product_uom_id" if "product_uom_id" in model.fields else "product_uom"
    set_defaults(
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


def prepare_account_move(env: Env, model: Model, new_id: int, vals: dict[str, Any]) -> None:
    set_defaults(
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
            "currency_id": scalar(env, "SELECT currency_id FROM res_company WHERE id = %s", (COMPANY_ID,)),
        },
    )
