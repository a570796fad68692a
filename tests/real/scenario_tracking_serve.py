"""Issue #14 item 8 through `prestasync serve` on the real pair (hand-run): the delivery's tracking number
in the real Odoo 18 reaches the real PrestaShop 8.1.2 order's ``order_carrier`` within seconds.

A customer orders 1 unit of ``--sku`` (a product both systems hold, with stock in the ERP) as the
checkout does; once the sale order is confirmed in Odoo, its delivery gets a tracking number (as the
warehouse writes it, through Odoo's API as admin). Prints a JSON report; exit 1 on failure::

    .venv/bin/python -m tests.real.scenario_tracking_serve --ps-json /work/real2/ps/prestashop.json \
        --odoo-json /work/real2/odoo/odoo.json --sku STK039E87
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sinks.prestashop.client import PrestaShopClient
from tests.real.scenario_serve import Odoo, checkout, wait


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ps-json", required=True)
    parser.add_argument("--odoo-json", required=True)
    parser.add_argument("--sku", required=True)
    args = parser.parse_args(argv)
    shop = json.loads(Path(args.ps_json).read_text())
    odoo = Odoo(json.loads(Path(args.odoo_json).read_text()))
    client = PrestaShopClient(shop["api_url"].rstrip("/"), shop["webservice_key"])
    product = client.find("products", {"reference": args.sku})[0]
    order = checkout(shop, client, int(product["id"]), 1)
    reference = order["reference"]

    def confirmed() -> dict[str, Any] | None:
        found = odoo.kw(
            "sale.order", "search_read", [[("client_order_ref", "=", reference)]], {"fields": ["state", "picking_ids"]}
        )
        return found[0] if found and found[0]["state"] == "sale" and found[0]["picking_ids"] else None

    sale = wait(confirmed, f"{reference} confirmed in Odoo with a delivery")
    tracking = f"TRK{uuid.uuid4().hex[:10].upper()}"
    written = time.monotonic()
    odoo.kw("stock.picking", "write", [sale["picking_ids"][:1], {"carrier_tracking_ref": tracking}])

    def in_shop() -> dict[str, Any] | None:
        rows = client.find("order_carriers", {"id_order": order["id"]})
        return rows[0] if rows and rows[0]["tracking_number"] == tracking else None

    carrier = wait(in_shop, "the tracking number in the shop", timeout=90)
    report = {
        "order": reference,
        "erp_order": sale,
        "tracking": tracking,
        "in_shop_after_s": round(time.monotonic() - written, 1),
        "order_carrier": {k: carrier[k] for k in ("id", "id_order", "id_carrier", "tracking_number")},
        "ok": True,
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
