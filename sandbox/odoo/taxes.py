"""The twin's tax engine: percent taxes on sale order lines as Odoo 18's ``account.tax`` computes them
with the company's default ``round_per_line`` (``_add_tax_details_in_base_line`` then
``_round_base_lines_tax_details``).

A tax excluded from the price adds ``round(base x rate)``; a tax included in it is taken out of the
rounded line total: its amount ``round(total - total / (1 + rate))`` first (half up), the base is what
remains. ``price_unit`` is kept to the "Product Price" precision (2 digits), as Odoo stores it. A line
created without ``tax_id`` gets the company's default sale tax, as a real Odoo applies the product's
default tax (the generic chart's 15 %). Checked against a real Odoo 18 (docs/REAL_ORDERS.md).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.odoo.orm import Env

CENT = Decimal("0.01")
PRICE_DIGITS = Decimal("0.01")  # decimal.precision "Product Price"


def _round(amount: Decimal, places: Decimal = CENT) -> Decimal:
    return amount.quantize(places, rounding=ROUND_HALF_UP)


def round_price(price_unit: Decimal) -> Decimal:
    return _round(price_unit, PRICE_DIGITS)


def tax_ids_after(current: list[int], commands: Any) -> list[int]:
    """The ids a many2many holds after Odoo's commands (or a plain list of ids)."""
    wanted = list(current)
    for command in commands or []:
        if isinstance(command, int):
            wanted.append(command)
        elif command[0] == 6:
            wanted = [int(i) for i in command[2]]
        elif command[0] == 5:
            wanted = []
        elif command[0] == 4:
            wanted.append(int(command[1]))
        elif command[0] == 3:
            wanted = [i for i in wanted if i != int(command[1])]
    return list(dict.fromkeys(wanted))


def default_sale_taxes(env: Env, company_id: Any) -> list[int]:
    rows = env.fetch(
        "SELECT account_sale_tax_id FROM res_company WHERE id = %s AND account_sale_tax_id IS NOT NULL",
        (company_id or 1,),
    )
    return [int(rows[0][0])] if rows else []


def line_amounts(
    env: Env, price_unit: Decimal, quantity: Decimal, discount: Decimal, tax_ids: list[int]
) -> dict[str, Decimal]:
    """price_subtotal / price_tax / price_total / price_reduce_* of one line."""
    unit = round_price(price_unit) * (1 - discount / 100)
    raw = _round(unit * quantity)
    taxes = (
        env.fetch(
            "SELECT t.amount_type, t.amount, COALESCE(t.price_include_override, c.account_price_include, "
            "'tax_excluded') = 'tax_included' FROM account_tax t LEFT JOIN res_company c ON c.id = t.company_id "
            "WHERE t.id = ANY(%s) ORDER BY t.sequence, t.id",
            (tax_ids,),
        )
        if tax_ids
        else []
    )
    included = [Decimal(str(a)) / 100 for kind, a, inc in taxes if kind == "percent" and inc]
    excluded = [Decimal(str(a)) / 100 for kind, a, inc in taxes if kind == "percent" and not inc]
    tax_in = _round(raw - raw / (1 + sum(included, Decimal(0)))) if included else Decimal(0)
    base = raw - tax_in
    tax_out = sum((_round(base * rate) for rate in excluded), Decimal(0))
    return {
        "price_subtotal": base,
        "price_tax": tax_in + tax_out,
        "price_total": base + tax_in + tax_out,
        "price_reduce_taxexcl": _round(base / quantity) if quantity else Decimal(0),
        "price_reduce_taxinc": _round((base + tax_in + tax_out) / quantity) if quantity else Decimal(0),
    }
