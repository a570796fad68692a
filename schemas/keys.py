"""Canonical key conventions, shared by the stream mappers (reading) and the sinks (writing).

Identity travels in the data so either side's row yields the key without a lookup:

* products / variants / stock: the SKU (PrestaShop ``product.reference`` /
  ``product_attribute.reference`` = Odoo ``default_code``), blanks trimmed;
* customers: ``PS-<id_customer>``, written into the ERP partner's ``ref``;
* addresses: ``PS-A-<id_address>``, written into the ERP child partner's ``ref``;
* customer groups: ``PS-G-<id_group>``;
* payments: ``PS-P-<id_order_payment>``, written into the ERP payment's memo;
* orders: the shop order reference (``orders.reference``), written into the ERP sale order's
  ``client_order_ref``.
"""

from __future__ import annotations

import re

_CUSTOMER_REF = re.compile(r"^PS-(\d+)$")
_ADDRESS_REF = re.compile(r"^PS-A-(\d+)$")
_PAYMENT_REF = re.compile(r"^PS-P-(\d+)$")


def sku(text: str | None) -> str | None:
    """The SKU a reference / default_code stands for; empty means "no SKU"."""
    if text is None:
        return None
    return text.strip() or None


def customer_ref(shop_customer_id: int) -> str:
    """The ERP partner ``ref`` (and canonical key) of a shop customer."""
    if shop_customer_id <= 0:
        raise ValueError(f"not a shop customer id: {shop_customer_id}")
    return f"PS-{shop_customer_id}"


def shop_customer_id(ref: str | None) -> int | None:
    """Inverse of :func:`customer_ref`; None for any partner ref that is not one of ours."""
    match = _CUSTOMER_REF.match((ref or "").strip())
    return int(match.group(1)) if match else None


def address_ref(shop_address_id: int) -> str:
    if shop_address_id <= 0:
        raise ValueError(f"not a shop address id: {shop_address_id}")
    return f"PS-A-{shop_address_id}"


def shop_address_id(ref: str | None) -> int | None:
    match = _ADDRESS_REF.match((ref or "").strip())
    return int(match.group(1)) if match else None


def payment_ref(shop_payment_id: int) -> str:
    """The reference (and canonical key) of a shop payment (``order_payment`` row)."""
    if shop_payment_id <= 0:
        raise ValueError(f"not a shop payment id: {shop_payment_id}")
    return f"PS-P-{shop_payment_id}"


def shop_payment_id(ref: str | None) -> int | None:
    """Inverse of :func:`payment_ref`; None for any reference that is not one of ours."""
    match = _PAYMENT_REF.match((ref or "").strip())
    return int(match.group(1)) if match else None


def template_sku(template_id: int) -> str:
    """The shop reference of an ERP template with variants: Odoo keeps a ``default_code`` per variant
    only (the template's is null as soon as it has two), while the shop product needs one of its own."""
    return f"ODOO-T{template_id}"


def price_rule_key(pricelist_item_id: int) -> str:
    """The canonical key of an ERP price rule (its pricelist item)."""
    return f"ODOO-PR-{pricelist_item_id}"


def group_key(shop_group_id: int) -> str:
    return f"PS-G-{shop_group_id}"


def order_key(reference: str | None) -> str | None:
    """The canonical order key: the shop order reference (Odoo ``client_order_ref``)."""
    if reference is None:
        return None
    return reference.strip() or None
