"""Odoo sales rows -> OrderHeader, OrderLine, Shipment, Invoice.

The shop order reference travels in ``sale_order.client_order_ref`` (the canonical order key).
Odoo timestamps are UTC wall-clock values (``timestamp without time zone``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from schemas import keys
from schemas.order import OrderHeader, OrderLine, OrderLineItem, OrderState, PaymentReference, Shipping
from schemas.records import Canonical, Invoice, Shipment
from streams.mapping.common import Observed

if TYPE_CHECKING:
    from streams.mapping.odoo import OdooContext

_INVOICE_KINDS = {"out_invoice": "invoice", "out_refund": "credit_note"}
ZERO = Decimal(0)

# Odoo's ORM reads NULL booleans as False and NULL numbers as 0: so do the mappers.
ORM_ZERO = Decimal(0)


def _ref(value: int | None) -> str | None:
    return str(value) if value is not None else None


def _state(state: str, delivery_status: str | None, ctx: OdooContext) -> OrderState:
    """``<state>/<delivery_status>`` (sale_stock's stored progress, e.g. ``sale/full``) is mapped
    first, then the state alone: a confirmed order whose deliveries are all done can be "shipped"."""
    origin = f"{state}/{delivery_status}" if delivery_status else state
    code = ctx.order_states.get(origin) if delivery_status else None
    return OrderState(code=code or ctx.order_states.get(state), origin_state=origin)


def sale_order(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    order_id = row.integer("id")
    reference = keys.order_key(row.opt_text("client_order_ref"))
    state = row.text("state")
    return [
        OrderHeader(
            envelope=obs.envelope(str(order_id), reference),
            order_ref=reference,
            order_origin_id=str(order_id),
            customer_key=None,  # partner_id is an Odoo id; the partner's ref resolves the key
            customer_origin_id=_ref(row.opt_integer("partner_id")),
            delivery_address_origin_id=_ref(row.opt_integer("partner_shipping_id")),
            invoice_address_origin_id=_ref(row.opt_integer("partner_invoice_id")),
            currency_origin_id=row.opt_integer("currency_id"),
            state=_state(state, row.opt_text("delivery_status") if row.has("delivery_status") else None, ctx),
            placed_at=row.timestamp("date_order"),
            # Odoo bills shipping as a delivery line, not in a header field.
            shipping=Shipping(
                carrier_origin_id=row.opt_integer("carrier_id") if row.has("carrier_id") else None,
                cost_tax_excl=ZERO,
                cost_tax_incl=ZERO,
            ),
            payment=PaymentReference(method=None, module=None, amount_paid=ZERO),
            total_products_tax_excl=row.decimal("amount_untaxed", null_as=ORM_ZERO),
            total_discounts_tax_incl=ZERO,
            total_tax_excl=row.decimal("amount_untaxed", null_as=ORM_ZERO),
            total_tax_incl=row.decimal("amount_total", null_as=ORM_ZERO),
            # The ORM writes an order and its lines in one transaction; a draft may still change.
            lines_committed=state != "draft",
        )
    ]


def sale_order_line(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    if row.opt_text("display_type"):
        return []  # a section or note line, not a product
    line_id = row.integer("id")
    product_id = row.opt_integer("product_id")
    return [
        OrderLine(
            envelope=obs.envelope(str(line_id), None),
            order_origin_id=str(row.integer("order_id")),
            item=OrderLineItem(
                line_origin_id=str(line_id),
                sku=None,
                product_origin_id=None,
                variant_origin_id=_ref(product_id),
                name=row.text("name"),
                quantity=row.decimal("product_uom_qty", null_as=ORM_ZERO),
                unit_price_tax_excl=row.decimal("price_reduce_taxexcl", null_as=ORM_ZERO),
                unit_price_tax_incl=row.decimal("price_reduce_taxinc", null_as=ORM_ZERO),
                total_tax_excl=row.decimal("price_subtotal", null_as=ORM_ZERO),
                total_tax_incl=row.decimal("price_total", null_as=ORM_ZERO),
                tax_rate=None,
                discount_percent=row.opt_decimal("discount") or ZERO,
            ),
        )
    ]


def stock_picking(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    sale_id = row.opt_integer("sale_id") if row.has("sale_id") else None
    if sale_id is None:
        return []  # receipts, internal moves, deliveries not born from a sale order
    carrier = row.opt_integer("carrier_id") if row.has("carrier_id") else None
    return [
        Shipment(
            envelope=obs.envelope(str(row.integer("id")), None),
            order_key=None,
            order_origin_id=str(sale_id),
            name=row.clean_text("name"),
            carrier=_ref(carrier),
            tracking_number=row.clean_text("carrier_tracking_ref") if row.has("carrier_tracking_ref") else None,
            state=row.clean_text("state"),
            shipped_at=row.timestamp("date_done"),
            weight=row.opt_decimal("weight") if row.has("weight") else None,
        )
    ]


def account_move(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    kind = _INVOICE_KINDS.get(row.text("move_type"))
    if kind is None:
        return []  # vendor bills, journal entries, receipts
    name = row.clean_text("name")
    return [
        Invoice(
            envelope=obs.envelope(str(row.integer("id")), None),
            order_key=None,  # invoice_origin holds the ERP order name, resolved by the streams
            kind=kind,
            number=None if name in (None, "/") else name,  # "/" until posted
            state=row.text("state"),
            currency_origin_id=row.opt_integer("currency_id"),
            total_tax_excl=row.opt_decimal("amount_untaxed") or ZERO,
            total_tax_incl=row.opt_decimal("amount_total") or ZERO,
            amount_due=row.opt_decimal("amount_residual"),
            issued_on=row.calendar_date("invoice_date"),
            order_reference=row.clean_text("invoice_origin"),
            document_url=None,  # the sink fetches the PDF through the API; no access token in topics
        )
    ]
