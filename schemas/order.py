"""The canonical Order and the partial observations it is assembled from.

A PrestaShop order is written as many rows committed separately (orders, order_detail,
order_cart_rule, order_history). Mappers turn each row into one partial observation
(OrderHeader, OrderLine, OrderDiscount, OrderStatusChange); the stream processor collects them by
order_origin_id and calls ``streams.mapping.assemble.assemble_order`` until it returns an Order.
``OrderHeader.lines_committed`` tells the assembler every line row is already committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from schemas.model import Money, Percent, Quantity
from schemas.records import Canonical


@dataclass(frozen=True)
class OrderState:
    """code: canonical state name from the configured state map (None if unmapped);
    origin_state: the origin's own state (PrestaShop id_order_state, Odoo sale_order.state)."""

    code: str | None
    origin_state: str


@dataclass(frozen=True)
class OrderLineItem:
    """One product line of an order, prices per unit and per line, with and without tax."""

    line_origin_id: str
    sku: str | None
    product_origin_id: str | None
    variant_origin_id: str | None
    name: str
    quantity: Quantity
    unit_price_tax_excl: Money
    unit_price_tax_incl: Money
    total_tax_excl: Money
    total_tax_incl: Money
    tax_rate: Percent | None
    discount_percent: Percent


@dataclass(frozen=True)
class Discount:
    """A voucher / cart rule applied to an order."""

    name: str
    amount_tax_incl: Money
    amount_tax_excl: Money
    free_shipping: bool


@dataclass(frozen=True)
class Shipping:
    """The carrier chosen at checkout and what shipping cost; ``tax_rate`` is the carrier's tax as the
    shop applied it (PrestaShop ``orders.carrier_tax_rate``), None when the source does not say."""

    carrier_origin_id: int | None
    cost_tax_excl: Money
    cost_tax_incl: Money
    tax_rate: Percent | None = None


@dataclass(frozen=True)
class PaymentReference:
    """How the order was paid (shop payment module), and the amount actually paid."""

    method: str | None
    module: str | None
    amount_paid: Money


@dataclass(frozen=True)
class Order(Canonical):
    """A complete order: header, every line, discounts, shipping and payment reference."""

    ENTITY: ClassVar[str] = "order"
    order_ref: str | None
    order_origin_id: str
    customer_key: str | None
    customer_origin_id: str | None
    delivery_address_origin_id: str | None
    invoice_address_origin_id: str | None
    currency_origin_id: int | None
    state: OrderState
    placed_at: datetime | None
    lines: list[OrderLineItem]
    discounts: list[Discount]
    shipping: Shipping
    payment: PaymentReference
    total_products_tax_excl: Money
    total_discounts_tax_incl: Money
    total_tax_excl: Money
    total_tax_incl: Money


@dataclass(frozen=True)
class OrderHeader(Canonical):
    """The order row alone (PrestaShop orders / Odoo sale_order)."""

    ENTITY: ClassVar[str] = "order_header"
    order_ref: str | None
    order_origin_id: str
    customer_key: str | None
    customer_origin_id: str | None
    delivery_address_origin_id: str | None
    invoice_address_origin_id: str | None
    currency_origin_id: int | None
    state: OrderState
    placed_at: datetime | None
    shipping: Shipping
    payment: PaymentReference
    total_products_tax_excl: Money
    total_discounts_tax_incl: Money
    total_tax_excl: Money
    total_tax_incl: Money
    lines_committed: bool


@dataclass(frozen=True)
class OrderLine(Canonical):
    """One line row (PrestaShop order_detail / Odoo sale_order_line)."""

    ENTITY: ClassVar[str] = "order_line"
    order_origin_id: str
    item: OrderLineItem


@dataclass(frozen=True)
class OrderDiscount(Canonical):
    """One discount row (PrestaShop order_cart_rule)."""

    ENTITY: ClassVar[str] = "order_discount"
    order_origin_id: str
    discount: Discount


@dataclass(frozen=True)
class OrderStatusChange(Canonical):
    """One status history row (PrestaShop order_history)."""

    ENTITY: ClassVar[str] = "order_status_change"
    order_origin_id: str
    state: OrderState
    changed_at: datetime | None


@dataclass(frozen=True)
class OrderStatus(Canonical):
    """An order's status as one system holds it now, in canonical codes: the shop's current state,
    the ERP's order state (with its delivery progress). The ``order_status`` entity the loop guard
    syncs between the systems, keyed by the shop order reference, apart from the order itself so
    that a status change is never an order rewrite."""

    ENTITY: ClassVar[str] = "order_status"
    order_ref: str
    order_origin_id: str
    state: OrderState


ORDER_CLASSES: list[type[Canonical]] = [Order, OrderHeader, OrderLine, OrderDiscount, OrderStatusChange, OrderStatus]
