"""Shop customer groups in Odoo (#14 item 7), against a real Odoo (recorded) or a twin.

Run by hand against the real Odoo 18 that ``../shared/real/odoo-18.0.sh`` brings up::

    .venv/bin/python -m tests.real.scenario_groups --odoo-json /work/real5/odoo.json

Every exchange goes to ``tests/fixtures/real/odoo-18.0/groups/`` (replayed against the twin by
tests/integration/sandbox/odoo/test_recorded_real_odoo.py). The CustomerGroup handler in ``tags``
mode: a group's tag created, replayed (nothing written), the group deleted (tag archived) and made again
(the archived tag found with ``active_test: False`` and restored); a partner given two tags by
``category_id`` link commands (``(4, id)``, its other tags kept) and read back; then ``pricelist`` mode:
the mapped pricelist found, a mapped pricelist since deleted in Odoo (a dead letter on purpose).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import requests

from sandbox.sample.commands import customer_group
from schemas.records import CustomerGroup
from sinks.odoo.client import OdooClient
from sinks.odoo.sink import OdooSink
from tests.real.odoo_shape import OdooProfile
from tests.real.recorder import Recorder
from tests.real.scenario_odoo import META, Run, _do, sink_config

SCENARIO = "groups"


def tags(sink: OdooSink, client: OdooClient, run: Run) -> None:
    handle = sink.handlers()[CustomerGroup]
    wholesale = customer_group(run.n(4), {"en_US": f"Wholesale {run.tag}", "fr_FR": f"Grossiste {run.tag}"})
    vip = customer_group(run.n(5), {"en_US": f"VIP {run.tag}"})
    first = _do(run, "group tag created", "applied", lambda: handle(wholesale, META))
    _do(run, "group replayed", "applied", lambda: handle(wholesale, META))
    second = _do(run, "second group tag created", "applied", lambda: handle(vip, META))
    _do(
        run,
        "group deleted: tag archived",
        "applied",
        lambda: handle(customer_group(run.n(5), vip.names, deleted=True), META),
    )
    again = _do(run, "group made again: tag restored", "applied", lambda: handle(vip, META))
    run.facts["tags"] = [first.target_ids, second.target_ids, again.target_ids]
    partner = client.create("res.partner", [{"name": f"Group member {run.tag}"}])[0]
    for applied in (first, again):
        tag_id = int(applied.target_ids["res.partner.category"])
        client.write("res.partner", [partner], {"category_id": [(4, tag_id)]})
    read = client.search_read("res.partner", [("id", "=", partner)], ["category_id"])
    run.facts["partner_tags"] = sorted(read[0]["category_id"])
    run.facts["tags_ok"] = (
        first.changed
        and second.target_ids == again.target_ids
        and run.facts["partner_tags"] == sorted(int(a.target_ids["res.partner.category"]) for a in (first, again))
    )


def pricelists(url: str, database: str, login: str, key: str, tmp: Path, run: Run, session: requests.Session) -> None:
    bootstrap = OdooClient(sink_config(url, database, login, key, tmp, run, {}), session=session)
    usd = bootstrap.search_read("res.currency", [("name", "=", "USD")], ["id"], limit=1)[0]["id"]
    pricelist = bootstrap.create("product.pricelist", [{"name": f"Wholesale {run.tag}", "currency_id": usd}])[0]
    group_id = run.n(4)
    mapped = {pricelist: group_id}
    config = sink_config(url, database, login, key, tmp, run, {}, customer_groups="pricelist", pricelist_groups=mapped)
    sink = OdooSink(config, OdooClient(config, session=session))
    applied = _do(
        run,
        "pricelist of the group",
        "applied",
        lambda: sink.handlers()[CustomerGroup](customer_group(group_id, {}), META),
    )
    run.facts["pricelist_ok"] = applied is not None and applied.target_ids == {"product.pricelist": str(pricelist)}
    gone = bootstrap.create("product.pricelist", [{"name": f"Gone {run.tag}", "currency_id": usd}])[0]
    bootstrap.call("product.pricelist", "unlink", [gone])
    wrong = {gone: group_id}
    config = sink_config(url, database, login, key, tmp, run, {}, customer_groups="pricelist", pricelist_groups=wrong)
    sink = OdooSink(config, OdooClient(config, session=session))
    _do(
        run,
        "pricelist Odoo does not have",
        "which Odoo does not have",
        lambda: sink.handlers()[CustomerGroup](customer_group(group_id, {}), META),
    )


def run_against(url: str, database: str, login: str, key: str, number: int, session: requests.Session) -> Run:
    """The whole scenario through ``session`` (attach a recorder to it first)."""
    run = Run(number)
    with tempfile.TemporaryDirectory() as tmp:
        config = sink_config(url, database, login, key, Path(tmp), run, {})
        client = OdooClient(config, session=session)
        tags(OdooSink(config, client), client, run)
        pricelists(url, database, login, key, Path(tmp), run, session)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--odoo-json", type=Path, required=True, help="the JSON odoo-18.0.sh printed")
    parser.add_argument("--version", default="18.0")
    args = parser.parse_args(argv)
    real = json.loads(args.odoo_json.read_text())
    key, number = real["integration"]["api_key"], 1_000_000 + int(time.time()) % 9_000_000
    session = requests.Session()
    secrets = {key: "$key", real["admin"]["password"]: "$password", str(number): "$run"}
    recorder = Recorder(OdooProfile(), args.version, SCENARIO, secrets=secrets)
    recorder.attach(session)
    run = run_against(real["url"], real["database"], real["integration"]["login"], key, number, session)
    for step in run.steps:
        print(f"{'ok ' if step.ok else 'BAD'} {step.name}: {step.outcome}")
    print(json.dumps({"run": number, "exchanges": len(recorder.exchanges), **run.facts}, default=str, indent=1))
    return 0 if all(step.ok for step in run.steps) and run.facts["tags_ok"] and run.facts["pricelist_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
