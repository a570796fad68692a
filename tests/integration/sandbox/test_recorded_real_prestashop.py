"""(a) Every request the PrestaShop sink sent to a real PrestaShop 8.1.2, replayed against the twin.

Each scenario of ``tests/fixtures/real/prestashop-8.1.2/`` (recorded by tests/real/scenario_prestashop.py)
runs in order on a fresh twin; its ``steps.json`` checkouts are placed on the twin at the same
point. Status, content type, answer shape, error codes and the values the sink reads must be those
of the real shop, except the differences listed in ``known_differences.json`` (docs/TWINS.md),
which must be exactly what the replay finds. The last tests show the comparison catches an
altered recorded answer.
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

import pytest

from tests.integration.sandbox.replay_prestashop import (
    STEPS,
    Replay,
    Scenario,
    load_known,
    load_scenarios,
    mirror_recorded_shop,
)
from tests.support.twins import PrestaShopTwin

pytestmark = pytest.mark.integration

SCENARIOS = load_scenarios()
KNOWN = load_known()


def replay(twin: PrestaShopTwin, scenario: Scenario) -> dict[str, list[str]]:
    mirror_recorded_shop(twin)
    return Replay(twin, scenario, STEPS).run()


def known_for(scenario: Scenario) -> dict[str, list[str]]:
    return {name: diffs for name, diffs in KNOWN.items() if name.startswith(scenario.name + "/")}


@pytest.mark.skipif(not SCENARIOS, reason="no PrestaShop real traffic recorded")
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_the_twin_answers_the_sinks_requests_like_the_real_prestashop(
    prestashop_twin: PrestaShopTwin, scenario: Scenario
) -> None:
    found = replay(prestashop_twin, scenario)
    if os.environ.get("REPLAY_DIFFERENCES_OUT"):  # after re-recording: a human reviews, then commits them
        with open(os.environ["REPLAY_DIFFERENCES_OUT"], "a", encoding="utf-8") as out:
            out.write(json.dumps(found) + "\n")
    expected = known_for(scenario)
    unexpected = {k: v for k, v in found.items() if expected.get(k) != v}
    gone = sorted(set(expected) - set(found))
    assert not unexpected and not gone, (
        "the twin differs from the recorded real PrestaShop (update the twin, or document the difference in "
        "known_differences.json + docs/TWINS.md):\n"
        + "\n".join(f"  {name}:\n    " + "\n    ".join(diffs) for name, diffs in unexpected.items())
        + ("\nknown differences no longer seen: " + ", ".join(gone) if gone else "")
    )


def _scenario(name: str) -> Scenario:
    return next(s for s in SCENARIOS if s.name == name)


def _altered(scenario: Scenario, file: str, change: Any) -> Scenario:
    exchanges = copy.deepcopy(scenario.exchanges)
    change(exchanges[scenario.files.index(file)])
    return Scenario(scenario.name, exchanges, scenario.files, scenario.steps)


def _stock_read(exchange: dict[str, Any]) -> None:
    exchange["response"]["json"]["stock_availables"][0]["quantity"] = "19"


def _status(exchange: dict[str, Any]) -> None:
    exchange["response"]["status"] = 200


def _shape(exchange: dict[str, Any]) -> None:
    exchange["response"]["json"]["orders"][0]["current_state_label"] = "extra"


@pytest.mark.skipif(not SCENARIOS, reason="no PrestaShop real traffic recorded")
@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        # the stock the sink reads right after the checkout (20 - 2): the twin must show the decrement
        ("011_get_stock_availables.json", _stock_read, "read [0].quantity: '19' (real) vs '18' (twin)"),
        ("019_post_order_histories.json", _status, "status: 200 (real) vs 201 (twin)"),
        ("017_get_orders.json", _shape, "body orders/[]/current_state_label: missing in twin"),
    ],
)
def test_an_altered_recorded_answer_fails_the_replay(
    prestashop_twin: PrestaShopTwin, file: str, change: Any, expected: str
) -> None:
    found = replay(prestashop_twin, _altered(_scenario("orders"), file, change))
    assert expected in found.get(f"orders/{file}", []), found.get(f"orders/{file}")


@pytest.mark.skipif(not SCENARIOS, reason="no PrestaShop real traffic recorded")
def test_the_recordings_carry_no_host_key_path_or_secret() -> None:
    for scenario in SCENARIOS:
        for name, exchange in zip(scenario.files, scenario.exchanges, strict=True):
            text = json.dumps(exchange)
            where = f"{scenario.name}/{name}"
            assert "127.0.0.1" not in text and "localhost" not in text and "/work/" not in text, where
            assert exchange["request"]["headers"].get("authorization") in (None, "Basic $secret"), where
            for secret in ("secure_key", "passwd"):
                for value in _values(exchange["response"].get("json"), secret):
                    assert value in ("", "$secret"), f"{where}: {secret} {value!r}"


def _values(data: Any, key: str) -> list[Any]:
    if isinstance(data, dict):
        return [v for k, v in data.items() if k == key] + [x for v in data.values() for x in _values(v, key)]
    if isinstance(data, list):
        return [x for v in data for x in _values(v, key)]
    return []
