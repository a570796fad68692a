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
from sinks.odoo.tax_rounding import TaxRounding, correction_lines
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
        if price.discount:
            values["discount"] = price.discount
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

    def _priced(
        self,
        what: str,
        *,
        rate: Decimal,
        unit_excl: Decimal,
        unit_incl: Decimal,
        quantity: Decimal,
        total_excl: Decimal,
        total_incl: Decimal,
    ) -> tuple[LinePrice, SaleTax | None]:
        found = self.taxes.taxes(rate)
        if not found and rate_key(rate) != 0:
            raise TerminalError(
                f"odoo: no Odoo sale tax for the shop's rate {rate_key(rate)} % ({what}): create "
                "a percent sale tax of that rate in the ERP or map it (odoo sink tax_ids)"
            )
        available = list(found) if found else [False, True]  # 0 % with no 0 % tax: explicitly no tax
        price = price_line(
            unit_tax_excl=unit_excl,
            unit_tax_incl=unit_incl,
            quantity=quantity,
            total_tax_excl=total_excl,
            total_tax_incl=total_incl,
            rate=rate,
            price_digits=self.price_digits,
            available=available,
        )
        return price, found.get(price.included)

    def order_lines(
        self,
        order: Order,
        product_ids: Mapping[str, int],
        shipping_product_id: int | None,
        discount_product_id: int | None,
        rounding_product_id: int | None = None,
        *,
        shipping_is_delivery: bool = False,
    ) -> PricedLines:
        priced = PricedLines()
        rounding = TaxRounding()
        for item in order.lines:
            if item.sku is None or item.sku not in product_ids:
                raise TerminalError(
                    f"odoo: unknown reference: no ERP product for line {item.line_origin_id} (SKU {item.sku!r})"
                )
            rate = shop_rate(item.tax_rate, item.unit_price_tax_excl, item.unit_price_tax_incl)
            price, tax = self._priced(
                f"line {item.line_origin_id} {item.sku}",
                rate=rate,
                unit_excl=item.unit_price_tax_excl,
                unit_incl=item.unit_price_tax_incl,
                quantity=item.quantity,
                total_excl=item.total_tax_excl,
                total_incl=item.total_tax_incl,
            )
            rounding.note(rate, price, round_half_up(item.total_tax_excl), round_half_up(item.total_tax_incl))
            # the shop's unit prices are already reduced (reduction_percent only says by how much)
            priced.add(
                {
                    "product_id": product_ids[item.sku],
                    "name": item.name,
                    "product_uom_qty": item.quantity,
                    "discount": Decimal(0),
                },
                price,
                tax,
            )
        shipping = order.shipping
        if shipping_product_id is not None and shipping.cost_tax_excl:
            rate = shop_rate(shipping.tax_rate, shipping.cost_tax_excl, shipping.cost_tax_incl)
            price, tax = self._priced(
                "shipping",
                rate=rate,
                unit_excl=shipping.cost_tax_excl,
                unit_incl=shipping.cost_tax_incl,
                quantity=Decimal(1),
                total_excl=shipping.cost_tax_excl,
                total_incl=shipping.cost_tax_incl,
            )
            rounding.note(rate, price, round_half_up(shipping.cost_tax_excl), round_half_up(shipping.cost_tax_incl))
            line: Values = {"product_id": shipping_product_id, "name": "Shipping", "product_uom_qty": Decimal(1)}
            if shipping_is_delivery:  # the order names its carrier: this is its delivery line (``delivery``)
                line["is_delivery"] = True
            priced.add(line, price, tax)
        if discount_product_id is not None:
            bases: dict[Decimal, Decimal] = {}
            for item in order.lines:
                line_rate = rate_key(shop_rate(item.tax_rate, item.unit_price_tax_excl, item.unit_price_tax_incl))
                bases[line_rate] = bases.get(line_rate, Decimal(0)) + item.total_tax_excl
            known = set(bases)
            if shipping.cost_tax_excl:  # a free-shipping voucher carries the carrier's tax
                known.add(rate_key(shop_rate(shipping.tax_rate, shipping.cost_tax_excl, shipping.cost_tax_incl)))
            for discount in order.discounts:
                excl, incl = round_half_up(discount.amount_tax_excl), round_half_up(discount.amount_tax_incl)
                own = _own_rate(excl, incl, known)
                mixed = len(bases) > 1 and not (discount.free_shipping and own is not None)  # free shipping: its tax
                shared = self._shared_voucher(discount.name, excl, incl, bases) if mixed else None
                if shared is not None and (shared[1] or own is None):  # a voucher over products of several rates
                    lines = shared[0]
                else:
                    lines, _ = self._voucher(
                        discount.name, own if own is not None else implied_rate(excl, incl), excl, incl
                    )
                for part, tax in lines:
                    priced.add(
                        {"product_id": discount_product_id, "name": discount.name, "product_uom_qty": Decimal(1)},
                        part,
                        tax,
                    )
        if rounding_product_id is not None:
            self._round_taxes(priced, rounding, rounding_product_id)
        return priced

    def _round_taxes(self, priced: PricedLines, rounding: TaxRounding, product_id: int) -> None:
        """The tax cents the shop's per-line rounding gave and Odoo's does not (``sinks.odoo.tax_rounding``)."""
        for rate, cents in sorted(rounding.corrections().items()):
            lines = correction_lines(rate, cents, self.taxes.taxes(rate))
            for part, tax in lines or []:
                name = f"Tax rounding {rate.normalize():f} %" + ("" if tax else " (base)")
                priced.add({"product_id": product_id, "name": name, "product_uom_qty": Decimal(1)}, part, tax)

    def _voucher(
        self, name: str, rate: Decimal, excl: Decimal, incl: Decimal
    ) -> tuple[list[tuple[LinePrice, SaleTax | None]], bool]:
        """The voucher's line(s) at one rate, and whether Odoo gives back both its amounts."""
        price, tax = self._priced(
            f"voucher {name}",
            rate=rate,
            unit_excl=-excl,
            unit_incl=-incl,
            quantity=Decimal(1),
            total_excl=-excl,
            total_incl=-incl,
        )
        wanted = (-excl, -incl)
        if (price.untaxed, price.total) == wanted:
            return [(price, tax)], True
        modes = [price.included] + [m for m in self.taxes.taxes(rate) if m != price.included]
        parts = split_voucher(wanted, rate, modes)
        if parts is None:
            return [(price, tax)], False
        own = self.taxes.taxes(rate).get(parts[0].included, tax)  # the split's own way
        return [(part, own) for part in parts], True

    def _shared_voucher(
        self, name: str, excl: Decimal, incl: Decimal, bases: dict[Decimal, Decimal]
    ) -> tuple[list[tuple[LinePrice, SaleTax | None]], bool]:
        """One share per rate; the tax cents the shop's own rounding put elsewhere are moved between the
        first and the last share until every share comes out of Odoo as sent."""
        shares = voucher_shares(excl, incl, bases)
        first: list[tuple[LinePrice, SaleTax | None]] = []
        for shift in (0, 1, -1, 2, -2, 3, -3):
            moved = CENT * shift
            tried = [
                (r, e, i + (moved if n == 0 else -moved if n == len(shares) - 1 else 0))
                for n, (r, e, i) in enumerate(shares)
            ]
            lines: list[tuple[LinePrice, SaleTax | None]] = []
            exact = True
            for rate, share_excl, share_incl in tried:
                part, ok = self._voucher(name, rate, share_excl, share_incl)
                lines += part
                exact &= ok
            if exact:
                return lines, True
            first = first or lines
        return first, False  # the order's total check names the difference


