"""Shop-side command records for the benchmark and the tests (pure: ids and SKUs in, records out)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from schemas import keys
from schemas.order import Order, OrderLineItem, OrderState, OrderStatusChange, PaymentReference, Shipping
from schemas.records import Address, Customer, CustomerGroup, Envelope

_WHEN = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def _envelope(key: str, table: str, origin_id: str) -> Envelope:
    return Envelope(
        canonical_key=key,
        origin_system="prestashop",
        origin_table=table,
        origin_id=origin_id,
        source_ts=_WHEN,
        source_position="sample",
        snapshot=False,
        deleted=False,
        content_hash="",
    )


def customer(shop_id: int, *, email: str | None = None, name: str | None = None) -> Customer:
    return Customer(
        envelope=_envelope(keys.customer_ref(shop_id), "customer", str(shop_id)),
        shop_customer_id=shop_id,
        email=email or f"customer{shop_id}@example.com",
        first_name="Ada",
        last_name=f"Client{shop_id}",
        display_name=name or f"Ada Client{shop_id}",
        company=None,
        birthday=None,
        newsletter=False,
        active=True,
        is_guest=False,
        default_group_key=None,
        lang=None,
    ).sealed()


def customer_group(group_id: int, names: dict[str, str], *, deleted: bool = False) -> CustomerGroup:
    """A shop customer group (``ps_group``), deleted or not."""
    envelope = replace(_envelope(keys.group_key(group_id), "group", str(group_id)), deleted=deleted)
    return CustomerGroup(
        envelope=envelope, shop_group_id=group_id, names=names, reduction_percent=Decimal("0"), show_prices=True
    ).sealed()


def address(address_id: int, customer_id: int, *, city: str = "Lyon") -> Address:
    return Address(
        envelope=_envelope(keys.address_ref(address_id), "address", str(address_id)),
        customer_key=keys.customer_ref(customer_id),
        kind="delivery",
        alias="Home",
        company=None,
        first_name="Ada",
        last_name=f"Client{customer_id}",
        street="1 rue de la Paix",
        street2=None,
        postcode="69001",
        city=city,
        origin_country_id=8,
        origin_state_id=None,
        phone="+33 4 00 00 00 00",
        mobile=None,
        vat_number=None,
    ).sealed()


def order(
    reference: str, customer_id: int, skus: list[str], *, state: str = "paid", address_id: int | None = None
) -> Order:
    lines = [
        OrderLineItem(
            line_origin_id=str(index + 1),
            sku=sku,
            product_origin_id=None,
            variant_origin_id=None,
            name=sku,
            quantity=Decimal(1 + index % 3),
            unit_price_tax_excl=Decimal("12.50"),
            unit_price_tax_incl=Decimal("15.00"),
            total_tax_excl=Decimal("12.50") * (1 + index % 3),
            total_tax_incl=Decimal("15.00") * (1 + index % 3),
            tax_rate=Decimal(20),
            discount_percent=Decimal(0),
        )
        for index, sku in enumerate(skus)
    ]
    total_excl = sum((line.total_tax_excl for line in lines), Decimal(0))
    total_incl = sum((line.total_tax_incl for line in lines), Decimal(0))
    address_origin = str(address_id) if address_id else None
    return Order(
        envelope=_envelope(reference, "orders", reference),
        order_ref=reference,
        order_origin_id=reference,
        customer_key=keys.customer_ref(customer_id),
        customer_origin_id=str(customer_id),
        delivery_address_origin_id=address_origin,
        invoice_address_origin_id=address_origin,
        currency_origin_id=1,
        state=OrderState(code=state, origin_state="2"),
        placed_at=_WHEN,
        lines=lines,
        discounts=[],
        shipping=Shipping(carrier_origin_id=None, cost_tax_excl=Decimal(0), cost_tax_incl=Decimal(0)),
        payment=PaymentReference(method="Card", module="ps_checkout", amount_paid=total_incl),
        total_products_tax_excl=total_excl,
        total_discounts_tax_incl=Decimal(0),
        total_tax_excl=total_excl,
        total_tax_incl=total_incl,
    ).sealed()


def status_change(reference: str, code: str, history_id: int = 1) -> OrderStatusChange:
    return OrderStatusChange(
        envelope=_envelope(reference, "order_history", str(history_id)),
        order_origin_id=reference,
        state=OrderState(code=code, origin_state="6"),
        changed_at=_WHEN,
    ).sealed()
