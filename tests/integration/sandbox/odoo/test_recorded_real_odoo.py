"""The Odoo twin held to the traffic recorded from a real Odoo 18.0 (issue #12).

(a) Every recorded request (``tests/fixtures/real/odoo-18.0/<scenario>/``) replayed in order against
a fresh twin gets the same status, the same answer shape and the same values (ids normalised the
same way on both sides: ``$id:<model>:<n>`` by first appearance, so the twin's ids are bound from
its own answers). Differences still open are listed in ``known_differences.json`` beside the
fixtures, each with its reason, and in docs/TWINS.md.

(b) Every call shape the Odoo sink sends (model, method, argument form, context keys), collected by
running the recorded scenario (``tests/real/scenario_odoo.py``) against the twin, has a recorded
real counterpart: a new kind of call cannot land without being checked against real Odoo once.

Both checks are shown to fail: on an altered recorded answer, and on the client's create sent in
the keyword form real Odoo 18 refuses.
"""

from __future__ import annotations

import copy
import fnmatch
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psycopg2.extensions
import pytest
import requests

from sinks.common.errors import TerminalError
from sinks.odoo.client import OdooClient
from tests.integration.sandbox.fidelity import json_shape, shape_differences
from tests.integration.sandbox.odoo.recorded import VERSION, unrecorded
from tests.real import scenario_groups, scenario_odoo
from tests.real.odoo_shape import OdooNormaliser, OdooProfile, fill
from tests.real.recorder import FIXTURES, Recorder, load_fixtures, mask_exchange, response_dict, shape_key
from tests.support.twins import INTEGRATION_LOGIN, INTEGRATION_UID, RunningTwin

pytestmark = pytest.mark.integration

FOLDER = FIXTURES / f"odoo-{VERSION}"
RUN = "4242424"  # the replay's run number ($run in the fixtures)
SCENARIOS = sorted(p.name for p in FOLDER.iterdir() if p.is_dir()) if FOLDER.is_dir() else []


def known_differences() -> list[dict[str, Any]]:
    """``[{"exchange": glob on "<scenario>/<seq> <model> <method>", "paths": [glob on the difference],
    "why": ...}]``: the differences still open (docs/TWINS.md), ignored by the replay."""
    path = FOLDER / "known_differences.json"
    return list(json.loads(path.read_text())) if path.is_file() else []


def value_differences(real: Any, twin: Any, where: str = "") -> list[str]:
    if isinstance(real, dict) and isinstance(twin, dict):
        found: list[str] = []
        for key in sorted(set(real) | set(twin)):
            if key in real and key in twin:
                found += value_differences(real[key], twin[key], f"{where}/{key}")
        return found
    if isinstance(real, list) and isinstance(twin, list) and len(real) == len(twin):
        return [
            d for i, (r, t) in enumerate(zip(real, twin, strict=True)) for d in value_differences(r, t, f"{where}/{i}")
        ]
    if real != twin:
        return [f"{where or '/'}: {json.dumps(real)[:120]} (real) vs {json.dumps(twin)[:120]} (twin)"]
    return []


def _ignored(name: str, difference: str, known: list[dict[str, Any]]) -> bool:
    return any(
        fnmatch.fnmatchcase(name, entry["exchange"])
        and any(fnmatch.fnmatchcase(difference, path) for path in entry["paths"])
        for entry in known
    )


def replay(twin: RunningTwin, scenario: str, exchanges: Iterable[dict[str, Any]]) -> list[str]:
    """Send each recorded request to the twin; every difference from the recorded answer, by fixture."""
    known = known_differences()
    normaliser = OdooNormaliser()
    fixed = {"$db": twin.database, "$uid": INTEGRATION_UID, "$key": twin.key}
    secrets = {twin.key: "$key", RUN: "$run"}
    session = requests.Session()
    found: list[str] = []
    for exchange in exchanges:
        name = f"{scenario}/{exchange['seq']:03d} {exchange['call_shape']['model']} {exchange['call_shape']['method']}"
        recorded_request = exchange["request"]
        try:
            body = json.loads(
                json.dumps(fill(recorded_request["json"], normaliser.ids.to_value, fixed)).replace("$run", RUN)
            )
        except KeyError as exc:
            found.append(f"{name}: cannot replay: {exc}")
            break
        answer = session.post(
            twin.url + recorded_request["path"],
            json=body,
            timeout=30,
            headers={"Content-Type": recorded_request["headers"].get("content-type", "application/json")},
        )
        sent = mask_exchange({**recorded_request, "json": body}, secrets)
        normaliser.request(sent)  # in the recorder's order: request, then answer
        twin_response = normaliser.response(sent, mask_exchange(response_dict(answer), secrets))
        real = exchange["response"]
        differences = []
        if twin_response["status"] != real["status"]:
            differences.append(f"status {real['status']} (real) vs {twin_response['status']} (twin)")
        differences += [
            f"shape {d}" for d in shape_differences(json_shape(real["json"]), json_shape(twin_response["json"]))
        ]
        differences += [f"value {d}" for d in value_differences(real["json"], twin_response["json"])]
        found += [f"{name}: {d}" for d in differences if not _ignored(name, d.split(" ", 1)[1], known)]
    return found


# Scenarios recorded on a fresh real Odoo 18 (``../shared/real/``, nothing made before them): what the twin's
# seed holds beyond such an Odoo goes first. The seed's PS taxes (ids 3-9) were made on the earlier real Odoo
# by tests/real/probe_taxes.py; the trade's setup makes them itself (trade/004-010), with the same ids.
FRESH = {"trade": "DELETE FROM account_tax WHERE id > 2; SELECT setval('account_tax_id_seq', 2)"}


