"""Hypothesis strategies for canonical records (used by the codec round-trip tests)."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

from hypothesis import strategies as st

from schemas.order import Discount, Order, OrderLineItem, OrderState, PaymentReference, Shipping
from schemas.records import Envelope, Product, StockLevel

texts = st.text(max_size=30)
opt_texts = st.none() | texts
# DECIMAL(20,6): up to 14 integer digits and 6 decimals, negative allowed (discount lines)
money = st.decimals(
    min_value=Decimal("-99999999999999.999999"),
    max_value=Decimal("99999999999999.999999"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)
utc_times = st.datetimes(timezones=st.just(UTC))

envelopes = st.builds(
    Envelope,
    canonical_key=opt_texts,
    origin_system=st.sampled_from(["prestashop", "odoo"]),
    origin_table=texts,
    origin_id=texts,
    source_ts=utc_times,
    source_position=texts,
    snapshot=st.booleans(),
    deleted=st.booleans(),
    content_hash=texts,
)

products = st.builds(
    Product,
    envelope=envelopes,
    sku=opt_texts,
    names=st.dictionaries(texts, texts, max_size=3),
    list_price=money,
    wholesale_price=st.none() | money,
    weight=st.none() | money,
    active=st.booleans(),
    has_variants=st.booleans(),
    ean13=opt_texts,
)

stock_levels = st.builds(
    StockLevel,
    envelope=envelopes,
    sku=opt_texts,
    product_origin_id=opt_texts,
    variant_origin_id=opt_texts,
    location=texts,
    on_hand=money,
    reserved=money,
    available=money,
)

line_items = st.builds(
    OrderLineItem,
    line_origin_id=texts,
    sku=opt_texts,
    product_origin_id=opt_texts,
    variant_origin_id=opt_texts,
    name=texts,
    quantity=money,
    unit_price_tax_excl=money,
    unit_price_tax_incl=money,
    total_tax_excl=money,
    total_tax_incl=money,
    tax_rate=st.none() | st.decimals(min_value=0, max_value=100, places=3),
    discount_percent=st.decimals(min_value=0, max_value=100, places=2),
)

orders = st.builds(
    Order,
    envelope=envelopes,
    order_ref=opt_texts,
    order_origin_id=texts,
    customer_key=opt_texts,
    customer_origin_id=opt_texts,
    delivery_address_origin_id=opt_texts,
    invoice_address_origin_id=opt_texts,
    currency_origin_id=st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1),
    state=st.builds(OrderState, code=opt_texts, origin_state=texts),
    placed_at=st.none() | utc_times,
    lines=st.lists(line_items, max_size=4),
    discounts=st.lists(
        st.builds(Discount, name=texts, amount_tax_incl=money, amount_tax_excl=money, free_shipping=st.booleans()),
        max_size=2,
    ),
    shipping=st.builds(
        Shipping, carrier_origin_id=st.none() | st.integers(0, 2**31), cost_tax_excl=money, cost_tax_incl=money
    ),
    payment=st.builds(PaymentReference, method=opt_texts, module=opt_texts, amount_paid=money),
    total_products_tax_excl=money,
    total_discounts_tax_incl=money,
    total_tax_excl=money,
    total_tax_incl=money,
)
