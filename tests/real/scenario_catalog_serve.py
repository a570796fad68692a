"""Issue #14 items 1-3 through `prestasync serve` on the real pair (hand-run, like scenario_serve).

As the merchant does in the real Odoo 18 (through its API, as admin): a template with two variants
(attribute Size S/M, each with its own reference, EAN13 and weight), a single-variant product with
reference, EAN13 and weight, and a service; then edits (a barcode changed, the simple product archived).
Waits for the real PrestaShop 8.1.2 to hold: the template as a product ``ODOO-T<id>`` with two
combinations (reference, EAN13, weight impact), the simple product with its EAN13 and weight, no
product for the service; the barcode edit on the combination, the archived product inactive; and checks
the created products' front-office pages. Prints a JSON report (``--out`` writes it too); exit 1 on a
failed check::

    .venv/bin/python -m tests.real.scenario_catalog_serve --ps-json /work/real2/ps/prestashop.json \
        --odoo-json /work/real2/odoo/odoo.json --out tests/fixtures/real/prestashop-8.1.2/serve_catalog.json
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
from tests.real.scenario_serve import Odoo, wait


def ean(tag: str, n: int) -> str:
    """A 13-digit barcode of this run (Odoo refuses a barcode another product holds)."""
    return f"2{int(tag, 16) * 10 + n:012d}"


def setup_erp(odoo: Odoo, tag: str) -> dict[str, Any]:
    size = odoo.ensure("product.attribute", [("name", "=", "Size")], {"name": "Size", "create_variant": "always"})
    values = [
        odoo.ensure(
            "product.attribute.value",
            [("attribute_id", "=", size), ("name", "=", n)],
            {"name": n, "attribute_id": size},
        )
        for n in ("S", "M")
    ]
    line = {"attribute_id": size, "value_ids": [(6, 0, values)]}
    # a group of this run's own (one value: on every variant), renamed later (issue #14 item 1)
    fabric = odoo.kw("product.attribute", "create", [{"name": f"Fabric {tag}", "create_variant": "always"}])
    linen = odoo.kw("product.attribute.value", "create", [{"name": "Linen", "attribute_id": fabric}])
    lines = [(0, 0, line), (0, 0, {"attribute_id": fabric, "value_ids": [(6, 0, [linen])]})]
    tee = odoo.kw(
        "product.template",
        "create",
        [{"name": f"Tee {tag}", "list_price": 20, "type": "consu", "attribute_line_ids": lines}],
    )
    variants = odoo.kw(
        "product.product", "search_read", [[("product_tmpl_id", "=", tee)]], {"fields": ["id"], "order": "id"}
    )
    codes = {}
    for (name, barcode, weight), found in zip(
        (("S", ean(tag, 1), 0.25), ("M", ean(tag, 2), 0.30)), variants, strict=True
    ):
        codes[name] = f"TEE{tag}-{name}"
        odoo.kw(
            "product.product",
            "write",
            [[found["id"]], {"default_code": codes[name], "barcode": barcode, "weight": weight}],
        )
    mug = odoo.kw(
        "product.template",
        "create",
        [
            {
                "name": f"Mug {tag}",
                "list_price": 9,
                "type": "consu",
                "default_code": f"MUG{tag}",
                "barcode": ean(tag, 3),
                "weight": 0.4,
            }
        ],
    )
    svc = odoo.kw(
        "product.template",
        "create",
        [{"name": f"Gift wrap {tag}", "list_price": 3, "type": "service", "default_code": f"SVC{tag}"}],
    )
    return {
        "linen": linen,
        "tee": tee,
        "variants": [v["id"] for v in variants],
        "codes": codes,
        "mug": mug,
        "mug_sku": f"MUG{tag}",
        "svc": svc,
        "svc_sku": f"SVC{tag}",
    }


def option_names(client: PrestaShopClient, combination: dict[str, Any]) -> list[tuple[str, str]]:
    """(group, value) names of a combination's option values, sorted."""
    links = (combination.get("associations") or {}).get("product_option_values") or []
    pairs = []
    for link in links:
        value = client.get("product_option_values", "product_option_value", int(link["id"]))
        group = client.get("product_options", "product_option", int(value["id_attribute_group"]))
        pairs.append((str(group["name"]), str(value["name"])))
    return sorted(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ps-json", required=True)
    parser.add_argument("--odoo-json", required=True)
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    shop = json.loads(Path(args.ps_json).read_text())
    odoo = Odoo(json.loads(Path(args.odoo_json).read_text()))
    client = PrestaShopClient(shop["api_url"].rstrip("/"), shop["webservice_key"])
    tag = uuid.uuid4().hex[:6].upper()
    report: dict[str, Any] = {"tag": tag, "checks": {}}
    checks = report["checks"]
    started = time.monotonic()
    erp = setup_erp(odoo, tag)
    parent_sku = f"ODOO-T{erp['tee']}"

    def product(sku: str) -> dict[str, Any] | None:
        found = client.find("products", {"reference": sku})
        return found[0] if found else None

    def combinations() -> list[dict[str, Any]] | None:
        parent = product(parent_sku)
        if parent is None:
            return None
        found = client.find("combinations", {"id_product": parent["id"]})
        return found if len(found) == 2 and all(c.get("ean13") for c in found) else None

    combos = wait(combinations, f"two combinations under {parent_sku}")
    report["combinations_after_s"] = round(time.monotonic() - started, 1)
    got = sorted((c["reference"], c["ean13"], c["weight"]) for c in combos)
    checks["combinations"] = got == sorted(
        [(erp["codes"]["S"], ean(tag, 1), "0.250000"), (erp["codes"]["M"], ean(tag, 2), "0.300000")]
    )
    report["combinations"] = got
    mug = wait(lambda: (p := product(erp["mug_sku"])) and p.get("ean13") and p, "the simple product with its EAN13")
    checks["simple product"] = (mug["weight"], mug["price"], mug["active"]) == ("0.400000", "9.000000", "1")
    report["simple_product"] = {
        k: mug[k] for k in ("id", "reference", "ean13", "weight", "price", "id_tax_rules_group", "id_category_default")
    }
    parent = product(parent_sku)
    assert parent is not None
    report["parent"] = {
        k: parent[k] for k in ("id", "reference", "price", "weight", "id_tax_rules_group", "id_category_default")
    }
    for name, pid in (("parent", parent["id"]), ("simple product", mug["id"])):
        url = f"{shop['base_url']}index.php?controller=product&id_product={pid}"
        checks[f"front office {name}"] = requests.get(url, timeout=60).status_code == 200
    fabric = f"Fabric {tag}"
    named = {c["reference"]: option_names(client, c) for c in client.find("combinations", {"id_product": parent["id"]})}
    report["option_values"] = named
    checks["option values"] = named == {
        erp["codes"]["S"]: [(fabric, "Linen"), ("Size", "S")],
        erp["codes"]["M"]: [(fabric, "Linen"), ("Size", "M")],
    }
    checks["one Size group"] = len(client.find("product_options", {"name": "Size"}, ignore_case=("name",))) == 1
    page = requests.get(f"{shop['base_url']}index.php?controller=product&id_product={parent['id']}", timeout=60)
    offered = re.findall(r'<option value="\d+" title="([^"]*)"', page.text)
    report["front_office_options"] = offered
    checks["front office offers the sizes"] = {"S", "M", "Linen"} <= set(offered)
    # a name changed in Odoo later: the combinations follow
    odoo.kw("product.attribute.value", "write", [[erp["linen"]], {"name": "Cotton"}])
    renamed = wait(
        lambda: (
            all(
                (fabric, "Cotton") in option_names(client, c)
                for c in client.find("combinations", {"id_product": parent["id"]})
            )
            or None
        ),
        "the renamed value on both combinations",
    )
    checks["renamed value linked"] = bool(renamed)
    # ERP edits: variant M's barcode, the simple product archived
    odoo.kw("product.product", "write", [[erp["variants"][1]], {"barcode": ean(tag, 4)}])
    odoo.kw("product.template", "write", [[erp["mug"]], {"active": False}])
    edited = wait(
        lambda: (
            (c := client.find("combinations", {"reference": erp["codes"]["M"]}))
            and c[0]["ean13"] == ean(tag, 4)
            and c[0]
        ),
        "the barcode edit",
    )
    checks["barcode edit"] = edited["ean13"] == ean(tag, 4)
    archived = wait(
        lambda: (p := product(erp["mug_sku"])) and p["active"] == "0" and p, "the archived product inactive"
    )
    checks["archived -> inactive"] = archived["ean13"] == mug["ean13"] and archived["weight"] == "0.400000"
    time.sleep(5)  # anything the service would have caused has long arrived
    checks["service not published"] = product(erp["svc_sku"]) is None
    report["ok"] = all(checks.values())
    text = json.dumps(report, indent=1, default=str)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
