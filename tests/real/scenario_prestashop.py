"""The PrestaShop sink's handlers over the ERP -> shop scenarios, against a real PrestaShop 8.1.2.

Run by hand (never collected by pytest)::

    .venv/bin/python -m tests.real.scenario_prestashop --ps-json /work/real/ps/prestashop.json

Every request the sink's client sends, and every answer, is written through the recorder to
``tests/fixtures/real/prestashop-8.1.2/<scenario>/NNN_<shape>.json``. Steps the ERP does not do
(a customer's checkout) go through a second, unrecorded client and are written down in the
scenario's ``steps.json`` (after which recorded exchange, what), so the CI replay can do the same on
the twin at the same point. After each command the shop is read back with that unrecorded client:
an ack must match what the shop holds. Exits non-zero when an outcome differs from what the
scenario expects.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import struct
import subprocess
import sys
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

from schemas.records import Canonical
from sinks.common.errors import SinkError, TerminalError
from sinks.common.handlers import Applied
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.config import PrestaShopSinkConfig
from sinks.prestashop.sink import PrestaShopSink, shop_timezone
from tests.integration.sinks.prestashop.commands import meta, price_rule, product, shipment, status, stock, variant
from tests.real import shop_attributes
from tests.real.prestashop_shape import PrestaShopProfile
from tests.real.recorder import FIXTURES, Recorder

VERSION = "8.1.2"
CHECKOUT_PHP = Path(__file__).with_name("checkout_prestashop.php")
EDIT_ORDER_PHP = Path(__file__).with_name("edit_order_prestashop.php")  # a back-office edit
# The demo shop's registered customer with an address, and its paid carrier ("My carrier", 7 EUR).
DEMO_CUSTOMER, DEMO_ADDRESS, PAID_CARRIER = 2, 5, 2
PARIS_ADDRESS = 2  # the same customer's address in France: the Irish shop charges 23 % VAT there


@dataclass
class Outcome:
    label: str
    expected: str  # applied | unchanged | dead, or alternatives joined by "|"
    got: str
    detail: str
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.got in self.expected.split("|") and not self.checks


PlaceOrder = Callable[["Run", list[tuple[str, int]]], int]  # (run, [(sku, quantity)]) -> id_order
BackOffice = Callable[["Run", str, int], None]  # (run, order reference, id_order_state): the merchant's change


class Run:
    """One scenario: a recorded sink, an unrecorded reader, the steps file and the outcomes."""

    def __init__(
        self,
        shop: dict[str, Any],
        scenario: str,
        tag: str,
        *,
        write: bool = True,
        place_order: PlaceOrder | None = None,
        back_office: BackOffice | None = None,
    ) -> None:
        """``shop``: the script's JSON (``api_url``, ``webservice_key``, ``base_url``, ``workdir``). A twin
        run passes ``write=False`` (nothing recorded to disk) and its own ``place_order``."""
        self.shop = shop
        self.scenario = scenario
        self.tag = tag
        self.write = write
        self.place_order = place_order or self._checkout_real
        self.back_office = back_office or self._back_office_real
        self.recorder = Recorder(
            PrestaShopProfile(), VERSION, scenario, secrets={shop["webservice_key"]: "$key"}, write=write
        )
        session = self.recorder.attach(requests.Session())
        config = PrestaShopSinkConfig(api_url=shop["api_url"], api_key=shop["webservice_key"])
        self.client = PrestaShopClient(config.api_url, config.api_key, session=session)
        # as build_sink starts: the key checked, the shop's time zone read
        self.client.probe()
        zone = shop_timezone(self.client)
        config = dataclasses.replace(config, shop_timezone=zone or UTC)
        self.sink = PrestaShopSink(config, self.client)
        # the same sink with ``send_emails`` (sendemail=1 on order_histories / order_carriers writes)
        self.mailing_sink = PrestaShopSink(dataclasses.replace(config, send_emails=True), self.client)
        # the same sink as it talks to a shop before 8.0 (GET-modify-PUT instead of PATCH), same session
        self.put_sink = PrestaShopSink(
            config, PrestaShopClient(config.api_url, config.api_key, session=session, version="1.7.8.6")
        )
        self.reader = PrestaShopClient(config.api_url, config.api_key)
        self.steps: list[dict[str, Any]] = []
        self.outcomes: list[Outcome] = []
        self.address = DEMO_ADDRESS

    def sku(self, name: str) -> str:
        return f"{name}-{self.tag}"

    def send(
        self,
        label: str,
        record: Canonical,
        expected: str,
        *,
        fields: str = "",
        create_only: str = "",
        check: Callable[[Applied], list[str]] | None = None,
        mail: bool = False,
        put: bool = False,
        sink: PrestaShopSink | None = None,
        at: datetime | None = None,
    ) -> Applied | None:
        sink = sink or (self.mailing_sink if mail else self.put_sink if put else self.sink)
        handle = sink.handlers()[type(record)]
        key = record.envelope.canonical_key
        retried = ""
        for attempt in (1, 2):  # a transient error is retried once, as the worker does
            try:
                command = dataclasses.replace(meta(key, fields=fields, create_only=create_only), source_ts=at)
                applied = handle(record, command)
                break
            except TerminalError as exc:
                self.outcomes.append(Outcome(label, expected, "dead", retried + exc.reason))
                return None
            except SinkError as exc:
                if attempt == 2:
                    self.outcomes.append(Outcome(label, expected, "transient", retried + exc.reason))
                    return None
                retried = f"retried after: {exc.reason}; "
        got = "applied" if applied.changed else "unchanged"
        outcome = Outcome(
            label, expected, got, retried + json.dumps({"ids": applied.target_ids, "written": applied.written})
        )
        if check is not None:
            outcome.checks = check(applied)
        self.outcomes.append(outcome)
        return applied

    def note(self, label: str, got: str, expected: str) -> None:
        """The outcome of a step made with the client directly (not through a handler)."""
        self.outcomes.append(Outcome(label, expected, got, ""))

    def step(self, action: str, **details: Any) -> None:
        self.steps.append({"after_seq": len(self.recorder.exchanges), "action": action, **details})

    def checkout(self, lines: list[tuple[str, int]], address: int = 0) -> dict[str, Any]:
        """A customer's order of ``lines`` (SKU, quantity) as the checkout places it; returns the order.
        ``address``: the customer's address (default: the demo one in Miami, where the shop charges no VAT)."""
        self.address = address or DEMO_ADDRESS
        order_id = self.place_order(self, lines)
        stored = self.reader.get("orders", "order", order_id)
        self.step(
            "checkout",
            reference=stored["reference"],
            lines=[{"sku": s, "quantity": q} for s, q in lines],
            total_paid=stored["total_paid"],
            address=self.address,
            total_shipping=stored["total_shipping"],
            current_state=int(stored["current_state"]),
        )
        return stored

    def _checkout_real(self, run: Run, lines: list[tuple[str, int]]) -> int:
        resolved = []
        for sku, quantity in lines:
            target = self.sink_lookup_unrecorded(sku)
            resolved.append([target[0], target[1], quantity])
        host = self.shop["base_url"].split("//", 1)[1].rstrip("/")
        cart = json.loads(
            subprocess.run(
                [
                    "php",
                    str(CHECKOUT_PHP),
                    str(Path(self.shop["workdir"]) / "prestashop"),
                    host,
                    json.dumps(
                        {"customer": DEMO_CUSTOMER, "address": self.address, "carrier": PAID_CARRIER, "lines": resolved}
                    ),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        order = self.reader.create(
            "orders",
            "order",
            {
                "id_address_delivery": self.address,
                "id_address_invoice": self.address,
                "id_cart": cart["id_cart"],
                "id_currency": 1,
                "id_lang": 1,
                "id_customer": DEMO_CUSTOMER,
                "id_carrier": PAID_CARRIER,
                "module": "ps_wirepayment",
                "payment": "Bank transfer",
                "total_paid": Decimal(cart["total_paid"]),
                "total_paid_real": Decimal(0),
                "total_products": Decimal(0),
                "total_products_wt": Decimal(0),
                "conversion_rate": Decimal(1),
            },
        )
        return int(order["id"])

    def change_state(self, reference: str, state: int) -> None:
        """The merchant moves the order to ``state`` in the back office (an employee's history row)."""
        self.back_office(self, reference, state)
        self.step("back_office_state", reference=reference, state=state)

    def _back_office_real(self, run: Run, reference: str, state: int) -> None:
        order_id = int(self.reader.find("orders", {"reference": reference})[0]["id"])
        host = self.shop["base_url"].split("//", 1)[1].rstrip("/")
        root = str(Path(self.shop["workdir"]) / "prestashop")
        done = subprocess.run(
            ["php", str(EDIT_ORDER_PHP), root, host, json.dumps({"order": order_id, "state": state})],
            check=True,
            capture_output=True,
            text=True,
        )
        moved = json.loads(done.stdout.strip().splitlines()[-1])
        if moved["current_state"] != state:
            raise RuntimeError(f"the back office left order {order_id} in state {moved}: {done.stderr}")

    def sink_lookup_unrecorded(self, sku: str) -> tuple[int, int]:
        found = self.reader.find("combinations", {"reference": sku})
        if found:
            return int(found[0]["id_product"]), int(found[0]["id"])
        products = self.reader.find("products", {"reference": sku})
        return int(products[0]["id"]), 0

    def front_office(self, product_id: int) -> int:
        """The status of the product's page in the shop's front office (redirects followed); a shop
        without a front office (the twin) counts as 200."""
        if not self.shop.get("base_url"):
            return 200
        url = f"{self.shop['base_url']}index.php?controller=product&id_product={product_id}"
        return requests.get(url, timeout=60).status_code

    def stock_of(self, sku: str) -> int:
        product_id, combination_id = self.sink_lookup_unrecorded(sku)
        rows = self.reader.find("stock_availables", {"id_product": product_id, "id_product_attribute": combination_id})
        return int(rows[0]["quantity"])

    def close(self) -> None:
        if self.write:
            (self.recorder.folder / "steps.json").write_text(json.dumps(self.steps, indent=1) + "\n")
        self.sink.close()
        self.reader.close()


def expect(label: str, have: object, want: object) -> list[str]:
    return [] if str(have) == str(want) else [f"{label}: the shop holds {have!r}, expected {want!r}"]


# -- scenarios ---------------------------------------------------------------------------------
def catalog(run: Run) -> None:
    """Products created and edited, with and without variants; replays write nothing."""
    mug = run.sku("MUG")
    run.send(
        "create simple product",
        product(mug, price="12.50", name="Blue mug", weight="0.350"),
        "applied",
        check=lambda a: (
            expect("price", run.reader.get("products", "product", int(a.target_ids["products"]))["price"], "12.500000")
            + expect("front-office page", run.front_office(int(a.target_ids["products"])), 200)
        ),
    )
    run.send(
        "edit price and weight",
        product(mug, price="13.90", name="Blue mug", weight="0.400"),
        "applied",
        check=lambda a: expect(
            "weight", run.reader.get("products", "product", int(a.target_ids["products"]))["weight"], "0.400000"
        ),
    )
    run.send("replay of the edit", product(mug, price="13.90", name="Blue mug", weight="0.400"), "unchanged")
    run.send(
        "deactivate (only 'active' asserted)",
        product(mug, price="99", active=False),
        "applied",
        fields="sku,active",
        check=lambda a: expect(
            "price kept", run.reader.get("products", "product", int(a.target_ids["products"]))["price"], "13.900000"
        ),
    )
    shirt = run.sku("SHIRT")
    run.send("create parent of variants", product(shirt, price="25", name="Linen shirt"), "applied")
    for size, impact in (("S", "0"), ("M", "1.50")):
        run.send(
            f"create variant {size}",
            variant(f"{shirt}-{size}", shirt, price_impact=impact),
            "applied",
            check=lambda a, i=impact: expect(
                "price impact",
                run.reader.get("combinations", "combination", int(a.target_ids["combinations"]))["price"],
                f"{Decimal(i):.6f}",
            ),
        )
    run.send(
        "edit variant M",
        variant(f"{shirt}-M", shirt, price_impact="2", ean13="4006381333931"),
        "applied",
        check=lambda a: expect(
            "ean13",
            run.reader.get("combinations", "combination", int(a.target_ids["combinations"]))["ean13"],
            "4006381333931",
        ),
    )
    run.send("replay of variant M", variant(f"{shirt}-M", shirt, price_impact="2", ean13="4006381333931"), "unchanged")
    run.send(
        "variant of an unknown parent (dead letter on purpose)",
        variant(run.sku("ORPHAN-S"), run.sku("NO-SUCH-PARENT")),
        "dead",
    )
    catalog_14(run)


def catalog_14(run: Run) -> None:
    """Issue #14: a product created with a tax rules group is orderable with VAT; an ERP field left empty
    keeps the shop's; a single-variant template's barcode goes onto the simple product; a combination
    whose parent is not there yet waits (transient), one arriving late is a dead letter."""
    taxed = PrestaShopSink(dataclasses.replace(run.sink.config, tax_rules_group_id=1), run.client)
    lamp = run.sku("TAXLAMP")

    def orderable(applied: Applied) -> list[str]:
        product_id = int(applied.target_ids["products"])
        stored = run.reader.get("products", "product", product_id)
        problems = expect("tax rules group", stored["id_tax_rules_group"], 1)
        problems += expect("default category", stored["id_category_default"], 2)
        return problems + expect("front-office page", run.front_office(product_id), 200)

    run.send(
        "create product with tax rules group 1 (IE 23 %)",
        product(lamp, price="10"),
        "applied",
        sink=taxed,
        check=orderable,
    )
    run.send("stock of the taxed product", stock(lamp, "5"), "applied")
    order = run.checkout([(lamp, 1)], address=PARIS_ADDRESS)
    # the twin has no carts and no tax rules (its order carries the totals it is given): real shop only
    vat = run.shop.get("base_url") and expect(
        "product total with VAT (10 + 23 %)", order["total_products_wt"], "12.300000"
    )
    problems = vat or []
    run.outcomes.append(Outcome("checkout of the created product", "applied", "applied", "", problems))
    linked = run.sku("LINKED")
    created = run.send(
        "shop product with EAN13 and weight", product(linked, weight="0.300", ean13="4006381333931"), "applied"
    )
    if created is not None:
        run.send(
            "ERP template without barcode and weight: both kept",
            product(linked, price="21", weight=None),
            "applied",
            check=lambda a: expect(
                "ean13 and weight",
                [run.reader.get("products", "product", int(a.target_ids["products"]))[f] for f in ("ean13", "weight")],
                ["4006381333931", "0.300000"],
            ),
        )
    run.send(
        "single-variant barcode onto the simple product",
        variant(linked, linked, ean13="5901234123457"),
        "applied",
        check=lambda a: expect(
            "ean13", run.reader.get("products", "product", int(a.target_ids["products"]))["ean13"], "5901234123457"
        ),
    )
    run.send("replay of the barcode", variant(linked, linked, ean13="5901234123457"), "unchanged")
    early = datetime.now(UTC)
    run.send(
        "combination before its parent (waits)", variant(run.sku("LATE-S"), run.sku("LATE")), "transient", at=early
    )


def stock_levels(run: Run) -> None:
    """ERP stock levels -> stock_availables, for a product and for combinations."""
    cup, tee = run.sku("CUP"), run.sku("TEE")
    run.send("product for stock", product(cup, price="8", name="Cup"), "applied")
    run.send("parent for stock", product(tee, price="15", name="Tee"), "applied")
    run.send("variant L", variant(f"{tee}-L", tee), "applied")
    run.send("variant XL", variant(f"{tee}-XL", tee), "applied")
    run.send("stock of a product", stock(cup, "10"), "applied", check=lambda a: expect("cup", run.stock_of(cup), 10))
    run.send("replay of the stock", stock(cup, "10"), "unchanged")
    run.send(
        "fractional stock rounds down",
        stock(cup, "3.7"),
        "applied",
        check=lambda a: expect("cup", run.stock_of(cup), 3),
    )
    run.send(
        "stock of variant L",
        stock(f"{tee}-L", "5"),
        "applied",
        check=lambda a: expect("L", run.stock_of(f"{tee}-L"), 5),
    )
    run.send(
        "stock of variant XL",
        stock(f"{tee}-XL", "7"),
        "applied",
        check=lambda a: expect("tee (sum of its combinations)", run.stock_of(tee), 12),
    )
    run.send("stock on a product with combinations (dead letter on purpose)", stock(tee, "3"), "dead")
    run.send("stock of an unknown SKU (dead letter on purpose)", stock(run.sku("NOPE"), "3"), "dead")


def prices(run: Run) -> None:
    """ERP price rules -> specific_prices: a group price, a promo, their edits and replays."""
    bag = run.sku("BAG")
    run.send("product for prices", product(bag, price="40", name="Bag"), "applied")
    run.send("group price (customers group 3)", price_rule(bag, group=3, price="35"), "applied")
    run.send("replay of the group price", price_rule(bag, group=3, price="35"), "unchanged")
    run.send(
        "group price edited",
        price_rule(bag, group=3, price="33.50"),
        "applied",
        check=lambda a: expect(
            "price",
            run.reader.get("specific_prices", "specific_price", int(a.target_ids["specific_prices"]))["price"],
            "33.500000",
        ),
    )
    run.send(
        "promo 20 % for everyone from 2 units",
        price_rule(bag, group=None, percent="20", from_quantity="2"),
        "applied",
        check=lambda a: expect(
            "reduction",
            run.reader.get("specific_prices", "specific_price", int(a.target_ids["specific_prices"]))["reduction"],
            "0.200000",
        ),
    )
    run.send(
        "price rule of an unknown SKU (dead letter on purpose)", price_rule(run.sku("NOPE"), group=3, price="1"), "dead"
    )


def orders(run: Run) -> None:
    """A customer's orders, then the ERP: stock, confirmation, tracking, shipment, cancellation."""
    lamp = run.sku("LAMP")
    run.send("product for the orders", product(lamp, price="30", name="Lamp"), "applied")
    run.send("stock before the orders", stock(lamp, "20"), "applied")
    before = datetime.now(UTC) - timedelta(seconds=2)
    order = run.checkout([(lamp, 2)])
    reference = str(order["reference"])
    held = run.stock_of(lamp)
    if held != 18:
        run.outcomes.append(
            Outcome(
                "the checkout decrements stock_available",
                "applied",
                "applied",
                "",
                [f"stock after a checkout of 2 is {held}, expected 18"],
            )
        )
    run.send(
        "ERP stock computed before the order overwrites the checkout's decrement",
        stock(lamp, "20"),
        "applied",
        check=lambda a: expect("lamp", run.stock_of(lamp), 20),
    )
    run.send("ERP stock after the order", stock(lamp, "18"), "applied")
    time.sleep(1.1)  # history dates have one-second precision
    run.send(
        "order confirmed in the ERP -> processing (3)",
        status(reference, "processing"),
        "applied",
        check=lambda a: expect(
            "state", run.reader.get("orders", "order", int(a.target_ids["orders"]))["current_state"], 3
        ),
    )
    run.send("replay of the confirmation", status(reference, "processing"), "unchanged")
    run.send(
        "tracking number",
        shipment(reference, "TRK-" + run.tag),
        "applied",
        check=lambda a: expect(
            "tracking",
            run.reader.get("order_carriers", "order_carrier", int(a.target_ids["order_carriers"]))["tracking_number"],
            "TRK-" + run.tag,
        ),
    )
    run.send("replay of the tracking number", shipment(reference, "TRK-" + run.tag), "unchanged")
    time.sleep(1.1)
    run.send(
        "delivery done -> shipped (4)",
        status(reference, "shipped"),
        "applied",
        check=lambda a: expect(
            "state", run.reader.get("orders", "order", int(a.target_ids["orders"]))["current_state"], 4
        ),
    )
    run.send(
        "older confirmation replayed after the shipment (no rollback)",
        status(reference, "processing", at=before),
        "unchanged",
        check=lambda a: expect(
            "state", run.reader.get("orders", "order", int(a.target_ids["orders"]))["current_state"], 4
        ),
    )
    second = run.checkout([(lamp, 3)])
    run.send(
        "tracking number, the customer mailed (send_emails)",
        shipment(str(second["reference"]), "TRK-M"),
        "applied",
        mail=True,
    )
    # A shop whose mail fails (no mail server, as here) answers sendemail=1 with 500 "Unable to save resource"
    # after the state change and its history row are saved: the retry finds the order cancelled.
    run.send(
        "ERP cancels the second order -> cancelled (6), the customer mailed",
        status(str(second["reference"]), "cancelled"),
        "applied|unchanged",
        mail=True,
        check=lambda a: expect(
            "state", run.reader.get("orders", "order", int(a.target_ids["orders"]))["current_state"], 6
        ),
    )
    run.send("stock read after the cancellation (the shop restocked the 3)", stock(lamp, "18"), "unchanged")
    run.send("status of an unknown order (dead letter on purpose)", status("NOSUCHREF", "shipped"), "dead")
    run.send("tracking of an unknown order (dead letter on purpose)", shipment("NOSUCHREF", "TRK-X"), "dead")


def crossing(run: Run) -> None:
    """Issue #20: the merchant cancels an order in the back office between the sink's history row for
    the ERP's confirmation and its read back of the order. The cancellation is newer: it stands, and
    the sink acks stale with the shop's state (the streams forward it to the ERP), no dead letter."""
    lamp = run.sku("DESKLAMP")  # not the orders scenario's: the twin runs every scenario with one tag
    run.send("product for the order", product(lamp, price="30", name="Desk lamp"), "applied")
    run.send("stock before the order", stock(lamp, "20"), "applied")
    order = run.checkout([(lamp, 1)])
    reference = str(order["reference"])
    time.sleep(1.1)  # history dates have one-second precision
    with merchant_cancels(run, reference, before_post=False):
        run.send(
            "ERP confirmation crossed by a back-office cancellation -> the cancellation stands, acked stale",
            status(reference, "processing"),
            "unchanged",
            check=lambda a: cancellation_stands(run, a, [(0, 3), (1, 6)]),  # ours, then the merchant's
        )
    run.send("the ERP's cancellation after it: already cancelled", status(reference, "cancelled"), "unchanged")

    # the merchant cancels after the sink read the order and before its history row: our row moves the
    # cancelled order to "processing"; the sink finds the cancellation before its row and puts it back
    second = str(run.checkout([(lamp, 1)])["reference"])
    time.sleep(1.1)
    with merchant_cancels(run, second, before_post=True):
        run.send(
            "ERP confirmation written over a back-office cancellation -> the cancellation put back, acked stale",
            status(second, "processing"),
            "unchanged",
            check=lambda a: cancellation_stands(run, a, [(1, 6), (0, 3), (0, 6)]),
        )


@contextmanager
def merchant_cancels(run: Run, reference: str, *, before_post: bool) -> Iterator[None]:
    """The merchant cancels the order in the back office once, just before or just after the sink's
    first history POST (the sink's client is wrapped for the block)."""
    create = run.client.create
    done: list[bool] = []

    def create_and_cancel(resource: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        crossing = resource == "order_histories" and not done
        if crossing and before_post:
            run.change_state(reference, 6)
        created = create(resource, *args, **kwargs)
        if crossing and not before_post:
            run.change_state(reference, 6)
        done.extend([True] if crossing else [])
        return created

    run.client.create = create_and_cancel  # type: ignore[method-assign]
    try:
        yield
    finally:
        del run.client.create  # the class's method again


def cancellation_stands(run: Run, applied: Applied, last_rows: list[tuple[int, int]]) -> list[str]:
    """Acked stale with the cancellation, the order cancelled, its last history rows (employee, state)."""
    order_id = int(applied.target_ids["orders"])
    rows = sorted(run.reader.find("order_histories", {"id_order": order_id}), key=lambda h: int(h["id"]))
    return [
        *expect("stale", applied.stale, True),
        *expect("acked state", applied.written, {"state": "cancelled"}),
        *expect("shop state", int(run.reader.get("orders", "order", order_id)["current_state"]), 6),
        *expect(
            "last rows (employee, state)",
            [(int(r["id_employee"] or 0), int(r["id_order_state"])) for r in rows[-len(last_rows) :]],
            last_rows,
        ),
    ]


def put_before_8(run: Run) -> None:
    """The updates as the sink sends them to a shop before 8.0: GET the XML, modify it, PUT it whole."""
    pot, vase = run.sku("POT"), run.sku("VASE")
    run.send("product (created as usual)", product(pot, price="9", name="Pot"), "applied")
    run.send(
        "product edited by PUT",
        product(pot, price="9.50", name="Pot", weight="0.500"),
        "applied",
        put=True,
        check=lambda a: (
            expect("price", run.reader.get("products", "product", int(a.target_ids["products"]))["price"], "9.500000")
            + expect("front-office page", run.front_office(int(a.target_ids["products"])), 200)
        ),
    )
    run.send("parent", product(vase, price="20", name="Vase"), "applied")
    run.send("variant", variant(f"{vase}-S", vase, price_impact="1"), "applied")
    run.send(
        "variant edited by PUT",
        variant(f"{vase}-S", vase, price_impact="3"),
        "applied",
        put=True,
        check=lambda a: expect(
            "price impact",
            run.reader.get("combinations", "combination", int(a.target_ids["combinations"]))["price"],
            "3.000000",
        ),
    )
    run.send("stock by PUT", stock(pot, "4"), "applied", put=True, check=lambda a: expect("pot", run.stock_of(pot), 4))
    run.send("group price", price_rule(pot, group=3, price="8"), "applied")
    run.send(
        "group price edited by PUT",
        price_rule(pot, group=3, price="7.50"),
        "applied",
        put=True,
        check=lambda a: expect(
            "price",
            run.reader.get("specific_prices", "specific_price", int(a.target_ids["specific_prices"]))["price"],
            "7.500000",
        ),
    )
    order = run.checkout([(pot, 1)])
    run.send(
        "tracking number by PUT",
        shipment(str(order["reference"]), "TRK-PUT"),
        "applied",
        put=True,
        check=lambda a: expect(
            "tracking",
            run.reader.get("order_carriers", "order_carrier", int(a.target_ids["order_carriers"]))["tracking_number"],
            "TRK-PUT",
        ),
    )


def png(width: int = 8, height: int = 8) -> bytes:
    """A real (decodable) PNG: the shop resizes what it receives."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x30\x60\x90" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


SCENARIOS: dict[str, Callable[[Run], None]] = {
    "catalog": catalog,
    "stock": stock_levels,
    "prices": prices,
    "orders": orders,
    "crossing": crossing,
    "put_before_8": put_before_8,
    "attributes": shop_attributes.attributes,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ps-json", required=True, type=Path, help="the JSON the prestashop-8.1.2.sh script wrote")
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS), help="run only these (default: all)")
    parser.add_argument("--tag", default=uuid.uuid4().hex[:6].upper(), help="suffix of every SKU (default: random)")
    args = parser.parse_args(argv)
    shop = json.loads(args.ps_json.read_text())
    failed = 0
    summary: dict[str, Any] = {
        "version": shop.get("version"),
        "commit": shop.get("commit"),
        "tag": args.tag,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scenarios": {},
    }
    for name in args.scenario or list(SCENARIOS):
        run = Run(shop, name, args.tag)
        try:
            SCENARIOS[name](run)
        finally:
            run.close()
        print(f"== {name}: {len(run.recorder.exchanges)} exchanges -> {run.recorder.folder.relative_to(FIXTURES)}")
        for o in run.outcomes:
            mark = "ok  " if o.ok else "FAIL"
            print(f"  {mark} {o.label}: {o.got} (expected {o.expected}) {o.detail[:160]}")
            for problem in o.checks:
                print(f"       {problem}")
        failed += sum(not o.ok for o in run.outcomes)
        summary["scenarios"][name] = {
            "exchanges": len(run.recorder.exchanges),
            "applied": sum(o.got == "applied" for o in run.outcomes),
            "unchanged": sum(o.got == "unchanged" for o in run.outcomes),
            "dead_letters": [o.label for o in run.outcomes if o.got == "dead"],
            "failed": [dataclasses.asdict(o) for o in run.outcomes if not o.ok],
        }
    print(json.dumps(summary))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
