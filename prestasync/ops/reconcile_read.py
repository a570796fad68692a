"""Read each side's current state straight from its database, keyed the way the pipeline keys it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.dbcapture import mariadb_capture, postgres_capture
from kernel.settings import Settings
from schemas import keys

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Row:
    key: str
    origin_id: str  # the source row to re-read when fixing (shop or ERP primary key)
    fields: dict[str, Any]


def shop_rows(settings: Settings, sql: str) -> list[dict[str, Any]]:
    # attach mode: the capture user, read-only (every table read here is one it captures)
    conn = mariadb_capture(settings) if settings.attach else mariadb_admin(settings.mariadb.database, settings=settings)
    try:
        with conn.cursor() as cur:
            cur.execute(sql.replace("{p}", settings.mariadb.table_prefix))
            return list(cur.fetchall())
    finally:
        conn.close()


def _erp(settings: Settings, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    conn = (
        postgres_capture(settings) if settings.attach else postgres_admin(settings.postgres.database, settings=settings)
    )
    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            names = [c.name for c in cur.description or []]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        conn.close()


def _email(value: Any) -> str:
    return str(value or "").strip().lower()


def shop_customers(settings: Settings) -> dict[str, Row]:
    """Every shop customer, guests included (each guest checkout is one); a guest's name is its
    checkout's snapshot, so only the e-mail and the active flag are compared for guests."""
    rows = shop_rows(
        settings, "SELECT id_customer, email, firstname, lastname, is_guest, active FROM {p}customer WHERE deleted = 0"
    )
    out = {}
    for r in rows:
        key = keys.customer_ref(r["id_customer"])
        fields: dict[str, Any] = {"email": _email(r["email"]), "active": bool(r["active"])}
        if not r["is_guest"]:
            fields["name"] = f"{r['firstname']} {r['lastname']}".strip()
        out[key] = Row(key, str(r["id_customer"]), fields)
    return out


def erp_customers(settings: Settings) -> dict[str, Row]:
    """Partners keyed by shop customer: their own, or (an alias: ``sinks.odoo.aliases``) the partner of
    their e-mail; archived ones too (a deactivated shop customer's partner is archived: ``active`` is
    compared, and ``reconcile.customers`` leaves out the archived partners of deleted shop customers)."""
    rows = _erp(
        settings,
        "SELECT p.id, p.ref, p.parent_id IS NOT NULL AS alias, COALESCE(m.email, p.email) AS email,"
        " COALESCE(m.name, p.name) AS name, COALESCE(m.active, p.active) AS active"
        " FROM res_partner p LEFT JOIN res_partner m ON m.id = p.parent_id"
        " WHERE p.ref LIKE 'PS-%%'",
    )
    return {
        r["ref"]: Row(
            r["ref"], str(r["id"]), {"email": _email(r["email"]), "name": r["name"], "active": bool(r["active"])}
        )
        for r in rows
        if keys.shop_customer_id(r["ref"]) is not None
    }


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None and value is not False else None


def shop_addresses(settings: Settings) -> dict[str, Row]:
    """Customers' addresses (guests' included: one per checkout), not deleted: the synced ones."""
    rows = shop_rows(
        settings, "SELECT id_address, postcode, city FROM {p}address WHERE id_customer <> 0 AND deleted = 0"
    )
    return {
        keys.address_ref(r["id_address"]): Row(
            keys.address_ref(r["id_address"]),
            str(r["id_address"]),
            {"active": True, "postcode": _text(r["postcode"]), "city": _text(r["city"])},
        )
        for r in rows
    }


def erp_addresses(settings: Settings) -> dict[str, Row]:
    """Address partners by shop address, archived ones too (a deleted shop address is archived). An
    alias (``sinks.odoo.aliases``: a guest's next checkout with the same address) is archived under the
    address it repeats: it stands for that address."""
    rows = _erp(
        settings,
        "SELECT p.id, p.ref, p.zip, p.city, COALESCE(m.active, p.active) AS active FROM res_partner p"
        " LEFT JOIN res_partner m ON m.id = p.parent_id AND m.ref LIKE 'PS-A-%%'"
        " WHERE p.ref LIKE 'PS-A-%%'",
    )
    return {
        r["ref"]: Row(
            r["ref"], str(r["id"]), {"active": bool(r["active"]), "postcode": _text(r["zip"]), "city": _text(r["city"])}
        )
        for r in rows
    }


