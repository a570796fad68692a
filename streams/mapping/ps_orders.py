"""PrestaShop order rows -> OrderHeader, OrderLine, OrderDiscount, OrderStatusChange observations.

The rows of one order commit separately; ``streams.mapping.assemble.assemble_order`` joins them.
``orders.current_state`` is 0 until PaymentModule::validateOrder has written every order_detail
row (it is set right after the first order_history row), hence ``lines_committed``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from schemas import keys
from schemas.order import (
    Discount,
    OrderDiscount,
    OrderHeader,
    OrderLine,
    OrderLineItem,
    OrderState,
    OrderStatusChange,
    PaymentReference,
    Shipping,
)
from schemas.records import Canonical, Shipment
from streams.mapping.common import Observed

if TYPE_CHECKING:
    from streams.mapping.prestashop import PrestaShopContext


def _state(state_id: int, ctx: PrestaShopContext) -> OrderState:
    return OrderState(code=ctx.order_states.get(state_id), origin_state=str(state_id))


def _ref_id(value: int | None) -> str | None:
    return str(value) if value else None


def orders(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    order_id = row.integer("id_order")
    reference = keys.order_key(row.opt_text("reference"))
    customer_id = row.integer("id_customer")
    state_id = row.integer("current_state")
    return [
        OrderHeader(
            envelope=obs.envelope(str(order_id), reference),
            order_ref=reference,
            order_origin_id=str(order_id),
            customer_key=keys.customer_ref(customer_id) if customer_id else None,
            customer_origin_id=_ref_id(customer_id),
            delivery_address_origin_id=_ref_id(row.opt_integer("id_address_delivery")),
            invoice_address_origin_id=_ref_id(row.opt_integer("id_address_invoice")),
            currency_origin_id=row.opt_integer("id_currency"),
            state=_state(state_id, ctx),
            placed_at=row.timestamp("date_add", ctx.shop_timezone),
            shipping=Shipping(
                carrier_origin_id=row.opt_integer("id_carrier") or None,
                cost_tax_excl=row.decimal("total_shipping_tax_excl"),
                cost_tax_incl=row.decimal("total_shipping_tax_incl"),
                tax_rate=row.opt_decimal("carrier_tax_rate"),
            ),
            payment=PaymentReference(
                method=row.clean_text("payment"),
                module=row.clean_text("module"),
                amount_paid=row.decimal("total_paid_real"),
            ),
            total_products_tax_excl=row.decimal("total_products"),
            total_discounts_tax_incl=row.decimal("total_discounts_tax_incl"),
            total_tax_excl=row.decimal("total_paid_tax_excl"),
            total_tax_incl=row.decimal("total_paid_tax_incl"),
            lines_committed=state_id != 0,
        )
    ]


def order_detail(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    line_id = row.integer("id_order_detail")
    combination = row.opt_integer("product_attribute_id")
    return [
        OrderLine(
            envelope=obs.envelope(str(line_id), None),
            order_origin_id=str(row.integer("id_order")),
            item=OrderLineItem(
                line_origin_id=str(line_id),
                sku=keys.sku(row.opt_text("product_reference")),
                product_origin_id=str(row.integer("product_id")),
                variant_origin_id=_ref_id(combination),
                name=row.text("product_name"),
                quantity=Decimal(row.integer("product_quantity")),
                unit_price_tax_excl=row.decimal("unit_price_tax_excl"),
                unit_price_tax_incl=row.decimal("unit_price_tax_incl"),
                total_tax_excl=row.decimal("total_price_tax_excl"),
                total_tax_incl=row.decimal("total_price_tax_incl"),
                tax_rate=row.opt_decimal("tax_rate"),
                discount_percent=row.decimal("reduction_percent"),
            ),
        )
    ]


def order_cart_rule(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    rule_id = row.integer("id_order_cart_rule")
    return [
        OrderDiscount(
            envelope=obs.envelope(str(rule_id), None, soft_deleted=row.flag("deleted")),
            order_origin_id=str(row.integer("id_order")),
            discount=Discount(
                name=row.text("name"),
                amount_tax_incl=row.decimal("value"),
                amount_tax_excl=row.decimal("value_tax_excl"),
                free_shipping=row.flag("free_shipping"),
            ),
        )
    ]


def order_history(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    return [
        OrderStatusChange(
            envelope=obs.envelope(str(row.integer("id_order_history")), None),
            order_origin_id=str(row.integer("id_order")),
            state=_state(row.integer("id_order_state"), ctx),
            changed_at=row.timestamp("date_add", ctx.shop_timezone),
        )
    ]


def order_carrier(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    """The shop side of a shipment: its tracking number is what the ERP writes back."""
    row = obs.row
    carrier = row.opt_integer("id_carrier")
    return [
        Shipment(
            envelope=obs.envelope(str(row.integer("id_order_carrier")), None),
            order_key=None,
            order_origin_id=str(row.integer("id_order")),
            name=None,
            carrier=str(carrier) if carrier else None,
            tracking_number=row.clean_text("tracking_number"),
            state=None,
            shipped_at=None,
            weight=row.opt_decimal("weight"),
        )
    ]
