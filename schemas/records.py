"""Canonical business entities: the typed records every stream and sink exchanges.

Each class is one Avro record; its schema is derived by :mod:`schemas.model` and published as
``schemas/avro/<ENTITY>/vN.avsc``. Rules for changing a class: only add fields with a default
(``None``, a scalar, ``[]`` or ``{}``), never rename or retype, then publish the next version with
``python -m schemas.compat --publish``. Money is ``Money`` (decimal 20,6), times are UTC.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar, TypeVar

from schemas.model import Money, Percent, Quantity, content_hash, from_datum, to_datum


@dataclass(frozen=True)
class Envelope:
    """Where and when an observation came from, and the key it belongs to.

    canonical_key is None when the row alone cannot derive it (for example a stock row that only
    holds the product's numeric id); the stream processor then resolves it from origin_system and
    origin_id through its identity table.
    """

    canonical_key: str | None
    origin_system: str
    origin_table: str
    origin_id: str
    source_ts: datetime
    source_position: str
    snapshot: bool
    deleted: bool
    content_hash: str


R = TypeVar("R", bound="Canonical")


@dataclass(frozen=True)
class Canonical:
    """Base of every record: an envelope first, then the synced fields."""

    ENTITY: ClassVar[str] = ""
    envelope: Envelope

    def sealed(self: R) -> R:
        """A normalised copy (decimals at their schema scale, times in UTC, exactly what the codec
        would give back) whose envelope carries the hash of the synced fields."""
        normal = from_datum(type(self), to_datum(self))
        envelope = dataclasses.replace(normal.envelope, content_hash=content_hash(normal))
        return dataclasses.replace(normal, envelope=envelope)


@dataclass(frozen=True)
class Customer(Canonical):
    """A shop customer; in the ERP a company-less partner whose ref is the shop key."""

    ENTITY: ClassVar[str] = "customer"
    shop_customer_id: int | None
    email: str | None
    first_name: str | None
    last_name: str | None
    display_name: str
    company: str | None
    birthday: date | None
    newsletter: bool
    active: bool
    is_guest: bool
    default_group_key: str | None
    lang: str | None


@dataclass(frozen=True)
class Address(Canonical):
    """A postal address of a customer (ERP: child partner of type delivery/invoice/other)."""

    ENTITY: ClassVar[str] = "address"
    customer_key: str | None
    kind: str
    alias: str | None
    company: str | None
    first_name: str | None
    last_name: str | None
    street: str | None
    street2: str | None
    postcode: str | None
    city: str | None
    origin_country_id: int | None
    origin_state_id: int | None
    phone: str | None
    mobile: str | None
    vat_number: str | None


@dataclass(frozen=True)
class CustomerGroup(Canonical):
    """A customer group (shop) / pricelist audience (ERP); names per locale."""

    ENTITY: ClassVar[str] = "customer_group"
    shop_group_id: int | None
    names: dict[str, str]
    reduction_percent: Percent
    show_prices: bool


@dataclass(frozen=True)
class AttributeValue:
    """One attribute value of a variant (e.g. Size: M).

    ``attribute`` and ``value`` are the texts in the origin's default locale; v2 adds every locale's
    (``{locale: text}``), which the shop writes in its languages. From Odoo, ``origin_value_id`` is the
    template attribute value (``product_template_attribute_value.id``, what ``combination_indices`` lists).
    """

    origin_value_id: int | None
    attribute: str | None
    value: str | None
    # v2: added with a default, so v1 data still decodes (the reader fills {}).
    attribute_names: dict[str, str] = dataclasses.field(default_factory=dict)
    value_names: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Product(Canonical):
    """A sellable product (shop product / ERP product template), keyed by SKU."""

    ENTITY: ClassVar[str] = "product"
    sku: str | None
    names: dict[str, str]
    list_price: Money
    wholesale_price: Money | None
    weight: Quantity | None
    active: bool
    has_variants: bool
    # v2: added with a default, so v1 data still decodes (the reader fills None).
    ean13: str | None = None


@dataclass(frozen=True)
class Variant(Canonical):
    """A combination (shop) / product.product (ERP) of a product, keyed by its own SKU."""

    ENTITY: ClassVar[str] = "variant"
    sku: str | None
    product_origin_id: str
    price_impact: Money | None
    weight_impact: Quantity | None
    ean13: str | None
    attribute_values: list[AttributeValue]
    is_default: bool


@dataclass(frozen=True)
class StockLevel(Canonical):
    """Stock of one SKU at one place: on hand, reserved and available (= sellable)."""

    ENTITY: ClassVar[str] = "stock_level"
    sku: str | None
    product_origin_id: str | None
    variant_origin_id: str | None
    location: str
    on_hand: Quantity
    reserved: Quantity
    available: Quantity


@dataclass(frozen=True)
class PriceRule(Canonical):
    """A base, promo or per-customer-group price of a product or variant, with validity dates.

    price None means "the base price, reduced by the reduction" (PrestaShop price -1).
    reduction_percent is in percent (20 = 20 %), reduction_amount in the shop currency.
    """

    ENTITY: ClassVar[str] = "price_rule"
    sku: str | None
    product_origin_id: str
    variant_origin_id: str | None
    kind: str
    customer_group_key: str | None
    price: Money | None
    reduction_amount: Money
    reduction_percent: Percent
    reduction_tax_included: bool
    from_quantity: Quantity
    valid_from: datetime | None
    valid_to: datetime | None


@dataclass(frozen=True)
class Shipment(Canonical):
    """A delivery of an order, with its carrier and tracking number."""

    ENTITY: ClassVar[str] = "shipment"
    order_key: str | None
    order_origin_id: str | None
    name: str | None
    carrier: str | None
    tracking_number: str | None
    state: str | None
    shipped_at: datetime | None
    weight: Quantity | None


@dataclass(frozen=True)
class Invoice(Canonical):
    """An invoice, credit note or delivery slip of an order, with its totals and document link."""

    ENTITY: ClassVar[str] = "invoice"
    order_key: str | None
    kind: str
    number: str | None
    state: str
    currency_origin_id: int | None
    total_tax_excl: Money
    total_tax_incl: Money
    amount_due: Money | None
    issued_on: date | None
    order_reference: str | None
    document_url: str | None
    # v2: the order's id on the origin side (PrestaShop order_invoice.id_order); Odoo's
    # account_move names its order only by name (order_reference).
    order_origin_id: str | None = None


@dataclass(frozen=True)
class PaymentCapture(Canonical):
    """A payment authorisation or capture for an order.

    state: ``authorized`` (held, to capture at shipping), ``captured`` (money received),
    ``pending``, ``cancelled`` or ``failed``.
    """

    ENTITY: ClassVar[str] = "payment_capture"
    order_key: str | None
    reference: str
    provider_reference: str | None
    state: str
    amount: Money
    currency_origin_id: int | None
    captured_at: datetime | None
    # v2: the payment method as the shop names it (PrestaShop order_payment.payment_method);
    # the ERP sink picks its payment journal from it.
    method: str | None = None
    # v3: the shop's calendar day of the payment (its own time zone): the ERP's accounting date.
    captured_on: date | None = None
