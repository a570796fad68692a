"""Issue #13: shop orders priced to the cent in a real Odoo (taxes, totals read back), recorded.

Run by hand against the real Odoo 18 that ``../shared/real/odoo-18.0.sh`` brings up (it needs
percent sale taxes of 23 % and 9 % excluded and included in the price, and none of 13.5 %)::

    .venv/bin/python -m tests.real.scenario_orders --odoo-json /work/real/odoo/odoo.json

Every exchange goes to ``tests/fixtures/real/odoo-<version>/orders/``. The orders, as the streams
build them: 23 % lines sent tax excluded with paid shipping at the carrier's 23 %; a shop price of
30.00 tax included (24.390244 excluded) x 3, sent tax included; a 0 % line; a 13.5 % line the ERP
has no tax for (dead letter); an order whose header does not add up (refused before create); and an
order Odoo totals differently because the sink is told a wrong price precision (read back, removed,
dead-lettered with both totals).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import requests

from schemas.order import Discount, Order, OrderLineItem, Shipping
from sinks.odoo.client import OdooClient
from sinks.odoo.sink import OdooSink
from tests.real.odoo_shape import OdooProfile
from tests.real.recorder import Recorder
from tests.real.scenario_odoo import META, Run, _do, address, customer, line, order, prepare, sink_config, sku

SCENARIO = "orders"


def priced_line(
    index: int, code: str, quantity: int, unit_excl: str, unit_incl: str, total_excl: str, total_incl: str, rate: str
) -> OrderLineItem:
    return replace(
        line(index, code, quantity, unit_excl, rate),
        unit_price_tax_incl=Decimal(unit_incl),
        total_tax_excl=Decimal(total_excl),
        total_tax_incl=Decimal(total_incl),
    )


def with_carrier_rate(record: Order, rate: str) -> Order:
    shipping = record.shipping
    return replace(
        record,
        shipping=Shipping(shipping.carrier_origin_id, shipping.cost_tax_excl, shipping.cost_tax_incl, Decimal(rate)),
    ).sealed()


def orders(run: Run, customer_id: int) -> dict[str, Order]:
    tee, mug = sku(run, "TEE"), sku(run, "MUG")
    ref = {k: f"T{run.tag}{k}" for k in "ABCDEFHI"}
    incl_priced = priced_line(1, mug, 3, "24.390244", "30.000000", "73.17", "90.00", "23")
    precision = priced_line(1, mug, 30, "0.333333", "0.410000", "10.00", "12.30", "23")
    return {
        "excl": with_carrier_rate(
            order(
                ref["A"],
                customer_id,
                0,
                [line(1, tee, 2, "20.00"), line(2, mug, 1, "10.00")],
                state="paid",
                shipping_excl="7.00",
            ),
            "23",
        ),
        "incl": order(ref["B"], customer_id, 0, [incl_priced], state="awaiting_payment"),
        "zero": order(ref["C"], customer_id, 0, [line(1, tee, 1, "10.00", rate="0")], state="awaiting_payment"),
        "no tax": order(ref["D"], customer_id, 0, [line(1, tee, 1, "10.00", rate="13.5")], state="paid"),
        "header": replace(
            order(ref["E"], customer_id, 0, [line(1, tee, 1, "20.00")], state="paid"), total_tax_incl=Decimal("49.00")
        ).sealed(),
        "precision": order(ref["F"], customer_id, 0, [precision], state="paid"),
        # a voucher whose amounts the shop rounded each on its own (4.05 / 4.99, not 4.05 x 1.23 = 4.98)
        "voucher": replace(
            order(ref["H"], customer_id, 0, [line(1, tee, 2, "20.00")], state="awaiting_payment"),
            discounts=[Discount("TENOFF", Decimal("4.99"), Decimal("4.05"), False)],
            total_discounts_tax_incl=Decimal("4.99"),
            total_tax_excl=Decimal("35.95"),
            total_tax_incl=Decimal("44.21"),
        ).sealed(),
        # an Irish cart of 23 % and 9 % products with a 15 % voucher (26.48 / 30.36): one share per rate
        "two rates": replace(
            order(
                ref["I"],
                customer_id,
                0,
                [
                    priced_line(1, tee, 1, "41.50", "51.045000", "41.50", "51.05", "23"),
                    priced_line(2, mug, 4, "26.31", "28.677900", "105.24", "114.71", "9"),
                    priced_line(3, tee, 4, "7.45", "9.163500", "29.80", "36.65", "23"),
                ],
                state="awaiting_payment",
            ),
            discounts=[Discount("FIFTEEN", Decimal("30.36"), Decimal("26.48"), False)],
            total_discounts_tax_incl=Decimal("30.36"),
            total_tax_excl=Decimal("150.06"),
            total_tax_incl=Decimal("172.05"),
        ).sealed(),
    }


def scenario(sink: OdooSink, precise: OdooSink, client: OdooClient, run: Run) -> None:
    shopper = customer(run.n(1), f"tax{run.tag}@example.com", "Aoife", "Tax")
    _do(run, "customer", "applied", lambda: sink.upsert_customers([(shopper, META)])[0])
    made = orders(run, run.n(1))
    run.facts["orders"] = {k: o.order_ref for k, o in made.items()}
    for name, expect in (
        ("excl", "applied"),
        ("incl", "applied"),
        ("zero", "applied"),
        ("no tax", "no Odoo sale tax for the shop's rate 13.500"),
        ("header", "would not total as in the shop"),
        ("voucher", "applied"),
        ("two rates", "applied"),
    ):
        _do(run, f"order {name}", expect, lambda o=made[name]: sink.orders.upsert_orders([(o, META)]))
    _do(
        run,
        "order Odoo totals otherwise (told 6 price digits)",
        "was removed",
        lambda: precise.orders.upsert_orders([(made["precision"], META)]),
    )
    # guests (#13): every guest checkout is a new shop customer, and so is the guest who then registers
    guests = [
        replace(
            customer(
                run.n(k),
                f"guest{run.tag}@example.com" if k != 3 else f"Guest{run.tag}@Example.com",
                "Gia",
                "Guest",
                guest=k != 4,
            ),
            envelope=shopper.envelope,
        )
        for k in (2, 3, 4)
    ]
    guests = [
        replace(g, envelope=replace(g.envelope, canonical_key=f"PS-{run.n(k)}", origin_id=str(run.n(k)))).sealed()
        for g, k in zip(guests, (2, 3, 4), strict=True)
    ]
    _do(run, "first guest checkout", "applied", lambda: sink.upsert_customers([(guests[0], META)]))
    _do(
        run,
        "second guest checkout and the registration: one partner",
        "applied",
        lambda: sink.upsert_customers([(g, META) for g in guests[1:]]),
    )
    kept = _do(
        run, "first guest's address", "applied", lambda: sink.upsert_address(address(run.n(5), run.n(2), "Guest"), META)
    )
    again = _do(
        run,
        "second guest's same address: one address",
        "applied",
        lambda: sink.upsert_address(address(run.n(6), run.n(3), "Guest"), META),
    )
    run.facts["addresses"] = [kept.target_ids if kept else None, again.target_ids if again else None]
    second = order(f"T{run.tag}G", run.n(3), run.n(6), [line(1, sku(run, "MUG"), 1, "10.00")], state="awaiting_payment")
    made["guest"] = second
    _do(run, "order of the second guest checkout", "applied", lambda: sink.orders.upsert_orders([(second, META)]))
    run.facts["guest partners"] = client.search_read(
        "res.partner",
        [("email_normalized", "=", f"guest{run.tag}@example.com")],
        ["ref", "parent_id", "active", "type"],
        context={"active_test": False},
    )
    refs = sorted(o.order_ref or "" for o in made.values())
    rows = client.search_read(
        "sale.order",
        [("client_order_ref", "in", refs)],
        ["client_order_ref", "state", "amount_untaxed", "amount_total", "partner_id", "partner_shipping_id"],
    )
    run.facts["odoo"] = {
        r["client_order_ref"]: {
            k: r[k] for k in ("state", "amount_untaxed", "amount_total", "partner_id", "partner_shipping_id")
        }
        for r in rows
    }


def run_against(url: str, database: str, login: str, key: str, number: int, session: requests.Session) -> Run:
    run = Run(number)
    with tempfile.TemporaryDirectory() as tmp:
        bootstrap = OdooClient(sink_config(url, database, login, key, Path(tmp), run, {}), session=session)
        countries = prepare(bootstrap, run)
        config = sink_config(url, database, login, key, Path(tmp), run, countries)
        client = OdooClient(config, session=session)
        precise_config = sink_config(url, database, login, key, Path(tmp), run, countries, price_digits=6)
        scenario(
            OdooSink(config, client), OdooSink(precise_config, OdooClient(precise_config, session=session)), client, run
        )
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--odoo-json", type=Path, required=True)
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
    print(
        json.dumps(
            {"run": number, "exchanges": len(recorder.exchanges), "folder": str(recorder.folder), "facts": run.facts},
            default=str,
            indent=1,
        )
    )
    return 0 if all(step.ok for step in run.steps) else 1


if __name__ == "__main__":
    sys.exit(main())
