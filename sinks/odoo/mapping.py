"""Canonical records -> Odoo ``values`` dicts for ``create`` / ``write`` (pure functions).

Ids on the Odoo side (partner, product, location...) are resolved by the sink and passed in.
Amounts stay Decimal: the RPC client writes them as JSON numbers. Translated fields (product
name) are written in the language of the call's ``context['lang']``; :func:`product_template_values`
returns the text for the locale asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from schemas import keys
from schemas.order import Order
from schemas.records import Address, Customer, PaymentCapture, PriceRule, Product, Shipment, StockLevel, Variant

Values = dict[str, Any]
Command = tuple[int, int, Values]

# canonical Address.kind -> res.partner.type
_PARTNER_TYPES = {"address": "delivery", "delivery": "delivery", "invoice": "invoice", "other": "other",
                  "contact": "contact"}


def partner_values(customer: Customer) -> Values:
    """A customer partner; ``ref`` carries the shop key so the ERP row yields it back."""
    values: Values = {"name": customer.display_name, "email": customer.email, "is_company": False,
                      "type": "contact", "active": customer.active, "customer_rank": 1}
    if customer.shop_customer_id is not None:
        values["ref"] = keys.customer_ref(customer.shop_customer_id)
    if customer.lang:
        values["lang"] = customer.lang
    return values


def address_values(address: Address, *, parent_partner_id: int, country_id: int | None) -> Values:
    name = " ".join(p for p in (address.first_name, address.last_name) if p) or address.alias
    values: Values = {
        "parent_id": parent_partner_id, "type": _PARTNER_TYPES.get(address.kind, "other"),
        "name": name, "street": address.street, "street2": address.street2, "zip": address.postcode,
        "city": address.city, "country_id": country_id, "phone": address.phone, "vat": address.vat_number,
    }
    if country_id is None:
        del values["country_id"]  # an unmapped country must not erase one set in the ERP
    if address.envelope.origin_system == "prestashop":
        values["ref"] = keys.address_ref(int(address.envelope.origin_id))
    return values


def sale_order_values(order: Order, *, partner_id: int, partner_invoice_id: int, partner_shipping_id: int,
                      lines: list[Command]) -> Values:
    """A sale.order with its lines as ``(0, 0, values)`` commands (``sinks.odoo.order_lines`` prices
    them), keyed by client_order_ref. ``date_order`` is UTC, as Odoo stores it."""
    return {"partner_id": partner_id, "partner_invoice_id": partner_invoice_id,
            "partner_shipping_id": partner_shipping_id, "client_order_ref": order.order_ref,
            "date_order": _odoo_datetime(order.placed_at) if order.placed_at else None,
            "order_line": lines}


def product_template_values(product: Product, *, locale: str, storable_flag: str = "is_storable") -> Values:
    """A product.template (18.0: type 'consu' + is_storable; 17.0: pass storable_flag='detailed_type')."""
    values: Values = {"default_code": product.sku, "list_price": product.list_price,
                      "active": product.active, "sale_ok": True, "type": "consu"}
    if storable_flag == "is_storable":
        values["is_storable"] = True
    else:
        values["detailed_type"] = "product"
    if locale in product.names:
        values["name"] = product.names[locale]
    if product.weight is not None:
        values["weight"] = product.weight
    return values


def product_variant_values(variant: Variant) -> Values:
    return {"default_code": variant.sku, "barcode": variant.ean13}


def inventory_quant_values(level: StockLevel, *, product_id: int, location_id: int) -> Values:
    """A stock.quant create in inventory mode (then ``action_apply_inventory``)."""
    return {"product_id": product_id, "location_id": location_id, "inventory_quantity": level.on_hand}


def picking_tracking_values(shipment: Shipment) -> Values:
    return {"carrier_tracking_ref": shipment.tracking_number}


def _odoo_datetime(moment: datetime | None) -> str | bool:
    """An Odoo Datetime value over RPC: UTC ``YYYY-MM-DD HH:MM:SS``, False for "none"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment is not None else False


