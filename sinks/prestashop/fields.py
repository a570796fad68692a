"""Which canonical field is which PrestaShop field, and whether the shop already holds a value (pure).

The sink writes only the fields a command asserts (``CommandMeta``), compares them with what the
shop stores before writing (so a replay writes nothing), and acks each synced field as the shop
stored it. Values here are in the form :func:`sinks.prestashop.mapping.xml_payload` sends.
Shop-owned product data (descriptions, categories, images) has no entry: the sink never writes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Final

from schemas.records import Product, Variant
from sinks.prestashop.mapping import FieldValue, link_rewrite

# A field as the Webservice returns it: plain text, or {id_lang: text} for a multilingual field.
Stored = str | dict[int, str]

# canonical field -> products field (the ERP-owned base data of a product)
PRODUCT_FIELDS: Final[Mapping[str, str]] = {
    "sku": "reference",
    "list_price": "price",
    "wholesale_price": "wholesale_price",
    "weight": "weight",
    "active": "active",
    "ean13": "ean13",
    "names": "name",
}
# canonical field -> combinations field
VARIANT_FIELDS: Final[Mapping[str, str]] = {
    "sku": "reference",
    "price_impact": "price",
    "weight_impact": "weight",
    "ean13": "ean13",
}


def product_values(product: Product, *, language_ids: Mapping[str, int]) -> dict[str, FieldValue]:
    """Canonical field -> PrestaShop value, for every product field the record carries."""
    values: dict[str, FieldValue] = {"sku": product.sku, "list_price": product.list_price, "active": product.active}
    # a field the ERP leaves empty never overwrites the shop's (issue #14: linking an existing product
    # erased its EAN13 and set its weight 0.30 -> 0.00)
    if product.ean13 is not None:
        values["ean13"] = product.ean13
    if product.wholesale_price is not None:
        values["wholesale_price"] = product.wholesale_price
    if product.weight is not None:
        values["weight"] = product.weight
    names = {language_ids[locale]: text for locale, text in product.names.items() if locale in language_ids}
    if names:
        values["names"] = names
    return values


def variant_values(variant: Variant) -> dict[str, FieldValue]:
    """The combination fields the record carries; an empty one (None) is not written."""
    values: dict[str, FieldValue] = {"sku": variant.sku}
    for name in ("ean13", "price_impact", "weight_impact"):
        if (value := getattr(variant, name)) is not None:
            values[name] = value
    return values


def to_prestashop(values: Mapping[str, FieldValue], table: Mapping[str, str]) -> dict[str, FieldValue]:
    """Canonical-keyed values -> PrestaShop-keyed values (fields without a table entry are dropped)."""
    return {table[name]: value for name, value in values.items() if name in table}


def product_creation_extras(
    names: Mapping[int, str] | None, *, sku: str | None, language_ids: Mapping[str, int]
) -> dict[str, FieldValue]:
    """What PrestaShop requires to create a product beyond the synced fields: a name and a slug in
    the default language (without names from the ERP the SKU stands in, so the product can exist),
    and the sale settings: PrestaShop stores every field a webservice create leaves out as 0, so
    without them a new product could neither be ordered nor show its price. Sent on creation only:
    afterwards the shop team owns them."""
    if not names:
        fallback = sku or "product"
        names = {language_id: fallback for language_id in sorted(set(language_ids.values()))}
    return {
        "name": dict(names),
        "link_rewrite": {lang: link_rewrite(text) for lang, text in names.items()},
        **PRODUCT_SALE_DEFAULTS,
    }


PRODUCT_SALE_DEFAULTS: dict[str, FieldValue] = {
    "available_for_order": True,
    "show_price": True,
    "minimal_quantity": 1,
    "state": 1,
}


def same_value(stored: Stored | None, wanted: FieldValue) -> bool:
    """Whether the shop already holds ``wanted`` (decimals by value, flags as 0/1, None as empty).

    For a multilingual field only the languages given in ``wanted`` are compared.
    """
    if isinstance(wanted, Mapping):
        if not isinstance(stored, dict):
            return False
        return all(stored.get(lang, "") == text for lang, text in wanted.items())
    if isinstance(stored, dict):
        return False
    text = stored or ""
    if wanted is None:
        return text == ""
    if isinstance(wanted, bool):
        return text.strip() in ("1", "true") if wanted else text.strip() in ("", "0", "false")
    if isinstance(wanted, Decimal | int):
        try:
            return Decimal(text.strip() or "0") == Decimal(wanted)
        except InvalidOperation:
            return False
    return text == wanted


def stored_text(stored: Stored | None) -> str:
    """A stored value as the ack's text (multilingual: ``id=text`` pairs by language id)."""
    if isinstance(stored, dict):
        return "|".join(f"{lang}={text}" for lang, text in sorted(stored.items()))
    return stored or ""


def changed_fields(current: Mapping[str, Stored], wanted: Mapping[str, FieldValue]) -> dict[str, FieldValue]:
    """The PrestaShop-keyed fields of ``wanted`` the shop does not hold yet."""
    return {name: value for name, value in wanted.items() if not same_value(current.get(name), value)}


# products fields a stale check compares with the streams' ``expected`` (names are per language: not)
_DECIMALS: Final = frozenset({"price", "wholesale_price", "weight"})
_CHECKABLE: Final = _DECIMALS | {"active", "ean13", "reference"}


def rendered(name: str, stored: Stored | None) -> str:
    """A stored products field as the streams render it (``streams.fields.render_value``)."""
    text = (stored if isinstance(stored, str) else "").strip()
    if name == "active":
        return "true" if text in ("1", "true") else "false"
    if name in _DECIMALS:
        try:
            plain = format(Decimal(text or "0").normalize(), "f")
        except InvalidOperation:
            return text
        return "0" if plain in ("-0", "") else plain
    return text


def outdated(
    current: Mapping[str, Stored],
    changes: Mapping[str, FieldValue],
    table: Mapping[str, str],
    expected: Mapping[str, str],
) -> dict[str, str] | None:
    """What the shop holds instead, when *every* field the command would change was changed in the shop
    since the command was derived (neither the value it replaces nor the new one); None: write. All or
    nothing, as in ``sinks.odoo.mapping.outdated``: a command with current fields is written whole."""
    canonical = {shop: name for name, shop in table.items()}
    held: dict[str, str] = {}
    for shop_name in changes:
        name = canonical.get(shop_name)
        known = expected.get(name) if name is not None and shop_name in _CHECKABLE else None
        now = rendered(shop_name, current.get(shop_name))
        if known is None or now == rendered(shop_name, known) or now.casefold() == known.strip().casefold():
            return None
        assert name is not None
        held[name] = now
    return held or None
