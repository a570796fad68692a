"""What a new sale.order is sold under besides its lines: the pricelist of the order's currency, and
the service product its carrier's shipping line uses.

Currency: Odoo's ``sale.order.currency_id`` is the pricelist's currency (``_compute_currency_id``),
and an order created without ``pricelist_id`` takes the partner's default pricelist, which on a fresh
Odoo 18 is "Default" in **USD** even for a EUR company (seen on the real 18.0). So once the shop's
currencies are configured (``currency_codes``: PrestaShop ``id_currency`` -> ISO code, its
``ps_currency.iso_code``), every order names the pricelist of its currency: ``pricelist_ids`` (ISO ->
id) or the lowest-id active pricelist in that currency; none is a dead letter naming the currency,
never an order in another currency. Without ``currency_codes`` the sink sends no pricelist (the
single-currency setup of the embedded twins).

Carriers: ``shipping_product_codes`` (PrestaShop ``id_carrier`` -> default_code of a service product)
gives each carrier its own shipping product; a carrier not listed uses ``shipping_product_code``.
``carrier_ids`` (PrestaShop ``id_carrier`` -> Odoo ``delivery.carrier`` id) names the order's Delivery
Method (``sale.order.carrier_id``, module ``delivery``; its pickings take it on confirmation), and the
order's shipping line is then its delivery line (``is_delivery``), as Odoo's own "Add shipping" makes
it, at the shop's price. A carrier not listed: no Delivery Method (Odoo's default too), the shipping
line an ordinary service line; ``prestasync check`` lists such carriers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from schemas.order import Order
from sinks.common.errors import TerminalError
from sinks.odoo.client import OdooClient

PRICELIST = "product.pricelist"


class TermsOptions(Protocol):
    """The sink settings these terms read (``OdooSinkConfig``; any object with these fields)."""

    @property
    def shipping_product_code(self) -> str | None: ...
    @property
    def discount_product_code(self) -> str | None: ...
    @property
    def rounding_product_code(self) -> str | None: ...
    @property
    def shipping_product_codes(self) -> Mapping[int, str]: ...
    @property
    def carrier_ids(self) -> Mapping[int, int]: ...
    @property
    def currency_codes(self) -> Mapping[int, str]: ...
    @property
    def pricelist_ids(self) -> Mapping[str, int]: ...


class OrderTerms:
    def __init__(self, client: OdooClient, options: TermsOptions) -> None:
        self.client = client
        self.options = options
        self._pricelists: dict[str, int] = dict(options.pricelist_ids)  # ISO -> id, found ones only

    def shipping_code(self, order: Order) -> str | None:
        carrier = order.shipping.carrier_origin_id
        return self.options.shipping_product_codes.get(carrier or 0, self.options.shipping_product_code)

    def carrier(self, order: Order) -> int | None:
        """The Odoo delivery.carrier of the order's shop carrier, None when not configured."""
        return self.options.carrier_ids.get(order.shipping.carrier_origin_id or 0)

    def product_codes(self) -> set[str]:
        """Every service product an order may need (looked up with the order's SKUs)."""
        codes = {
            *self.options.shipping_product_codes.values(),
            self.options.shipping_product_code,
            self.options.discount_product_code,
            self.options.rounding_product_code,
        }
        return {c for c in codes if c}

    def pricelist(self, order: Order) -> int | None:
        """The pricelist of the order's currency; None when the shop's currencies are not configured."""
        codes = self.options.currency_codes
        if not codes:
            return None
        iso = codes.get(order.currency_origin_id or 0)
        if iso is None:
            raise TerminalError(
                f"odoo: order {order.order_ref} is in the shop's currency id "
                f"{order.currency_origin_id}, which currency_codes does not name "
                f"(it names {', '.join(f'{k}={v}' for k, v in sorted(codes.items()))})"
            )
        if iso not in self._pricelists:
            self._pricelists.update(self.find_pricelists(sorted(set(codes.values()) - set(self._pricelists))))
        if iso not in self._pricelists:
            raise TerminalError(
                f"odoo: unknown reference: no active product.pricelist in {iso} for order "
                f"{order.order_ref} (the shop's currency id {order.currency_origin_id}): create "
                f"one in Odoo, or name it in pricelist_ids"
            )
        return self._pricelists[iso]

    def find_pricelists(self, isos: list[str]) -> dict[str, int]:
        """ISO -> the lowest-id active pricelist in that currency, for those Odoo has."""
        if not isos:
            return {}
        currencies = {
            int(r["id"]): str(r["name"])
            for r in self.client.search_read("res.currency", [("name", "in", isos)], ["id", "name"])
        }
        if not currencies:
            return {}
        found: dict[str, int] = {}
        rows = self.client.search_read(PRICELIST, [("currency_id", "in", sorted(currencies))], ["id", "currency_id"])
        for row in sorted(rows, key=lambda r: int(r["id"])):
            currency = row["currency_id"]
            found.setdefault(currencies[int(currency[0] if isinstance(currency, list) else currency)], int(row["id"]))
        return found
