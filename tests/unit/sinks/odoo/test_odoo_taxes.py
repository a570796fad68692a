"""Shop tax rates -> Odoo sale taxes and Odoo 18's line maths (sinks.odoo.taxes, sinks.odoo.order_lines).

The expected numbers are what a real Odoo 18 answered (docs/REAL_ORDERS.md, recorded in
tests/fixtures/real/odoo-18.0/orders); the order is mapped off captured PrestaShop events.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

import pytest

from schemas.order import Discount
from sinks.common.errors import TerminalError
from sinks.odoo.client import OdooClient
from sinks.odoo.order_lines import LinePricer, shop_rate, totals_differ
from sinks.odoo.taxes import TaxBook, odoo_line_totals, price_line
from streams.mapping.assemble import assemble_order
from tests.unit.streams.mapping.captured import captured

pytestmark = pytest.mark.unit
D = Decimal


class _Taxes:
    """The ERP's account.tax rows as search_read answers them (the real Odoo's, ids and all)."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.calls = 0

    def search_read(self, model: str, domain: list[Any], fields: list[str], **_: Any) -> list[dict[str, Any]]:
        assert model == "account.tax"
        assert ("type_tax_use", "=", "sale") in domain and ("amount_type", "=", "percent") in domain
        self.calls += 1
        return self.rows


REAL_TAXES = [
    {"id": 1, "name": "15%", "amount": 15.0, "price_include": False},
    {"id": 3, "name": "PS 23% (excl)", "amount": 23.0, "price_include": False},
    {"id": 4, "name": "PS 23% (incl)", "amount": 23.0, "price_include": True},
    {"id": 5, "name": "PS 0%", "amount": 0.0, "price_include": False},
    {"id": 6, "name": "PS 20% (excl)", "amount": 20.0, "price_include": False},
    {"id": 7, "name": "PS 20% (incl)", "amount": 20.0, "price_include": True},
]


def book(rows: list[dict[str, Any]] = REAL_TAXES, **configured: dict[str, int]) -> TaxBook:
    return TaxBook(cast(OdooClient, _Taxes(rows)), configured.get("excluded", {}), configured.get("included", {}))


@pytest.mark.parametrize(
    ("price", "qty", "rate", "included", "untaxed", "total"),
    [
        ("10.00", 1, "23", False, "10.00", "12.30"),
        ("10.00", 1, "23", True, "8.13", "10.00"),
        ("24.390244", 3, "23", False, "73.17", "90.00"),  # price_unit kept as 24.39
        ("30.00", 3, "23", True, "73.17", "90.00"),
        ("12.34", 3, "20", False, "37.02", "44.42"),
        ("14.808", 3, "20", True, "37.02", "44.43"),  # 14.81 x 3; tax 7.405 -> 7.41, the base what remains
        ("9.99", 7, "20", True, "58.27", "69.93"),
        ("-3.70", 1, "20", False, "-3.70", "-4.44"),
    ],
)
def test_line_totals_are_real_odoo_18s(
    price: str, qty: int, rate: str, included: bool, untaxed: str, total: str
) -> None:
    assert odoo_line_totals(D(price), D(qty), D(rate), included) == (D(untaxed), D(total))


def test_a_line_goes_the_way_that_gives_the_shops_totals() -> None:
    # a shop price of 30.00 tax included is 24.390244 excluded: sent included
    incl = price_line(
        unit_tax_excl=D("24.390244"),
        unit_tax_incl=D("30.000000"),
        quantity=D(7),
        total_tax_excl=D("170.73"),
        total_tax_incl=D("210.00"),
        rate=D(23),
    )
    assert incl.included and incl.price_unit == D("30.000000") and incl.total == D("210.00")
    # a price exact to the cent tax excluded goes excluded (1.13 x 9 = 10.17, + 23 % = 12.51)
    excl = price_line(
        unit_tax_excl=D("1.13"),
        unit_tax_incl=D("1.3899"),
        quantity=D(9),
        total_tax_excl=D("10.17"),
        total_tax_incl=D("12.51"),
        rate=D(23),
    )
    assert not excl.included and (excl.untaxed, excl.total) == (D("10.17"), D("12.51"))
    only_excluded = price_line(
        unit_tax_excl=D("24.390244"),
        unit_tax_incl=D("30.000000"),
        quantity=D(7),
        total_tax_excl=D("170.73"),
        total_tax_incl=D("210.00"),
        rate=D(23),
        available=[False],
    )
    assert not only_excluded.included  # what the ERP has decides