def _recorded(scenario: str) -> list[dict[str, Any]]:
    return [e for e in load_fixtures("odoo", VERSION) if e["scenario"] == scenario]


@pytest.mark.skipif(not SCENARIOS, reason="no recorded Odoo 18.0 traffic committed")
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_recorded_real_answer_is_what_the_twin_answers(
    twin: RunningTwin, postgres_conn: psycopg2.extensions.connection, scenario: str
) -> None:
    exchanges = _recorded(scenario)
    assert exchanges
    if scenario in FRESH:  # recorded on a fresh Odoo: the twin's seed as that one was
        with postgres_conn.cursor() as cur:
            cur.execute(FRESH[scenario])
        postgres_conn.commit()
    differences = replay(twin, scenario, exchanges)
    assert not differences, "the twin answers unlike real Odoo 18.0:\n" + "\n".join(differences)


def test_an_altered_recorded_answer_is_reported(twin: RunningTwin) -> None:
    exchanges = copy.deepcopy(_recorded("sink"))
    wizard = next(
        e
        for e in exchanges
        if e["call_shape"]["method"] == "execute_kw:action_cancel"
        and isinstance(e["response"]["json"].get("result"), dict)
    )
    wizard["response"]["json"]["result"] = True  # as if real Odoo had cancelled without its wizard
    differences = replay(twin, "sink", exchanges)
    assert any(f"sink/{wizard['seq']:03d}" in d and "/result" in d for d in differences), differences


def _scenario_shapes(twin: RunningTwin) -> tuple[list[dict[str, Any]], scenario_odoo.Run]:
    session = requests.Session()
    recorder = Recorder(
        OdooProfile(), VERSION, "ci", secrets={twin.key: "$key"}, root=Path("/nonexistent"), write=False
    )
    recorder.attach(session)
    run = scenario_odoo.run_against(twin.url, twin.database, INTEGRATION_LOGIN, twin.key, int(RUN), session)
    return [e["call_shape"] for e in recorder.exchanges], run


# -- (b) every call shape the sink sends has a recorded real counterpart --------------------------------
@pytest.mark.skipif(not SCENARIOS, reason="no recorded Odoo 18.0 traffic committed")
def test_every_call_shape_the_sink_sends_was_recorded_from_real_odoo(twin: RunningTwin) -> None:
    shapes, run = _scenario_shapes(twin)
    bad = [f"{s.name}: {s.outcome}" for s in run.steps if not s.ok]
    assert not bad, "the scenario ends differently on the twin than on real Odoo:\n" + "\n".join(bad)
    assert len(shapes) > 50
    missing = unrecorded(shapes)
    assert not missing, "call shapes never checked against real Odoo 18.0:\n" + "\n".join(missing)


@pytest.mark.skipif("groups" not in SCENARIOS, reason="no recorded Odoo 18.0 customer groups traffic committed")
def test_every_call_shape_of_the_customer_groups_was_recorded_from_real_odoo(twin: RunningTwin) -> None:
    """#14 item 7: the CustomerGroup handler's calls (tags, pricelist) and the partner's ``category_id``."""
    session = requests.Session()
    recorder = Recorder(
        OdooProfile(), VERSION, "ci", secrets={twin.key: "$key"}, root=Path("/nonexistent"), write=False
    )
    recorder.attach(session)
    run = scenario_groups.run_against(twin.url, twin.database, INTEGRATION_LOGIN, twin.key, int(RUN), session)
    bad = [f"{s.name}: {s.outcome}" for s in run.steps if not s.ok]
    assert not bad, "the groups scenario ends differently on the twin than on real Odoo:\n" + "\n".join(bad)
    assert run.facts["tags_ok"] and run.facts["pricelist_ok"], run.facts
    shapes = [e["call_shape"] for e in recorder.exchanges]
    assert any(s["model"] == "res.partner.category" for s in shapes)
    missing = unrecorded(shapes)
    assert not missing, "call shapes never checked against real Odoo 18.0:\n" + "\n".join(missing)


def test_a_create_in_the_keyword_form_is_reported_and_refused(
    twin: RunningTwin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def keyword_create(
        self: OdooClient, model: str, vals_list: list[dict[str, Any]], *, context: dict[str, Any] | None = None
    ) -> list[int]:
        return list(self.call(model, "create", vals_list=vals_list, context=context))  # the #12 bug

    monkeypatch.setattr(OdooClient, "create", keyword_create)
    session = requests.Session()
    recorder = Recorder(OdooProfile(), VERSION, "ci", secrets={}, root=tmp_path, write=False)
    recorder.attach(session)
    run = scenario_odoo.Run(int(RUN))
    config = scenario_odoo.sink_config(twin.url, twin.database, INTEGRATION_LOGIN, twin.key, tmp_path, run, {})
    client = OdooClient(config, session=session)
    with pytest.raises(TerminalError, match="IndexError: tuple index out of range"):
        client.create("res.partner", [{"name": "keyword form"}])  # the twin refuses it as real Odoo 18 does
    missing = unrecorded(e["call_shape"] for e in recorder.exchanges)
    assert missing == [
        shape_key(
            {
                "args_form": "positional:[] keyword:context,vals_list",
                "context": [],
                "method": "execute_kw:create",
                "model": "res.partner",
            }
        )
    ]
    assert client.search_read("res.partner", [("name", "=", "keyword form")], ["id"]) == []  # rolled back
