"""PrestaShop catalogue rows -> Product, Variant, StockLevel, PriceRule and partial observations.

Products are keyed by SKU (``reference``). Per-language texts (product_lang) and per-shop values
(product_shop) arrive as separate rows and become Translation / ProductShopValues observations.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from schemas import keys
from schemas.observations import ProductShopValues, Translation, VariantAttributeLink
from schemas.records import Canonical, PriceRule, Product, StockLevel, Variant
from streams.mapping.common import Observed

if TYPE_CHECKING:
    from streams.mapping.prestashop import PrestaShopContext

_PRODUCT_LANG_FIELDS = ("name", "description", "description_short", "link_rewrite", "meta_title", "meta_description")
_KEEP_BASE_PRICE = Decimal(-1)


def product(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    product_id = row.integer("id_product")
    sku = keys.sku(row.opt_text("reference"))
    product_type = row.opt_text("product_type") if row.has("product_type") else None
    default_combination = row.opt_integer("cache_default_attribute") or 0
    return [
        Product(
            envelope=obs.envelope(str(product_id), sku),
            sku=sku,
            names={},  # names live in product_lang rows (Translation observations)
            list_price=row.decimal("price"),
            wholesale_price=row.opt_decimal("wholesale_price"),
            weight=row.opt_decimal("weight"),
            active=row.flag("active"),
            has_variants=product_type == "combinations" or default_combination > 0,
            ean13=row.clean_text("ean13"),
        )
    ]


def product_lang(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    product_id, shop_id, lang_id = row.integer("id_product"), row.integer("id_shop"), row.integer("id_lang")
    fields = {name: text for name in _PRODUCT_LANG_FIELDS if row.has(name) and (text := row.opt_text(name)) is not None}
    return [
        Translation(
            envelope=obs.envelope(f"{product_id}:{shop_id}:{lang_id}", None),
            entity="product",
            entity_origin_id=str(product_id),
            locale=ctx.locale(lang_id) or f"id_lang:{lang_id}",
            shop_id=shop_id,
            fields=fields,
        )
    ]


def product_shop(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    shop_id = row.integer("id_shop")
    if shop_id != ctx.shop_id:
        return []  # another shop of a multistore install: not the one this sync serves
    product_id = row.integer("id_product")
    return [
        ProductShopValues(
            envelope=obs.envelope(f"{product_id}:{shop_id}", None),
            product_origin_id=str(product_id),
            shop_id=shop_id,
            list_price=row.decimal("price"),
            wholesale_price=row.opt_decimal("wholesale_price"),
            active=row.flag("active"),
        )
    ]


def product_attribute(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    combination_id = row.integer("id_product_attribute")
    sku = keys.sku(row.opt_text("reference"))
    return [
        Variant(
            envelope=obs.envelope(str(combination_id), sku),
            sku=sku,
            product_origin_id=str(row.integer("id_product")),
            price_impact=row.decimal("price"),
            weight_impact=row.opt_decimal("weight"),
            ean13=row.clean_text("ean13"),
            attribute_values=[],  # from product_attribute_combination rows (VariantAttributeLink)
            is_default=bool(row.opt_integer("default_on")),
        )
    ]


def product_attribute_combination(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    attribute_id, combination_id = row.integer("id_attribute"), row.integer("id_product_attribute")
    return [
        VariantAttributeLink(
            envelope=obs.envelope(f"{attribute_id}:{combination_id}", None),
            variant_origin_id=str(combination_id),
            attribute_value_origin_id=str(attribute_id),
        )
    ]


def stock_available(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    shop_id = row.integer("id_shop")
    # id_shop = 0 means the stock is shared by the whole shop group.
    location = f"shop:{shop_id}" if shop_id else f"shop_group:{row.integer('id_shop_group')}"
    combination_id = row.integer("id_product_attribute")
    return [
        StockLevel(
            envelope=obs.envelope(str(row.integer("id_stock_available")), None),
            sku=None,  # the row only holds ids; the streams resolve the SKU
            product_origin_id=str(row.integer("id_product")),
            variant_origin_id=str(combination_id) if combination_id else None,
            location=location,
            on_hand=Decimal(row.integer("physical_quantity")),
            reserved=Decimal(row.integer("reserved_quantity")),
            available=Decimal(row.integer("quantity")),
        )
    ]


def specific_price(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    if row.integer("id_cart"):
        return []  # a price negotiated for one cart only: never synced
    group_id, customer_id = row.integer("id_group"), row.integer("id_customer")
    kind = "group" if group_id else "customer" if customer_id else "promo"
    price = row.decimal("price")
    reduction = row.decimal("reduction")
    reduction_type = row.text("reduction_type")
    if reduction_type not in ("amount", "percentage"):
        raise obs.fail(f"unknown reduction_type {reduction_type!r}")
    combination_id = row.integer("id_product_attribute")
    return [
        PriceRule(
            envelope=obs.envelope(str(row.integer("id_specific_price")), None),
            sku=None,
            product_origin_id=str(row.integer("id_product")),
            variant_origin_id=str(combination_id) if combination_id else None,
            kind=kind,
            customer_group_key=keys.group_key(group_id) if group_id else None,
            price=None if price == _KEEP_BASE_PRICE else price,
            reduction_amount=reduction if reduction_type == "amount" else Decimal(0),
            # PrestaShop stores a percentage reduction as a fraction (0.2 = 20 %).
            reduction_percent=reduction * 100 if reduction_type == "percentage" else Decimal(0),
            reduction_tax_included=row.flag("reduction_tax"),
            from_quantity=Decimal(row.integer("from_quantity")),
            valid_from=row.timestamp("from", ctx.shop_timezone),
            valid_to=row.timestamp("to", ctx.shop_timezone),
        )
    ]
