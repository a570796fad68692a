"""Order money maths of the simulated shop: PrestaShop's defaults for a French shop.

Round half up (``round_mode`` 2) and round per line (``round_type`` 2, ROUND_LINE, PS_ROUND_TYPE of a
real PrestaShop 8.1.2 install): a line's tax included total is the unit price tax included times the
quantity, rounded to cents (as Odoo's ``round_per_line`` computes it). 20 % VAT on products
and shipping; flat-rate shipping, free from 100.00 of products tax included; an optional percentage
voucher on the products. Pure functions, Decimal only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

VAT_RATE_PERCENT = Decimal("20.000")
CENT = Decimal("0.01")
MICRO = Decimal("0.000001")  # PrestaShop's decimal(20,6) money columns
SHIPPING_TAX_EXCL = Decimal("5.00")
FREE_SHIPPING_FROM_TAX_INCL = Decimal("100.00")


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def add_vat(amount_tax_excl: Decimal) -> Decimal:
    """Tax included amount at 20 %, kept to PrestaShop's 6 decimals."""
    return (amount_tax_excl * (1 + VAT_RATE_PERCENT / 100)).quantize(MICRO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LinePrice:
    unit_tax_excl: Decimal
    unit_tax_incl: Decimal
    quantity: int
    total_tax_excl: Decimal
    total_tax_incl: Decimal
    unit_tax: Decimal  # order_detail_tax.unit_amount
    total_tax: Decimal  # order_detail_tax.total_amount


def price_line(unit_tax_excl: Decimal, quantity: int) -> LinePrice:
    """One cart line: ``unit_tax_excl`` (already the customer's group price) times ``quantity``."""
    if quantity < 1:
        raise ValueError(f"a cart line needs a positive quantity, got {quantity}")
    unit_excl = cents(unit_tax_excl)
    unit_incl = add_vat(unit_excl)
    total_excl = unit_excl * quantity
    total_incl = cents(unit_incl * quantity)
    return LinePrice(
        unit_tax_excl=unit_excl,
        unit_tax_incl=unit_incl,
        quantity=quantity,
        total_tax_excl=total_excl,
        total_tax_incl=total_incl,
        unit_tax=unit_incl - unit_excl,
        total_tax=total_incl - total_excl,
    )


@dataclass(frozen=True)
class OrderTotals:
    products_tax_excl: Decimal
    products_tax_incl: Decimal
    shipping_tax_excl: Decimal
    shipping_tax_incl: Decimal
    discount_tax_excl: Decimal
    discount_tax_incl: Decimal
    paid_tax_excl: Decimal
    paid_tax_incl: Decimal


def order_totals(lines: Sequence[LinePrice], discount_percent: Decimal | None = None) -> OrderTotals:
    """The ``orders`` totals: products + shipping - voucher, tax excluded and included."""
    if not lines:
        raise ValueError("an order needs at least one line")
    products_excl = sum((line.total_tax_excl for line in lines), Decimal(0))
    products_incl = sum((line.total_tax_incl for line in lines), Decimal(0))
    free_shipping = products_incl >= FREE_SHIPPING_FROM_TAX_INCL
    shipping_excl = Decimal("0.00") if free_shipping else SHIPPING_TAX_EXCL
    shipping_incl = cents(add_vat(shipping_excl))
    percent = discount_percent or Decimal(0)
    if not Decimal(0) <= percent <= Decimal(100):
        raise ValueError(f"a voucher percentage is between 0 and 100, got {percent}")
    discount_excl = cents(products_excl * percent / 100)
    discount_incl = cents(products_incl * percent / 100)
    return OrderTotals(
        products_tax_excl=products_excl,
        products_tax_incl=products_incl,
        shipping_tax_excl=shipping_excl,
        shipping_tax_incl=shipping_incl,
        discount_tax_excl=discount_excl,
        discount_tax_incl=discount_incl,
        paid_tax_excl=products_excl + shipping_excl - discount_excl,
        paid_tax_incl=products_incl + shipping_incl - discount_incl,
    )
