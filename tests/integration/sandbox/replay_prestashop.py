"""Replay the PrestaShop sink's traffic recorded from a real PrestaShop 8.1.2 against the twin.

Fixtures: ``tests/fixtures/real/prestashop-8.1.2/<scenario>/NNN_<shape>.json`` (tests/real/recorder.py)
and the scenario's ``steps.json`` (what happened between two exchanges that the sink did not do: a
customer's checkout). A scenario is replayed in order on a fresh twin: each recorded request is
sent with the twin's own ids (``$id:<resource>:<n>`` placeholders bound by a second normaliser
that sees the twin's exchanges in the same order), and the twin's answer, normalised the same way,
is compared with the recorded one:

- the status and content type;
- the answer's shape (tests/integration/sandbox/fidelity.py: element/key structure, JSON kinds);
- the values the sink reads (``SINK_READS``), parsed with the sink's own parsers;
- the error codes of an error answer.

Differences that are known and documented (docs/TWINS.md) are listed per exchange in
``known_differences.json``; the test expects exactly those.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

from sinks.prestashop import wire
from tests.integration.sandbox.fidelity import body_shape, media_type, prestashop_errors, shape_differences
from tests.real.prestashop_shape import NODES, PrestaShopNormaliser, fill
from tests.real.recorder import FIXTURES, request_dict, response_dict
from tests.real.scenario_prestashop import png
from tests.support.twins import PrestaShopTwin

VERSION_DIR = FIXTURES / "prestashop-8.1.2"
REPLAY_PNG = png()  # an upload's file is not kept in the recording (its size is)
KNOWN_FILE = VERSION_DIR / "known_differences.json"

# resource -> the fields the PrestaShop sink reads from its answers (sinks/prestashop/*.py)
SINK_READS: Mapping[str, tuple[str, ...]] = {
    "products": ("id", "reference", "price", "wholesale_price", "weight", "active", "ean13", "name"),
    "combinations": ("id", "id_product", "reference", "price", "weight", "ean13"),
    "stock_availables": ("id", "id_product", "id_product_attribute", "id_shop", "quantity"),
    "orders": ("id", "reference", "current_state"),
    "order_histories": ("id", "id_order", "id_order_state", "id_employee", "date_add"),
    "order_carriers": ("id", "id_order", "tracking_number"),
    "specific_prices": (
        "id",
        "id_product",
        "id_product_attribute",
        "id_shop",
        "id_group",
        "id_customer",
        "id_currency",
        "id_country",
        "id_cart",
        "from_quantity",
        "from",
        "to",
        "price",
        "reduction",
        "reduction_tax",
        "reduction_type",
    ),
    "configurations": ("name", "value"),
    "images/products": ("id", "id_product", "cover"),
}
SINGULAR = {resource: node for node, resource in NODES.items()} | {"configurations": "configuration"}


@dataclass(frozen=True)
class Scenario:
    name: str
    exchanges: list[dict[str, Any]]
    files: list[str]
    steps: list[dict[str, Any]]


def load_scenarios(folder: Path = VERSION_DIR) -> list[Scenario]:
    scenarios = []
    for path in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        files = sorted(path.glob("[0-9][0-9][0-9]_*.json"))
        steps_file = path / "steps.json"
        steps = json.loads(steps_file.read_text()) if steps_file.exists() else []
        scenarios.append(
            Scenario(path.name, [json.loads(f.read_text()) for f in files], [f.name for f in files], steps)
        )
    return scenarios


def load_known() -> dict[str, list[str]]:
    return dict(json.loads(KNOWN_FILE.read_text())) if KNOWN_FILE.exists() else {}


# -- what the sink reads ------------------------------------------------------------------------
def _resource(exchange: Mapping[str, Any]) -> str:
    return str(exchange["call_shape"]["resource"])


def sink_entities(exchange: Mapping[str, Any], response: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The entities the sink's client would read from ``response`` (None: nothing it parses)."""
    resource = _resource(exchange)
    node = SINGULAR.get(resource)
    status = int(response["status"])
    method = exchange["call_shape"]["http_method"]
    # images: the client calls that were recorded (client_extras) are deleted, unwired; the twin is
    # still held to the answers: the new image of an upload, the declinations of a list
    if resource == "images/products" and status < 300 and response.get("text"):
        if method == "POST":
            return [wire.xml_entity(str(response["text"]).encode(), "image")]
        root = wire.parse_xml(str(response["text"]).encode())
        return [{"id": d.get("id") or ""} for d in root.iter("declination")]
    if node is None or status >= 300:
        return None
    detail = str(exchange["call_shape"]["form"]).startswith("detail")
    if method == "GET" and response.get("json") is not None:
        data = response["json"]
        return [wire.json_detail(data, node)] if detail else wire.json_list(data, resource)
    if method in ("POST", "PUT", "PATCH") and response.get("text"):
        return [wire.xml_entity(str(response["text"]).encode(), node)]
    return None


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _comparable(v) for k, v in value.items()}
    text = str(value)
    try:
        return format(Decimal(text).normalize(), "f") if text and text[0] in "-0123456789" else text
    except ArithmeticError:
        return text


