"""Issue #13: the tax probe behind docs/REAL_ORDERS.md (run by hand: python tests/real/probe_taxes.py /work/real/odoo/odoo.json).

Creates sale taxes (23 %/20 % excluded and included, 0 %) if missing, a product and a partner, then one
draft sale.order per case, prints Odoo's totals and unlinks the last one. Plain JSON-RPC, no prestasync code.
"""

# ruff: noqa
import json, sys
import requests

cfg = json.load(open(sys.argv[1]))
DB, UID, KEY = cfg["database"], cfg["integration"]["uid"], cfg["integration"]["api_key"]
URL = cfg["url"] + "/jsonrpc"
LOG = []


def x(model, method, args, kw=None):
    p = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": "object", "method": "execute_kw", "args": [DB, UID, KEY, model, method, args, kw or {}]},
        "id": 1,
    }
    r = requests.post(URL, json=p, timeout=60).json()
    LOG.append(
        {
            "call": [model, method, args, kw],
            "answer": r.get("result", r.get("error", {}).get("data", {}).get("message")),
        }
    )
    if "error" in r:
        raise RuntimeError(r["error"]["data"]["name"] + ": " + r["error"]["data"]["message"])
    return r["result"]


import json


def tax(name, amount, override):
    found = x("account.tax", "search", [[["name", "=", name], ["type_tax_use", "=", "sale"]]])
    if found:
        return found[0]
    return x(
        "account.tax",
        "create",
        [
            [
                {
                    "name": name,
                    "amount": amount,
                    "amount_type": "percent",
                    "type_tax_use": "sale",
                    "price_include_override": override,
                }
            ]
        ],
    )[0]


t23e = tax("PS 23% (excl)", 23, "tax_excluded")
t23i = tax("PS 23% (incl)", 23, "tax_included")
t0 = tax("PS 0%", 0, "tax_excluded")
t20e = tax("PS 20% (excl)", 20, "tax_excluded")
t20i = tax("PS 20% (incl)", 20, "tax_included")
print("taxes", t23e, t23i, t0, t20e, t20i)
print(
    x(
        "account.tax",
        "search_read",
        [[["type_tax_use", "=", "sale"], ["amount_type", "=", "percent"]]],
        {"fields": ["name", "amount", "price_include", "price_include_override"]},
    )
)
print("search price_include=True", x("account.tax", "search", [[["price_include", "=", True]]]))
print(
    x(
        "sale.order.line",
        "fields_get",
        [["price_unit", "tax_id", "discount"]],
        {"attributes": ["type", "digits", "relation"]},
    )
)
pid = x("product.product", "search", [[["default_code", "=", "ORD13-P1"]]])
pid = (
    pid[0]
    if pid
    else x(
        "product.product",
        "create",
        [[{"name": "issue13 product", "default_code": "ORD13-P1", "type": "consu", "list_price": 10}]],
    )[0]
)
partner = x("res.partner", "search", [[["ref", "=", "ORD13-C1"]]])
partner = partner[0] if partner else x("res.partner", "create", [[{"name": "issue13 tester", "ref": "ORD13-C1"}]])[0]
cases = [
    ("excl 10.00 x1 @23%", t23e, 10, 1),
    ("incl 10.00 x1 @23%", t23i, 10, 1),
    ("excl 24.390244 x3 @23%", t23e, 24.390244, 3),
    ("incl 30.00 x3 @23%", t23i, 30, 3),
    ("0% 10 x1", t0, 10, 1),
    ("excl 12.34 x3 @20%", t20e, 12.34, 3),
    ("incl 14.808 x3 @20%", t20i, 14.808, 3),
    ("incl 9.99 x7 @20%", t20i, 9.99, 7),
    ("excl -3.70 x1 @20%", t20e, -3.70, 1),
]
out = []
for label, t, price, qty in cases:
    oid = x(
        "sale.order",
        "create",
        [
            [
                {
                    "partner_id": partner,
                    "client_order_ref": "ORD13-" + label,
                    "order_line": [
                        (
                            0,
                            0,
                            {"product_id": pid, "product_uom_qty": qty, "price_unit": price, "tax_id": [(6, 0, [t])]},
                        )
                    ],
                }
            ]
        ],
    )[0]
    o = x("sale.order", "read", [[oid]], {"fields": ["amount_total", "amount_untaxed", "amount_tax"]})[0]
    l = x(
        "sale.order.line",
        "search_read",
        [[["order_id", "=", oid]]],
        {"fields": ["price_unit", "price_subtotal", "price_total", "price_tax", "tax_id"]},
    )[0]
    out.append((label, o, l))
    print(label, o, l)
# unlink of draft
x("sale.order", "unlink", [[oid]])
print("unlinked draft", oid, x("sale.order", "search", [[["id", "=", oid]]]))
