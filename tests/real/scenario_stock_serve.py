"""Issue #14 item 9 through `prestasync serve` on the real pair (hand-run): a shop order causes at most
one stock write.

A product with 20 units on hand at WH/Stock is made in the real Odoo 18 (as its admin); once the real
PrestaShop 8.1.2 shows 20, a customer orders 2 as the checkout does. The shop's quantity is sampled
every 0.1 s from before the checkout until the ERP has confirmed the order and the in-flight hold has
passed, and the PrestaShop sink's applied-command counter is read before and after: the sequence must
be 20 -> 18 with no write in between (before the fix: 20, 18, 20 (our write of the pre-order stock),
18). Prints a JSON report; exit 1 on failure::

    .venv/bin/python -m tests.real.scenario_stock_serve --ps-json /work/real2/ps/prestashop.json \
        --odoo-json /work/real2/odoo/odoo.json --metrics http://127.0.0.1:29300/metrics
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from sinks.prestashop.client import PrestaShopClient
from tests.real.scenario_serve import Odoo, checkout, wait

APPLIED = re.compile(r'prestasync_commands_applied_total\{status="applied",system="prestashop"[^}]*\} ([0-9.]+)')


def shop_writes(metrics_url: str) -> float:
    return sum(float(v) for v in APPLIED.findall(requests.get(metrics_url, timeout=10).text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ps-json", required=True)
    parser.add_argument("--odoo-json", required=True)
    parser.add_argument("--metrics", default="http://127.0.0.1:29300/metrics")
    parser.add_argument("--watch", type=float, default=45.0, help="seconds sampled after the checkout")
    args = parser.parse_args(argv)
    shop = json.loads(Path(args.ps_json).read_text())
    odoo = Odoo(json.loads(Path(args.odoo_json).read_text()))
    client = PrestaShopClient(shop["api_url"].rstrip("/"), shop["webservice_key"])
    sku = f"STK{uuid.uuid4().hex[:6].upper()}"
    template = odoo.kw(
        "product.template",
        "create",
        [{"name": f"Stock {sku}", "list_price": 10, "type": "consu", "is_storable": True, "default_code": sku}],
    )
    variant = odoo.kw("product.product", "search", [[("product_tmpl_id", "=", template)]])[0]
    quant = odoo.kw("stock.quant", "create", [{"product_id": variant, "location_id": 8, "inventory_quantity": 20}])
    odoo.kw("stock.quant", "action_apply_inventory", [[quant]])

    def stock() -> tuple[int, int] | None:
        products = client.find("products", {"reference": sku})
        if not products:
            return None
        rows = client.find("stock_availables", {"id_product": products[0]["id"], "id_product_attribute": 0})
        return (int(products[0]["id"]), int(rows[0]["quantity"])) if rows else None

    product_id, _ = wait(lambda: (s := stock()) and s[1] == 20 and s, "the shop showing the ERP's 20")
    time.sleep(3)  # let the initial sync settle
    before = shop_writes(args.metrics)
    order = checkout(shop, client, product_id, 2)
    seen: list[tuple[float, int]] = []
    started = time.monotonic()
    while time.monotonic() - started < args.watch:
        quantity = stock()
        if quantity is not None and (not seen or seen[-1][1] != quantity[1]):
            seen.append((round(time.monotonic() - started, 2), quantity[1]))
        time.sleep(0.1)
    after = shop_writes(args.metrics)
    # the sink's other writes meanwhile: the ERP's confirmation (order_histories rows after the checkout's)
    history = client.find("order_histories", {"id_order": order["id"]})
    erp = odoo.kw("sale.order", "search_read", [[("client_order_ref", "=", order["reference"])]], {"fields": ["state"]})
    report: dict[str, Any] = {
        "sku": sku,
        "order": order["reference"],
        "erp_orders": erp,
        "shop_quantities": seen,  # (seconds after the checkout, quantity) at each change
        "shop_writes_during": after - before,
        "order_states": [int(h["id_order_state"]) for h in history],
    }
    report["stock_writes"] = after - before - (len(history) - 1)
    report["ok"] = (
        [q for _, q in seen] == [18] and report["stock_writes"] <= 1 and [o["state"] for o in erp] == ["sale"]
    )
    # the merchant cancels the order in the shop (state 6): the shop restocks, the ERP is asked to cancel
    before = shop_writes(args.metrics)
    client.create("order_histories", "order_history", {"id_order": order["id"], "id_order_state": 6})
    seen = []
    started = time.monotonic()
    while time.monotonic() - started < args.watch:
        quantity = stock()
        if quantity is not None and (not seen or seen[-1][1] != quantity[1]):
            seen.append((round(time.monotonic() - started, 2), quantity[1]))
        time.sleep(0.1)
    erp = odoo.kw("sale.order", "search_read", [[("client_order_ref", "=", order["reference"])]], {"fields": ["state"]})
    report["cancel"] = {"shop_quantities": seen, "shop_writes": shop_writes(args.metrics) - before, "erp_orders": erp}
    report["ok"] = report["ok"] and [q for _, q in seen] == [20] and [o["state"] for o in erp] == ["cancel"]
    print(json.dumps(report, indent=1))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
