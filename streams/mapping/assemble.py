"""Pure assembly of multi-row entities from partial observations.

The stream processor keeps the latest observations per order (or per stock item) in its tables
and calls these functions after each new one; they never wait, never do IO.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import TypeVar

from schemas.observations import StockQuant
from schemas.order import Order, OrderDiscount, OrderHeader, OrderLine, OrderStatusChange
from schemas.records import Envelope, StockLevel
from streams.positions import log_order

T = TypeVar("T", OrderLine, OrderDiscount, StockQuant)


def _latest(items: Iterable[T]) -> list[T]:
    """The newest observation per origin row (by source position, then commit time)."""
    newest: dict[str, T] = {}
    for item in items:
        known = newest.get(item.envelope.origin_id)
        if known is None or log_order(item.envelope.source_ts, item.envelope.source_position) >= log_order(
            known.envelope.source_ts, known.envelope.source_position
        ):
            newest[item.envelope.origin_id] = item
    return [newest[k] for k in sorted(newest, key=_natural)]


def _natural(origin_id: str) -> tuple[int, str]:
    return (int(origin_id), "") if origin_id.isdigit() else (0, origin_id)


def is_order_complete(header: OrderHeader, history: Iterable[OrderStatusChange] = ()) -> bool:
    """True once every line row is committed.

    PrestaShop's validateOrder inserts all order_detail (and order_cart_rule) rows before the
    first order_history row, then sets orders.current_state: either signal means complete.
    """
    return header.lines_committed or any(h.order_origin_id == header.order_origin_id for h in history)


def lines_add_up(order: Order) -> bool:
    """The lines' totals make the header's ``total_products`` and the discounts its
    ``total_discounts`` (to the cent per row, for rounding).

    ``order_history``'s first row is committed after every ``order_detail`` row, but a consumer of
    one topic per table does not see the rows in commit order: a line may still be on its way."""
    if order.total_products_tax_excl is None:
        return True
    total = sum((item.total_tax_excl for item in order.lines), Decimal(0))
    if abs(total - order.total_products_tax_excl) > Decimal("0.01") * max(1, len(order.lines)):
        return False
    # vouchers (order_cart_rule) arrive on their own topic too: the header's discount total says
    # whether they are all here, else the ERP would get an order worth more than the customer paid
    discounts = sum((d.amount_tax_incl for d in order.discounts), Decimal(0))
    return abs(discounts - order.total_discounts_tax_incl) <= Decimal("0.01") * max(1, len(order.discounts))


def assemble_order(
    header: OrderHeader,
    lines: Iterable[OrderLine],
    *,
    history: Iterable[OrderStatusChange] = (),
    discounts: Iterable[OrderDiscount] = (),
) -> Order | None:
    """The complete canonical Order, or None while lines may still be missing.

    Observations of other orders are ignored; deleted lines / discounts are left out; the newest
    observation of each row wins. The state is the header's, or the newest history row's when the
    header has none yet (current_state 0).
    """
    history = [h for h in history if h.order_origin_id == header.order_origin_id]
    if header.envelope.deleted or not is_order_complete(header, history):
        return None
    own_lines = [
        line for line in _latest(lines) if line.order_origin_id == header.order_origin_id and not line.envelope.deleted
    ]
    own_discounts = [
        d for d in _latest(discounts) if d.order_origin_id == header.order_origin_id and not d.envelope.deleted
    ]
    state = header.state
    if state.origin_state == "0" and history:
        state = max(history, key=lambda h: log_order(h.envelope.source_ts, h.envelope.source_position)).state
    order = Order(
        envelope=replace(header.envelope, content_hash=""),
        order_ref=header.order_ref,
        order_origin_id=header.order_origin_id,
        customer_key=header.customer_key,
        customer_origin_id=header.customer_origin_id,
        delivery_address_origin_id=header.delivery_address_origin_id,
        invoice_address_origin_id=header.invoice_address_origin_id,
        currency_origin_id=header.currency_origin_id,
        state=state,
        placed_at=header.placed_at,
        lines=[line.item for line in own_lines],
        discounts=[d.discount for d in own_discounts],
        shipping=header.shipping,
        payment=header.payment,
        total_products_tax_excl=header.total_products_tax_excl,
        total_discounts_tax_incl=header.total_discounts_tax_incl,
        total_tax_excl=header.total_tax_excl,
        total_tax_incl=header.total_tax_incl,
    )
    return order.sealed()


def sum_stock_quants(quants: Iterable[StockQuant]) -> list[StockLevel]:
    """Odoo stock per (product.product, location): quants summed (lots, packages, owners merged).

    Pass the latest observation of every quant seen (deleted ones included: they drop out).
    available = on hand - reserved.
    """
    groups: dict[tuple[str, str], list[StockQuant]] = {}
    for quant in _latest(quants):
        groups.setdefault((quant.product_origin_id, quant.location_origin_id), []).append(quant)
    levels = []
    for (product_id, location_id), seen in sorted(groups.items()):
        members = [q for q in seen if not q.envelope.deleted]  # a deleted quant holds nothing
        on_hand = sum((q.quantity for q in members), Decimal(0))
        reserved = sum((q.reserved for q in members), Decimal(0))
        last = max((q.envelope for q in seen), key=lambda e: log_order(e.source_ts, e.source_position))
        levels.append(
            StockLevel(
                envelope=Envelope(
                    canonical_key=None,
                    origin_system="odoo",
                    origin_table="stock_quant",
                    origin_id=f"{product_id}@{location_id}",
                    source_ts=last.source_ts,
                    source_position=last.source_position,
                    snapshot=all(q.envelope.snapshot for q in seen),
                    deleted=False,
                    content_hash="",
                ),
                sku=None,
                product_origin_id=None,
                variant_origin_id=product_id,
                location=f"location:{location_id}",
                on_hand=on_hand,
                reserved=reserved,
                available=on_hand - reserved,
            ).sealed()
        )
    return levels
