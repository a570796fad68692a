"""Issue #19 item 6 on the real pair (hand-run): the shop's demo data typed into Odoo by the merchant's
staff, then `prestasync onboard` and the first sync must create no duplicate and overwrite nothing.

``enter`` does what the staff does by hand, through Odoo's external API as its admin (not the
integration user): the merchant's configuration (a 23 % and a 20 % sale tax, the shipping and voucher
service products ``SHIP-WEB`` / ``DISC-WEB`` the sink uses), the shop's registered customer John DOE
(no ref: staff do not know prestasync's keys), one customer of the ERP's own (counter sales), every
shop product as an Odoo product with the shop's reference as internal reference, name and price, and
three of the shop's five orders (one with the shop reference as customer reference, two with it as
source document; the first one cancelled as in the shop). ``census`` prints what each system holds,
per natural key, with the values a merchant compares (names, prices, totals, states)::

    .venv/bin/python -m tests.real.onboard_pair enter --ps-json /work/real3/ps/prestashop.json \
        --odoo-json /work/real3/odoo/odoo.json
    .venv/bin/python -m tests.real.onboard_pair census --ps-json ... --odoo-json ... > before.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pymysql

from tests.real.scenario_serve import Odoo

ENTERED = {1: "client_order_ref", 2: "origin", 5: "origin"}  # shop order id -> where staff typed its reference
SHIPPING_RATE = 20.0  # the demo carrier's tax in the shop (7.00 -> 8.40)


def shop_sql(info: dict[str, Any], sql: str) -> list[dict[str, Any]]:
    """The shop's data as its back office shows it (root over the shop server's socket, read only)."""
    conn = pymysql.connect(
        unix_socket=info["db"]["socket"],
        user="root",
        database=info["db"]["database"],
        cursorclass=pymysql.cursors.DictCursor,
    )
    try:
        with conn.cursor() as cur:
            cur.execute("SET SESSION TRANSACTION READ ONLY")
            cur.execute(sql)
            return list(cur.fetchall())
    finally:
        conn.close()


def no_tax() -> list[Any]:
    return [[6, 0, []]]


def enter(ps: dict[str, Any], odoo: Odoo) -> dict[str, Any]:
    tax = {
        rate: odoo.ensure(
            "account.tax",
            [
                ["type_tax_use", "=", "sale"],
                ["amount_type", "=", "percent"],
                ["amount", "=", rate],
                ["price_include", "=", False],
            ],
            {"name": f"{rate:g}% (IE)", "amount": rate, "amount_type": "percent", "type_tax_use": "sale"},
        )
        for rate in (23.0, SHIPPING_RATE)
    }
    ship = odoo.ensure(
        "product.product",
        [["default_code", "=", "SHIP-WEB"]],
        {
            "name": "Shipping (web shop)",
            "default_code": "SHIP-WEB",
            "type": "service",
            "taxes_id": [[6, 0, [tax[SHIPPING_RATE]]]],
        },
    )
    odoo.ensure(
        "product.product",
        [["default_code", "=", "DISC-WEB"]],
        {"name": "Voucher (web shop)", "default_code": "DISC-WEB", "type": "service", "taxes_id": no_tax()},
    )
    john = odoo.ensure(
        "res.partner",
        [["email", "=", "pub@prestashop.com"]],
        {"name": "John DOE", "email": "pub@prestashop.com", "customer_rank": 1},
    )
    odoo.ensure(
        "res.partner",
        [["email", "=", "counter@example.com"]],
        {"name": "Counter sales", "email": "counter@example.com", "customer_rank": 1},
    )
    products = {}
    for p in shop_sql(
        ps,
        "SELECT p.id_product, p.reference, p.price, l.name FROM ps_product p JOIN ps_product_lang l"
        " ON l.id_product = p.id_product AND l.id_lang = 1 AND l.id_shop = 1 ORDER BY p.id_product",
    ):
        products[p["reference"]] = odoo.ensure(
            "product.product",
            [["default_code", "=", p["reference"]]],
            {
                "name": p["name"],
                "default_code": p["reference"],
                "type": "consu",
                "list_price": float(p["price"]),
                "taxes_id": no_tax(),
            },
        )
    orders = {}
    heads = {
        o["id_order"]: o
        for o in shop_sql(ps, "SELECT id_order, reference, total_shipping_tax_excl, current_state FROM ps_orders")
    }
    lines = shop_sql(
        ps,
        "SELECT id_order, product_reference, product_quantity, unit_price_tax_excl FROM ps_order_detail"
        " ORDER BY id_order_detail",
    )
    for id_order, field in ENTERED.items():
        head = heads[id_order]
        found = odoo.kw("sale.order", "search", [[[field, "=", head["reference"]]]])
        if found:
            orders[head["reference"]] = found[0]
            continue
        order_lines = [
            [
                0,
                0,
                {
                    "product_id": products[x["product_reference"]],
                    "product_uom_qty": float(x["product_quantity"]),
                    "price_unit": float(x["unit_price_tax_excl"]),
                    "tax_id": no_tax(),
                },
            ]
            for x in lines
            if x["id_order"] == id_order
        ]
        if float(head["total_shipping_tax_excl"]):
            order_lines.append(
                [
                    0,
                    0,
                    {
                        "product_id": ship,
                        "product_uom_qty": 1.0,
                        "price_unit": float(head["total_shipping_tax_excl"]),
                        "tax_id": [[6, 0, [tax[SHIPPING_RATE]]]],
                    },
                ]
            )
        order_id = odoo.kw(
            "sale.order", "create", [{"partner_id": john, field: head["reference"], "order_line": order_lines}]
        )
        if head["current_state"] == 6:
            odoo.kw("sale.order", "action_cancel", [[order_id]])
        orders[head["reference"]] = order_id
    return {"taxes": tax, "partner": john, "products": len(products), "orders": orders}


def census(ps: dict[str, Any], odoo: Odoo) -> dict[str, Any]:
    """Both systems' records by natural key, with what a merchant compares; duplicates counted."""
    partners = odoo.kw(
        "res.partner",
        "search_read",
        [[["parent_id", "=", False], ["partner_share", "=", True]]],
        {"fields": ["name", "email", "ref", "active"], "context": {"active_test": False}},
    )
    variants = odoo.kw(
        "product.product",
        "search_read",
        [[]],
        {"fields": ["name", "default_code", "barcode", "list_price"], "context": {"active_test": False}},
    )
    sales = odoo.kw(
        "sale.order",
        "search_read",
        [[]],
        {"fields": ["name", "client_order_ref", "origin", "amount_untaxed", "amount_total", "state", "partner_id"]},
    )
    shop_products = shop_sql(
        ps,
        "SELECT p.id_product, p.reference, p.price, p.ean13, p.active, l.name, p.date_upd FROM ps_product p"
        " JOIN ps_product_lang l ON l.id_product = p.id_product AND l.id_lang = 1 AND l.id_shop = 1",
    )
    customers = shop_sql(ps, "SELECT id_customer, email, firstname, lastname, date_upd FROM ps_customer")
    shop_orders = shop_sql(
        ps, "SELECT id_order, reference, current_state, total_paid_tax_incl, total_paid_tax_excl FROM ps_orders"
    )
    refs = Counter(s["client_order_ref"] or s["origin"] for s in sales if s["client_order_ref"] or s["origin"])
    return {
        "erp": {
            "partners": sorted(partners, key=lambda r: r["id"]),
            "variants": sorted(variants, key=lambda r: r["id"]),
            "sale_orders": sorted(sales, key=lambda r: r["id"]),
        },
        "shop": {"products": shop_products, "customers": customers, "orders": shop_orders},
        "duplicates": {
            "erp_partners_by_email": {
                k: n for k, n in Counter(p["email"] for p in partners if p["email"]).items() if n > 1
            },
            "erp_variants_by_code": {
                k: n for k, n in Counter(v["default_code"] for v in variants if v["default_code"]).items() if n > 1
            },
            "erp_orders_by_shop_ref": {k: n for k, n in refs.items() if n > 1},
            "shop_products_by_reference": {
                k: n for k, n in Counter(p["reference"] for p in shop_products).items() if n > 1
            },
            "shop_customers_by_email": {k: n for k, n in Counter(c["email"] for c in customers).items() if n > 1},
        },
    }


