"""Canonical records -> PrestaShop Webservice XML payloads (pure functions).

The Webservice reads XML only (JSON is output-only): ``<prestashop><resource>...</resource>
</prestashop>``, multilingual fields as ``<name><language id="1">...</language></name>``.
Writes are POST (create, no ``<id>``), PUT (full) or PATCH (8.0+, ``<id>`` + changed fields).
Ids of the target rows are resolved by the sink and passed in; nothing here does IO.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from decimal import ROUND_FLOOR, Decimal
from xml.etree import ElementTree

from schemas.records import PaymentCapture, PriceRule, Product, Shipment, StockLevel, Variant

XLINK_NS = "http://www.w3.org/1999/xlink"
ZERO_DATE = "0000-00-00 00:00:00"  # "unlimited" for specific_prices from/to
FieldValue = str | int | bool | Decimal | Mapping[int, str] | None
# association name -> (item node, item ids), e.g. {"categories": ("category", [2])}
Associations = Mapping[str, tuple[str, Sequence[int]]]


def _text(value: FieldValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.000001")), "f")  # DECIMAL(20,6) columns
    return str(value)


def xml_payload(resource: str, fields: Mapping[str, FieldValue], associations: Associations | None = None) -> bytes:
    """One resource element inside ``<prestashop>``, UTF-8 XML bytes, ready to send; ``associations``
    become ``<associations><categories><category><id>2</id></category>...``."""
    root = ElementTree.Element("prestashop", {"xmlns:xlink": XLINK_NS})
    node = ElementTree.SubElement(root, resource)
    for name, value in fields.items():
        child = ElementTree.SubElement(node, name)
        if isinstance(value, Mapping):
            for lang_id, text in sorted(value.items()):
                ElementTree.SubElement(child, "language", {"id": str(lang_id)}).text = text
        else:
            child.text = _text(value)
    if associations:
        holder = ElementTree.SubElement(node, "associations")
        for name, (item_node, ids) in associations.items():
            group = ElementTree.SubElement(holder, name)
            for item_id in ids:
                ElementTree.SubElement(ElementTree.SubElement(group, item_node), "id").text = str(item_id)
    data: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def _by_language(texts: Mapping[str, str], language_ids: Mapping[str, int]) -> dict[int, str]:
    return {language_ids[locale]: text for locale, text in texts.items() if locale in language_ids}


def link_rewrite(name: str) -> str:
    """A URL slug as PrestaShop builds one (lower case ASCII words joined by dashes)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "product"


def product_payload(product: Product, *, language_ids: Mapping[str, int], product_id: int | None = None,
                    with_names: bool = True) -> bytes:
    """A product create (no product_id) or PATCH (product_id) of the ERP-owned base data.

    with_names=False leaves names out: after creation the shop owns its texts.
    """
    fields: dict[str, FieldValue] = {}
    if product_id is not None:
        fields["id"] = product_id
    fields.update({"reference": product.sku, "price": product.list_price,
                   "active": product.active, "ean13": product.ean13})
    if product.wholesale_price is not None:
        fields["wholesale_price"] = product.wholesale_price
    if product.weight is not None:
        fields["weight"] = product.weight
    if with_names and product.names:
        names = _by_language(product.names, language_ids)
        fields["name"] = names
        if product_id is None:  # required on create
            fields["link_rewrite"] = {lang: link_rewrite(text) for lang, text in names.items()}
    return xml_payload("product", fields)


def combination_payload(variant: Variant, *, product_id: int, combination_id: int | None = None) -> bytes:
    fields: dict[str, FieldValue] = {}
    if combination_id is not None:
        fields["id"] = combination_id
    fields.update({"id_product": product_id, "reference": variant.sku, "ean13": variant.ean13,
                   "price": variant.price_impact or Decimal(0),
                   "weight": variant.weight_impact or Decimal(0)})
    if combination_id is None:
        fields["minimal_quantity"] = 1  # required on create
    return xml_payload("combination", fields)