def test_shop_rate_trusts_the_amounts_when_the_row_says_zero() -> None:
    assert shop_rate(D("0.000"), D("7.00"), D("8.40")) == D("20.000")  # the real shop's demo orders
    assert shop_rate(D("23.000"), D("24.390244"), D("30.000000")) == D("23.000")
    assert shop_rate(None, D("24.390244"), D("30.000000")) == D("23.000")
    assert shop_rate(D("0.000"), D("10.00"), D("10.00")) == D("0")


def _captured_order() -> Any:
    (header,) = captured("prestashop", "orders_update_state").map()
    lines = [captured("prestashop", n).map()[0] for n in ("order_detail_insert_1", "order_detail_insert_2")]
    order = assemble_order(header, lines)
    assert order is not None
    gift = Discount(name="Free gift", amount_tax_incl=D("2.40"), amount_tax_excl=D("2.00"), free_shipping=False)
    return dataclasses.replace(order, discounts=[gift])


def test_a_captured_order_totals_as_in_the_shop_with_every_line_taxed() -> None:
    order = _captured_order()
    skus = {item.sku: 10 + i for i, item in enumerate(order.lines)}
    priced = LinePricer(book()).order_lines(order, skus, shipping_product_id=98, discount_product_id=99)
    assert totals_differ(order, priced.untaxed, priced.total) is None
    assert (priced.untaxed, priced.total) == (D("44.90"), D("53.88"))  # total_paid_tax_excl / _incl
    sent = [(v["product_id"], v["price_unit"], v["tax_id"]) for _, _, v in priced.lines]
    assert sent == [
        (10, D("19.900000"), [(6, 0, [6])]),
        (11, D("2.000000"), [(6, 0, [6])]),
        (98, D("5.100000"), [(6, 0, [6])]),
        (99, D("-2.00"), [(6, 0, [6])]),
    ]


def test_a_rate_without_an_odoo_tax_is_refused_by_name() -> None:
    order = _captured_order()
    skus = {item.sku: 1 for item in order.lines}
    without_20 = [r for r in REAL_TAXES if r["amount"] != 20.0]
    with pytest.raises(TerminalError, match=r"no Odoo sale tax for the shop's rate 20.000 %"):
        LinePricer(book(without_20)).order_lines(order, skus, 98, 99)


def test_zero_rate_without_a_zero_tax_is_sent_as_explicitly_no_tax() -> None:
    order = _captured_order()
    free = dataclasses.replace(order.lines[0], unit_price_tax_incl=D("19.900000"), total_tax_incl=D("39.80"))
    order = dataclasses.replace(
        order,
        lines=[free],
        discounts=[],
        shipping=dataclasses.replace(order.shipping, cost_tax_excl=D(0), cost_tax_incl=D(0)),
    )
    priced = LinePricer(book([r for r in REAL_TAXES if r["amount"] != 0.0])).order_lines(order, {free.sku: 1}, 98, 99)
    assert [v["tax_id"] for _, _, v in priced.lines] == [[(6, 0, [])]]  # never Odoo's default 15 %


def test_configured_taxes_win_and_must_match_price_include() -> None:
    taxes = book(included={"23": 4}, excluded={"23.000": 3})
    assert {inc: t.id for inc, t in taxes.taxes(D(23)).items()} == {False: 3, True: 4}
    with pytest.raises(TerminalError, match=r"configured sale tax 3 for 23\.000 %"):
        book(included={"23": 3}).taxes(D(23))


def test_a_rate_missing_is_looked_up_again_once() -> None:
    rows: list[dict[str, Any]] = []
    fake = _Taxes(rows)
    taxes = TaxBook(cast(OdooClient, fake), {}, {})
    assert taxes.taxes(D("13.5")) == {}
    rows.append({"id": 9, "name": "13.5%", "amount": 13.5, "price_include": False})  # created in the ERP
    assert taxes.taxes(D("13.5"))[False].id == 9
    assert fake.calls == 3


def test_the_difference_is_named_with_both_totals() -> None:
    order = _captured_order()
    why = totals_differ(order, D("44.90"), D("56.35"))
    assert why == (
        "Odoo amount_total 56.35 vs shop total_paid_tax_incl 53.88 (difference 2.47), "
        "Odoo amount_untaxed 44.90 vs shop total_paid_tax_excl 44.90 (difference 0.00)"
    )


