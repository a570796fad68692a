"""`reconcile orders` / `reconcile customers` over the real pair after a trade (hand-run, read only).

The reconcile's own reads and comparison (``prestasync.ops.reconcile``), its two database reads pointed
at the real shop's MariaDB and the real Odoo's PostgreSQL (the JSON files of ``../shared/real/``)::

    .venv/bin/python -m tests.real.reconcile_real --ps-json /work/real/ps/prestashop.json \\
        --odoo-json /work/real/odoo/odoo.json

Prints every drift, split into those of the last recorded trade (``steps.json``: they must be none
but its dead letters) and the rest (the databases hold earlier runs and the install's demo orders).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import psycopg2
import pymysql
import pymysql.cursors

from kernel.settings import get_settings
from prestasync.ops import reconcile
from prestasync.ops import reconcile_read as read
from tests.real.scenario_trade import STEPS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ps-json", type=Path, required=True)
    parser.add_argument("--odoo-json", type=Path, required=True)
    args = parser.parse_args(argv)
    shop, odoo = json.loads(args.ps_json.read_text())["db"], json.loads(args.odoo_json.read_text())

    def shop_rows(_settings: Any, sql: str) -> list[dict[str, Any]]:
        conn = pymysql.connect(
            unix_socket=shop["socket"],
            user=shop["user"],
            password=shop["password"],
            database=shop["database"],
            cursorclass=pymysql.cursors.DictCursor,
        )
        with conn, conn.cursor() as cur:
            cur.execute(sql.replace("{p}", shop.get("prefix", "ps_")))
            return list(cur.fetchall())

    def erp_rows(_settings: Any, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        db = odoo["db"]
        with (
            psycopg2.connect(
                host=db["host"], port=db["port"], user=db["user"], password=db["password"], dbname=odoo["database"]
            ) as conn,
            conn.cursor() as cur,
        ):
            cur.execute(sql, params)
            names = [c.name for c in cur.description or []]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    read.shop_rows, read._erp = shop_rows, erp_rows  # type: ignore[assignment]  # the real pair's databases
    steps = json.loads(STEPS.read_text())
    refs = {
        e["payload"]["after"]["reference"]
        for s in steps
        for e in s["events"]
        if e["payload"]["source"]["table"] == "ps_orders"
    }
    customers = {
        f"PS-{e['payload']['after']['id_customer']}"
        for s in steps
        for e in s["events"]
        if e["payload"]["source"]["table"] == "ps_customer"
    }
    mine: list[reconcile.Drift] = []
    for entity, ours in (("orders", refs), ("customers", customers)):
        drifts = reconcile.run(get_settings(), entity, [])
        own = [d for d in drifts if d.key in ours]
        mine += own
        kinds: dict[str, int] = {}
        for d in drifts:
            if d.key not in ours:
                kinds[d.kind] = kinds.get(d.kind, 0) + 1
        print(f"{entity}: {len(drifts)} drifts, {len(own)} of the trade's {len(ours)}; the others: {kinds}")
        for d in own:
            print(f"  {d.kind} {d.key} {d.fields}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
