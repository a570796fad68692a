"""Issue #13's "Done when": a front-office trade on the real PrestaShop 8.1.2, carried to Odoo, compared.

Run by hand against the real pair that ``../shared/real/`` brings up::

    .venv/bin/python -m tests.real.scenario_trade --ps-json /work/real/ps/prestashop.json \\
        --odoo-json /work/real/odoo/odoo.json

0. What the shop holds first (``installed``: the install's demo customers, addresses and orders), as the
   connector's initial snapshot reads it.
1. The trade (``trade_shop.RealShop``): products at 23 %, 9 % and no tax, a second currency (GBP),
   vouchers (10 %, 5.00 off, free shipping), registered customers, guests (one e-mail checking out as a
   guest twice, a guest who then registers and orders again), free and paid carriers, paid and
   bank-wire checkouts; then bank-wire orders cancelled before any payment (still quotations in
   Odoo), paid ones cancelled after Odoo confirmed them, bank-wire orders paid, two back-office line
   edits (of an order Odoo confirmed, of a quotation) through the back office's own command. Every row the shop
   wrote is read back as the change event Debezium emits for it; the steps with their events are
   written to ``tests/fixtures/real/prestashop-8.1.2/trade/steps.json``.
2. The sync (``trade_sync``): each step's events through the streams' mappers and order assembler
   into the Odoo sink's handlers (recorded: ``tests/fixtures/real/odoo-18.0/trade/``), then every
   Odoo order compared with the shop's: both totals, lines (product, quantity, totals, tax rate),
   date (the shop's Paris wall clock as UTC), state, currency, partner (one per e-mail), carrier (the
   Delivery Method and its delivery line), tax rounding lines; every shop payment (``order_payment``) a
   posted account.payment of the order's partner, amount and currency.

CI plays step 2 from the recorded steps against the Odoo twin
(``tests/integration/sandbox/odoo/test_trade_twin.py``). Exits 1 when anything differs or a step
dead-letters.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import requests

from tests.real.odoo_shape import OdooProfile
from tests.real.recorder import FIXTURES, Recorder
from tests.real.shop_rows import stored
from tests.real.trade_shop import (
    AWAITING_WIRE,
    CANCELLED,
    FREE_CARRIER,
    IRELAND,
    PAID_CARRIER,
    PAYMENT_ACCEPTED,
    RealShop,
)
from tests.real.trade_sync import OdooSide, sync

STEPS = FIXTURES / "prestashop-8.1.2" / "trade" / "steps.json"
OUTCOME = STEPS.with_name("outcome.json")  # what the real Odoo made of them: the twin must make the same
NAMES = {1: "One", 2: "Two", 3: "Three", 4: "Four"}  # a customer's name holds no digits (isCustomerName)
PRODUCTS = (("TEE", "20.00", 1), ("MUG", "12.50", 3), ("CAP", "8.20", 1), ("BOOK", "15.00", 0), ("JAR", "6.35", 3))


def _address(city: str) -> dict[str, Any]:
    return {
        "alias": "Home",
        "address1": "1 Grafton Street",
        "city": city,
        "postcode": "D02 X285",
        "id_country": IRELAND,
    }


def installed(shop: RealShop) -> list[dict[str, Any]]:
    """What the shop holds before the trade (a fresh 8.1.2 install: its demo customers, their addresses and
    5 demo orders), as the connector's initial snapshot reads it: synced first, as on attaching a shop."""
    steps: list[dict[str, Any]] = []
    for row in shop.rows.rows("customer", "deleted", 0):
        customer_id = int(row["id_customer"])
        addresses = [a for a in shop.rows.rows("address", "id_customer", customer_id) if not a["deleted"]]
        steps.append(
            {
                "step": f"install customer {customer_id}",
                "kind": "customer",
                "events": [
                    *shop.events("customer", customer_id, op="r"),
                    *(e for a in addresses for e in shop.events("address", int(a["id_address"]), op="r")),
                ],
            }
        )
    for row in shop.rows.rows("orders", "valid", 0) + shop.rows.rows("orders", "valid", 1):
        steps.append(
            {
                "step": f"install order {row['id_order']}",
                "kind": "order",
                "events": shop.events("order", row["id_order"]),
            }
        )
    return steps


