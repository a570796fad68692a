"""Order and order-status commands -> sale.order, upserted by ``client_order_ref``.

A new order is created with all its lines in one ``create`` (one Odoo transaction), so a crash
leaves either no order or a whole one, and the replay finds it by ``client_order_ref``. Lines are
resolved by product ``default_code``; an unknown SKU is a terminal "unknown reference". The
order's state is then applied (``action_confirm`` / ``action_cancel``, the latter through Odoo's
``sale.order.cancel`` wizard on a confirmed order) only if Odoo's state differs, so a replay after a
crash between create and confirm completes the confirmation; the state is read back before the ack.
Every line carries its tax (``sinks.odoo.order_lines``); after the create the sink reads Odoo's
``amount_total`` / ``amount_untaxed`` back and compares them with the shop's tax-included and
tax-excluded totals to the cent: an order that differs is removed again (it is still a draft) and
dead-lettered naming both totals, never confirmed or left imported wrong.
An order already there whose totals are no longer the shop's was edited in the shop: its lines are
rewritten while Odoo has not delivered it (``sinks.odoo.order_edits``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from schemas import keys
from schemas.order import Order
from schemas.records import Canonical
from sinks.common.errors import TerminalError
from sinks.common.handlers import Applied, BatchItem, BatchResult, CommandMeta
from sinks.odoo import aliases, mapping
from sinks.odoo.client import OdooClient
from sinks.odoo.config import ResolvedOdooConfig
from sinks.odoo.order_edits import OrderEditor
from sinks.odoo.order_lines import LinePricer, totals_differ
from sinks.odoo.order_status import ORDER_FIELDS, SALE_ORDER, OrderStatusWriter
from sinks.odoo.order_terms import OrderTerms
from sinks.odoo.partners import ALL_RECORDS, PARTNER, PARTNER_LOCKS, create_each
from sinks.odoo.taxes import TaxBook

TOTAL_FIELDS = ["amount_untaxed", "amount_total"]


class OrderWriter:
    def __init__(self, client: OdooClient, config: ResolvedOdooConfig) -> None:
        self.client = client
        self.config = config
        self.states = OrderStatusWriter(client, config)
        self.taxes = TaxBook(client, config.options.tax_ids, config.options.tax_ids_included)
        self.pricer = LinePricer(self.taxes, config.options.price_digits)
        self.terms = OrderTerms(client, config.options)
        self.editor = OrderEditor(self)

    # -- Order ----------------------------------------------------------------------------
    def upsert_orders(self, items: Sequence[BatchItem]) -> BatchResult:
        orders: list[Order] = []
        for record, _meta in items:
            assert isinstance(record, Order)
            orders.append(record)
        results: list[Applied | TerminalError | None] = [None] * len(orders)
        refs = [o.order_ref for o in orders if o.order_ref]
        existing = (
            {
                row["client_order_ref"]: row
                for row in self.client.search_read(
                    SALE_ORDER, [("client_order_ref", "in", refs)], [*ORDER_FIELDS, *TOTAL_FIELDS]
                )
            }
            if refs
            else {}
        )
        fresh = [(i, o) for i, o in enumerate(orders) if o.order_ref and o.order_ref not in existing]
        for index, order in enumerate(orders):
            if not order.order_ref or not order.customer_key:
                results[index] = TerminalError("odoo: an order needs its shop reference and customer key")
            elif order.order_ref in existing:
                # totals no longer the shop's: a back-office edit (or a quotation of ours a crash left
                # unchecked); its lines are rewritten, or the reason they cannot be is the dead letter
                row = existing[order.order_ref]
                if totals_differ(order, Decimal(str(row["amount_untaxed"])), Decimal(str(row["amount_total"]))):
                    with PARTNER_LOCKS.hold({order.customer_key}):
                        results[index] = self.editor.edit(order, row)
                    row["created"] = results[index] is None  # acked as a change
        # the customers' partners stay locked until their orders exist: a Customer command merging a
        # placeholder (or an Address command writing the partner) never runs beside them (#13)
        with PARTNER_LOCKS.hold({o.customer_key for _, o in fresh if o.customer_key}):
            partners = self.partners_of([o for _, o in fresh])
            products = self.products_of([o for _, o in fresh])
            to_create: list[tuple[int, Order, dict[str, Any]]] = []
            for index, order in fresh:
                try:
                    to_create.append((index, order, self.order_values(order, partners, products)))
                except TerminalError as exc:
                    results[index] = exc
            created = create_each(self.client, SALE_ORDER, [values for _, _, values in to_create])
        made: list[tuple[int, Order, int]] = []
        dates: dict[int, Any] = {}
        for (index, order, values), outcome in zip(to_create, created, strict=True):
            if isinstance(outcome, TerminalError):
                results[index] = outcome
            else:
                made.append((index, order, outcome))
                dates[outcome] = values.get("date_order")
        made_ids = [i for _, _, i in made]
        totals = (
            {
                int(r["id"]): r
                for r in self.client.search_read(SALE_ORDER, [("id", "in", made_ids)], ["id", *TOTAL_FIELDS])
            }
            if made
            else {}
        )
        for index, order, order_id in made:
            refusal = self._checked_totals(order, order_id, totals.get(order_id))
            if refusal is not None:
                results[index] = refusal
            else:
                existing[order.order_ref] = {
                    "id": order_id,
                    "state": "draft",
                    "client_order_ref": order.order_ref,
                    "created": True,
                    "date_order": dates[order_id],
                }
        pending = [
            (index, existing[o.order_ref], o.state.code)
            for index, o in enumerate(orders)
            if results[index] is None and o.order_ref in existing
        ]
        for (index, _row, _code), applied in zip(
            pending, self.states.apply([(r, c) for _, r, c in pending]), strict=True
        ):
            results[index] = applied
        return [r if r is not None else TerminalError("odoo: order not handled") for r in results]

    def partners_of(self, fresh: list[Order]) -> dict[str, int]:
        """Partner ids by ref for the customers and addresses of new orders (placeholders created)."""
        refs: set[str] = set()
        for order in fresh:
            refs.add(order.customer_key or "")
            for origin in (order.delivery_address_origin_id, order.invoice_address_origin_id):
                if origin and origin.isdigit() and int(origin) > 0:
                    refs.add(keys.address_ref(int(origin)))
        refs.discard("")
        customers = {o.customer_key for o in fresh if o.customer_key}
        # called with the customers' PARTNER_LOCKS held (upsert_orders)
        rows = (
            self.client.search_read(
                PARTNER, [("ref", "in", sorted(refs))], ["id", "ref", "parent_id", "active"], context=ALL_RECORDS
            )
            if refs
            else []
        )
        found = aliases.resolve(self.client, rows)  # a guest's alias: its partner; a duplicate address: the kept one
        missing = sorted(customers - set(found))
        if missing:
            ids = self.client.create(PARTNER, [mapping.placeholder_partner_values(k, None) for k in missing])
            found.update(zip(missing, ids, strict=True))
        return found

    def products_of(self, fresh: list[Order]) -> dict[str, int]:
        skus = {item.sku for order in fresh for item in order.lines if item.sku} | self.terms.product_codes()
        if not skus:
            return {}
        rows = self.client.search_read(
            "product.product", [("default_code", "in", sorted(skus))], ["id", "default_code"]
        )
        return {row["default_code"]: int(row["id"]) for row in rows}

    def order_values(self, order: Order, partners: dict[str, int], products: dict[str, int]) -> dict[str, Any]:
        # a per-order refusal, never a KeyError: that would fail every other order of the batch with it
        if not order.customer_key or order.customer_key not in partners:
            raise TerminalError(
                f"odoo: unknown reference: order {order.order_ref} has no known customer "
                f"({order.customer_key or 'no customer key'})"
            )
        partner = partners[order.customer_key]
        unknown = sorted(
            {
                item.sku or f"<line {item.line_origin_id} without SKU>"
                for item in order.lines
                if item.sku not in products
            }
        )
        options = self.config.options
        shipping = self.terms.shipping_code(order)
        if order.shipping.cost_tax_excl and shipping not in products:
            unknown.append(f"{shipping} (shipping product of carrier {order.shipping.carrier_origin_id})")
        if order.discounts and options.discount_product_code not in products:
            unknown.append(f"{options.discount_product_code} (voucher product)")
        if unknown:
            raise TerminalError(f"odoo: unknown reference: no product.product with default_code {', '.join(unknown)}")

        def address(origin: str | None) -> int:
            ref = keys.address_ref(int(origin)) if origin and origin.isdigit() and int(origin) > 0 else ""
            return partners.get(ref, partner)

        pricelist = self.terms.pricelist(order)
        rounding = options.rounding_product_code or ""
        carrier = self.terms.carrier(order)
        priced = self.pricer.order_lines(
            order,
            products,
            products.get(shipping or ""),
            products.get(options.discount_product_code or ""),
            products.get(rounding),
            shipping_is_delivery=carrier is not None,
        )
        why = totals_differ(order, priced.untaxed, priced.total)
        if why is not None:  # refused before anything is created
            if rounding and rounding not in products:
                why += f" (no product.product with default_code {rounding} for a tax rounding line)"
            raise TerminalError(f"odoo: order {order.order_ref} would not total as in the shop: {why}")
        values = mapping.sale_order_values(
            order,
            partner_id=partner,
            partner_invoice_id=address(order.invoice_address_origin_id),
            partner_shipping_id=address(order.delivery_address_origin_id),
            lines=priced.lines,
        )
        if carrier is not None:
            values["carrier_id"] = carrier
        return values if pricelist is None else {**values, "pricelist_id": pricelist}

    def _checked_totals(self, order: Order, order_id: int, row: dict[str, Any] | None) -> TerminalError | None:
        """Odoo's own totals of the order just created, against the shop's; a draft that differs is removed."""
        if row is None:
            return TerminalError(f"odoo: sale.order {order_id} ({order.order_ref}) was created but cannot be read back")
        why = totals_differ(order, Decimal(str(row["amount_untaxed"])), Decimal(str(row["amount_total"])))
        if why is None:
            return None
        try:
            self.client.call(SALE_ORDER, "unlink", [order_id])
        except TerminalError as exc:  # this order only: it stays a draft, never confirmed, and says so
            return TerminalError(
                f"odoo: order {order.order_ref}: {why}; the draft sale.order {order_id} could not "
                f"be removed ({exc.reason}): it is left unconfirmed, delete it in Odoo"
            )
        return TerminalError(f"odoo: order {order.order_ref}: {why}; the draft sale.order {order_id} was removed")

    # -- state (sinks.odoo.order_status) --------------------------------------------------------
    def set_status(self, record: Canonical, meta: CommandMeta) -> Applied:
        return self.states.set_status(record, meta)

    def has_delivery_status(self) -> bool:
        return self.states.has_delivery_status()
