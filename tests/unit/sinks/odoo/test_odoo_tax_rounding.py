"""The tax cent a converted price rounds apart in the shop and in Odoo, carried by rounding lines
(sinks.odoo.tax_rounding), on the real PrestaShop 8.1.2 trade's GBP order (steps.json, order 08:
guest3's BOOK + JAR x 1 in GBP, JAR 5.3975 -> the shop's 5.40 / 5.88 at 9 %).
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

import pytest

from sinks.odoo.client import OdooClient
from sinks.odoo.order_lines import LinePricer, totals_differ
from sinks.odoo.tax_rounding import TaxRounding, correction_lines
from sinks.odoo.taxes import LinePrice, SaleTax, TaxBook, odoo_line_totals
from tests.unit.sinks.odoo.trade_orders import _odoo_taxes, _order

pytestmark = pytest.mark.unit
D = Decimal
NINE = {False: SaleTax(8, "PS 9% (excl)", D(9), False), True: SaleTax(9, "PS 9% (incl)", D(9), True)}


def test_the_pair_adds_the_cent_of_tax_and_no_base() -> None:
    lines = correction_lines(D(9), D("-0.01"), NINE)
    assert lines is not None
    (taxed, tax), (base, no_tax) = lines
    assert (taxed.price_unit, taxed.untaxed, taxed.total, tax) == (D("-0.06"), D("-0.06"), D("-0.07"), NINE[False])
    assert odoo_line_totals(D("-0.06"), D(1), D(9), False) == (D("-0.06"), D("-0.07"))  # 0.0054 rounds to 0.01
    assert (base.price_unit, base.untaxed, base.total, no_tax) == (D("0.06"), D("0.06"), D("0.06"), None)
    up = correction_lines(D(23), D("0.02"), {False: SaleTax(3, "PS 23% (excl)", D(23), False)})
    assert up is not None and [p.price_unit for p, _ in up] == [D("0.07"), D("-0.07")]  # 0.0161 -> 0.02
    assert correction_lines(D(9), D(0), NINE) == []


def test_only_a_tax_cent_per_line_is_corrected() -> None:
    rounding = TaxRounding()
    rounding.note(D(9), LinePrice(D("5.40"), False, D("5.40"), D("5.89")), D("5.40"), D("5.88"))
    assert rounding.corrections() == {D("9.000"): D("-0.01")}
    rounding.note(D(9), LinePrice(D("1.00"), False, D("1.00"), D("1.09")), D("1.00"), D("1.07"))
    assert rounding.corrections() == {}  # 3 cents over two lines: not rounding, the total check refuses it
    base = TaxRounding()
    base.note(D(9), LinePrice(D("5.39"), True, D("5.39"), D("5.88")), D("5.40"), D("5.88"))
    assert base.corrections() == {}  # a base the shop did not charge is never corrected


def test_the_real_gbp_order_lands_to_the_cent_with_the_rounding_lines() -> None:
    order = _order("08")
    pricer = LinePricer(TaxBook(cast(OdooClient, _odoo_taxes()), {}, {}))
    skus = {line.sku or "": 1 for line in order.lines}
    refused = pricer.order_lines(order, skus, 2, 3)
    assert "difference 0.01" in (totals_differ(order, refused.untaxed, refused.total) or "")  # no product: refused
    priced = pricer.order_lines(order, skus, 2, 3, rounding_product_id=4)
    assert totals_differ(order, priced.untaxed, priced.total) is None
    rounding = [v for _, _, v in priced.lines if v["product_id"] == 4]
    assert [(v["name"], v["price_unit"], v["tax_id"]) for v in rounding] == [
        ("Tax rounding 9 %", D("-0.06"), [(6, 0, [8])]),
        ("Tax rounding 9 % (base)", D("0.06"), [(6, 0, [])]),
    ]
    product_lines = [v for _, _, v in priced.lines if v["product_id"] == 1]
    assert len(product_lines) == len(order.lines)  # the shop's lines untouched
    paid_gbp = _order("05")  # JAR x 5: exact with a discount, no rounding line
    exact = pricer.order_lines(paid_gbp, {line.sku or "": 1 for line in paid_gbp.lines}, 2, 3, 4)
    assert all(v["product_id"] != 4 for _, _, v in exact.lines)
