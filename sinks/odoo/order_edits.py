"""A shop order edited after its import (a back-office line edit: quantity, price, a product added or
removed; PrestaShop recomputes the order's totals and vouchers) carried to the sale.order that holds it.

An order already in Odoo whose totals are no longer the shop's is an edit. Its lines are priced again
as on creation (``order_lines.LinePricer``: taxes, shipping, vouchers) and refused before anything is
written when they cannot give the shop's totals. A quotation gets the new lines in place of the old
ones; a confirmed order cannot lose a line (Odoo: "set the quantity to 0"), so its lines are updated
in place, product by product, a product gone set to quantity 0, a new one added. Odoo's totals are
read back. Refused, naming the reason, when the order is cancelled, locked, or (partly) delivered in
Odoo: the ERP has acted on the old lines.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from schemas.order import Order
from sinks.common.errors import TerminalError
from sinks.odoo.order_lines import totals_differ

if TYPE_CHECKING:
    from sinks.odoo.orders import OrderWriter

SALE_ORDER, SALE_LINE = "sale.order", "sale.order.line"
LINE_FIELDS = ["id", "product_id", "product_uom_qty", "qty_delivered", "display_type"]


def refusal(row: dict[str, Any], lines: list[dict[str, Any]]) -> str | None:
    """Why the order's lines may no longer change in Odoo, or None."""
    if row.get("state") == "cancel":
        return "it is cancelled in Odoo"
    if row.get("locked"):
        return "it is locked in Odoo"
    delivered = [ln for ln in lines if Decimal(str(ln.get("qty_delivered") or 0))]
    if row.get("delivery_status") in ("partial", "full") or delivered:
        return f"Odoo has delivered it ({row.get('delivery_status') or 'partial'})"
    return None


def line_commands(
    confirmed: bool,
    old: list[dict[str, Any]],
    new: list[tuple[int, int, dict[str, Any]]],
) -> list[Any]:
    """The ``order_line`` commands that turn the old lines into the new ones (see the module's text)."""
    if not confirmed:
        return [(2, int(ln["id"]), 0) for ln in old] + list(new)
    commands: list[Any] = []
    left = [ln for ln in old if not ln.get("display_type")]
    for _, _, values in new:
        match = next((ln for ln in left if _product(ln) == values["product_id"]), None)
        if match is None:
            commands.append((0, 0, values))
        else:
            left.remove(match)
            commands.append((1, int(match["id"]), {k: v for k, v in values.items() if k != "product_id"}))
    commands += [(1, int(ln["id"]), {"product_uom_qty": 0}) for ln in left if Decimal(str(ln["product_uom_qty"]))]
    return commands


def _product(line: dict[str, Any]) -> int:
    product = line["product_id"]
    return int(product[0] if isinstance(product, list) else product)


class OrderEditor:
    def __init__(self, writer: OrderWriter) -> None:
        self.writer = writer
        self.client = writer.client

    def edit(self, order: Order, row: dict[str, Any]) -> TerminalError | None:
        """Bring the existing sale.order ``row`` to the shop's edited ``order``; the refusal, or None."""
        order_id = int(row["id"])
        fields = ["id", "state", "locked", *(["delivery_status"] if self.writer.has_delivery_status() else [])]
        current = self.client.search_read(SALE_ORDER, [("id", "=", order_id)], fields)[0]
        lines = self.client.search_read(SALE_LINE, [("order_id", "=", order_id)], LINE_FIELDS)
        why = refusal(current, lines)
        if why is not None:
            return TerminalError(
                f"odoo: order {order.order_ref} was edited in the shop, but sale.order {order_id} "
                f"keeps its lines: {why}"
            )
        try:
            values = self.writer.order_values(order, self.writer.partners_of([order]), self.writer.products_of([order]))
        except TerminalError as exc:
            return TerminalError(f"odoo: order {order.order_ref} was edited in the shop: {exc.reason}")
        commands = line_commands(
            current["state"] != "draft" and current["state"] != "sent", lines, values["order_line"]
        )
        self.client.write(SALE_ORDER, [order_id], {"order_line": commands})
        if "carrier_id" in values:  # unlinking a delivery line clears it (delivery: sale.order.line.unlink)
            self.client.write(SALE_ORDER, [order_id], {"carrier_id": values["carrier_id"]})
        held = self.client.search_read(SALE_ORDER, [("id", "=", order_id)], ["amount_untaxed", "amount_total"])[0]
        differ = totals_differ(order, Decimal(str(held["amount_untaxed"])), Decimal(str(held["amount_total"])))
        if differ is not None:
            return TerminalError(
                f"odoo: order {order.order_ref} was edited in the shop and sale.order {order_id} "
                f"rewritten, but {differ}"
            )
        return None