def fingerprint(ps: dict[str, Any], odoo_info: dict[str, Any]) -> dict[str, Any]:
    """Every table's checksum of both databases, users / roles with password hashes and grants
    (``tests.support.db_fingerprint``, as the attach run of ``test_real_pair`` takes them)."""
    from tests.integration.prestasync.attach.test_real_pair import fingerprints

    return fingerprints({"ps": ps, "odoo": odoo_info})


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """Per database, the tables and the users whose fingerprint differs."""
    from tests.support.db_fingerprint import differences

    return {db: differences(before[db], after[db]) for db in before}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["enter", "census", "fingerprint", "changed"])
    parser.add_argument("files", nargs="*", type=Path, help="changed: two fingerprint files")
    parser.add_argument("--ps-json", type=Path, required=True)
    parser.add_argument("--odoo-json", type=Path, required=True)
    args = parser.parse_args(argv)
    ps, odoo_info = json.loads(args.ps_json.read_text()), json.loads(args.odoo_json.read_text())
    if args.what == "fingerprint":
        result = fingerprint(ps, odoo_info)
    elif args.what == "changed":
        result = changed(*(json.loads(f.read_text()) for f in args.files))
    else:
        odoo = Odoo(odoo_info)
        result = enter(ps, odoo) if args.what == "enter" else census(ps, odoo)
    json.dump(result, sys.stdout, indent=2, sort_keys=True, default=str)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
