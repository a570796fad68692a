"""Shop tax rates -> Odoo sale taxes, and the money maths Odoo 18 applies to a sale order line.

Every line the sink sends (products, shipping, vouchers) carries its tax explicitly (``tax_id``, the
Odoo 18 field of sale.order.line; ``tax_ids`` from 19), so Odoo never falls back to the product's
default tax. A rate maps to an Odoo tax through the configuration (``tax_ids`` / ``tax_ids_included``),
else to the ERP's active sale tax of that percentage (``type_tax_use='sale'``, ``amount_type='percent'``)
whose ``price_include`` matches how the line is sent.

How a line is sent: the shop stores a line's unit price and totals both with and without tax; Odoo
keeps ``price_unit`` to the "Product Price" precision (2 digits by default) and, with the company's
default ``round_per_line``, rounds each line's tax. :func:`price_line` picks the way (tax excluded
with a price-excluded tax, or tax included with a price-included one) for which Odoo's computation
gives back the shop's two line totals. Checked against a real Odoo 18 (docs/REAL_ORDERS.md):
10.00 at 23 % excluded -> 10.00 / 12.30; included -> 8.13 / 10.00; 14.808 x 3 at 20 % included ->
price 14.81, 37.02 / 44.43 (the tax 7.405 rounded half up first, the base is what remains).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sinks.common.errors import TerminalError
from sinks.odoo.client import OdooClient

ACCOUNT_TAX = "account.tax"
CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.001")  # PrestaShop keeps rates as DECIMAL(10,3)


def round_half_up(amount: Decimal, places: Decimal = CENT) -> Decimal:
    return amount.quantize(places, rounding=ROUND_HALF_UP)


def rate_key(rate: Decimal) -> Decimal:
    return round_half_up(rate, RATE_PLACES)


def odoo_line_totals(
    price_unit: Decimal,
    quantity: Decimal,
    rate: Decimal,
    included: bool,
    price_digits: int = 2,
    discount: Decimal = Decimal(0),
) -> tuple[Decimal, Decimal]:
    """(untaxed, total) of one sale.order.line as Odoo 18 computes it with ``round_per_line``
    (``discount`` in percent: the base is the unit price reduced, times the quantity)."""
    price = round_half_up(price_unit, Decimal(1).scaleb(-price_digits))
    raw = round_half_up(price * (1 - discount / 100) * quantity)
    share = rate / 100
    if included:
        tax = round_half_up(raw - raw / (1 + share))
        return raw - tax, raw
    return raw, raw + round_half_up(raw * share)


@dataclass(frozen=True)
class LinePrice:
    """How one line goes to Odoo: the unit price sent and whether it includes the tax."""

    price_unit: Decimal
    included: bool
    untaxed: Decimal  # what Odoo will compute from it
    total: Decimal
    discount: Decimal = Decimal(0)  # percent, when no unit price of the ERP's precision gives the shop's totals


def price_line(
    *,
    unit_tax_excl: Decimal,
    unit_tax_incl: Decimal,
    quantity: Decimal,
    total_tax_excl: Decimal,
    total_tax_incl: Decimal,
    rate: Decimal,
    price_digits: int = 2,
    available: Iterable[bool] = (False, True),
) -> LinePrice:
    """The way of sending the line (among the ``available`` ones: the taxes the ERP has) whose Odoo
    totals equal the shop's to the cent; if none does, the first available one (the order's total
    check then refuses it, naming the difference)."""
    wanted = (round_half_up(total_tax_excl), round_half_up(total_tax_incl))
    tries = [included for included in (False, True) if included in set(available)]
    if not tries:
        raise ValueError("no way of sending the line is available")
    # an exact unit price first: the one Odoo keeps without rounding it
    step = Decimal(1).scaleb(-price_digits)
    tries.sort(
        key=lambda inc: (
            round_half_up(unit_tax_incl if inc else unit_tax_excl, step) != (unit_tax_incl if inc else unit_tax_excl)
        )
    )
    options = []
    for included in tries:
        price = unit_tax_incl if included else unit_tax_excl
        untaxed, total = odoo_line_totals(price, quantity, rate, included, price_digits)
        option = LinePrice(price, included, untaxed, total)
        if (untaxed, total) == wanted:
            return option
        options.append(option)
    # a unit price finer than the ERP keeps (a converted currency: 6.35 x 0.85 = 5.3975 x 5 = 26.99): the
    # next price up, reduced by the smallest discount (2 digits, Odoo's "Discount") that gives both totals
    for included in tries:
        unit = unit_tax_incl if included else unit_tax_excl
        price = round_half_up(unit, step)
        price = price + step if price < unit else price
        for hundredths in range(1, 500):
            discount = Decimal(hundredths) / 100
            untaxed, total = odoo_line_totals(price, quantity, rate, included, price_digits, discount)
            if (untaxed, total) == wanted:
                return LinePrice(price, included, untaxed, total, discount)
            if abs(untaxed if not included else total) < abs(wanted[1] if included else wanted[0]):
                break
    # none gives both: the one that keeps the shop's base, so only its tax cent is left (tax_rounding)
    return next((o for o in options if o.untaxed == wanted[0]), options[0])


@dataclass(frozen=True)
class SaleTax:
    id: int
    name: str
    rate: Decimal
    included: bool


class TaxBook:
    """The ERP's sale taxes by (rate, price included), read once and again when a rate is missing
    (a tax created in the ERP after the sink started); the configured ids win over the search."""

    def __init__(
        self, client: OdooClient, configured: Mapping[str, int], configured_included: Mapping[str, int]
    ) -> None:
        self.client = client
        self.configured = {rate_key(Decimal(k)): v for k, v in configured.items()}
        self.configured_included = {rate_key(Decimal(k)): v for k, v in configured_included.items()}
        self._lock = threading.Lock()
        self._by_rate: dict[tuple[Decimal, bool], SaleTax] | None = None

    def _load(self) -> dict[tuple[Decimal, bool], SaleTax]:
        rows = self.client.search_read(
            ACCOUNT_TAX,
            [("type_tax_use", "=", "sale"), ("amount_type", "=", "percent")],
            ["id", "name", "amount", "price_include"],
        )
        taxes = [
            SaleTax(int(r["id"]), str(r["name"]), rate_key(Decimal(str(r["amount"]))), bool(r["price_include"]))
            for r in rows
        ]
        by_id = {t.id: t for t in taxes}
        found: dict[tuple[Decimal, bool], SaleTax] = {}
        for tax in sorted(taxes, key=lambda t: t.id, reverse=True):  # the oldest tax of a rate wins
            found[(tax.rate, tax.included)] = tax
        for included, mapping in ((False, self.configured), (True, self.configured_included)):
            for rate, tax_id in mapping.items():
                known = by_id.get(tax_id)
                if known is None or known.included != included:
                    raise TerminalError(
                        f"odoo: configured sale tax {tax_id} for {rate} % is not an active percent "
                        f"sale tax {'included in' if included else 'excluded from'} the price"
                    )
                found[(rate, included)] = SaleTax(known.id, known.name, rate, included)
        return found

    def taxes(self, rate: Decimal, *, refresh: bool = False) -> dict[bool, SaleTax]:
        """The ERP's taxes of ``rate`` by price_include (empty if the ERP has none)."""
        key = rate_key(rate)
        with self._lock:
            if self._by_rate is None or refresh:
                self._by_rate = self._load()
            found = {inc: self._by_rate[(key, inc)] for inc in (False, True) if (key, inc) in self._by_rate}
        if not found and not refresh:
            return self.taxes(rate, refresh=True)
        return found

    def rates(self) -> list[tuple[Decimal, bool, int]]:
        with self._lock:
            if self._by_rate is None:
                self._by_rate = self._load()
            return sorted((rate, inc, t.id) for (rate, inc), t in self._by_rate.items())


def tax_command(tax: SaleTax | None) -> list[Any]:
    """The ``tax_id`` value of a line: exactly this tax (none: explicitly no tax, never the default)."""
    return [(6, 0, [tax.id] if tax else [])]
