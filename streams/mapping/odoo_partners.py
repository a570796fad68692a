"""Odoo res_partner rows -> canonical Customer or Address.

A top-level partner of type ``contact`` is a customer; a child partner (``parent_id`` set) or a
``delivery``/``invoice``/``other`` partner is an address. Our keys travel in ``ref``
(``PS-<id_customer>`` / ``PS-A-<id_address>``, see :mod:`schemas.keys`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemas import keys
from schemas.records import Address, Canonical, Customer
from streams.mapping.common import Observed

if TYPE_CHECKING:
    from streams.mapping.odoo import OdooContext


def res_partner(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    partner_id = row.integer("id")
    ref = row.clean_text("ref")
    kind = row.clean_text("type") or "contact"
    if row.opt_integer("parent_id") is None and kind == "contact":
        shop_id = keys.shop_customer_id(ref)
        name = row.clean_text("name") or row.clean_text("email") or f"partner {partner_id}"
        return [
            Customer(
                envelope=obs.envelope(str(partner_id), keys.customer_ref(shop_id) if shop_id else None),
                shop_customer_id=shop_id,
                email=row.clean_text("email"),
                first_name=None,  # Odoo keeps one name field
                last_name=None,
                display_name=name,
                company=name if row.flag("is_company", null_as=False) else row.clean_text("company_name"),
                birthday=None,
                newsletter=False,
                active=row.flag("active", null_as=False),
                is_guest=False,
                default_group_key=None,
                lang=row.clean_text("lang"),
            )
        ]
    address_id = keys.shop_address_id(ref)
    return [
        Address(
            envelope=obs.envelope(str(partner_id), keys.address_ref(address_id) if address_id else None),
            customer_key=None,  # the parent's ref is not in this row; resolved by the streams
            kind=kind,
            alias=None,
            company=row.clean_text("company_name"),
            first_name=None,
            last_name=row.clean_text("name"),
            street=row.clean_text("street"),
            street2=row.clean_text("street2"),
            postcode=row.clean_text("zip"),
            city=row.clean_text("city"),
            origin_country_id=row.opt_integer("country_id"),
            origin_state_id=row.opt_integer("state_id"),
            phone=row.clean_text("phone"),
            mobile=row.clean_text("mobile") if row.has("mobile") else None,  # column dropped in 19.0
            vat_number=row.clean_text("vat"),
        )
    ]
