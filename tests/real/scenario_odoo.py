"""The Odoo sink's handlers over one scenario, against a real Odoo (recorded) or a twin (CI).

Run by hand against the real Odoo 18 that ``../shared/real/odoo-18.0.sh`` brings up::

    .venv/bin/python -m tests.real.scenario_odoo --odoo-json /work/real/odoo/odoo.json

Every exchange goes to ``tests/fixtures/real/odoo-<version>/sink/`` (see tests/real/README.md).
Records are built as the streams build them (``schemas``), keyed by a run number so each run is
self-contained on a database that already holds earlier runs (the recorder turns it into ``$run``).
The scenario creates what it needs first (products with its SKUs, an ERP contact to adopt), then:
address and order before their customer, registered + guest customers (the placeholder merged into
the adopted ERP contact), addresses created, edited and deleted, orders
with lines + voucher + paid shipping (one with an unknown SKU: a dead letter on purpose), a replay,
cancellation before and after confirmation (the ``sale.order.cancel`` wizard), an ERP status
command.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

from kernel.settings import get_settings
from schemas import keys
from schemas.order import (
    Discount,
    Order,
    OrderLineItem,
    OrderState,
    OrderStatus,
    OrderStatusChange,
    PaymentReference,
    Shipping,
)
from schemas.records import Address, Canonical, Customer, Envelope
from sinks.common.errors import TerminalError
from sinks.common.handlers import Applied, CommandMeta
from sinks.odoo.client import OdooClient
from sinks.odoo.config import ResolvedOdooConfig, load_config
from sinks.odoo.sink import OdooSink
from tests.real.odoo_shape import OdooProfile
from tests.real.recorder import Recorder

SCENARIO = "sink"
SHOP_IRELAND = 26  # PrestaShop 8.1.2 id_country of Ireland (the real shop's country)
WHEN = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
META = CommandMeta("scenario", frozenset(), frozenset(), None, None)


@dataclass
class Step:
    name: str
    expect: str  # "applied" or the text the dead letter must contain
    outcome: str = ""
    ok: bool = False


@dataclass
class Run:
    number: int
    steps: list[Step] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def n(self, k: int) -> int:
        return self.number * 10 + k

    @property
    def tag(self) -> str:
        return str(self.number)


# -- canonical records, as the streams build them ------------------------------------------------
def _envelope(key: str, table: str, origin_id: str) -> Envelope:
    return Envelope(
        canonical_key=key,
        origin_system="prestashop",
        origin_table=table,
        origin_id=origin_id,
        source_ts=WHEN,
        source_position="scenario",
        snapshot=False,
        deleted=False,
        content_hash="",
    )


def customer(shop_id: int, email: str, first: str, last: str, *, guest: bool = False) -> Customer:
    return Customer(
        envelope=_envelope(keys.customer_ref(shop_id), "customer", str(shop_id)),
        shop_customer_id=shop_id,
        email=email,
        first_name=first,
        last_name=last,
        display_name=f"{first} {last}",
        company=None,
        birthday=None,
        newsletter=False,
        active=True,
        is_guest=guest,
        default_group_key=None,
        lang=None,
    ).sealed()


def address(
    address_id: int,
    customer_id: int,
    last: str,
    *,
    city: str = "Dublin",
    phone: str | None = None,
) -> Address:
    return Address(
        envelope=_envelope(keys.address_ref(address_id), "address", str(address_id)),
        customer_key=keys.customer_ref(customer_id),
        kind="delivery",
        alias="Home",
        company=None,
        first_name="Aoife",
        last_name=last,
        street="1 Grafton Street",
        street2=None,
        postcode="D02 X285",
        city=city,
        origin_country_id=SHOP_IRELAND,
        origin_state_id=None,
        phone=phone,
        mobile=None,
        vat_number=None,
    ).sealed()


def line(index: int, sku: str, quantity: int, unit_excl: str, rate: str = "23") -> OrderLineItem:
    excl = Decimal(unit_excl)
    incl = (excl * (1 + Decimal(rate) / 100)).quantize(Decimal("0.01"))
    return OrderLineItem(
        line_origin_id=str(index),
        sku=sku,
        product_origin_id=None,
        variant_origin_id=None,
        name=sku,
        quantity=Decimal(quantity),
        unit_price_tax_excl=excl,
        unit_price_tax_incl=incl,
        total_tax_excl=excl * quantity,
        total_tax_incl=incl * quantity,
        tax_rate=Decimal(rate),
        discount_percent=Decimal(0),
    )


def order(
    reference: str,
    customer_id: int,
    address_id: int,
    lines: list[OrderLineItem],
    *,
    state: str,
    voucher: str | None = None,
    shipping_excl: str = "0",
) -> Order:
    discounts = (
        [Discount(name=voucher, amount_tax_incl=Decimal("6.15"), amount_tax_excl=Decimal("5.00"), free_shipping=False)]
        if voucher
        else []
    )
    ship_excl = Decimal(shipping_excl)
    ship_incl = (ship_excl * Decimal("1.23")).quantize(Decimal("0.01"))
    excl = sum((item.total_tax_excl for item in lines), Decimal(0))
    incl = sum((item.total_tax_incl for item in lines), Decimal(0))
    off_excl = sum((d.amount_tax_excl for d in discounts), Decimal(0))
    off_incl = sum((d.amount_tax_incl for d in discounts), Decimal(0))
    return Order(
        envelope=_envelope(reference, "orders", reference),
        order_ref=reference,
        order_origin_id=reference,
        customer_key=keys.customer_ref(customer_id),
        customer_origin_id=str(customer_id),
        delivery_address_origin_id=str(address_id),
        invoice_address_origin_id=str(address_id),
        currency_origin_id=1,
        state=OrderState(code=state, origin_state="2" if state == "paid" else "1"),
        placed_at=WHEN,
        lines=lines,
        discounts=discounts,
        shipping=Shipping(carrier_origin_id=2 if ship_excl else None, cost_tax_excl=ship_excl, cost_tax_incl=ship_incl),
        payment=PaymentReference(method="Bank wire", module="ps_wirepayment", amount_paid=incl - off_incl + ship_incl),
        total_products_tax_excl=excl,
        total_discounts_tax_incl=off_incl,
        total_tax_excl=excl - off_excl + ship_excl,
        total_tax_incl=incl - off_incl + ship_incl,
    ).sealed()


def status_change(reference: str, code: str, history_id: int) -> OrderStatusChange:
    return OrderStatusChange(
        envelope=_envelope(reference, "order_history", str(history_id)),
        order_origin_id=reference,
        state=OrderState(code=code, origin_state="6"),
        changed_at=WHEN,
    ).sealed()


def erp_status(reference: str, code: str) -> OrderStatus:
    return OrderStatus(
        envelope=_envelope(reference, "orders", reference),
        order_ref=reference,
        order_origin_id=reference,
        state=OrderState(code=code, origin_state="4"),
    ).sealed()


# -- the run ----------------------------------------------------------------------------------------
def sku(run: Run, name: str) -> str:
    return f"PSR{run.tag}-{name}"


def prepare(client: OdooClient, run: Run) -> dict[int, int]:
    """What the scenario needs in Odoo; the shop -> Odoo country map for the sink's config."""
    client.connect()
    ireland = client.search_read("res.country", [("code", "=", "IE")], ["id"], limit=1)
    goods = [
        {
            "name": f"Scenario {name}",
            "default_code": sku(run, name),
            "type": "consu",
            "is_storable": True,
            "list_price": price,
        }
        for name, price in (("TEE", Decimal("20")), ("MUG", Decimal("10")))
    ]
    services = [
        {"name": f"Scenario {name}", "default_code": sku(run, name), "type": "service", "list_price": 0}
        for name in ("SHIP", "DISC")
    ]
    ids = client.create("product.product", goods + services)
    run.facts["products"] = dict(zip(("TEE", "MUG", "SHIP", "DISC"), ids, strict=True))
    # an ERP contact the third shop customer matches by e-mail (adopted, not duplicated)
    client.create("res.partner", [{"name": "Niamh Byrne (ERP)", "email": f"niamh{run.tag}@example.com"}])
    return {SHOP_IRELAND: int(ireland[0]["id"])}


