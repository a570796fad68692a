"""Onboarding's reads: both databases as the capture users (attach mode; sessions READ ONLY), every
table read here is one the connectors capture, so the capture grants are all it needs. Nothing is
read through Odoo's API: its login would write a ``res_users_log`` row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kernel.settings import Settings
from prestasync.onboard.model import Rec, norm_email, norm_text
from prestasync.ops.reconcile_read import _erp, shop_rows
from schemas import keys


def _money(value: Any) -> str:
    return str(Decimal(str(value or 0)).quantize(Decimal("0.01")))


def _number(value: Any) -> str:
    """0.300000 (the shop's DECIMAL(20,6)) and 0.3 (Odoo's numeric) are one weight."""
    return format(Decimal(str(value or 0)).normalize(), "f")


def shop_customers(settings: Settings) -> list[Rec]:
    rows = shop_rows(
        settings, "SELECT id_customer, email, firstname, lastname, is_guest FROM {p}customer WHERE deleted = 0"
    )
    return [
        Rec(
            id=int(r["id_customer"]),
            key=keys.customer_ref(int(r["id_customer"])),
            email=norm_email(r["email"]),
            fields={} if r["is_guest"] else {"name": norm_text(f"{r['firstname']} {r['lastname']}")},
            note="guest" if r["is_guest"] else "",
        )
        for r in rows
    ]


def erp_partners(settings: Settings) -> list[Rec]:
    """Top-level contacts that are not Odoo users (``partner_share``); archived ones too (they still
    own their ref, as the Odoo sink sees them). ``note`` "contact": never a customer (``customer_rank``
    0), a candidate to match but not reported as ERP-only."""
    rows = _erp(
        settings,
        "SELECT id, ref, email, name, customer_rank, active FROM res_partner"
        " WHERE parent_id IS NULL AND COALESCE(type, 'contact') = 'contact' AND partner_share IS NOT FALSE",
    )
    return [
        Rec(
            id=int(r["id"]),
            key=norm_text(r["ref"]),
            email=norm_email(r["email"]),
            fields={"name": norm_text(r["name"])},
            note="" if (r["customer_rank"] or 0) > 0 or keys.shop_customer_id(r["ref"]) else "contact",
        )
        for r in rows
    ]


def _lang(settings: Settings) -> tuple[int, str]:
    """The shop language whose product names are compared, and its Odoo locale."""
    lang_id, locale = sorted(settings.shop.languages.items())[0]
    return int(lang_id), locale


def shop_products(settings: Settings) -> tuple[list[Rec], list[Rec]]:
    """(products, combinations). A product's price is compared only without combinations (theirs
    add an impact the ERP holds per variant)."""
    lang_id, _ = _lang(settings)
    shop_id = settings.shop.shop_id
    products = shop_rows(
        settings,
        "SELECT p.id_product, p.reference, p.ean13, p.price, p.weight, p.active, l.name,"
        " (SELECT COUNT(*) FROM {p}product_attribute a WHERE a.id_product = p.id_product) AS combinations"
        " FROM {p}product p LEFT JOIN {p}product_lang l ON l.id_product = p.id_product"
        f" AND l.id_lang = {lang_id} AND l.id_shop = {shop_id}",
    )
    combinations = shop_rows(
        settings, "SELECT id_product_attribute, id_product, reference, ean13 FROM {p}product_attribute"
    )
    return (
        [
            Rec(
                id=int(r["id_product"]),
                key=keys.sku(r["reference"]),
                ean13=(r["ean13"] or "").strip() or None,
                fields={  # what the ERP's Product command writes (it owns products): compared
                    "name": norm_text(r["name"]),
                    "ean13": (r["ean13"] or "").strip() or None,
                    "weight": _number(r["weight"]),
                    "active": str(bool(r["active"])),
                    **({} if r["combinations"] else {"price": _money(r["price"])}),
                },
            )
            for r in products
        ],
        [
            Rec(
                id=int(r["id_product_attribute"]),
                key=keys.sku(r["reference"]),
                ean13=(r["ean13"] or "").strip() or None,
                fields={"ean13": (r["ean13"] or "").strip() or None},
                note=f"of product {r['id_product']}",
            )
            for r in combinations
        ],
    )


def erp_variants(settings: Settings) -> tuple[list[Rec], list[Rec]]:
    """(every variant, the ones the streams never publish in the shop: services and products not for
    sale, ``streams.unpublished_types`` / ``publish_unsellable``). Archived ones included."""
    _, locale = _lang(settings)
    rows = _erp(
        settings,
        "SELECT v.id, v.default_code, v.barcode, t.name ->> %s AS name, t.name ->> 'en_US' AS name_en,"
        " t.list_price, t.weight, t.active, t.type, t.sale_ok,"
        " (SELECT COUNT(*) FROM product_product x WHERE x.product_tmpl_id = t.id) AS variants"
        " FROM product_product v JOIN product_template t ON t.id = v.product_tmpl_id",
        (locale,),
    )
    cfg = settings.streams
    all_rows, hidden = [], []
    for r in rows:
        rec = Rec(
            id=int(r["id"]),
            key=keys.sku(r["default_code"]),
            ean13=(r["barcode"] or "").strip() or None,
            fields={
                "name": norm_text(r["name"] or r["name_en"]),
                "ean13": (r["barcode"] or "").strip() or None,
                "weight": _number(r["weight"]),
                "active": str(bool(r["active"])),
                **({"price": _money(r["list_price"])} if r["variants"] == 1 else {}),
            },
        )
        all_rows.append(rec)
        if r["type"] in cfg.unpublished_types or not (r["sale_ok"] or cfg.publish_unsellable):
            hidden.append(rec)
    return all_rows, hidden


def shop_orders(settings: Settings) -> list[Rec]:
    states = settings.order_states.shop
    rows = shop_rows(
        settings,
        "SELECT id_order, reference, total_paid_tax_incl, total_paid_tax_excl, current_state FROM {p}orders",
    )
    return [
        Rec(
            id=int(r["id_order"]),
            key=keys.order_key(r["reference"]),
            fields={
                "total_tax_incl": _money(r["total_paid_tax_incl"]),
                "total_tax_excl": _money(r["total_paid_tax_excl"]),
                "cancelled": str(states.get(int(r["current_state"])) == "cancelled"),
            },
        )
        for r in rows
    ]


def erp_orders(settings: Settings) -> list[Rec]:
    rows = _erp(
        settings, "SELECT id, name, client_order_ref, origin, amount_total, amount_untaxed, state FROM sale_order"
    )
    return [
        Rec(
            id=int(r["id"]),
            key=keys.order_key(r["client_order_ref"]),
            refs=tuple(x for x in (norm_text(r["origin"]), norm_text(r["name"])) if x),
            fields={
                "total_tax_incl": _money(r["amount_total"]),
                "total_tax_excl": _money(r["amount_untaxed"]),
                "cancelled": str(r["state"] == "cancel"),
            },
        )
        for r in rows
    ]
