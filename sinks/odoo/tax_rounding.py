"""The tax cent a shop line rounds differently from Odoo, carried by a pair of rounding lines.

PrestaShop (``PS_ROUND_TYPE`` 2, round per line) rounds a line's total without tax and its total with
tax each on its own, so its tax is the difference of two rounded amounts; Odoo 18 (``round_per_line``)
rounds the tax of the line's rounded base. They part by a cent when a unit price has more digits than
Odoo keeps (a converted currency): JAR 6.35 EUR x 0.85 = 5.3975 GBP at 9 %: the shop 5.40 / 5.88 (tax
0.48), Odoo round(5.40 x 9 %) = 0.49 -> 5.40 / 5.89. No unit price, discount or tax mode gives one Odoo
line both of the shop's amounts (docs/REAL_ORDERS.md, real Odoo 18).

The customer's invoice from the shop says 5.40 + 0.48; the merchant's books must say the same. The
correction keeps every product line as the shop priced it (its base, its tax) and adds, on the
configured service product (``erp.rounding_product_code``, default ``ROUND-WEB``), two lines of
opposite base: one at the line's tax whose own tax is the missing cent (-0.06 at 9 %: tax -0.01), and
its counterpart at no tax (+0.06). The order's base is unchanged, its tax is the shop's to the cent, and
the 9 % base in the tax report moves by those few cents with the rounding named on the document. A
correction is only made for a tax-only difference of at most one cent per line of that rate (what
rounding can cause); anything else still fails the order's total check. Without the product (the
setting empty, or no such product in Odoo) the order is dead-lettered naming the cent, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sinks.odoo.taxes import CENT, LinePrice, SaleTax, odoo_line_totals, rate_key

MAX_CENTS = 500  # the search for a base whose tax is the correction: 5.00 of base at most


def correction_lines(
    rate: Decimal, tax_cents: Decimal, taxes: Mapping[bool, SaleTax]
) -> list[tuple[LinePrice, SaleTax | None]] | None:
    """The two lines (at ``rate``, then at no tax) that add ``tax_cents`` of tax and nothing to the base;
    None when no base up to 5.00 gives that tax (a rate too low for it)."""
    if tax_cents == 0:
        return []
    for included in sorted(taxes):  # tax excluded first: the line's price is its base
        for cents in range(1, MAX_CENTS + 1):
            amount = CENT * cents * (1 if tax_cents > 0 else -1)
            untaxed, total = odoo_line_totals(amount, Decimal(1), rate, included)
            if total - untaxed == tax_cents:
                return [
                    (LinePrice(amount, included, untaxed, total), taxes[included]),
                    (LinePrice(-untaxed, False, -untaxed, -untaxed), None),
                ]
            if abs(total - untaxed) > abs(tax_cents):
                break
    return None


class TaxRounding:
    """The tax the shop charged and the tax Odoo will compute, per rate, over the lines as priced."""

    def __init__(self) -> None:
        self.missing: dict[Decimal, Decimal] = {}  # rate -> shop's tax - Odoo's
        self.lines: dict[Decimal, int] = {}
        self.base_differs = False

    def note(self, rate: Decimal, price: LinePrice, total_excl: Decimal, total_incl: Decimal) -> None:
        key = rate_key(rate)
        self.lines[key] = self.lines.get(key, 0) + 1
        if price.untaxed != total_excl:
            self.base_differs = True
            return
        gap = (total_incl - total_excl) - (price.total - price.untaxed)
        if gap:
            self.missing[key] = self.missing.get(key, Decimal(0)) + gap

    def corrections(self) -> dict[Decimal, Decimal]:
        """rate -> tax to add, when every difference is one rounding can make; empty otherwise."""
        if self.base_differs:
            return {}
        found = {r: gap for r, gap in self.missing.items() if gap}
        if any(abs(gap) > CENT * self.lines[r] for r, gap in found.items()):
            return {}
        return found