def shop_orders(settings: Settings) -> dict[str, Row]:
    """Both totals, whether the order is cancelled, and, when the shop's state is one the ERP confirms
    (``erp.confirm_states``: paid, shipped...), that it is confirmed (the ERP must agree on each; a shop
    order awaiting payment may be a quotation or confirmed in the ERP: no expectation)."""
    rows = shop_rows(
        settings,
        "SELECT id_order, reference, total_paid_tax_excl, total_paid_tax_incl, current_state"
        " FROM {p}orders WHERE current_state <> 0",
    )
    shop_states = settings.order_states.shop
    confirming = set(settings.erp.confirm_states)
    out = {}
    for r in rows:
        key = keys.order_key(r["reference"])
        if key:
            state = shop_states.get(int(r["current_state"]))
            fields: dict[str, Any] = {
                "total_tax_excl": Decimal(r["total_paid_tax_excl"]).quantize(CENT),
                "total_tax_incl": Decimal(r["total_paid_tax_incl"]).quantize(CENT),
                "cancelled": state == "cancelled",
            }
            if state in confirming:
                fields["confirmed"] = True
            out[key] = Row(key, str(r["id_order"]), fields)
    return out


def erp_orders(settings: Settings) -> dict[str, Row]:
    rows = _erp(
        settings,
        "SELECT id, client_order_ref, amount_untaxed, amount_total, state FROM sale_order"
        " WHERE client_order_ref IS NOT NULL",
    )
    return {
        r["client_order_ref"]: Row(
            r["client_order_ref"],
            str(r["id"]),
            {
                "total_tax_excl": Decimal(r["amount_untaxed"] or 0).quantize(CENT),
                "total_tax_incl": Decimal(r["amount_total"] or 0).quantize(CENT),
                "cancelled": r["state"] == "cancel",
                "confirmed": r["state"] in ("sale", "done"),
            },
        )
        for r in rows
    }


def missing_products(settings: Settings, order_ids: list[str]) -> dict[str, list[str]]:
    """Per shop order id, the SKUs of its lines the ERP has no product for (why it is not imported)."""
    ids = [int(i) for i in order_ids if i.isdigit()]
    if not ids:
        return {}
    lines = shop_rows(
        settings,
        "SELECT id_order, product_reference FROM {p}order_detail WHERE id_order IN ("
        + ", ".join(str(i) for i in ids)
        + ")",
    )
    skus = sorted({str(r["product_reference"] or "").strip() for r in lines} - {""})
    known = (
        {
            r["default_code"]
            for r in _erp(settings, "SELECT default_code FROM product_product WHERE default_code = ANY(%s)", (skus,))
        }
        if skus
        else set()
    )
    out: dict[str, list[str]] = {}
    for r in lines:
        sku = str(r["product_reference"] or "").strip() or "(a line without reference)"
        if sku not in known:
            out.setdefault(str(r["id_order"]), []).append(sku)
    return {k: sorted(set(v)) for k, v in out.items()}


def erp_decided_orders(settings: Settings) -> set[str]:
    """Shop references of the ERP orders it confirmed or cancelled: a quotation reserves no stock."""
    rows = _erp(
        settings,
        "SELECT client_order_ref FROM sale_order WHERE client_order_ref IS NOT NULL AND state NOT IN ('draft', 'sent')",
    )
    return {str(r["client_order_ref"]) for r in rows}


def shop_products(settings: Settings) -> dict[str, Row]:
    rows = shop_rows(settings, "SELECT id_product, reference, ean13, price, weight, active FROM {p}product")
    return {
        k: Row(k, str(r["id_product"]), _product_fields(r["ean13"], r["price"], r["weight"], r["active"]))
        for r in rows
        if (k := keys.sku(r["reference"]))
    }


