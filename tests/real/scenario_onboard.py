"""Record `onboard --execute`'s calls on a real Odoo 18 (issue #19 item 6; hand-run, then committed):
the links written into an ERP partner's ``ref``, a variant's ``default_code`` and a sale order's
``client_order_ref``, each re-read first, through the Odoo sink's client connected without a login
(``OdooClient.connect(uid=...)``, as `onboard` does). The records linked are made first by the same
client, so the fixtures replay on a fresh twin (``tests/integration/sandbox/odoo/test_recorded_real_odoo``).
A second pass finds every link recorded and writes nothing. Fixtures: ``tests/fixtures/real/odoo-18.0/onboard/``::

    .venv/bin/python -m tests.real.scenario_onboard --odoo-json /work/real3/odoo/odoo.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import requests

from kernel.settings import get_settings
from prestasync.onboard.link import record_links
from prestasync.onboard.model import Link, Match, Rec
from sinks.odoo.client import OdooClient
from sinks.odoo.config import load_config
from tests.real.odoo_shape import OdooProfile
from tests.real.recorder import Recorder

SCENARIO = "onboard"


def run(client: OdooClient, number: int) -> dict[str, object]:
    partner = client.create("res.partner", [{"name": f"Onboard {number}", "email": f"onboard{number}@example.com"}])[0]
    variant = client.create(
        "product.product",
        [{"name": f"Onboard {number}", "barcode": f"2{number:012d}", "type": "consu", "sale_ok": False}],
    )[0]
    order = client.create("sale.order", [{"partner_id": partner, "origin": f"ONB{number}"}])[0]
    links = [
        Link("res.partner", partner, "ref", f"PS-{number}"),
        Link("product.product", variant, "default_code", f"ONB-{number}"),
        Link("sale.order", order, "client_order_ref", f"ONB{number}"),
    ]
    matches = [Match("onboard", "matched", link.value, Rec(1), Rec(link.record_id), "test", link) for link in links]
    first = record_links(client, matches)
    again = record_links(client, matches)
    stored = {
        link.model: client.search_read(link.model, [("id", "=", link.record_id)], [link.field_name])[0][link.field_name]
        for link in links
    }
    return {
        "written": [o.written for o in first],
        "second_pass": [o.reason for o in again],
        "stored": stored,
        "ok": all(o.written for o in first)
        and all(o.reason == "already recorded" for o in again)
        and stored == {link.model: link.value for link in links},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--odoo-json", type=Path, required=True, help="the JSON odoo-18.0.sh printed")
    parser.add_argument("--version", default="18.0")
    args = parser.parse_args(argv)
    real = json.loads(args.odoo_json.read_text())
    key, number = real["integration"]["api_key"], 1_000_000 + int(time.time()) % 9_000_000
    session = requests.Session()
    recorder = Recorder(OdooProfile(), args.version, SCENARIO, secrets={key: "$key", str(number): "$run"})
    recorder.attach(session)
    with tempfile.TemporaryDirectory() as tmp:
        key_file = Path(tmp) / "odoo_api.key"
        key_file.write_text(key)
        config = load_config(
            get_settings(),
            url=real["url"],
            database=real["database"],
            login=real["integration"]["login"],
            api_key_file=key_file,
        )
        client = OdooClient(config, session=session)
        client.connect(uid=int(real["integration"]["uid"]))
        result = run(client, number)
    print(json.dumps({"run": number, "exchanges": len(recorder.exchanges), **result}, indent=1, default=str))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
