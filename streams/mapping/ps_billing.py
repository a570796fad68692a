"""PrestaShop billing rows -> Invoice (invoice and delivery slip) and PaymentCapture.

``order_invoice`` holds both documents of an order: ``OrderHistory::changeIdOrderState`` gives it
an invoice ``number`` when the order reaches an invoiced state, and a ``delivery_number`` (with
``delivery_date``) when it reaches a shipped one. 0 means "not issued yet". So one row yields up
to two Invoice records, told apart by ``kind``.

``order_payment`` rows are money the shop recorded as received (PaymentModule::validateOrder and
the back office "add payment"): PrestaShop has no authorisation step, so they are captures. They
name their order by reference, never by id.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from schemas import keys
from schemas.records import Canonical, Invoice, PaymentCapture
from streams.mapping.common import Observed

if TYPE_CHECKING:
    from streams.mapping.prestashop import PrestaShopContext

# Odoo's account.move state of an issued document: PrestaShop only stores issued ones.
ISSUED = "posted"


def formatted_number(prefix: str, number: int) -> str:
    """The number as PrestaShop prints it (OrderInvoice::getInvoiceNumberFormatted default format)."""
    return f"{prefix}{number:06d}"


def order_invoice(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    envelope = obs.envelope(str(row.integer("id_order_invoice")), None)
    order_id = str(row.integer("id_order"))
    total_tax_excl, total_tax_incl = row.decimal("total_paid_tax_excl"), row.decimal("total_paid_tax_incl")

    def document(kind: str, number: str, issued_at: datetime | None) -> Invoice:
        return Invoice(
            envelope=envelope,
            order_key=None,  # the row holds the order id only; the streams resolve the reference
            kind=kind,
            number=number,
            state=ISSUED,
            currency_origin_id=None,  # the order's currency
            total_tax_excl=total_tax_excl,
            total_tax_incl=total_tax_incl,
            amount_due=None,  # PrestaShop tracks payments per order, not per invoice
            issued_on=issued_at.astimezone(ctx.shop_timezone).date() if issued_at else None,
            order_reference=None,
            document_url=None,  # the sink fetches the PDF through the API; no keys in topics
            order_origin_id=order_id,
        )

    documents: list[Canonical] = []
    if number := row.integer("number"):
        documents.append(
            document(
                "invoice", formatted_number(ctx.invoice_prefix, number), row.timestamp("date_add", ctx.shop_timezone)
            )
        )
    if delivery_number := row.integer("delivery_number"):
        documents.append(
            document(
                "delivery_slip",
                formatted_number(ctx.delivery_prefix, delivery_number),
                row.timestamp("delivery_date", ctx.shop_timezone),
            )
        )
    return documents


def order_payment(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    payment_id = row.integer("id_order_payment")
    reference = keys.payment_ref(payment_id)
    captured_at = row.timestamp("date_add", ctx.shop_timezone)
    return [
        PaymentCapture(
            envelope=obs.envelope(str(payment_id), reference),
            order_key=keys.order_key(row.opt_text("order_reference")),
            reference=reference,
            provider_reference=row.clean_text("transaction_id"),
            state="captured",
            amount=row.decimal("amount"),
            currency_origin_id=row.opt_integer("id_currency"),
            captured_at=captured_at,
            method=row.clean_text("payment_method"),
            captured_on=captured_at.astimezone(ctx.shop_timezone).date() if captured_at else None,
        )
    ]
