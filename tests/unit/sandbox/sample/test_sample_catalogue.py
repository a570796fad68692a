"""The sample catalogue's data rules, EAN-13 check digits, the order money maths and the run schedule."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from sandbox.sample import CATALOGUE, CUSTOMER_GROUPS, ean13_check_digit, is_valid_ean13
from sandbox.sample.catalogue import all_variants
from sandbox.simulator.pricing import order_totals, price_line
from sandbox.simulator.runner import ORDER, STOCK_MOVE, schedule

pytestmark = pytest.mark.unit


def test_ean13_check_digit_of_known_barcodes():
    # Published GS1 examples: 400638133393-1 and 590123412345-7.
    assert ean13_check_digit("400638133393") == 1
    assert ean13_check_digit("590123412345") == 7
    assert is_valid_ean13("4006381333931")
    assert not is_valid_ean13("4006381333932")
    assert not is_valid_ean13("400638133393")
    assert not is_valid_ean13("40063813339X1")
    with pytest.raises(ValueError):
        ean13_check_digit("12345")


def test_every_catalogue_barcode_is_a_valid_unique_in_store_ean13():
    barcodes = [variant.ean13 for _product, variant in all_variants()]
    assert all(is_valid_ean13(code) for code in barcodes)
    assert len(set(barcodes)) == len(barcodes)
    # GS1 prefixes 200-299 are for restricted (in-store) circulation: no clash with real products.
    assert all(code.startswith("2") for code in barcodes)


def test_catalogue_shape():
    assert 6 <= len(CATALOGUE) <= 12
    skus = [variant.sku for _product, variant in all_variants()]
    assert len(set(skus)) == len(skus)
    references = [product.reference for product in CATALOGUE]
    assert len(set(references)) == len(references)
    assert sum(product.has_combinations for product in CATALOGUE) >= 3
    for product in CATALOGUE:
        assert isinstance(product.price, Decimal) and product.price > product.cost > 0
        assert product.weight_kg > 0 and product.features
        assert set(product.group_prices) <= set(CUSTOMER_GROUPS)
        assert all(Decimal(0) < price < product.price for price in product.group_prices.values())
        if not product.has_combinations:
            assert [variant.sku for variant in product.variants] == [product.reference]
    assert CUSTOMER_GROUPS == ("Retail", "Wholesale", "VIP")


def test_line_price_rounds_per_line_at_20_percent():
    line = price_line(Decimal("19.90"), 3)
    assert line.unit_tax_incl == Decimal("23.880000")
    assert line.total_tax_excl == Decimal("59.70")
    assert line.total_tax_incl == Decimal("71.64")
    assert line.total_tax == Decimal("11.94")
    odd = price_line(Decimal("4.21"), 2)  # 5.052 incl x 2 = 10.104: the line rounded, to 10.10
    assert odd.unit_tax_incl == Decimal("5.052000")
    assert odd.total_tax_incl == Decimal("10.10")
    three = price_line(Decimal("4.21"), 3)  # 15.156 -> 15.16 (per item it would be 5.05 x 3 = 15.15)
    assert three.total_tax_incl == Decimal("15.16")
    with pytest.raises(ValueError):
        price_line(Decimal("1"), 0)


def test_order_totals_with_shipping_and_voucher():
    lines = [price_line(Decimal("19.90"), 1), price_line(Decimal("9.50"), 2)]
    totals = order_totals(lines, Decimal(10))
    assert totals.products_tax_excl == Decimal("38.90")
    assert totals.products_tax_incl == Decimal("46.68")
    assert (totals.shipping_tax_excl, totals.shipping_tax_incl) == (Decimal("5.00"), Decimal("6.00"))
    assert (totals.discount_tax_excl, totals.discount_tax_incl) == (Decimal("3.89"), Decimal("4.67"))
    assert totals.paid_tax_incl == Decimal("48.01")
    assert totals.paid_tax_excl == Decimal("40.01")


def test_free_shipping_from_100_tax_included():
    totals = order_totals([price_line(Decimal("49.00"), 2)])
    assert totals.products_tax_incl == Decimal("117.60")
    assert totals.shipping_tax_incl == Decimal("0.00")
    assert totals.paid_tax_incl == totals.products_tax_incl


def test_even_schedule_counts_exactly():
    slots = list(schedule(6, 4, 120, "1", spacing="even"))
    assert sum(slot.stream == ORDER for slot in slots) == 12
    assert sum(slot.stream == STOCK_MOVE for slot in slots) == 8
    assert [slot.at_s for slot in slots] == sorted(slot.at_s for slot in slots)
    assert all(0 <= slot.at_s < 120 for slot in slots)


def test_poisson_schedule_is_seeded_and_near_the_rate():
    first = list(schedule(30, 0, 600, "seed-7"))
    again = list(schedule(30, 0, 600, "seed-7"))
    other = list(schedule(30, 0, 600, "seed-8"))
    assert first == again
    assert first != other
    # 300 expected; a Poisson count is within +-25 % with overwhelming probability (sd ~ 17).
    assert 225 <= len(first) <= 375
    assert list(schedule(0, 0, 600, "1")) == []
    with pytest.raises(ValueError):
        schedule(1, -1, 60, "1")


def test_endless_schedule_is_drawn_lazily_in_time_order():
    """The demo's default (no duration): the schedule is a generator, so its first arrivals come at once
    and it never holds the run's future in memory (it drew every arrival up front and ate the machine)."""
    slots = schedule(30, 30, None, "seed-7")
    first = list(itertools.islice(slots, 10_000))
    assert len(first) == 10_000
    assert [slot.at_s for slot in first] == sorted(slot.at_s for slot in first)
    assert {slot.stream for slot in first} == {ORDER, STOCK_MOVE}
    # 10,000 arrivals at 60/min take ~10,000 s: far past any finite default.
    assert first[-1].at_s > 8_000
