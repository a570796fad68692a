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

from schemas.records import PriceRule, StockLevel

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


def link_rewrite(name: str) -> str:
    """A URL slug as PrestaShop builds one (lower case ASCII words joined by dashes)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "product"


def sellable_quantity(level: StockLevel) -> int:
    """PrestaShop stock is whole units: round fractional ERP stock down, never below 0."""
    return max(0, int(level.available.to_integral_value(rounding=ROUND_FLOOR)))


def _wall_clock(moment: datetime | None, shop_timezone: tzinfo) -> str:
    if moment is None:
        return ZERO_DATE
    return moment.astimezone(shop_timezone).strftime("%Y-%m-%d %H:%M:%S")


def specific_price_payload(
    rule: PriceRule,
    *,
    product_id: int,
    group_id: int,
    shop_id: int,
    combination_id: int = 0,
    specific_price_id: int | None = None,
    shop_timezone: tzinfo = UTC,
) -> bytes:
    """A specific_prices row: a group price (group_id) or a promo for everyone (group_id 0)."""
    percentage = rule.reduction_percent != 0
    fields: dict[str, FieldValue] = {}
    if specific_price_id is not None:
        fields["id"] = specific_price_id
    fields.update(
        {
            "id_shop": shop_id,
            "id_cart": 0,
            "id_product": product_id,
            "id_product_attribute": combination_id,
            "id_currency": 0,
            "id_country": 0,
            "id_group": group_id,
            "id_customer": 0,
            "price": rule.price if rule.price is not None else Decimal(-1),
            "from_quantity": int(rule.from_quantity),
            # a percentage reduction is stored as a fraction (20 % -> 0.2)
            "reduction": rule.reduction_percent / 100 if percentage else rule.reduction_amount,
            "reduction_tax": rule.reduction_tax_included,
            "reduction_type": "percentage" if percentage else "amount",
            "from": _wall_clock(rule.valid_from, shop_timezone),
            "to": _wall_clock(rule.valid_to, shop_timezone),
        }
    )
    return xml_payload("specific_price", fields)