def _do(run: Run, name: str, expect: str, action: Callable[[], Any]) -> Any:
    step = Step(name, expect)
    run.steps.append(step)
    try:
        result = action()
    except TerminalError as exc:
        step.outcome = f"dead letter: {exc.reason}"
        step.ok = expect != "applied" and expect in exc.reason
        return None
    if isinstance(result, list) and any(isinstance(r, TerminalError) for r in result):
        step.outcome = "; ".join(
            f"dead letter: {r.reason}" if isinstance(r, TerminalError) else "applied" for r in result
        )
        step.ok = expect != "applied" and expect in step.outcome and step.outcome.count("dead letter") == 1
    else:
        step.outcome = "applied" if not isinstance(result, Applied) else f"applied {result.written}"
        step.ok = expect == "applied"
    return result


def scenario(sink: OdooSink, client: OdooClient, run: Run) -> Run:
    c1, c2, c3 = run.n(1), run.n(2), run.n(3)
    a1, a2, a3 = run.n(1), run.n(2), run.n(3)
    ref = {k: f"R{run.tag}{k}" for k in ("A", "B", "C", "D", "E")}
    handlers = sink.handlers()
    applied = handlers[Address]

    def one(record: Canonical) -> Applied:
        return handlers[type(record)](record, META)

    tee, mug = sku(run, "TEE"), sku(run, "MUG")
    early = order(ref["E"], c3, a3, [line(1, tee, 1, "20.00")], state="paid", shipping_excl="7.00")
    _do(
        run,
        "address before its customer (placeholder parent)",
        "applied",
        lambda: applied(address(a3, c3, "Byrne", phone=None), META),
    )
    _do(run, "order before its customer (on the placeholder)", "applied", lambda: one(early))
    _do(
        run,
        "customers: registered, guest, one adopting the ERP contact",
        "applied",
        lambda: sink.upsert_customers(
            [
                (customer(c1, f"aoife{run.tag}@example.com", "Aoife", "Murphy"), META),
                (customer(c2, f"guest{run.tag}@example.com", "Sean", "Kelly", guest=True), META),
                (customer(c3, f"niamh{run.tag}@example.com", "Niamh", "Byrne"), META),
            ]
        ),
    )
    _do(
        run,
        "address with a phone (registered)",
        "applied",
        lambda: applied(address(a1, c1, "Murphy", phone="+353 1 555 0101"), META),
    )
    _do(run, "address without a phone (guest)", "applied", lambda: applied(address(a2, c2, "Kelly"), META))
    _do(
        run,
        "address edited (city)",
        "applied",
        lambda: applied(address(a1, c1, "Murphy", city="Cork", phone="+353 1 555 0101"), META),
    )
    gone = address(run.n(4), c1, "Murphy", city="Galway")
    _do(run, "second address", "applied", lambda: applied(gone, META))
    deleted = replace(gone, envelope=replace(gone.envelope, deleted=True)).sealed()
    _do(run, "second address deleted (archived)", "applied", lambda: applied(deleted, META))
    orders = [
        order(
            ref["A"],
            c1,
            a1,
            [line(1, tee, 2, "20.00"), line(2, mug, 1, "10.00")],
            state="paid",
            voucher="WELCOME5",
            shipping_excl="7.00",
        ),
        order(ref["B"], c2, a2, [line(1, mug, 1, "10.00")], state="paid"),
        order(ref["C"], c1, a1, [line(1, tee, 1, "20.00")], state="awaiting_payment"),
        order(ref["D"], c2, a2, [line(1, f"PSR{run.tag}-NOSUCH", 1, "5.00")], state="paid"),
        early,
    ]
    _do(
        run,
        "orders: voucher + paid shipping, guest, unpaid, unknown SKU, one already there",
        "no product.product with default_code",
        lambda: sink.orders.upsert_orders([(o, META) for o in orders]),
    )
    _do(run, "order replayed (idempotent)", "applied", lambda: one(orders[0]))
    _do(run, "cancel before confirmation", "applied", lambda: one(status_change(ref["C"], "cancelled", 1)))
    _do(
        run,
        "cancel after confirmation (sale.order.cancel wizard)",
        "applied",
        lambda: one(status_change(ref["B"], "cancelled", 2)),
    )
    _do(run, "ERP status already held", "applied", lambda: one(erp_status(ref["A"], "shipped")))
    _do(
        run,
        "status of an order Odoo does not have",
        "no sale.order with client_order_ref",
        lambda: one(status_change(f"R{run.tag}Z", "cancelled", 3)),
    )
    run.facts["orders"] = client.search_read(
        "sale.order",
        [("client_order_ref", "in", sorted(ref.values()))],
        ["client_order_ref", "state", "amount_untaxed", "amount_tax", "amount_total"],
    )
    return run