def trade(shop: RealShop, tag: str) -> list[dict[str, Any]]:
    """The shop's side: what customers and the merchant do, and the events each step's rows give."""
    steps: list[dict[str, Any]] = installed(shop)
    product = {
        name: shop.action(
            "product",
            reference=f"{name}-{tag}",
            name=f"Trade {name} {tag}",
            price=price,
            tax_rules_group=group,
            quantity=500,
        )["id_product"]
        for name, price, group in PRODUCTS
    }
    gbp = shop.action("currency", iso_code="GBP", conversion_rate="0.85")["id_currency"]
    steps.append(
        {
            "step": "shop",
            "kind": "shop",
            "events": [],
            "tag": tag,
            "currencies": {str(r["id_currency"]): str(r["iso_code"]) for r in shop.rows.rows("currency", "deleted", 0)},
            "carriers": {str(r["id_carrier"]): str(r["name"]) for r in shop.rows.rows("carrier", "active", 1)},
        }
    )
    vouchers = {
        name: shop.action("voucher", code=f"{name}{tag}", **values)["id_cart_rule"]
        for name, values in (("PCT10", {"percent": 10}), ("EUR5", {"amount": 5}), ("SHIPFREE", {"free_shipping": True}))
    }

    def customer(email: str, first: str, last: str, guest: bool) -> tuple[int, int]:
        made = shop.action(
            "customer", email=email, firstname=first, lastname=last, guest=guest, address=_address("Dublin")
        )
        steps.append(
            {
                "step": f"customer {made['id_customer']} ({'guest' if guest else 'registered'})",
                "kind": "customer",
                "events": [*shop.events("customer", made["id_customer"]), *shop.events("address", made["id_address"])],
            }
        )
        return int(made["id_customer"]), int(made["id_address"])

    people = {f"reg{k}": customer(f"reg{k}.{tag}@example.com", "Reg", f"Customer {NAMES[k]}", False) for k in (1, 2, 3)}
    people |= {
        f"guest{k}": customer(f"guest{k}.{tag}@example.com", "Gus", f"Guest {NAMES[k]}", True) for k in (1, 2, 3, 4)
    }
    placed: dict[str, int] = {}

    def order(
        label: str,
        who: str,
        lines: list[tuple[str, int]],
        *,
        carrier: int = PAID_CARRIER,
        currency: int = 1,
        voucher: str | None = None,
        paid: bool = True,
    ) -> None:
        customer_id, address_id = people[who]
        order_id = shop.checkout(
            customer_id,
            address_id,
            carrier,
            [(product[n], q) for n, q in lines],
            currency=currency,
            vouchers=(vouchers[voucher],) if voucher else (),
            paid=paid,
        )
        placed[label] = order_id
        steps.append({"step": f"order {label}", "kind": "order", "events": shop.events("order", order_id)})

    plan: list[tuple[str, list[tuple[str, int]], dict[str, Any]]] = [
        ("reg1", [("TEE", 2), ("MUG", 1)], {}),
        ("reg1", [("BOOK", 1)], {"carrier": FREE_CARRIER}),
        ("reg2", [("CAP", 3), ("JAR", 2)], {"voucher": "PCT10"}),
        ("reg2", [("TEE", 1)], {"paid": False}),
        ("reg3", [("MUG", 4), ("TEE", 1), ("BOOK", 2)], {"voucher": "EUR5"}),
        ("reg3", [("JAR", 5)], {"currency": gbp}),
        ("guest1", [("TEE", 1), ("CAP", 1)], {"paid": False}),
        ("guest2", [("MUG", 2)], {"voucher": "SHIPFREE"}),
        ("guest3", [("BOOK", 1), ("JAR", 1)], {"currency": gbp, "paid": False}),
        ("guest4", [("TEE", 3)], {"carrier": FREE_CARRIER, "voucher": "PCT10"}),
    ]
    for round_ in range(3):
        for k, (who, lines, options) in enumerate(plan):
            order(f"{round_}{k}", who, lines, **options)
        if round_ == 0:
            # the same e-mail checks out as a guest again (a new shop customer), guest2 registers
            people["guest1b"] = customer(f"guest1.{tag}@example.com", "Gus", "Guest One", True)
            order("guest again", "guest1b", [("MUG", 1), ("CAP", 2)])
            shop.action("register", id_customer=people["guest2"][0])
            steps.append(
                {
                    "step": f"customer {people['guest2'][0]} registers",
                    "kind": "customer",
                    "events": shop.events("customer", people["guest2"][0], op="u"),
                }
            )
            order("registered guest", "guest2", [("TEE", 1), ("JAR", 2)], voucher="EUR5")

    def change(label: str, state: int) -> None:
        order_id = placed[label]
        since = shop.last_history(order_id)
        reference = str(shop.order_row(order_id)["reference"])
        paid_before = shop.rows.last_payment(reference)
        shop.set_state(order_id, state)
        steps.append(
            {
                "step": f"order {label} -> state {state}",
                "kind": "status",
                "events": [
                    *shop.events("orders", order_id, op="u"),
                    *shop.events("order_history", order_id, since=since),
                    *shop.rows.payments(reference, since=paid_before),  # a paid state records the payment
                ],
            }
        )

    steps.append({"step": "sync", "kind": "sync", "events": []})  # the orders reach Odoo before the changes
    change("03", CANCELLED)  # unpaid: cancelled before Odoo confirmed it (a quotation)
    change("16", CANCELLED)  # unpaid, guest
    change("13", PAYMENT_ACCEPTED)  # the bank wire arrived: Odoo confirms
    change("26", PAYMENT_ACCEPTED)
    change("00", CANCELLED)  # paid, confirmed in Odoo: the sale.order.cancel wizard
    change("24", CANCELLED)
    for label, sku, quantity in (("11", "BOOK", 3), ("23", "TEE", 2)):  # confirmed in Odoo / a quotation
        steps.append(
            {
                "step": f"order {label}: back-office edit {sku} x {quantity}",
                "kind": "edit",
                "events": shop.edit_line(placed[label], f"{sku}-{tag}", quantity),
            }
        )
    assert all(shop.order_row(placed[k])["current_state"] != AWAITING_WIRE for k in ("13", "26"))
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ps-json", type=Path, required=True)
    parser.add_argument("--odoo-json", type=Path, required=True)
    parser.add_argument("--replay", action="store_true", help="sync the recorded steps.json, no new trade")
    args = parser.parse_args(argv)
    real = json.loads(args.odoo_json.read_text())
    number = 1_000_000 + int(time.time()) % 9_000_000
    if args.replay:
        steps = json.loads(STEPS.read_text())
    else:
        shop = RealShop(json.loads(args.ps_json.read_text()))
        try:
            steps = trade(shop, f"{number:X}")
        finally:
            shop.close()
        STEPS.parent.mkdir(parents=True, exist_ok=True)
        STEPS.write_text(
            json.dumps([{**s, "events": [stored(e) for e in s["events"]]} for s in steps], indent=1, default=str) + "\n"
        )
    key = real["integration"]["api_key"]
    session = requests.Session()
    recorder = Recorder(OdooProfile(), "18.0", "trade", secrets={key: "$key", real["admin"]["password"]: "$password"})
    recorder.attach(session)
    odoo = OdooSide(real["url"], real["database"], real["integration"]["login"], key, session, fresh_start=True)
    report = sync(steps, odoo)
    for line in report.lines():
        print(line)
    OUTCOME.write_text(
        json.dumps({"outcomes": report.outcomes, "differences": report.differences, "orders": report.orders}, indent=1)
        + "\n"
    )
    print(json.dumps({"run": number, "exchanges": len(recorder.exchanges), **report.summary()}, indent=1))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
