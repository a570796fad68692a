"""Odoo catalogue, price and stock rows -> Product, Variant, PriceRule, StockQuant.

``product_template.name`` is a translated jsonb column: ``{"en_US": "...", "fr_FR": "..."}``.
Odoo numeric columns are unscaled; they are rounded to the canonical scale when encoded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from schemas import keys
from schemas.observations import StockQuant
from schemas.records import AttributeValue, Canonical, PriceRule, Product, Variant
from streams.mapping.common import Observed

if TYPE_CHECKING:
    from streams.mapping.odoo import OdooContext

# Odoo's ORM reads NULL booleans as False and NULL numbers as 0: so do the mappers.
ORM_ZERO = Decimal(0)


def translations(obs: Observed, column: str, ctx: OdooContext) -> dict[str, str]:
    """A translated column as ``{locale: text}``; plain text (pre-16 data) counts as the default locale."""
    text = obs.row.opt_text(column)
    if text is None:
        return {}
    if not text.lstrip().startswith(("{", "[")):
        return {ctx.default_locale: text}
    value: Any = obs.row.json_value(column)
    if not isinstance(value, dict) or not all(isinstance(v, str | None) for v in value.values()):
        raise obs.fail(f"column {column!r}: not a translation object")
    return {str(locale): text for locale, text in value.items() if text is not None}


def unpublished(obs: Observed, ctx: OdooContext) -> str | None:
    """Why a template is not published in the shop (None: it is), after ``ctx``'s filter.

    Archived templates are published (the shop product goes inactive); ``sale_ok`` false or a
    service type (Odoo 17+: consu/service/combo) is not: no command at all, not a dead letter.
    """
    row = obs.row
    kind = row.opt_text("type") if row.has("type") else None
    if kind is not None and kind in ctx.unpublished_types:
        return f"type {kind!r}"
    if not ctx.publish_unsellable and row.has("sale_ok") and not row.flag("sale_ok", null_as=False):
        return "not sale_ok"
    return None


def product_template(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    if unpublished(obs, ctx) is not None:
        return []  # counted and logged by the processor (Processor.map_raw)
    template_id = row.integer("id")
    # The template's default_code is a stored copy of its single variant's, null with several.
    sku = keys.sku(row.opt_text("default_code")) if row.has("default_code") else None
    has_variants = (
        row.flag("has_configurable_attributes", null_as=False) if row.has("has_configurable_attributes") else False
    )
    if sku is None and has_variants:
        sku = keys.template_sku(template_id)  # the variants name it as their parent (streams.joins)
    return [
        Product(
            envelope=obs.envelope(str(template_id), sku),
            sku=sku,
            names=translations(obs, "name", ctx),
            list_price=row.decimal("list_price", null_as=ORM_ZERO),
            wholesale_price=None,  # standard_price is company-dependent on product_product
            weight=set_or_none(row.opt_decimal("weight")),
            active=row.flag("active", null_as=False),
            has_variants=has_variants,
            ean13=None,  # the barcode lives on product_product
        )
    ]


def set_or_none(value: Decimal | None) -> Decimal | None:
    """Odoo stores an unset weight as 0 (or NULL): None, so the shop's value is not overwritten."""
    return value if value is not None and value > 0 else None


def product_product(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    """A variant; ``product_origin_id`` is its template's id here, the parent's SKU once the streams
    met the template (streams.joins). A multi-variant template weighs 0 in Odoo: a variant's
    weight is all of its weight, so it is the combination's weight impact."""
    row = obs.row
    sku = keys.sku(row.opt_text("default_code"))
    indices = row.clean_text("combination_indices") or ""
    try:
        values = [
            AttributeValue(origin_value_id=int(i), attribute=None, value=None) for i in indices.split(",") if i.strip()
        ]
    except ValueError:
        raise obs.fail(f"combination_indices {indices!r} is not a list of ids") from None
    return [
        Variant(
            envelope=obs.envelope(str(row.integer("id")), sku),
            sku=sku,
            product_origin_id=str(row.integer("product_tmpl_id")),
            price_impact=None,  # Odoo prices variants through attribute extra prices, not per row
            weight_impact=set_or_none(row.opt_decimal("weight")) if row.has("weight") else None,
            ean13=row.clean_text("barcode"),
            attribute_values=values,
            is_default=False,
        )
    ]


def stock_quant(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    lot = row.opt_integer("lot_id")
    return [
        StockQuant(
            envelope=obs.envelope(str(row.integer("id")), None),
            product_origin_id=str(row.integer("product_id")),
            location_origin_id=str(row.integer("location_id")),
            lot_origin_id=str(lot) if lot is not None else None,
            quantity=row.decimal("quantity", null_as=ORM_ZERO),
            reserved=row.decimal("reserved_quantity", null_as=ORM_ZERO),
        )
    ]


# applied_on values a shop specific_price can express: one product (template) or one variant.
# Global and per-category items have no per-product shop equivalent and are not synced.
_PRICED_TARGETS = ("1_product", "0_product_variant")


def product_pricelist_item(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    """A pricelist item of a pricelist mapped to a shop customer group -> PriceRule.

    ``ctx.pricelist_groups`` (config) maps pricelist ids to shop group ids; group 0 is "every
    customer" (a promo). Fixed prices and percentage discounts are synced; ``formula`` items
    (discount + surcharge + rounding on another base) have no specific_price equivalent.
    """
    row = obs.row
    group_id = ctx.pricelist_groups.get(row.integer("pricelist_id"))
    applied_on = row.text("applied_on")
    compute = row.text("compute_price")
    if group_id is None or applied_on not in _PRICED_TARGETS or compute not in ("fixed", "percentage"):
        return []
    template = row.opt_integer("product_tmpl_id")
    variant = row.opt_integer("product_id") if applied_on == "0_product_variant" else None
    if template is None:
        # The ORM keeps product_tmpl_id on variant items (the form fills it from the variant);
        # without it the rule cannot name its product.
        raise obs.fail(f"{applied_on} item without product_tmpl_id")
    fixed = compute == "fixed"
    return [
        PriceRule(
            envelope=obs.envelope(str(row.integer("id")), None),
            sku=None,  # the row holds ids; the streams resolve the SKU
            product_origin_id=str(template),
            variant_origin_id=str(variant) if variant is not None else None,
            kind="group" if group_id else "promo",
            customer_group_key=keys.group_key(group_id) if group_id else None,
            price=row.decimal("fixed_price", null_as=ORM_ZERO) if fixed else None,
            reduction_amount=Decimal(0),
            # percent_price is a float8 column: decoded through its shortest repr, never float maths
            reduction_percent=Decimal(0) if fixed else row.decimal("percent_price", null_as=ORM_ZERO),
            reduction_tax_included=False,  # pricelist prices are before tax (sale taxes apply on top)
            from_quantity=row.opt_decimal("min_quantity") or Decimal(0),
            valid_from=row.timestamp("date_start"),
            valid_to=row.timestamp("date_end"),
        )
    ]