def read_differences(exchange: Mapping[str, Any], real: Mapping[str, Any], twin: Mapping[str, Any]) -> list[str]:
    """Differences in the values the sink reads, entity by entity."""
    try:
        theirs, mine = sink_entities(exchange, real), sink_entities(exchange, twin)
    except wire.MalformedBody as exc:
        return [f"the sink cannot read the answer: {exc}"]
    if theirs is None or mine is None:
        return [] if theirs is None and mine is None else ["the sink reads an answer only from one side"]
    if len(theirs) != len(mine):
        return [f"entities read: {len(theirs)} (real) vs {len(mine)} (twin)"]
    found = []
    fields = SINK_READS.get(_resource(exchange), ())
    for index, (a, b) in enumerate(zip(theirs, mine, strict=True)):
        for name in fields:
            if _comparable(a.get(name, "<absent>")) != _comparable(b.get(name, "<absent>")):
                found.append(
                    f"[{index}].{name}: {a.get(name, '<absent>')!r} (real) vs {b.get(name, '<absent>')!r} (twin)"
                )
        if _resource(exchange) == "products":
            combos = [len((e.get("associations") or {}).get("combinations") or []) for e in (a, b)]
            if combos[0] != combos[1]:
                found.append(f"[{index}].associations.combinations: {combos[0]} (real) vs {combos[1]} (twin)")
    return found


def _body_of(part: Mapping[str, Any]) -> str:
    if part.get("json") is not None:
        return json.dumps(part["json"])
    return str(part.get("text") or "")


def differences(exchange: Mapping[str, Any], twin: Mapping[str, Any]) -> list[str]:
    """Every difference between the recorded answer and the twin's (both normalised)."""
    real = exchange["response"]
    found: list[str] = []
    if real["status"] != twin["status"]:
        found.append(f"status: {real['status']} (real) vs {twin['status']} (twin)")
    real_type = media_type(str(real["headers"].get("content-type", "")))
    twin_type = media_type(str(twin["headers"].get("content-type", "")))
    if real_type != twin_type:
        found.append(f"content-type: {real_type!r} (real) vs {twin_type!r} (twin)")
    if real["headers"].get("psws-version") != twin["headers"].get("psws-version"):  # the client reads it
        found.append(
            f"header psws-version: {real['headers'].get('psws-version')!r} (real) vs "
            f"{twin['headers'].get('psws-version')!r} (twin)"
        )
    real_shape, twin_shape = body_shape(real_type, _body_of(real)), body_shape(twin_type, _body_of(twin))
    if _resource(exchange) == "<root>" and isinstance(real_shape, dict) and isinstance(twin_shape, dict):
        real_shape = _twin_resources_only(real_shape, twin_shape)
    found += [f"body {d}" for d in shape_differences(real_shape, twin_shape)]
    if real["status"] >= 400:
        codes = [c for c, _ in prestashop_errors(real_type, _body_of(real))]
        twin_codes = [c for c, _ in prestashop_errors(twin_type, _body_of(twin))]
        if codes != twin_codes:
            found.append(f"error codes: {codes} (real) vs {twin_codes} (twin)")
    return found + [f"read {d}" for d in read_differences(exchange, real, twin)]


