"""Order states of each system <-> canonical state codes: the configurable state mapping.

Canonical codes are the one vocabulary both systems' states are compared in (the loop guard's
``order_status`` entity). Three tables, all overridable in the YAML config (``order_states:``) or
the environment (``PRESTASYNC_ORDER_STATES__SHOP='{"14": "paid"}'``):

* ``shop``: PrestaShop ``id_order_state`` -> code (what the streams read from the shop);
* ``erp``: Odoo ``sale_order.state`` -> code, where ``<state>/<delivery_status>`` (e.g.
  ``sale/full``: every delivery of a confirmed order done) is tried before ``<state>``;
* ``to_shop``: code -> the ``id_order_state`` the shop sink writes. An ERP state whose code is not
  here is not shown in the shop (a quotation has no shop state). Each entry must read back as its
  own code through ``shop``, or the shop's echo of the write would look like a new change.

The defaults are a stock PrestaShop install (install-dev/data/xml/order_state.xml, in id order) and
Odoo 17/18 sale orders (draft/sent/sale/cancel; sale_stock's ``delivery_status``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_SHOP_STATES: dict[int, str] = {
    1: "awaiting_payment", 2: "paid", 3: "processing", 4: "shipped", 5: "delivered",
    6: "cancelled", 7: "refunded", 8: "payment_error", 9: "backorder_paid", 10: "awaiting_payment",
    11: "paid", 12: "backorder_unpaid", 13: "awaiting_payment",
}
DEFAULT_ERP_STATES: dict[str, str] = {
    "draft": "quotation", "sent": "quotation", "sale": "processing", "sale/full": "shipped",
    "cancel": "cancelled",
}
# Only what the ERP decides is written to the shop: confirmed (processing), shipped, cancelled.
DEFAULT_TO_SHOP: dict[str, int] = {"processing": 3, "shipped": 4, "cancelled": 6}


class OrderStateMaps(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    shop: dict[int, str] = Field(default_factory=lambda: dict(DEFAULT_SHOP_STATES),
                                 description="PrestaShop id_order_state -> canonical code")
    erp: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_ERP_STATES),
                                description="Odoo sale_order.state (or state/delivery_status) -> canonical code")
    to_shop: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_TO_SHOP),
                                    description="canonical code -> id_order_state the shop sink writes")

    @model_validator(mode="after")
    def _round_trips(self) -> OrderStateMaps:
        wrong = {code: state for code, state in self.to_shop.items() if self.shop.get(state) != code}
        if wrong:
            details = ", ".join(f"{code} -> {state} reads back as {self.shop.get(state)!r}"
                                for code, state in sorted(wrong.items()))
            raise ValueError(f"order_states.to_shop must read back through order_states.shop: {details}")
        return self

    def erp_code(self, state: str, delivery_status: str | None) -> str | None:
        """The canonical code of an Odoo order state (delivery progress first, then the state alone)."""
        if delivery_status:
            code = self.erp.get(f"{state}/{delivery_status}")
            if code is not None:
                return code
        return self.erp.get(state)