def pricelist_item_values(rule: PriceRule, *, pricelist_id: int, product_tmpl_id: int,
                          product_id: int | None = None) -> Values:
    """A product.pricelist.item of the pricelist mapped to the rule's customer group.

    A fixed price becomes ``compute_price='fixed'``, a percentage reduction of the base price
    ``'percentage'``, an amount off ``'formula'`` with a negative surcharge on the sales price.
    A fixed price that is reduced again has no pricelist equivalent (ValueError, dead-lettered).
    """
    values: Values = {
        "pricelist_id": pricelist_id, "product_tmpl_id": product_tmpl_id,
        "applied_on": "0_product_variant" if product_id is not None else "1_product",
        "min_quantity": rule.from_quantity, "date_start": _odoo_datetime(rule.valid_from),
        "date_end": _odoo_datetime(rule.valid_to),
    }
    if product_id is not None:
        values["product_id"] = product_id
    reduced = rule.reduction_percent != 0 or rule.reduction_amount != 0
    if rule.price is not None:
        if reduced:
            raise ValueError(f"price rule {rule.envelope.origin_id}: a fixed price with a reduction")
        values.update(compute_price="fixed", fixed_price=rule.price)
    elif rule.reduction_percent != 0:
        values.update(compute_price="percentage", percent_price=rule.reduction_percent)
    else:
        values.update(compute_price="formula", base="list_price", price_discount=Decimal(0),
                      price_surcharge=-rule.reduction_amount)
    return values


def payment_values(capture: PaymentCapture, *, partner_id: int, journal_id: int, currency_id: int,
                   memo_field: str = "memo") -> Values:
    """An inbound customer account.payment for a captured shop payment (then ``action_post``).

    The memo carries the payment reference (``PS-P-<id>``) so the ERP row names the shop payment;
    it is ``memo`` from 18.0 on, ``ref`` in 17.0 (pass memo_field='ref').
    """
    if capture.state != "captured":
        raise ValueError(f"payment {capture.reference} is {capture.state!r}, not captured")
    values: Values = {"payment_type": "inbound", "partner_type": "customer", "partner_id": partner_id,
                      "journal_id": journal_id, "currency_id": currency_id, "amount": capture.amount,
                      memo_field: capture.reference}
    if capture.captured_at is not None:
        values["date"] = capture.captured_at.astimezone(UTC).date().isoformat()
    if capture.provider_reference:
        values["payment_reference"] = capture.provider_reference
    return values


# -- which canonical fields each written Odoo field comes from (for the fields a command asserts) --
# The first canonical name is the one the ack reports the stored value under. Odoo fields absent
# from these tables (ref, parent_id, is_company, customer_rank...) are identity and bookkeeping:
# they are written on creation only.
PARTNER_FIELD_SOURCES: Mapping[str, tuple[str, ...]] = {
    "name": ("display_name", "first_name", "last_name", "company"), "email": ("email",),
    "active": ("active",), "lang": ("lang",),
}
ADDRESS_FIELD_SOURCES: Mapping[str, tuple[str, ...]] = {
    "name": ("first_name", "last_name", "alias"), "type": ("kind",), "street": ("street",),
    "street2": ("street2",), "zip": ("postcode",), "city": ("city",), "country_id": ("origin_country_id",),
    "phone": ("phone",), "vat": ("vat_number",),
}


def update_values(values: Mapping[str, Any], sources: Mapping[str, tuple[str, ...]],
                  asserted: frozenset[str], create_only: frozenset[str]) -> Values:
    """The part of ``values`` an update may write: fields derived from an asserted canonical field
    (``asserted`` empty = all of them) and not only from create-only fields."""
    kept: Values = {}
    for name, value in values.items():
        origin = sources.get(name)
        if origin is None:
            continue
        if asserted and not asserted.intersection(origin):
            continue
        if set(origin) <= create_only:
            continue
        kept[name] = value
    return kept


def _comparable(value: Any) -> Any:
    if value is False or value == "":
        return None  # Odoo reads an unset field as False
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
        return value[0]  # many2one read as [id, display name]
    if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    return value


def changed_values(wanted: Mapping[str, Any], current: Mapping[str, Any]) -> Values:
    """The fields of ``wanted`` whose value differs from the row Odoo returned."""
    return {name: value for name, value in wanted.items()
            if _comparable(value) != _comparable(current.get(name))}


def stored_text(values: Mapping[str, Any], sources: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Synced values as text, under their canonical field name (for the SinkAck)."""
    texts: dict[str, str] = {}
    for name, value in values.items():
        if name in sources:
            plain = _comparable(value)
            texts[sources[name][0]] = "" if plain is None else str(plain)
    return texts


def placeholder_partner_values(customer_key: str, name: str | None) -> Values:
    """A customer partner created ahead of its Customer command (an address or order came first);
    the Customer command later finds it by ``ref`` and fills it in."""
    return {"name": name or customer_key, "ref": customer_key, "is_company": False, "type": "contact",
            "customer_rank": 1}


def target_order_state(code: str | None, current: str, confirm_codes: frozenset[str],
                       cancel_codes: frozenset[str]) -> str | None:
    """The sale.order action a canonical state asks for from ``current``: 'confirm', 'cancel' or None."""
    if code in cancel_codes and current != "cancel":
        return "cancel"
    if code in confirm_codes and current in ("draft", "sent"):
        return "confirm"
    return None
