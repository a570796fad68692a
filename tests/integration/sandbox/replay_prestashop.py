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
from tests.integration.sandbox.conftest import PrestaShopTwin
from tests.integration.sandbox.fidelity import body_shape, media_type, prestashop_errors, shape_differences
from tests.real.prestashop_shape import NODES, PrestaShopNormaliser, fill
from tests.real.recorder import FIXTURES, request_dict, response_dict

VERSION_DIR = FIXTURES / "prestashop-8.1.2"
KNOWN_FILE = VERSION_DIR / "known_differences.json"

# resource -> the fields the PrestaShop sink reads from its answers (sinks/prestashop/*.py)
SINK_READS: Mapping[str, tuple[str, ...]] = {
    "products": ("id", "reference", "price", "wholesale_price", "weight", "active", "ean13", "name"),
    "combinations": ("id", "id_product", "reference", "price", "weight", "ean13"),
    "stock_availables": ("id", "id_product", "id_product_attribute", "id_shop", "quantity"),
    "orders": ("id", "reference", "current_state"),
    "order_histories": ("id", "id_order", "id_order_state", "id_employee", "date_add"),
    "order_carriers": ("id", "id_order", "tracking_number"),
    "specific_prices": ("id", "id_product", "id_product_attribute", "id_shop", "id_group", "id_customer",
                        "id_currency", "id_country", "id_cart", "from_quantity", "from", "to", "price",
                        "reduction", "reduction_tax", "reduction_type"),
    "configurations": ("name", "value"),
}  # fmt: skip
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
        scenarios.append(Scenario(path.name, [json.loads(f.read_text()) for f in files], [f.name for f in files],
                                  steps))
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
    if node is None or status >= 300:
        return None
    method = exchange["call_shape"]["http_method"]
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
                found.append(f"[{index}].{name}: {a.get(name, '<absent>')!r} (real) vs "
                             f"{b.get(name, '<absent>')!r} (twin)")
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
    shapes = body_shape(real_type, _body_of(real)), body_shape(twin_type, _body_of(twin))
    found += [f"body {d}" for d in shape_differences(*shapes)]
    if real["status"] >= 400:
        codes = [c for c, _ in prestashop_errors(real_type, _body_of(real))]
        twin_codes = [c for c, _ in prestashop_errors(twin_type, _body_of(twin))]
        if codes != twin_codes:
            found.append(f"error codes: {codes} (real) vs {twin_codes} (twin)")
    return found + [f"read {d}" for d in read_differences(exchange, real, twin)]


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
        headers = {"Content-Type": recorded["headers"]["content-type"]} if text else None
        response = self.session.request(
            recorded["method"], self.twin.server.url + fill(str(recorded["path"]), ids), params=query,
            data=fill(str(text), ids).encode() if text else None, headers=headers, timeout=30)
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
            diffs = differences(exchange, self.send(exchange))
            if diffs:
                found[f"{self.scenario.name}/{name}"] = diffs
        return found
