"""Scenario ``attributes`` of tests/real/scenario_prestashop.py (issue #14 item 1): combinations with their
attribute values, as the streams send them once Odoo's attribute names are known.

The shop must end with one attribute group and one value per name (found without case, as the shop's
collation compares), each combination linked to its values, a replay writing nothing; and, on the real
shop, a product page offering the choice and a chosen combination going into a cart.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

import requests

from sinks.common.handlers import Applied
from tests.integration.sinks.prestashop.commands import product, stock, variant

if TYPE_CHECKING:
    from tests.real.scenario_prestashop import Run


def _expect(label: str, have: object, want: object) -> list[str]:
    return [] if str(have) == str(want) else [f"{label}: the shop holds {have!r}, expected {want!r}"]


def option_names(run: Run, combination_id: int) -> list[tuple[str, str]]:
    """(group, value) names of a combination's option values, read back unrecorded, sorted."""
    stored = run.reader.get("combinations", "combination", combination_id)
    links = (stored.get("associations") or {}).get("product_option_values") or []
    pairs = []
    for link in links:
        value = run.reader.get("product_option_values", "product_option_value", int(link["id"]))
        group = run.reader.get("product_options", "product_option", int(value["id_attribute_group"]))
        pairs.append((_text(group["name"]), _text(value["name"])))
    return sorted(pairs)


def _text(stored: Any) -> str:
    return str(next(iter(stored.values()))) if isinstance(stored, dict) else str(stored)


def same_names(run: Run, resource: str, name: str, **more: object) -> int:
    """How many rows of ``resource`` carry this name (without case), read back unrecorded."""
    found = run.reader.find(resource, {"name": name, **{k: str(v) for k, v in more.items()}}, ignore_case=("name",))
    return len(found)


def attributes(run: Run) -> None:
    shirt = run.sku("POLO")
    fabric = f"Fabric {run.tag}"  # a group of this run: created once, then linked
    run.send("create parent of named variants", product(shirt, price="30", name="Polo"), "applied")

    def holds(*pairs: tuple[str, str]) -> Any:
        def check(applied: Applied) -> list[str]:
            combination = int(applied.target_ids["combinations"])
            return _expect("option values", option_names(run, combination), sorted(pairs))

        return check

    run.send(
        "create variant S with a new group and value",
        variant(f"{shirt}-S", shirt, values=[(fabric, "Linen"), (f"Size {run.tag}", "S")]),
        "applied",
        check=holds((fabric, "Linen"), (f"Size {run.tag}", "S")),
    )
    run.send(
        "create variant M: the group and value exist, linked",
        variant(f"{shirt}-M", shirt, values=[(fabric, "Linen"), (f"Size {run.tag}", "M")]),
        "applied",
        check=lambda a: (
            holds((fabric, "Linen"), (f"Size {run.tag}", "M"))(a)
            + _expect("groups named so", same_names(run, "product_options", fabric), 1)
        ),
    )
    run.send(
        "replay of variant M",
        variant(f"{shirt}-M", shirt, values=[(fabric, "Linen"), (f"Size {run.tag}", "M")]),
        "unchanged",
    )
    # as the combinations prestasync made before the names were synced: none linked, then named
    run.send("create variant L without values", variant(f"{shirt}-L", shirt), "applied", check=holds())
    run.send(
        "the names of variant L arrive (other case: the same group and value)",
        variant(f"{shirt}-L", shirt, values=[(fabric.lower(), "LINEN"), (f"Size {run.tag}", "L")]),
        "applied",
        fields="sku,attribute_values",
        check=lambda a: (
            holds((fabric, "Linen"), (f"Size {run.tag}", "L"))(a)
            + _expect("groups named so", same_names(run, "product_options", fabric), 1)
        ),
    )
    # a shop before 8.0 has no PATCH: the sink GETs the combination's XML, replaces its values, PUTs it
    run.send("create variant XL without values", variant(f"{shirt}-XL", shirt), "applied", check=holds())
    run.send(
        "the names of variant XL through GET-modify-PUT (before 8.0)",
        variant(f"{shirt}-XL", shirt, values=[(fabric, "Linen"), (f"Size {run.tag}", "XL")]),
        "applied",
        fields="sku,attribute_values",
        put=True,
        check=holds((fabric, "Linen"), (f"Size {run.tag}", "XL")),
    )
    run.send("stock of variant M", stock(f"{shirt}-M", "4"), "applied", check=lambda a: front_office(run, f"{shirt}-M"))


def front_office(run: Run, sku: str) -> list[str]:
    """On the real shop: the product page offers the sizes and the chosen combination goes into a cart."""
    if not run.shop.get("base_url"):
        return []  # the twin has no front office
    product_id, combination_id = run.sink_lookup_unrecorded(sku)
    session = requests.Session()
    page = session.get(f"{run.shop['base_url']}index.php?controller=product&id_product={product_id}", timeout=60)
    problems = _expect("product page", page.status_code, 200)
    offered = sorted(html.unescape(v) for v in re.findall(r'<option value="\d+" title="([^"]*)"', page.text))
    problems += _expect("sizes offered", [v for v in offered if v in ("S", "M", "L")], ["L", "M", "S"])
    token = re.search(r'"static_token":"(\w+)"', page.text)
    stored = run.reader.get("combinations", "combination", combination_id)
    choice = {}
    for link in (stored.get("associations") or {}).get("product_option_values") or []:
        value = run.reader.get("product_option_values", "product_option_value", int(link["id"]))
        choice[f"group[{value['id_attribute_group']}]"] = str(link["id"])
    form = {"token": token.group(1) if token else "", "id_product": str(product_id), "id_customization": "0"}
    form |= {"qty": "1", "add": "1", "action": "update", "ajax": "1", **choice}
    answer = session.post(f"{run.shop['base_url']}index.php?controller=cart", data=form, timeout=60)
    try:
        cart = answer.json()
    except ValueError:
        return [*problems, f"add to cart: HTTP {answer.status_code}, not JSON"]
    lines = (cart.get("cart") or {}).get("products") or []
    chosen = [line for line in lines if str(line.get("id_product_attribute")) == str(combination_id)]
    return problems + _expect("cart holds the chosen combination", bool(cart.get("success")) and bool(chosen), True)