def sellable_quantity(level: StockLevel) -> int:
    """PrestaShop stock is whole units: round fractional ERP stock down, never below 0."""
    return max(0, int(level.available.to_integral_value(rounding=ROUND_FLOOR)))


def stock_available_payload(level: StockLevel, *, stock_available_id: int, product_id: int,
                            combination_id: int, shop_id: int, shop_group_id: int,
                            depends_on_stock: bool = False, out_of_stock: int = 2) -> bytes:
    """A full PUT of a stock_availables row (POST and DELETE are refused on this resource)."""
    return xml_payload("stock_available", {
        "id": stock_available_id, "id_product": product_id, "id_product_attribute": combination_id,
        "id_shop": shop_id, "id_shop_group": shop_group_id, "quantity": sellable_quantity(level),
        "depends_on_stock": depends_on_stock, "out_of_stock": out_of_stock,
    })


def order_history_payload(*, order_id: int, order_state_id: int) -> bytes:
    """POST order_histories: moves the order to a new state (and runs the shop's side effects)."""
    return xml_payload("order_history", {"id_order": order_id, "id_order_state": order_state_id})


def tracking_payload(shipment: Shipment, *, order_carrier_id: int) -> bytes:
    """PATCH order_carriers/<id> with the tracking number."""
    return xml_payload("order_carrier", {"id": order_carrier_id,
                                         "tracking_number": shipment.tracking_number})


def _wall_clock(moment: datetime | None, shop_timezone: tzinfo) -> str:
    if moment is None:
        return ZERO_DATE
    return moment.astimezone(shop_timezone).strftime("%Y-%m-%d %H:%M:%S")


def specific_price_payload(rule: PriceRule, *, product_id: int, group_id: int, shop_id: int,
                           combination_id: int = 0, specific_price_id: int | None = None,
                           shop_timezone: tzinfo = UTC) -> bytes:
    """A specific_prices row: a group price (group_id) or a promo for everyone (group_id 0)."""
    percentage = rule.reduction_percent != 0
    fields: dict[str, FieldValue] = {}
    if specific_price_id is not None:
        fields["id"] = specific_price_id
    fields.update({
        "id_shop": shop_id, "id_cart": 0, "id_product": product_id,
        "id_product_attribute": combination_id, "id_currency": 0, "id_country": 0,
        "id_group": group_id, "id_customer": 0,
        "price": rule.price if rule.price is not None else Decimal(-1),
        "from_quantity": int(rule.from_quantity),
        # a percentage reduction is stored as a fraction (20 % -> 0.2)
        "reduction": rule.reduction_percent / 100 if percentage else rule.reduction_amount,
        "reduction_tax": rule.reduction_tax_included,
        "reduction_type": "percentage" if percentage else "amount",
        "from": _wall_clock(rule.valid_from, shop_timezone),
        "to": _wall_clock(rule.valid_to, shop_timezone),
    })
    return xml_payload("specific_price", fields)


def order_payment_payload(capture: PaymentCapture, *, order_reference: str, currency_id: int,
                          payment_method: str, shop_timezone: tzinfo = UTC) -> bytes:
    """POST order_payments: money the ERP captured, recorded on the shop order (by its reference).

    Only captures are recorded: PrestaShop has no authorisation state for a payment row.
    """
    if capture.state != "captured":
        raise ValueError(f"payment {capture.reference} is {capture.state!r}, not captured")
    fields: dict[str, FieldValue] = {
        "order_reference": order_reference, "id_currency": currency_id, "amount": capture.amount,
        "payment_method": payment_method, "conversion_rate": Decimal(1),
        "transaction_id": capture.provider_reference or capture.reference,
    }
    if capture.captured_at is not None:
        fields["date_add"] = _wall_clock(capture.captured_at, shop_timezone)
    return xml_payload("order_payment", fields)
