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
* ``paid_shop_states`` / ``unpaid_to_shop``: payment state comes only from a payment. In PrestaShop
  8.1.2 states 2, 3, 4, 5, 9 and 11 have ``paid=1`` (``ps_order_state`` of a real install), and moving
  an order into one records an ``order_payment`` of the unpaid rest and issues an invoice
  (``OrderHistory::changeIdOrderState``). So an order the shop holds in a state that is not paid
  (awaiting bank wire, cheque, cash on delivery...) and not paid in full (``total_paid_real``) only
  gets the ``unpaid_to_shop`` states (default: cancelled); the ERP's confirmation or shipment of it is
  not shown in the shop until it is paid.

The defaults are a stock PrestaShop install (install-dev/data/xml/order_state.xml, in id order) and
Odoo 17/18 sale orders (draft/sent/sale/cancel; sale_stock's ``delivery_status``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_SHOP_STATES: dict[int, str] = {
    1: "awaiting_payment",
    2: "paid",
    3: "processing",
    4: "shipped",
    5: "delivered",
    6: "cancelled",
    7: "refunded",
    8: "payment_error",
    9: "backorder_paid",
    10: "awaiting_payment",
    11: "paid",
    12: "backorder_unpaid",
    13: "awaiting_payment",
}
DEFAULT_ERP_STATES: dict[str, str] = {
    "draft": "quotation",
    "sent": "quotation",
    "sale": "processing",
    "sale/full": "shipped",
    "cancel": "cancelled",
}
# Only what the ERP decides is written to the shop: confirmed (processing), shipped, cancelled.
DEFAULT_TO_SHOP: dict[str, int] = {"processing": 3, "shipped": 4, "cancelled": 6}
# PrestaShop 8.1.2's states with paid=1 (payment accepted, processing, shipped, delivered, backorder paid,
# remote payment accepted), and what an order still unpaid in the shop may be moved to by the ERP.
DEFAULT_PAID_SHOP_STATES: tuple[int, ...] = (2, 3, 4, 5, 9, 11)
DEFAULT_UNPAID_TO_SHOP: dict[str, int] = {"cancelled": 6}


class OrderStateMaps(BaseModel):
    """Order states of each system <-> canonical codes (``kernel/order_states.py`` says how each is used).

    Each ``to_shop`` entry must read back as its own code through ``shop`` (checked at start)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    shop: dict[int, str] = Field(
        default_factory=lambda: dict(DEFAULT_SHOP_STATES), description="PrestaShop id_order_state -> canonical code"
    )
    erp: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_ERP_STATES),
        description="Odoo sale_order.state (or state/delivery_status) -> canonical code",
    )
    to_shop: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_TO_SHOP),
        description="canonical code -> id_order_state the shop sink writes",
    )
    paid_shop_states: tuple[int, ...] = Field(
        default=DEFAULT_PAID_SHOP_STATES, description="id_order_state with paid=1 in the shop"
    )
    unpaid_to_shop: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_UNPAID_TO_SHOP), description="to_shop for an order the shop holds unpaid"
    )

    @model_validator(mode="after")
    def _round_trips(self) -> OrderStateMaps:
        wrong = {code: state for code, state in self.to_shop.items() if self.shop.get(state) != code}
        if wrong:
            details = ", ".join(
                f"{code} -> {state} reads back as {self.shop.get(state)!r}" for code, state in sorted(wrong.items())
            )
            raise ValueError(f"order_states.to_shop must read back through order_states.shop: {details}")
        paid = {
            code: state
            for code, state in self.unpaid_to_shop.items()
            if state in self.paid_shop_states or self.shop.get(state) != code
        }
        if paid:
            raise ValueError(
                "order_states.unpaid_to_shop must name unpaid states that read back through "
                f"order_states.shop: {sorted(paid.items())}"
            )
        return self

    def shop_state_for(self, code: str, current_state: int, paid_in_full: bool) -> int | None:
        """The id_order_state to write for ``code`` to an order now in ``current_state``: never a paid
        state for an order the shop holds unpaid — not in a paid state and not paid in full
        (``total_paid_real``), so PrestaShop would record a payment — (None: leave the order be)."""
        state = self.to_shop.get(code)
        if state in self.paid_shop_states and current_state not in self.paid_shop_states and not paid_in_full:
            return self.unpaid_to_shop.get(code)
        return state

    def erp_code(self, state: str, delivery_status: str | None) -> str | None:
        """The canonical code of an Odoo order state (delivery progress first, then the state alone)."""
        if delivery_status:
            code = self.erp.get(f"{state}/{delivery_status}")
            if code is not None:
                return code
        return self.erp.get(state)