def _product_fields(ean13: str | None, price: Any, weight: Any, active: Any) -> dict[str, Any]:
    # normalised so 19.900000 (shop DECIMAL(20,6)) equals 19.9 (Odoo unscaled numeric)
    return {
        "ean13": ean13 or None,
        "price": Decimal(price or 0).normalize(),
        "weight": Decimal(weight or 0).normalize(),
        "active": bool(active),
    }


def erp_products(settings: Settings) -> dict[str, Row]:
    """Templates by SKU, archived ones too: the ERP owns ``active`` (an archived product is deactivated
    in the shop, compared like any field); ``reconcile.products`` leaves out archived ones the shop lacks."""
    rows = _erp(
        settings,
        "SELECT t.id, t.default_code, p.barcode, t.list_price, t.weight, t.active"
        " FROM product_template t LEFT JOIN product_product p"
        " ON p.product_tmpl_id = t.id AND p.default_code = t.default_code"
        " WHERE t.default_code IS NOT NULL ORDER BY t.active, t.id",
    )
    # an SKU on an archived and an active template (archived, then made again): the active one counts
    return {
        k: Row(k, str(r["id"]), _product_fields(r["barcode"], r["list_price"], r["weight"], r["active"]))
        for r in rows
        if (k := keys.sku(r["default_code"]))
    }


def erp_skus(settings: Settings) -> set[str]:
    """Every SKU the ERP has a product for (archived ones included)."""
    rows = _erp(settings, "SELECT DISTINCT default_code FROM product_product WHERE default_code IS NOT NULL")
    return {k for r in rows if (k := keys.sku(r["default_code"]))}


def shop_stock(settings: Settings) -> dict[str, Row]:
    """Sellable quantity per SKU: the combination row, or the product row of a product without combinations."""
    rows = shop_rows(
        settings,
        "SELECT s.id_stock_available, s.quantity, COALESCE(a.reference, p.reference) AS sku"
        " FROM {p}stock_available s JOIN {p}product p ON p.id_product = s.id_product"
        " LEFT JOIN {p}product_attribute a ON a.id_product_attribute = s.id_product_attribute"
        " WHERE s.id_product_attribute <> 0 OR NOT EXISTS (SELECT 1 FROM {p}product_attribute x"
        " WHERE x.id_product = s.id_product)",
    )
    return {
        k: Row(k, str(r["id_stock_available"]), {"quantity": int(r["quantity"])})
        for r in rows
        if (k := keys.sku(r["sku"]))
    }


def erp_available(settings: Settings, web_locations: list[int]) -> dict[str, tuple[Decimal, list[str]]]:
    """Per SKU: quantity minus reserved over the web locations, and the quant ids it came from."""
    rows = _erp(
        settings,
        "SELECT q.id, p.default_code, q.quantity, q.reserved_quantity FROM stock_quant q"
        " JOIN product_product p ON p.id = q.product_id WHERE q.location_id = ANY(%s)",
        (web_locations,),
    )
    out: dict[str, tuple[Decimal, list[str]]] = {}
    for r in rows:
        if k := keys.sku(r["default_code"]):
            qty, ids = out.get(k, (Decimal(0), []))
            out[k] = (qty + Decimal(r["quantity"] or 0) - Decimal(r["reserved_quantity"] or 0), [*ids, str(r["id"])])
    return out


def shop_in_flight(settings: Settings, erp_order_refs: set[str]) -> dict[str, int]:
    """Units per SKU in shop orders (not cancelled: the states ``order_states.shop`` maps to
    ``cancelled``) the ERP has not decided on yet."""
    cancelled = sorted({0, *(int(s) for s, code in settings.order_states.shop.items() if code == "cancelled")})
    rows = shop_rows(
        settings,
        "SELECT o.reference, d.product_reference, d.product_quantity FROM {p}orders o"
        " JOIN {p}order_detail d ON d.id_order = o.id_order"
        f" WHERE o.current_state NOT IN ({', '.join(map(str, cancelled))})",
    )
    out: dict[str, int] = {}
    for r in rows:
        if r["reference"] not in erp_order_refs and (k := keys.sku(r["product_reference"])):
            out[k] = out.get(k, 0) + int(r["product_quantity"])
    return out
