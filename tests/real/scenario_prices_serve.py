"""Issue #14 item 6 through `prestasync serve` on the real pair (hand-run): a group price and a dated
promo made in the real Odoo 18 become the real PrestaShop 8.1.2 product's specific prices.

Needs serve started with ``erp.pricelist_groups`` mapping ``--group-pricelist`` to the shop group 3
(Customer) and ``--promo-pricelist`` to 0 (everyone). On the template of ``--sku``: a fixed 8.00 in the
group pricelist, 20 % off from today to a week ahead in the promo one. Prints a JSON report::

    .venv/bin/python -m tests.real.scenario_prices_serve --ps-json ... --odoo-json ... --sku STK039E87 \
        --group-pricelist 1 --promo-pricelist 2
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sinks.prestashop.client import PrestaShopClient
from tests.real.scenario_serve import Odoo, wait


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ps-json", required=True)
    parser.add_argument("--odoo-json", required=True)
    parser.add_argument("--sku", required=True)
    parser.add_argument("--group-pricelist", type=int, required=True)
    parser.add_argument("--promo-pricelist", type=int, required=True)
    args = parser.parse_args(argv)
    shop = json.loads(Path(args.ps_json).read_text())
    odoo = Odoo(json.loads(Path(args.odoo_json).read_text()))
    client = PrestaShopClient(shop["api_url"].rstrip("/"), shop["webservice_key"])
    template = odoo.kw("product.template", "search", [[("default_code", "=", args.sku)]])[0]
    start = datetime.now(UTC).replace(microsecond=0, second=0)
    end = start + timedelta(days=7)
    common = {"applied_on": "1_product", "product_tmpl_id": template}
    odoo.kw(
        "product.pricelist.item",
        "create",
        [{**common, "pricelist_id": args.group_pricelist, "compute_price": "fixed", "fixed_price": 8}],
    )
    odoo.kw(
        "product.pricelist.item",
        "create",
        [
            {
                **common,
                "pricelist_id": args.promo_pricelist,
                "compute_price": "percentage",
                "percent_price": 20,
                "date_start": start.strftime("%Y-%m-%d %H:%M:%S"),
                "date_end": end.strftime("%Y-%m-%d %H:%M:%S"),
            }
        ],
    )
    written = time.monotonic()
    product = client.find("products", {"reference": args.sku})[0]

    def both() -> list[dict[str, Any]] | None:
        rows = client.find("specific_prices", {"id_product": product["id"]})
        return rows if len(rows) >= 2 else None

    rows = wait(both, "two specific prices", timeout=90)
    fields = ("id_group", "price", "reduction", "reduction_type", "from", "to", "from_quantity")
    report: dict[str, Any] = {
        "sku": args.sku,
        "after_s": round(time.monotonic() - written, 1),
        "specific_prices": [{k: r[k] for k in fields} for r in rows],
    }
    group = [r for r in rows if r["id_group"] == "3"]
    promo = [r for r in rows if r["id_group"] == "0"]
    report["ok"] = bool(
        group
        and group[0]["price"] == "8.000000"
        and promo
        and promo[0]["reduction"] == "0.200000"
        and promo[0]["to"] != "0000-00-00 00:00:00"
    )
    print(json.dumps(report, indent=1))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
