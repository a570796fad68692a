"""An order's currency, carrier and converted prices in Odoo (sinks.odoo.order_terms, sinks.odoo.taxes), and
what `prestasync check` says of the sale setup (prestasync.attach.check_sales).

The orders are the real PrestaShop 8.1.2 trade's (tests/fixtures/real/prestashop-8.1.2/trade/steps.json:
change events of the shop's rows), mapped and assembled by the streams' own code.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import pytest

from prestasync.attach.check_sales import SalesSetup, findings
from schemas.order import Order
from sinks.common.errors import TerminalError
from sinks.odoo.client import OdooClient
from sinks.odoo.order_lines import LinePricer, totals_differ
from sinks.odoo.order_terms import OrderTerms
from sinks.odoo.taxes import TaxBook, odoo_line_totals, price_line
from tests.unit.sinks.odoo.trade_orders import Options, _Odoo, _odoo_taxes, _order

pytestmark = pytest.mark.unit
D = Decimal


def _priced(order: Order) -> tuple[Decimal, Decimal]:
    pricer = LinePricer(TaxBook(cast(OdooClient, _odoo_taxes()), {}, {}))
    priced = pricer.order_lines(order, {line.sku or "": 1 for line in order.lines}, 2, 3)
    return priced.untaxed, priced.total


def test_a_converted_price_finer_than_odoos_goes_as_the_next_cent_with_a_discount() -> None:
    # 6.35 EUR x 0.85 = 5.3975 GBP, 5 of them: the shop says 26.99 / 29.42 (9 %); 5.40 x 5 would be 27.00
    line = price_line(
        unit_tax_excl=D("5.3975"),
        unit_tax_incl=D("5.883275"),
        quantity=D(5),
        total_tax_excl=D("26.99"),
        total_tax_incl=D("29.42"),
        rate=D(9),
    )
    assert (line.price_unit, line.discount, line.untaxed, line.total) == (D("5.40"), D("0.02"), D("26.99"), D("29.42"))
    assert odoo_line_totals(D("5.40"), D(5), D(9), False, 2, D("0.02")) == (D("26.99"), D("29.42"))


def test_a_real_gbp_order_totals_as_in_the_shop() -> None:
    order = _order("05")  # JAR x 5 in GBP, paid carrier
    assert order.currency_origin_id == 2
    assert totals_differ(order, *_priced(order)) is None


def test_a_line_no_odoo_line_can_give_is_refused_naming_the_cent() -> None:
    # JAR x 1 in GBP: 5.40 / 5.88 in the shop (each rounded on its own), 9 % of 5.40 is 0.49 in Odoo
    order = _order("08")
    why = totals_differ(order, *_priced(order))
    assert why is not None and "difference 0.01" in why


def test_each_currency_names_its_pricelist_and_an_unknown_one_is_refused() -> None:
    odoo = _Odoo(
        [
            {"id": 4, "currency_id": [125, "EUR"]},
            {"id": 9, "currency_id": [143, "GBP"]},
            {"id": 5, "currency_id": [143, "GBP"]},
        ]
    )
    terms = OrderTerms(cast(OdooClient, odoo), Options(currency_codes={1: "EUR", 2: "GBP"}))
    assert terms.pricelist(_order("04")) == 4 and terms.pricelist(_order("05")) == 5  # lowest id of GBP
    odoo.calls.clear()
    assert terms.pricelist(_order("05")) == 5 and odoo.calls == []  # found once
    with pytest.raises(TerminalError, match="currency id 2, which currency_codes does not name"):
        OrderTerms(cast(OdooClient, odoo), Options(currency_codes={1: "EUR"})).pricelist(_order("05"))
    with pytest.raises(TerminalError, match=r"no active product\.pricelist in GBP"):
        OrderTerms(cast(OdooClient, _Odoo([])), Options(currency_codes={1: "EUR", 2: "GBP"})).pricelist(_order("05"))
    assert OrderTerms(cast(OdooClient, odoo), Options()).pricelist(_order("05")) is None


def test_a_carrier_has_its_own_shipping_product_or_the_default() -> None:
    terms = OrderTerms(
        cast(OdooClient, _Odoo([])), Options(shipping_product_code="SHIP", shipping_product_codes={2: "SHIP-POST"})
    )
    assert _order("00").shipping.carrier_origin_id == 2 and terms.shipping_code(_order("00")) == "SHIP-POST"
    assert _order("01").shipping.carrier_origin_id == 1 and terms.shipping_code(_order("01")) == "SHIP"
    assert terms.product_codes() == {"SHIP", "SHIP-POST", "DISC-WEB", "ROUND-WEB"}


def _setup(**changes: Any) -> SalesSetup:
    values: dict[str, Any] = {
        "read_from_orders": False,
        "rates": [D("23"), D("9"), D("0")],
        "currencies": {1: "EUR", 2: "GBP"},
        "carriers": {2: "My carrier"},
        "odoo_rates": [D("23"), D("9"), D("0")],
        "odoo_products": {"SHIP-WEB", "DISC-WEB", "ROUND-WEB"},
        "odoo_pricelists": {"EUR": 4, "GBP": 5},
        "odoo_carriers": {1: "Standard delivery", 7: "Post"},
        "payment_methods": ["Wire payment", "Payments by check"],
        "odoo_journals": {6: "Bank", 7: "Cash"},
    }
    return SalesSetup(**(values | changes))


def test_check_names_rates_products_and_currencies_odoo_lacks() -> None:
    options = Options(currency_codes={1: "EUR", 2: "GBP"}, carrier_ids={2: 7})
    assert [f.status for f in findings(_setup(payment_methods=[]), options)] == ["ok", "ok", "ok", "ok", "ok"]
    taxes, products, _, _, currencies = findings(
        _setup(rates=[D("23"), D("13.500")], odoo_products={"SHIP-WEB"}, odoo_pricelists={"EUR": 4}), options
    )
    assert taxes.status == "problem" and "13.5 %" in taxes.detail and "23" not in taxes.detail
    assert products.status == "problem" and "DISC-WEB (voucher)" in products.detail
    assert currencies.status == "problem" and "no active Odoo pricelist in GBP" in currencies.detail
    mapped = findings(_setup(rates=[D("13.5")]), Options(tax_ids={"13.5": 7}, currency_codes={1: "EUR", 2: "GBP"}))
    assert mapped[0].status == "ok"
    two = findings(_setup(), Options())[4]
    assert two.status == "problem" and "EUR, GBP" in two.detail


def test_check_says_when_it_read_the_shop_from_its_orders_only() -> None:
    first = findings(_setup(read_from_orders=True), Options(currency_codes={1: "EUR", 2: "GBP"}))[0]
    assert (first.status, first.check) == ("info", "shop side") and "past orders" in first.detail


def test_check_names_carriers_without_a_delivery_method_and_mapped_ones_odoo_lacks() -> None:
    unmapped = findings(_setup(), Options(currency_codes={1: "EUR", 2: "GBP"}))[2]
    assert unmapped.status == "warning" and "2 My carrier" in unmapped.detail and "7 Post" in unmapped.fix
    wrong = findings(_setup(), Options(carrier_ids={2: 9}))[2]
    assert wrong.status == "problem" and "2 -> 9" in wrong.detail
    no_module = findings(_setup(odoo_carriers=None), Options(carrier_ids={2: 7}))[2]
    assert no_module.status == "problem" and "delivery module is not installed" in no_module.detail


def test_a_mapped_carrier_names_the_delivery_method_and_marks_the_delivery_line() -> None:
    order = _order("00")  # paid carrier 2, shipping 7.00 at 23 %
    pricer = LinePricer(TaxBook(cast(OdooClient, _odoo_taxes()), {}, {}))
    skus = {line.sku or "": 1 for line in order.lines}
    plain = pricer.order_lines(order, skus, 2, 3)
    assert [v.get("is_delivery") for _, _, v in plain.lines if v["product_id"] == 2] == [None]
    marked = pricer.order_lines(order, skus, 2, 3, shipping_is_delivery=True)
    assert [v.get("is_delivery") for _, _, v in marked.lines if v["product_id"] == 2] == [True]
    terms = OrderTerms(cast(OdooClient, _Odoo([])), Options(carrier_ids={2: 7}))
    assert terms.carrier(order) == 7 and terms.carrier(_order("01")) is None  # carrier 1 not mapped


def test_check_names_payment_methods_on_odoos_default_journal_and_mapped_journals_odoo_lacks() -> None:
    unmapped = findings(_setup(), Options(payment_journal_ids={"Wire payment": 6}))[3]
    assert unmapped.status == "info" and "payments by Payments by check go to Odoo's default journal (Bank)" in (
        unmapped.detail
    )
    assert "Wire payment -> Bank" in unmapped.detail
    wrong = findings(_setup(), Options(payment_journal_ids={"Wire payment": 3}))[3]
    assert wrong.status == "problem" and "'Wire payment' -> 3" in wrong.detail
    every = findings(_setup(), Options(payment_journal_ids={"Wire payment": 6, "Payments by check": 7}))[3]
    assert every.status == "ok" and every.detail == "Payments by check -> Cash, Wire payment -> Bank"