def test_every_simulated_cart_totals_as_in_the_shop() -> None:
    """The sandbox shop's money maths (PrestaShop's: round per line, vouchers rounded with and without
    tax each on its own) against Odoo 18's per-line rounding: every order reproduces both totals, a
    voucher split in a few lines when one line cannot (one in five orders with a voucher)."""
    import random

    from sandbox.simulator.pricing import order_totals
    from sandbox.simulator.pricing import price_line as shop_line
    from sinks.odoo.order_lines import split_voucher

    rng, split = random.Random(13), 0
    for _ in range(1500):
        cart = [shop_line(D(rng.randint(100, 9999)) / 100, rng.randint(1, 5)) for _ in range(rng.randint(1, 4))]
        totals = order_totals(cart, rng.choice([None, D(5), D(10), D("12.5"), D(20)]))
        sent = [
            price_line(
                unit_tax_excl=c.unit_tax_excl,
                unit_tax_incl=c.unit_tax_incl,
                quantity=D(c.quantity),
                total_tax_excl=c.total_tax_excl,
                total_tax_incl=c.total_tax_incl,
                rate=D(20),
            )
            for c in cart
        ]
        if totals.shipping_tax_excl:
            sent.append(
                price_line(
                    unit_tax_excl=totals.shipping_tax_excl,
                    unit_tax_incl=totals.shipping_tax_incl,
                    quantity=D(1),
                    total_tax_excl=totals.shipping_tax_excl,
                    total_tax_incl=totals.shipping_tax_incl,
                    rate=D(20),
                )
            )
        if totals.discount_tax_excl:
            wanted = (-totals.discount_tax_excl, -totals.discount_tax_incl)
            one = price_line(
                unit_tax_excl=wanted[0],
                unit_tax_incl=wanted[1],
                quantity=D(1),
                total_tax_excl=wanted[0],
                total_tax_incl=wanted[1],
                rate=D(20),
            )
            parts = [one] if (one.untaxed, one.total) == wanted else split_voucher(wanted, D(20), [False, True])
            assert parts is not None, wanted
            split += len(parts) > 1
            sent += parts
        untaxed, total = sum((p.untaxed for p in sent), D(0)), sum((p.total for p in sent), D(0))
        assert (untaxed, total) == (totals.paid_tax_excl, totals.paid_tax_incl)
    assert split > 50  # the split is exercised, not just possible


def test_a_voucher_over_two_rates_totals_as_in_the_shop() -> None:
    """An Irish cart of 23 % and 9 % products with a percentage voucher (PrestaShop: round per line, the
    voucher's amounts with and without tax each rounded on its own): the voucher goes as one share per
    rate and the order totals as the shop's, for every cart tried."""
    import random

    from schemas.order import OrderLineItem

    rows = [
        *REAL_TAXES,
        {"id": 8, "name": "9%", "amount": 9.0, "price_include": False},
        {"id": 9, "name": "9% incl", "amount": 9.0, "price_include": True},
    ]
    pricer = LinePricer(book(rows))
    template = _captured_order()
    rng, cent = random.Random(9), D("0.01")
    for _ in range(300):
        items = []
        for n in range(rng.randint(2, 4)):
            rate = D(23) if n % 2 == 0 else D(9)
            unit = D(rng.randint(100, 5000)) / 100
            qty = rng.randint(1, 4)
            unit_incl = (unit * (1 + rate / 100)).quantize(D("0.000001"), ROUND_HALF_UP)
            items.append(
                OrderLineItem(
                    line_origin_id=str(n),
                    sku=f"S{n}",
                    product_origin_id=None,
                    variant_origin_id=None,
                    name=f"S{n}",
                    quantity=D(qty),
                    unit_price_tax_excl=unit,
                    unit_price_tax_incl=unit_incl,
                    total_tax_excl=(unit * qty).quantize(cent, ROUND_HALF_UP),
                    total_tax_incl=(unit_incl * qty).quantize(cent, ROUND_HALF_UP),
                    tax_rate=rate,
                    discount_percent=D(0),
                )
            )
        percent = D(rng.choice([5, 10, 15, 20]))
        excl = sum((i.total_tax_excl for i in items), D(0))
        incl = sum((i.total_tax_incl for i in items), D(0))
        off_excl = (excl * percent / 100).quantize(cent, ROUND_HALF_UP)  # PrestaShop rounds half up
        off_incl = (incl * percent / 100).quantize(cent, ROUND_HALF_UP)
        order = dataclasses.replace(
            template,
            lines=items,
            discounts=[Discount("PCT", off_incl, off_excl, False)],
            shipping=dataclasses.replace(template.shipping, cost_tax_excl=D(0), cost_tax_incl=D(0)),
            total_tax_excl=excl - off_excl,
            total_tax_incl=incl - off_incl,
        )
        priced = pricer.order_lines(order, {i.sku: 1 for i in items}, 98, 99)
        assert totals_differ(order, priced.untaxed, priced.total) is None, (items, off_excl, off_incl)
        rate_of = {3: 23, 4: 23, 8: 9, 9: 9}
        voucher_rates = {rate_of[v["tax_id"][0][2][0]] for _, _, v in priced.lines if v["product_id"] == 99}
        assert voucher_rates == {23, 9}  # one share per rate