def voucher_shares(
    excl: Decimal, incl: Decimal, bases: dict[Decimal, Decimal]
) -> list[tuple[Decimal, Decimal, Decimal]]:
    """A voucher over products of several rates, as PrestaShop reduces each product: its amount without
    tax in proportion to the products' (by rate), each share's tax at its rate; the last share takes
    what rounding left, so the shares add up to the voucher's two amounts."""
    total = sum(bases.values(), Decimal(0))
    rates = sorted(bases)
    shares = []
    for rate in rates[:-1]:
        part = round_half_up(excl * bases[rate] / total) if total else Decimal(0)
        shares.append((rate, part, part + round_half_up(part * rate / 100)))
    last_excl = excl - sum((s[1] for s in shares), Decimal(0))
    last_incl = incl - sum((s[2] for s in shares), Decimal(0))
    return [*shares, (rates[-1], last_excl, last_incl)]


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


def _own_rate(excl: Decimal, incl: Decimal, known: set[Decimal]) -> Decimal | None:
    """The one rate of the order a voucher's two amounts agree with (to the rounding of its amounts:
    2 cents), or None: a voucher over products of several rates."""
    if excl == incl:
        return Decimal(0)
    fits = [r for r in known if abs(excl + round_half_up(excl * r / 100) - incl) <= Decimal("0.02")]
    return min(fits, key=lambda r: abs(excl + excl * r / 100 - incl)) if fits else None


def totals_differ(order: Order, untaxed: Decimal, total: Decimal) -> str | None:
    """Why Odoo's totals are not the shop's (to the cent), or None when they are."""
    shop_excl, shop_incl = round_half_up(order.total_tax_excl), round_half_up(order.total_tax_incl)
    untaxed, total = round_half_up(untaxed), round_half_up(total)
    if (untaxed, total) == (shop_excl, shop_incl):
        return None
    return (
        f"Odoo amount_total {total} vs shop total_paid_tax_incl {shop_incl} (difference {total - shop_incl}), "
        f"Odoo amount_untaxed {untaxed} vs shop total_paid_tax_excl {shop_excl} "
        f"(difference {untaxed - shop_excl})"
    )
