"""Shop payments (PrestaShop ``order_payment`` -> PaymentCapture) -> posted Odoo customer payments.

A shop payment is money the shop recorded as received for an order (``PaymentModule::validateOrder``,
or a paid state's ``OrderHistory::changeIdOrderState``). In Odoo 18 that is an ``account.payment``
(inbound, customer) of the order's partner, in the order's currency, posted (``action_post``: state
``in_process``; ``paid`` only on a cash outstanding account): the accountant's "customer payment
received", which Odoo offers as an outstanding credit to reconcile with the order's invoice once it exists
(Odoo invoices the order; the sink never creates invoices). ``payment_reference`` is the shop
payment's key (``PS-P-<id_order_payment>``): the sink finds a payment it made by it, so a replay
never pays twice; ``memo`` is the order's reference, as Odoo's own payment register writes it.

The journal: ``payment_journal_ids`` maps the shop's payment method (``order_payment.payment_method``,
the module's display name: "Bank transfer", "Payments by check") to an Odoo journal id; a method not
listed leaves it to Odoo (the partner's default payment method line, else the company's first bank
or cash journal: ``account.payment._compute_journal_id``).

A payment whose order is not in Odoo yet (the payment row and the order's come from one shop
transaction, the order is assembled from several rows) is retried, never dead-lettered.
"""

from __future__ import annotations

from typing import Any

from schemas.records import Canonical, PaymentCapture
from sinks.common.errors import TerminalError, TransientError
from sinks.common.handlers import Applied, CommandMeta
from sinks.odoo.client import OdooClient
from sinks.odoo.config import ResolvedOdooConfig

PAYMENT = "account.payment"
SALE_ORDER = "sale.order"
FIELDS = ["id", "state", "amount", "payment_reference", "journal_id"]
POSTED = ("in_process", "paid")


class PaymentWriter:
    def __init__(self, client: OdooClient, config: ResolvedOdooConfig) -> None:
        self.client = client
        self.journals = dict(config.options.payment_journal_ids)

    def upsert(self, record: Canonical, meta: CommandMeta) -> Applied:
        assert isinstance(record, PaymentCapture)
        if record.state != "captured":
            raise TerminalError(f"odoo: shop payment {record.reference} is {record.state!r}: not money received")
        if record.amount == 0:  # nothing received: nothing to book (acked, never a dead letter)
            return Applied({}, {"state": record.state}, changed=False)
        found = self.client.search_read(PAYMENT, [("payment_reference", "=", record.reference)], FIELDS, limit=1)
        if found:
            payment = found[0]
            changed = False
        else:
            payment_id = self.client.create(PAYMENT, [self.values(record)])[0]
            payment = {"id": payment_id, "state": "draft"}
            changed = True
        if payment["state"] == "draft":
            self.client.call(PAYMENT, "action_post", [int(payment["id"])])
            payment = self.client.search_read(PAYMENT, [("id", "=", int(payment["id"]))], FIELDS)[0]
            changed = True
        if payment["state"] not in POSTED:
            raise TerminalError(
                f"odoo: account.payment {payment['id']} of shop payment {record.reference} is "
                f"{payment['state']!r}, not posted"
            )
        return Applied({PAYMENT: str(payment["id"])}, {"state": "captured"}, changed=changed)

    def values(self, record: PaymentCapture) -> dict[str, Any]:
        ref = record.order_key  # the shop order's reference: its sale.order's client_order_ref
        orders = (
            self.client.search_read(
                SALE_ORDER, [("client_order_ref", "=", ref)], ["id", "partner_id", "currency_id"], limit=1
            )
            if ref
            else []
        )
        if not orders:  # the order's own command has not landed yet: retried, not dead-lettered
            raise TransientError(f"odoo: shop payment {record.reference}: no sale.order {ref!r} yet")
        order = orders[0]
        values: dict[str, Any] = {
            "payment_type": "inbound" if record.amount > 0 else "outbound",
            "partner_type": "customer",
            "partner_id": order["partner_id"][0],
            "currency_id": order["currency_id"][0],
            "amount": abs(record.amount),
            "payment_reference": record.reference,
            "memo": ref,
        }
        # the accounting date is the shop's calendar day (the streams know the shop's zone); a v1/v2
        # message has none and falls back to the UTC day
        day = record.captured_on or (record.captured_at.date() if record.captured_at is not None else None)
        if day is not None:
            values["date"] = day.isoformat()
        journal = self.journals.get(record.method or "")
        if journal is not None:
            values["journal_id"] = journal
        return values