def _twin_resources_only(real: dict[str, Any], twin: dict[str, Any]) -> dict[str, Any]:
    """The real ``/api/`` lists all 69 resources of the shop; compare the entries the twin serves."""
    api_real, api_twin = real.get("prestashop", {}).get("api", {}), twin.get("prestashop", {}).get("api", {})
    if not isinstance(api_real, dict) or not isinstance(api_twin, dict):
        return real
    pruned = {k: v for k, v in api_real.items() if k in api_twin or k == "@"}
    return {"prestashop": {**real["prestashop"], "api": pruned}}


# -- the replay -----------------------------------------------------------------------------------
Step = Callable[[PrestaShopTwin, dict[str, Any]], None]


class Replay:
    """One scenario on one twin; ``run()`` returns the differences per fixture file."""

    def __init__(self, twin: PrestaShopTwin, scenario: Scenario, steps: Mapping[str, Step]) -> None:
        self.twin = twin
        self.scenario = scenario
        self.steps = steps
        self.normaliser = PrestaShopNormaliser()
        self.session = requests.Session()
        self.session.auth = (twin.key, "")

    def ids(self) -> dict[str, str]:
        """placeholder -> the twin's id, for every id the twin's answers have named so far."""
        return {placeholder: value for (_, value), placeholder in self.normaliser.ids.to_placeholder.items()}

    def send(self, exchange: Mapping[str, Any]) -> dict[str, Any]:
        recorded = exchange["request"]
        ids = self.ids()
        query = {k: [fill(v, ids) for v in vs] for k, vs in (recorded.get("query") or {}).items()}
        text = recorded.get("text")
        multipart = str(recorded["headers"].get("content-type", "")).startswith("multipart/")
        headers = {"Content-Type": recorded["headers"]["content-type"]} if text and not multipart else None
        response = self.session.request(
            recorded["method"],
            self.twin.server.url + fill(str(recorded["path"]), ids),
            params=query,
            data=fill(str(text), ids).encode() if text and not multipart else None,
            headers=headers,
            files={"image": ("front.png", REPLAY_PNG, "image/png")} if multipart else None,
            timeout=30,
        )
        request = request_dict(response.request)
        self.normaliser.request(request)  # the twin's ids, seen in the same order as the real ones
        answer = response_dict(response)
        answer["headers"] = {k: v for k, v in answer["headers"].items()}
        return self.normaliser.response(request, answer)

    def run(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for index, (name, exchange) in enumerate(zip(self.scenario.files, self.scenario.exchanges, strict=True)):
            for step in self.scenario.steps:
                if step["after_seq"] == index:
                    self.steps[step["action"]](self.twin, step)
            try:
                diffs = differences(exchange, self.send(exchange))
            except KeyError as exc:  # an id the twin's answers never named: an earlier answer differed
                diffs = [f"not sendable: {exc.args[0]}"]
            if diffs:
                found[f"{self.scenario.name}/{name}"] = diffs
        return found


# -- the recorded shop, on the twin --------------------------------------------------------------
# The recorded shop's paid carrier ("My carrier", id 2 in the demo install) used by its checkouts.
MIRROR_CARRIER = (
    "INSERT INTO ps_carrier (id_carrier, id_reference, name, url, active, deleted, shipping_handling, "
    "range_behavior, is_module, is_free, shipping_external, need_range, shipping_method, position, max_width, "
    "max_height, max_depth, max_weight, grade) VALUES (2, 2, 'My carrier', '', 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, "
    "0, 0, 0, 0, 0)"
)
# Its time zone (the installer's default, which the twin's seed also holds since #13): DATETIMEs are
# Paris wall-clock times, and the sink reads it.
MIRROR_TIMEZONE = "UPDATE ps_configuration SET value = 'Europe/Paris' WHERE name = 'PS_TIMEZONE'"
SHIPPING = Decimal("7.000000")  # "My carrier"'s price for the scenario's orders


def mirror_recorded_shop(twin: PrestaShopTwin) -> None:
    twin.sql(MIRROR_CARRIER)
    twin.sql(MIRROR_TIMEZONE)


def twin_order(
    twin: PrestaShopTwin,
    lines: list[tuple[str, int]],
    *,
    reference: str | None = None,
    total_paid: Decimal | None = None,
) -> int:
    """A customer's order of ``lines`` (SKU, quantity) placed on the twin, which has no carts: the rows
    go in the order (the real scenario fills a cart; tests/real/checkout_prestashop.php)."""
    rows, products = "", Decimal(0)
    for sku, quantity in lines:
        item = twin.sql(
            "SELECT id_product, 0 AS id_product_attribute, price FROM ps_product WHERE reference = %s "
            "UNION SELECT id_product, id_product_attribute, price FROM ps_product_attribute "
            "WHERE reference = %s",
            (sku, sku),
        )[-1]
        products += Decimal(item["price"]) * quantity
        rows += (
            f"<order_row><product_id>{item['id_product']}</product_id><product_attribute_id>"
            f"{item['id_product_attribute']}</product_attribute_id><product_quantity>{quantity}"
            f"</product_quantity><product_name>{sku}</product_name><product_reference>{sku}"
            f"</product_reference><product_price>{item['price']}</product_price></order_row>"
        )
    total = total_paid if total_paid is not None else products + SHIPPING
    body = (
        "<prestashop><order>"
        + (f"<reference>{reference}</reference>" if reference else "")
        + "<id_address_delivery>1</id_address_delivery><id_address_invoice>1</id_address_invoice><id_cart>1"
        "</id_cart><id_currency>1</id_currency><id_lang>1</id_lang><id_customer>1</id_customer><id_carrier>2"
        "</id_carrier><module>ps_wirepayment</module><payment>Bank transfer</payment>"
        f"<total_paid>{total}</total_paid><total_paid_tax_incl>{total}</total_paid_tax_incl>"
        f"<total_paid_tax_excl>{total}</total_paid_tax_excl><total_paid_real>0</total_paid_real>"
        f"<total_products>{total - SHIPPING}</total_products><total_products_wt>{total - SHIPPING}"
        f"</total_products_wt><total_shipping>{SHIPPING}</total_shipping><total_shipping_tax_incl>{SHIPPING}"
        f"</total_shipping_tax_incl><total_shipping_tax_excl>{SHIPPING}</total_shipping_tax_excl>"
        "<conversion_rate>1</conversion_rate>"
        f"<associations><order_rows>{rows}</order_rows></associations></order></prestashop>"
    )
    created = requests.post(f"{twin.api}/orders", data=body.encode(), auth=(twin.key, ""), timeout=20)
    assert created.status_code == 201, created.text
    return int(wire.xml_entity(created.content, "order")["id"] or 0)


def _checkout_step(twin: PrestaShopTwin, step: dict[str, Any]) -> None:
    twin_order(
        twin,
        [(line["sku"], int(line["quantity"])) for line in step["lines"]],
        reference=step["reference"],
        total_paid=Decimal(step["total_paid"]),
    )


def twin_back_office_state(twin: PrestaShopTwin, reference: str, state: int) -> None:
    """The merchant's change of an order's state in the back office, on the twin: an employee's history
    row, the order's new state and its validity, the state's ``logable`` as changeIdOrderState sets it
    (tests/real/edit_order_prestashop.php on the real shop)."""
    order_id = twin.sql("SELECT id_order FROM ps_orders WHERE reference = %s", (reference,))[-1]["id_order"]
    twin.sql(
        "INSERT INTO ps_order_history (id_employee, id_order, id_order_state, date_add) VALUES (1, %s, %s, NOW())",
        (order_id, state),
    )
    twin.sql(
        "UPDATE ps_orders SET current_state = %s, valid = (SELECT logable FROM ps_order_state "
        "WHERE id_order_state = %s) WHERE id_order = %s",
        (state, state, order_id),
    )


def _back_office_step(twin: PrestaShopTwin, step: dict[str, Any]) -> None:
    twin_back_office_state(twin, str(step["reference"]), int(step["state"]))


STEPS: dict[str, Step] = {"checkout": _checkout_step, "back_office_state": _back_office_step}
