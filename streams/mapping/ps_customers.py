"""PrestaShop customer-side rows -> canonical Customer, Address, CustomerGroup, Translation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemas import keys
from schemas.observations import GroupMembership, Translation
from schemas.records import Address, Canonical, Customer, CustomerGroup
from streams.mapping.common import Observed

if TYPE_CHECKING:
    from streams.mapping.prestashop import PrestaShopContext


def customer(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    customer_id = row.integer("id_customer")
    first, last = row.clean_text("firstname"), row.clean_text("lastname")
    email = row.clean_text("email")
    display = " ".join(p for p in (first, last) if p) or email or f"customer {customer_id}"
    key = keys.customer_ref(customer_id)
    return [
        Customer(
            envelope=obs.envelope(str(customer_id), key, soft_deleted=row.flag("deleted")),
            shop_customer_id=customer_id,
            email=email,
            first_name=first,
            last_name=last,
            display_name=display,
            company=row.clean_text("company"),
            birthday=row.calendar_date("birthday"),
            newsletter=row.flag("newsletter"),
            active=row.flag("active"),
            is_guest=row.flag("is_guest"),
            default_group_key=keys.group_key(row.integer("id_default_group")),
            lang=ctx.locale(row.opt_integer("id_lang")),
        )
    ]


def address(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    customer_id = row.integer("id_customer")
    if customer_id == 0:
        return []  # a manufacturer / supplier / warehouse address, not a customer's
    address_id = row.integer("id_address")
    return [
        Address(
            envelope=obs.envelope(str(address_id), keys.address_ref(address_id), soft_deleted=row.flag("deleted")),
            customer_key=keys.customer_ref(customer_id),
            kind="address",
            alias=row.clean_text("alias"),
            company=row.clean_text("company"),
            first_name=row.clean_text("firstname"),
            last_name=row.clean_text("lastname"),
            street=row.clean_text("address1"),
            street2=row.clean_text("address2"),
            postcode=row.clean_text("postcode"),
            city=row.clean_text("city"),
            origin_country_id=row.opt_integer("id_country"),
            origin_state_id=row.opt_integer("id_state") or None,
            phone=row.clean_text("phone"),
            mobile=row.clean_text("phone_mobile"),
            vat_number=row.clean_text("vat_number"),
        )
    ]


def group(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    group_id = row.integer("id_group")
    return [
        CustomerGroup(
            envelope=obs.envelope(str(group_id), keys.group_key(group_id)),
            shop_group_id=group_id,
            names={},  # names live in group_lang rows (Translation observations)
            reduction_percent=row.decimal("reduction"),
            show_prices=row.flag("show_prices"),
        )
    ]


def group_lang(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    group_id, lang_id = row.integer("id_group"), row.integer("id_lang")
    return [
        Translation(
            envelope=obs.envelope(f"{group_id}:{lang_id}", keys.group_key(group_id)),
            entity="customer_group",
            entity_origin_id=str(group_id),
            locale=ctx.locale(lang_id) or f"id_lang:{lang_id}",
            shop_id=None,
            fields={"name": row.text("name")},
        )
    ]


def customer_group(obs: Observed, ctx: PrestaShopContext) -> list[Canonical]:
    row = obs.row
    customer_id, group_id = row.integer("id_customer"), row.integer("id_group")
    return [
        GroupMembership(
            envelope=obs.envelope(f"{customer_id}:{group_id}", keys.customer_ref(customer_id)),
            customer_key=keys.customer_ref(customer_id),
            group_key=keys.group_key(group_id),
        )
    ]