def refusals(client: OdooClient, run: Run) -> Run:
    """The call forms real Odoo 18 refuses (recorded so the twin refuses them alike; never sent by the
    sink: ``tests/integration/sandbox/odoo/test_recorded_real_odoo.py`` counts successful shapes only)."""
    client.connect()
    partner = client.create("res.partner", [{"name": f"Refusals {run.tag}"}])[0]
    product = client.create(
        "product.product",
        [{"name": f"Refusals {run.tag}", "default_code": sku(run, "REF"), "type": "consu", "is_storable": True}],
    )[0]
    orders = client.create(
        "sale.order",
        [
            {"partner_id": partner, "order_line": [[0, 0, {"product_id": product, "product_uom_qty": 1}]]}
            for _ in range(2)
        ],
    )
    client.call("sale.order", "action_confirm", orders)
    for name, expect, action in (
        (
            "create, keyword form",
            "IndexError",
            lambda: client.call("res.partner", "create", vals_list=[{"name": f"Keyword {run.tag}"}]),
        ),
        (
            "sale.order write, keyword vals",
            "unexpected keyword argument 'vals'",
            lambda: client.call("sale.order", "write", [orders[0]], vals={"note": "x"}),
        ),
        (
            "action_cancel of two confirmed orders",
            "Expected singleton",
            lambda: client.call("sale.order", "action_cancel", orders),
        ),
    ):
        _do(run, name, expect, action)
    run.facts["refused_left_nothing"] = (
        client.search_read("res.partner", [("name", "=", f"Keyword {run.tag}")], ["id"]) == []
    )
    return run


