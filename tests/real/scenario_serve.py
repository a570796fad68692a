"""Issue #19 item 4: `prestasync serve` syncing both ways on the real pair, in attach mode (hand-run).

With serve running on the pair (docs/REAL_SYSTEMS.md, "serve on the real pair"), this places a customer's
order in the real PrestaShop 8.1.2 as its checkout does (``checkout_prestashop.php`` + ``POST
/api/orders``: the payment module's validateOrder), waits for the order in the real Odoo 18 (one
sale.order, the shop's totals to the cent), then cancels it in Odoo as an ERP user does and waits for
the shop to show it cancelled (one history row). The ERP records the mapping needs are set up first,
as the merchant's own configuration, through Odoo's API as its admin: a 23 % percent sale tax (the
Irish shop's rate; a fresh Odoo has only 15 %), the product of the ordered SKU, the shipping and voucher
service products the sink expects (``SHIP-WEB``, ``DISC-WEB``). Prints a JSON report; exit 1 on failure::

    .venv/bin/python -m tests.real.scenario_serve --ps-json /work/real2/ps/prestashop.json \
        --odoo-json /work/real2/odoo/odoo.json --sku demo_11 --quantity 2
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import requests

from sinks.prestashop.client import PrestaShopClient

CHECKOUT_PHP = Path(__file__).with_name("checkout_prestashop.php")
DEMO_CUSTOMER, DEMO_ADDRESS, PAID_CARRIER = 2, 5, 2  # John DOE, his address, "My carrier" (7.00)
SHOP_CANCELLED = 6
T = TypeVar("T")


class Odoo:
    def __init__(self, info: dict[str, Any]) -> None:
        self.url, self.password = info["jsonrpc_url"], info["admin"]["password"]
        self.db = info["database"]
        self.uid = self._call("common", "login", self.db, info["admin"]["login"], self.password)

    def _call(self, service: str, method: str, *args: Any) -> Any:
        body = {"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args}}
        answer = requests.post(self.url, json=body, timeout=60).json()
        if "error" in answer:
            raise RuntimeError(json.dumps(answer["error"])[:1500])
        return answer.get("result")

    def kw(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any] | None = None) -> Any:
        return self._call("object", "execute_kw", self.db, self.uid, self.password, model, method, args, kwargs or {})

    def ensure(self, model: str, domain: list[Any], values: dict[str, Any]) -> int:
        found = self.kw(model, "search", [domain])
        return int(found[0]) if found else int(self.kw(model, "create", [values]))


def setup_erp(odoo: Odoo, sku: str, name: str, price: str) -> dict[str, int]:
    return {
        "tax": odoo.ensure(
            "account.tax",
            [
                ["type_tax_use", "=", "sale"],
                ["amount_type", "=", "percent"],
                ["amount", "=", 23.0],
                ["price_include", "=", False],
            ],
            {"name": "23% (IE)", "amount": 23.0, "amount_type": "percent", "type_tax_use": "sale"},
        ),
        "product": odoo.ensure(
            "product.product",
            [["default_code", "=", sku]],
            {"name": name, "default_code": sku, "type": "consu", "list_price": float(price)},
        ),
        "shipping": odoo.ensure(
            "product.product",
            [["default_code", "=", "SHIP-WEB"]],
            {"name": "Shipping (web shop)", "default_code": "SHIP-WEB", "type": "service"},
        ),
        "voucher": odoo.ensure(
            "product.product",
            [["default_code", "=", "DISC-WEB"]],
            {"name": "Voucher (web shop)", "default_code": "DISC-WEB", "type": "service"},
        ),
    }


def cancel_in_erp(odoo: Odoo, order_id: int) -> str:
    """As an ERP user does it: a confirmed order answers with the sale.order.cancel wizard, whose
    "Cancel" button cancels (real Odoo 18; tests/fixtures/real/odoo-18.0/sink/)."""
    answer = odoo.kw("sale.order", "action_cancel", [[order_id]])
    if isinstance(answer, dict) and answer.get("res_model") == "sale.order.cancel":
        wizard = odoo.kw("sale.order.cancel", "create", [{"order_id": order_id}], {"context": answer["context"]})
        odoo.kw("sale.order.cancel", "action_cancel", [[wizard]])
        return "through the sale.order.cancel wizard"
    return f"action_cancel answered {answer!r}"


def checkout(shop: dict[str, Any], client: PrestaShopClient, product_id: int, quantity: int) -> dict[str, Any]:
    host = shop["base_url"].split("//", 1)[1].rstrip("/")
    cart = json.loads(
        subprocess.run(
            [
                "php",
                str(CHECKOUT_PHP),
                str(Path(shop["workdir"]) / "prestashop"),
                host,
                json.dumps(
                    {
                        "customer": DEMO_CUSTOMER,
                        "address": DEMO_ADDRESS,
                        "carrier": PAID_CARRIER,
                        "lines": [[product_id, 0, quantity]],
                    }
                ),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    order = client.create(
        "orders",
        "order",
        {
            "id_address_delivery": DEMO_ADDRESS,
            "id_address_invoice": DEMO_ADDRESS,
            "id_cart": cart["id_cart"],
            "id_currency": 1,
            "id_lang": 1,
            "id_customer": DEMO_CUSTOMER,
            "id_carrier": PAID_CARRIER,
            "module": "ps_wirepayment",
            "payment": "Bank transfer",
            "total_paid": Decimal(cart["total_paid"]),
            "total_paid_real": Decimal(0),
            "total_products": Decimal(0),
            "total_products_wt": Decimal(0),
            "conversion_rate": Decimal(1),
        },
    )
    return client.get("orders", "order", int(order["id"]))


def wait(check: Callable[[], T | None], what: str, timeout: float = 180) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(2)
    raise TimeoutError(f"{what}: not after {timeout:.0f}s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ps-json", type=Path, required=True)
    parser.add_argument("--odoo-json", type=Path, required=True)
    parser.add_argument("--sku", default="demo_11")
    parser.add_argument("--quantity", type=int, default=2)
    args = parser.parse_args(argv)
    shop, odoo = json.loads(args.ps_json.read_text()), Odoo(json.loads(args.odoo_json.read_text()))
    client = PrestaShopClient(shop["api_url"].rstrip("/"), shop["webservice_key"])
    product = client.find("products", {"reference": args.sku})[0]
    report: dict[str, Any] = {
        "erp_setup": setup_erp(odoo, args.sku, f"{args.sku} (shop product {product['id']})", str(product["price"]))
    }
    placed = checkout(shop, client, int(product["id"]), args.quantity)
    ref, placed_at = str(placed["reference"]), time.monotonic()
    report["shop_order"] = {
        k: placed[k]
        for k in (
            "id",
            "reference",
            "current_state",
            "total_paid_tax_excl",
            "total_paid_tax_incl",
            "total_shipping_tax_excl",
        )
    }

    def in_erp() -> list[dict[str, Any]] | None:
        rows = odoo.kw(
            "sale.order",
            "search_read",
            [[["client_order_ref", "=", ref]]],
            {"fields": ["name", "state", "amount_untaxed", "amount_total", "partner_id"]},
        )
        return rows or None

    try:
        rows = wait(in_erp, f"sale.order {ref} in Odoo")
    except TimeoutError as exc:
        print(json.dumps({**report, "error": str(exc)}, indent=2, default=str))
        return 1
    report["erp_order"] = {"count": len(rows), **rows[0], "seconds": round(time.monotonic() - placed_at, 1)}
    totals_ok = (
        Decimal(str(rows[0]["amount_untaxed"])).quantize(Decimal("0.01")),
        Decimal(str(rows[0]["amount_total"])).quantize(Decimal("0.01")),
    ) == (
        Decimal(placed["total_paid_tax_excl"]).quantize(Decimal("0.01")),
        Decimal(placed["total_paid_tax_incl"]).quantize(Decimal("0.01")),
    )
    report["erp_totals_equal_shop"] = totals_ok

    cancel_at = time.monotonic()
    report["erp_cancel"] = cancel_in_erp(odoo, int(rows[0]["id"]))

    def cancelled_in_shop() -> dict[str, Any] | None:
        now = client.get("orders", "order", int(placed["id"]))
        return now if int(now["current_state"]) == SHOP_CANCELLED else None

    try:
        after = wait(cancelled_in_shop, f"shop order {ref} cancelled")
    except TimeoutError as exc:
        report["error"] = str(exc)
        print(json.dumps(report, indent=2, default=str))
        return 1
    histories = client.find("order_histories", {"id_order": str(placed["id"])})
    report["shop_after_erp_cancel"] = {
        "current_state": after["current_state"],
        "seconds": round(time.monotonic() - cancel_at, 1),
        "history_states": sorted(int(h["id_order_state"]) for h in histories),
    }
    ok = len(rows) == 1 and totals_ok and [int(h["id_order_state"]) for h in histories].count(SHOP_CANCELLED) == 1
    report["ok"] = ok
    print(json.dumps(report, indent=2, default=str))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
