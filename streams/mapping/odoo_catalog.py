"""Odoo catalogue and stock rows -> Product, Variant, StockQuant.

``product_template.name`` is a translated jsonb column: ``{"en_US": "...", "fr_FR": "..."}``.
Odoo numeric columns are unscaled; they are rounded to the canonical scale when encoded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemas import keys
from schemas.observations import StockQuant
from schemas.records import AttributeValue, Canonical, Product, Variant
from streams.mapping.common import Observed

if TYPE_CHECKING:
    from streams.mapping.odoo import OdooContext


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


def product_template(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    template_id = row.integer("id")
    # The template's default_code is a stored copy of its single variant's, null with several.
    sku = keys.sku(row.opt_text("default_code")) if row.has("default_code") else None
    has_variants = row.flag("has_configurable_attributes") if row.has("has_configurable_attributes") \
        else False
    return [Product(
        envelope=obs.envelope(str(template_id), sku),
        sku=sku,
        names=translations(obs, "name", ctx),
        list_price=row.decimal("list_price"),
        wholesale_price=None,  # standard_price is company-dependent on product_product
        weight=row.opt_decimal("weight"),
        active=row.flag("active"),
        has_variants=has_variants,
        ean13=None,  # the barcode lives on product_product
    )]


def product_product(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    sku = keys.sku(row.opt_text("default_code"))
    indices = row.clean_text("combination_indices") or ""
    try:
        values = [AttributeValue(origin_value_id=int(i), attribute=None, value=None)
                  for i in indices.split(",") if i.strip()]
    except ValueError:
        raise obs.fail(f"combination_indices {indices!r} is not a list of ids") from None
    return [Variant(
        envelope=obs.envelope(str(row.integer("id")), sku),
        sku=sku,
        product_origin_id=str(row.integer("product_tmpl_id")),
        price_impact=None,  # Odoo prices variants through attribute extra prices, not per row
        weight_impact=None,
        ean13=row.clean_text("barcode"),
        attribute_values=values,
        is_default=False,
    )]


def stock_quant(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    lot = row.opt_integer("lot_id")
    return [StockQuant(
        envelope=obs.envelope(str(row.integer("id")), None),
        product_origin_id=str(row.integer("product_id")),
        location_origin_id=str(row.integer("location_id")),
        lot_origin_id=str(lot) if lot is not None else None,
        quantity=row.decimal("quantity"),
        reserved=row.decimal("reserved_quantity"),
    )]