def sink_config(
    url: str, database: str, login: str, key: str, key_dir: Path, run: Run, country_ids: dict[int, int], **options: Any
) -> ResolvedOdooConfig:
    key_file = key_dir / "odoo_api.key"
    key_file.write_text(key)
    return load_config(
        get_settings(),
        url=url,
        database=database,
        login=login,
        api_key_file=key_file,
        shipping_product_code=sku(run, "SHIP"),
        discount_product_code=sku(run, "DISC"),
        country_ids=country_ids,
        **options,
    )


def run_against(url: str, database: str, login: str, key: str, number: int, session: requests.Session) -> Run:
    """The whole scenario through ``session`` (attach a recorder to it first)."""
    run = Run(number)
    with tempfile.TemporaryDirectory() as tmp:
        bootstrap = OdooClient(sink_config(url, database, login, key, Path(tmp), run, {}), session=session)
        countries = prepare(bootstrap, run)
        config = sink_config(url, database, login, key, Path(tmp), run, countries)
        client = OdooClient(config, session=session)
        sink = OdooSink(config, client)
        scenario(sink, client, run)
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
    refused = requests.Session()
    refusal_recorder = Recorder(OdooProfile(), args.version, "refusals", secrets=secrets)
    refusal_recorder.attach(refused)
    with tempfile.TemporaryDirectory() as tmp:
        config = sink_config(real["url"], real["database"], real["integration"]["login"], key, Path(tmp), run, {})
        refusals(OdooClient(config, session=refused), run)
    for step in run.steps:
        print(f"{'ok ' if step.ok else 'BAD'} {step.name}: {step.outcome}")
    print(
        json.dumps(
            {
                "run": number,
                "exchanges": len(recorder.exchanges) + len(refusal_recorder.exchanges),
                "orders": run.facts.get("orders"),
                "refused_left_nothing": run.facts["refused_left_nothing"],
            },
            default=str,
            indent=1,
        )
    )
    return 0 if all(step.ok for step in run.steps) and run.facts["refused_left_nothing"] else 1


if __name__ == "__main__":
    sys.exit(main())
