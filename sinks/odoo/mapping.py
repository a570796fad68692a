"""Canonical records -> Odoo ``values`` dicts for ``create`` / ``write`` (pure functions).

Ids on the Odoo side (partner, product, location...) are resolved by the sink and passed in.
Amounts stay Decimal: the RPC client writes them as JSON numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from schemas import keys
from schemas.order import Order
from schemas.records import Address, Customer, CustomerGroup

Values = dict[str, Any]
Command = tuple[int, int, Values]

# canonical Address.kind -> res.partner.type
_PARTNER_TYPES = {
    "address": "delivery",
    "delivery": "delivery",
    "invoice": "invoice",
    "other": "other",
    "contact": "contact",
}


def partner_values(customer: Customer) -> Values:
    """A customer partner; ``ref`` carries the shop key so the ERP row yields it back."""
    values: Values = {
        "name": customer.display_name,
        "email": customer.email,
        "is_company": False,
        "type": "contact",
        "active": customer.active,
        "customer_rank": 1,
    }
    if customer.shop_customer_id is not None:
        values["ref"] = keys.customer_ref(customer.shop_customer_id)
    if customer.lang:
        values["lang"] = customer.lang
    return values


def address_values(address: Address, *, parent_partner_id: int, country_id: int | None) -> Values:
    name = " ".join(p for p in (address.first_name, address.last_name) if p) or address.alias
    values: Values = {
        "parent_id": parent_partner_id,
        "type": _PARTNER_TYPES.get(address.kind, "other"),
        "name": name,
        "street": address.street,
        "street2": address.street2,
        "zip": address.postcode,
        "city": address.city,
        "country_id": country_id,
        "phone": address.phone,
        "vat": address.vat_number,
    }
    if country_id is None:
        del values["country_id"]  # an unmapped country must not erase one set in the ERP
    if address.envelope.origin_system == "prestashop":
        values["ref"] = keys.address_ref(int(address.envelope.origin_id))
    return values


def sale_order_values(
    order: Order, *, partner_id: int, partner_invoice_id: int, partner_shipping_id: int, lines: list[Command]
) -> Values:
    """A sale.order with its lines as ``(0, 0, values)`` commands (``sinks.odoo.order_lines`` prices
    them), keyed by client_order_ref. ``date_order`` is UTC, as Odoo stores it."""
    return {
        "partner_id": partner_id,
        "partner_invoice_id": partner_invoice_id,
        "partner_shipping_id": partner_shipping_id,
        "client_order_ref": order.order_ref,
        "date_order": _odoo_datetime(order.placed_at) if order.placed_at else None,
        "order_line": lines,
    }


def _odoo_datetime(moment: datetime | None) -> str | bool:
    """An Odoo Datetime value over RPC: UTC ``YYYY-MM-DD HH:MM:SS``, False for "none"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment is not None else False


# -- which canonical fields each written Odoo field comes from (for the fields a command asserts) --
# The first canonical name is the one the ack reports the stored value under. Odoo fields absent
# from these tables (ref, parent_id, is_company, customer_rank...) are identity and bookkeeping:
# they are written on creation only.
PARTNER_FIELD_SOURCES: Mapping[str, tuple[str, ...]] = {
    "name": ("display_name", "first_name", "last_name", "company"),
    "email": ("email",),
    "active": ("active",),
    "lang": ("lang",),
}
ADDRESS_FIELD_SOURCES: Mapping[str, tuple[str, ...]] = {
    "name": ("first_name", "last_name", "alias"),
    "type": ("kind",),
    "street": ("street",),
    "street2": ("street2",),
    "zip": ("postcode",),
    "city": ("city",),
    "country_id": ("origin_country_id",),
    "phone": ("phone",),
    "vat": ("vat_number",),
}


def update_values(
    values: Mapping[str, Any],
    sources: Mapping[str, tuple[str, ...]],
    asserted: frozenset[str],
    create_only: frozenset[str],
) -> Values:
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
    return {name: value for name, value in wanted.items() if _comparable(value) != _comparable(current.get(name))}


def stored_text(values: Mapping[str, Any], sources: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Synced values as text, under their canonical field name (for the SinkAck), rendered as the
    streams render the partner's CDC events (``active`` as true/false, text trimmed)."""
    return {sources[name][0]: _held(name, value) for name, value in values.items() if name in sources}


# partner fields a stale check can compare with the streams' ``expected`` (same text on both sides;
# type and country_id are mapped codes and ids, not the canonical values)
_CHECKABLE = frozenset({"name", "email", "active", "lang", "street", "street2", "zip", "city", "phone", "vat"})


def _held(name: str, value: Any) -> str:
    """A partner field as the streams render it (``streams.fields.render_value``)."""
    if name == "active":
        return "true" if value else "false"
    plain = _comparable(value)
    return "" if plain is None else str(plain).strip()


def outdated(
    row: Mapping[str, Any],
    changes: Mapping[str, Any],
    sources: Mapping[str, tuple[str, ...]],
    expected: Mapping[str, str],
) -> dict[str, str] | None:
    """What the partner holds instead, when *every* field the command would change was changed in Odoo
    since the command was derived (it holds neither the value the command replaces nor the new one);
    None: write. A command some of whose fields are still current is written whole, as before: a
    refusal is all or nothing, and refusing it would lose its current fields."""
    held: dict[str, str] = {}
    for name in changes:
        canonical = sources[name][0] if name in sources else None
        known = expected.get(canonical) if canonical is not None and name in _CHECKABLE else None
        current = _held(name, row.get(name))
        if known is None or current.casefold() == known.strip().casefold():
            return None  # not checkable, or Odoo holds what the command replaces
        assert canonical is not None
        held[canonical] = current
    return held or None


def placeholder_partner_values(customer_key: str, name: str | None) -> Values:
    """A customer partner created ahead of its Customer command (an address or order came first);
    the Customer command later finds it by ``ref`` and fills it in."""
    return {
        "name": name or customer_key,
        "ref": customer_key,
        "is_company": False,
        "type": "contact",
        "customer_rank": 1,
    }


def target_order_state(
    code: str | None, current: str, confirm_codes: frozenset[str], cancel_codes: frozenset[str]
) -> str | None:
    """The sale.order action a canonical state asks for from ``current``: 'confirm', 'cancel' or None."""
    if code in cancel_codes and current != "cancel":
        return "cancel"
    if code in confirm_codes and current in ("draft", "sent"):
        return "confirm"
    return None


def group_tag_name(group: CustomerGroup, lang: str) -> str:
    """The partner tag a shop customer group becomes: its name in the ERP's language, else in any of
    the shop's languages, else its key (``PS-G-<id>``: the group's names were not carried)."""
    name = group.names.get(lang) or next((n for _, n in sorted(group.names.items()) if n), None)
    return (name or "").strip() or (group.envelope.canonical_key or f"PS-G-{group.shop_group_id}")


def group_tag_domain(name: str) -> list[tuple[str, str, Any]]:
    """The tag of that name (searched with ``active_test: False``: a group deleted then made again takes
    its archived tag back)."""
    return [("name", "=", name)]


def group_tag_values(name: str) -> Values:
    return {"name": name, "active": True}
