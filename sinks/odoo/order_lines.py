"""The lines of a new sale.order as the shop priced them: products, shipping and vouchers, each with
its tax (``sinks.odoo.taxes``), and the totals Odoo will compute from them.

An order whose lines cannot give the shop's totals is refused here, before anything is created;
the sink still reads Odoo's own totals back after the create (``orders.OrderWriter``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from schemas.order import Order
from sinks.common.errors import TerminalError
from sinks.odoo.taxes import (
    CENT,
    LinePrice,
    SaleTax,
    TaxBook,
    odoo_line_totals,
    price_line,
    rate_key,
    round_half_up,
    tax_command,
)

Values = dict[str, Any]


@dataclass
class PricedLines:
    lines: list[tuple[int, int, Values]] = field(default_factory=list)
    untaxed: Decimal = Decimal(0)
    total: Decimal = Decimal(0)

    def add(self, values: Values, price: LinePrice, tax: SaleTax | None) -> None:
        values.update(price_unit=price.price_unit, tax_id=tax_command(tax))
        self.lines.append((0, 0, values))
        self.untaxed += price.untaxed
        self.total += price.total


def implied_rate(tax_excl: Decimal, tax_incl: Decimal) -> Decimal:
    """A rate from two amounts (shipping of a record without its carrier rate, a voucher)."""
    if tax_excl == 0 or tax_excl == tax_incl:
        return Decimal(0)
    return rate_key((tax_incl / tax_excl - 1) * 100)


def shop_rate(stated: Decimal | None, tax_excl: Decimal, tax_incl: Decimal) -> Decimal:
    """The rate the shop applied: the one it states, unless it states none or 0 % for amounts that
    differ (PrestaShop's demo orders: carrier_tax_rate 0.000 on 7.00 / 8.40 of shipping; rows not
    written by validateOrder), then the one its amounts imply (6-decimal unit prices: exact)."""
    implied = implied_rate(tax_excl, tax_incl)
    if stated is None or (rate_key(stated) == 0 and implied != 0):
        return implied
    return stated


class LinePricer:
    def __init__(self, taxes: TaxBook, price_digits: int = 2) -> None:
        self.taxes = taxes
        self.price_digits = price_digits

    def _priced(self, what: str, *, rate: Decimal, unit_excl: Decimal, unit_incl: Decimal, quantity: Decimal,
                total_excl: Decimal, total_incl: Decimal) -> tuple[LinePrice, SaleTax | None]:
        found = self.taxes.taxes(rate)
        if not found and rate_key(rate) != 0:
            raise TerminalError(f"odoo: no Odoo sale tax for the shop's rate {rate_key(rate)} % ({what}): create "
                                "a percent sale tax of that rate in the ERP or map it (odoo sink tax_ids)")
        available = list(found) if found else [False, True]  # 0 % with no 0 % tax: explicitly no tax
        price = price_line(unit_tax_excl=unit_excl, unit_tax_incl=unit_incl, quantity=quantity,
                           total_tax_excl=total_excl, total_tax_incl=total_incl, rate=rate,
                           price_digits=self.price_digits, available=available)
        return price, found.get(price.included)

    def order_lines(self, order: Order, product_ids: Mapping[str, int], shipping_product_id: int | None,
                    discount_product_id: int | None) -> PricedLines:
        priced = PricedLines()
        for item in order.lines:
            if item.sku is None or item.sku not in product_ids:
                raise TerminalError(f"odoo: unknown reference: no ERP product for line {item.line_origin_id} "
                                    f"(SKU {item.sku!r})")
            rate = shop_rate(item.tax_rate, item.unit_price_tax_excl, item.unit_price_tax_incl)
            price, tax = self._priced(
                f"line {item.line_origin_id} {item.sku}", rate=rate, unit_excl=item.unit_price_tax_excl,
                unit_incl=item.unit_price_tax_incl, quantity=item.quantity, total_excl=item.total_tax_excl,
                total_incl=item.total_tax_incl)
            # the shop's unit prices are already reduced (reduction_percent only says by how much)
            priced.add({"product_id": product_ids[item.sku], "name": item.name, "product_uom_qty": item.quantity,
                        "discount": Decimal(0)}, price, tax)
        shipping = order.shipping
        if shipping_product_id is not None and shipping.cost_tax_excl:
            rate = shop_rate(shipping.tax_rate, shipping.cost_tax_excl, shipping.cost_tax_incl)
            price, tax = self._priced("shipping", rate=rate, unit_excl=shipping.cost_tax_excl,
                                      unit_incl=shipping.cost_tax_incl, quantity=Decimal(1),
                                      total_excl=shipping.cost_tax_excl, total_incl=shipping.cost_tax_incl)
            priced.add({"product_id": shipping_product_id, "name": "Shipping", "product_uom_qty": Decimal(1)},
                       price, tax)
        if discount_product_id is not None:
            known = {rate_key(shop_rate(i.tax_rate, i.unit_price_tax_excl, i.unit_price_tax_incl)) for i in order.lines}
            # a free-shipping voucher carries the carrier's tax
            known.add(rate_key(shop_rate(shipping.tax_rate, shipping.cost_tax_excl, shipping.cost_tax_incl)))
            for discount in order.discounts:
                rate = _closest(implied_rate(discount.amount_tax_excl, discount.amount_tax_incl), known)
                price, tax = self._priced(
                    f"voucher {discount.name}", rate=rate, unit_excl=-discount.amount_tax_excl,
                    unit_incl=-discount.amount_tax_incl, quantity=Decimal(1), total_excl=-discount.amount_tax_excl,
                    total_incl=-discount.amount_tax_incl)
                wanted = (-round_half_up(discount.amount_tax_excl), -round_half_up(discount.amount_tax_incl))
                modes = [price.included] + [m for m in self.taxes.taxes(rate) if m != price.included]
                parts = [price] if (price.untaxed, price.total) == wanted else split_voucher(
                    wanted, rate, modes) or [price]
                if parts[0].included != price.included:
                    tax = self.taxes.taxes(rate).get(parts[0].included, tax)  # the split's own way
                for part in parts:
                    priced.add({"product_id": discount_product_id, "name": discount.name,
                                "product_uom_qty": Decimal(1)}, part, tax)
        return priced


def split_voucher(wanted: tuple[Decimal, Decimal], rate: Decimal, modes: list[bool]) -> list[LinePrice] | None:
    """A few lines of one voucher whose per-line rounding gives the shop's two amounts, when one line
    cannot: the shop rounds a percentage voucher's amounts with and without tax each on its own
    (``CartRule::getContextualValue``), Odoo derives one from the other per line. Equal small parts
    and the rest, the fewest lines first; None if no split up to 4 lines does."""
    untaxed, total = wanted
    for parts in (2, 3, 4):
        for inc in modes:  # the ways the ERP has a tax for (price excluded / included)
            whole = total if inc else untaxed
            step = CENT.copy_sign(whole)
            for cents in range(1, min(int(abs(whole) / CENT) // parts + 1, 500)):
                amounts = [step * cents] * (parts - 1)
                amounts.append(whole - sum(amounts, Decimal(0)))
                lines = [LinePrice(a, inc, *odoo_line_totals(a, Decimal(1), rate, inc)) for a in amounts]
                if (sum(p.untaxed for p in lines), sum(p.total for p in lines)) == wanted:
                    return lines
    return None


def _closest(rate: Decimal, known: set[Decimal]) -> Decimal:
    """A voucher's rate is one of its order's rates (its amounts, rounded to cents, only approach it)."""
    if rate == 0 or not known:
        return rate
    best = min(known, key=lambda k: abs(k - rate))
    return best if abs(best - rate) <= Decimal("0.5") else rate


def totals_differ(order: Order, untaxed: Decimal, total: Decimal) -> str | None:
    """Why Odoo's totals are not the shop's (to the cent), or None when they are."""
    shop_excl, shop_incl = round_half_up(order.total_tax_excl), round_half_up(order.total_tax_incl)
    untaxed, total = round_half_up(untaxed), round_half_up(total)
    if (untaxed, total) == (shop_excl, shop_incl):
        return None
    return (f"Odoo amount_total {total} vs shop total_paid_tax_incl {shop_incl} (difference {total - shop_incl}), "
            f"Odoo amount_untaxed {untaxed} vs shop total_paid_tax_excl {shop_excl} "
            f"(difference {untaxed - shop_excl})")
