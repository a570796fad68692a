"""Partial observations: rows that only make sense once joined to their entity by the streams.

They are published with Avro schemas like the entities because they cross Kafka (repartition
topics) between the mapper and the stateful stream steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from schemas.model import Money, Quantity
from schemas.records import Canonical


@dataclass(frozen=True)
class Translation(Canonical):
    """Per-locale texts of an entity (PrestaShop product_lang / group_lang rows).

    entity names the record the texts belong to ("product", "customer_group"); fields maps a
    field name (name, description, description_short, link_rewrite, ...) to its text.
    """

    ENTITY: ClassVar[str] = "translation"
    entity: str
    entity_origin_id: str
    locale: str
    shop_id: int | None
    fields: dict[str, str]


@dataclass(frozen=True)
class ProductShopValues(Canonical):
    """The per-shop values of a product (PrestaShop product_shop), which override the product row."""

    ENTITY: ClassVar[str] = "product_shop_values"
    product_origin_id: str
    shop_id: int
    list_price: Money
    wholesale_price: Money | None
    active: bool


@dataclass(frozen=True)
class VariantAttributeLink(Canonical):
    """Links a variant to one attribute value (PrestaShop product_attribute_combination)."""

    ENTITY: ClassVar[str] = "variant_attribute_link"
    variant_origin_id: str
    attribute_value_origin_id: str


@dataclass(frozen=True)
class AttributeName(Canonical):
    """A row of Odoo's attribute tables, which name a variant's values (``streams.attribute_steps``).

    kind ``attribute`` (product_attribute: the group's ``names``), ``value`` (product_attribute_value:
    the value's ``names``, ``value_origin_id`` its id) or ``template_value``
    (product_template_attribute_value, no names: links the id ``combination_indices`` lists, the
    envelope's origin id, to its value ``value_origin_id`` on template ``template_origin_id``).
    """

    ENTITY: ClassVar[str] = "attribute_name"
    kind: str
    attribute_origin_id: str
    value_origin_id: str | None
    template_origin_id: str | None
    names: dict[str, str]


@dataclass(frozen=True)
class StockQuant(Canonical):
    """One Odoo stock_quant row; ``streams.mapping.assemble.sum_stock_quants`` sums them."""

    ENTITY: ClassVar[str] = "stock_quant"
    product_origin_id: str
    location_origin_id: str
    lot_origin_id: str | None
    quantity: Quantity
    reserved: Quantity


@dataclass(frozen=True)
class GroupMembership(Canonical):
    """A customer belongs to a customer group (PrestaShop customer_group)."""

    ENTITY: ClassVar[str] = "group_membership"
    customer_key: str
    group_key: str


OBSERVATION_CLASSES: list[type[Canonical]] = [
    Translation,
    ProductShopValues,
    VariantAttributeLink,
    AttributeName,
    StockQuant,
    GroupMembership,
]
