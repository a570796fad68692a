"""What the simulator is asked to do and what it records: requests, statements, events.

Every write records its commit time (timezone-aware UTC, taken right after the database confirmed the
commit), so the end-to-end latency of the sync can be measured from these events later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sandbox.simulator.pricing import LinePrice, OrderTotals

# PrestaShop order states (seed ids): first states of a checkout, and cancellation.
STATE_PAYMENT_ACCEPTED = 2
STATE_CANCELED = 6
STATE_AWAITING_BANK_WIRE = 10


@dataclass(frozen=True)
class NewCustomer:
    firstname: str
    lastname: str
    email: str
    id_group: int  # the customer's default group (Retail, Wholesale, VIP...)
    address1: str
    postcode: str
    city: str
    id_gender: int = 1


@dataclass(frozen=True)
class ReturningCustomer:
    id_customer: int
    id_address: int


@dataclass(frozen=True)
class CartLine:
    id_product: int
    id_product_attribute: int  # 0 for a product without combinations
    quantity: int


@dataclass(frozen=True)
class OrderRequest:
    customer: NewCustomer | ReturningCustomer
    lines: tuple[CartLine, ...]
    first_state: int = STATE_PAYMENT_ACCEPTED
    discount_percent: Decimal | None = None


@dataclass(frozen=True)
class Statement:
    """One autocommitted statement: ``verb`` (INSERT/UPDATE/DELETE) on ``table`` (without prefix)."""

    verb: str
    table: str
    committed_at: datetime


@dataclass(frozen=True)
class PlacedLine:
    sku: str
    id_product: int
    id_product_attribute: int
    id_order_detail: int
    price: LinePrice


@dataclass
class PlacedOrder:
    id_order: int
    reference: str
    id_cart: int
    id_customer: int
    id_address: int
    new_customer: bool
    state: int
    lines: list[PlacedLine]
    totals: OrderTotals
    statements: list[Statement] = field(default_factory=list)

    @property
    def committed_at(self) -> datetime:
        """When the last statement of the checkout committed (the order is then complete)."""
        return self.statements[-1].committed_at


@dataclass(frozen=True)
class SimEvent:
    """One thing the simulator did. ``key`` is the order reference or the SKU it concerns."""

    kind: str  # "order", "cancellation", "receipt", "adjustment", "delivery", "skipped"
    system: str  # "shop" or "erp"
    key: str
    committed_at: datetime
    detail: dict[str, str] = field(default_factory=dict)
