"""Property tests of the web stock rule against an in-memory ERP, shop and sinks.

The ERP reserves an order's goods when its sink imports it, then acks; its stock events and the
acks reach the streams in any order and late. An unpaid order (a bank wire not received yet) is held
as a quotation: the ERP reserves nothing and does not ack it, and the shop keeps its goods for it.
Invariants: the shop is never told more than the ERP could serve given everything the streams have
seen, and after quiescence the shop shows the ERP's available quantity in the web warehouses minus
the unpaid orders.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from streams import stock as rule

pytestmark = pytest.mark.unit

WAREHOUSES = rule.Warehouses(web=frozenset({"8"}), store=frozenset({"10"}))
HOLD = 30.0
WAIT = 10.0  # streams.shop_change_wait_s


@dataclass
class World:
    on_hand: int
    store_on_hand: int
    shop_qty: int = 0
    reserved: dict[str, int] = field(default_factory=dict)  # order -> qty reserved in the ERP
    unpaid: dict[str, int] = field(default_factory=dict)  # order -> qty, a quotation in the ERP
    clock: float = 0.0
    erp_events: deque[tuple[float, int, frozenset[str], str]] = field(default_factory=deque)
    orders_to_erp: deque[tuple[str, int, bool]] = field(default_factory=deque)  # (key, qty, paid)
    orders_to_streams: deque[tuple[str, int]] = field(default_factory=deque)
    acks: deque[tuple[str, float]] = field(default_factory=deque)
    shop_events: deque[int] = field(default_factory=deque)
    commands: deque[int] = field(default_factory=deque)
    stock: rule.SkuStock = field(default_factory=rule.SkuStock)
    seen_orders: dict[str, int] = field(default_factory=dict)
    n: int = 0

    def tick(self) -> float:
        self.clock += 0.5
        return self.clock

    def erp_available(self) -> int:
        return self.on_hand - sum(self.reserved.values())

    def emit_erp(self, location: str = "8") -> None:
        qty = self.erp_available() if location == "8" else self.store_on_hand
        self.erp_events.append((self.tick(), qty, frozenset(self.reserved), location))

    # -- the world -------------------------------------------------------------------------
    def receipt(self, qty: int) -> None:
        self.on_hand += qty
        self.emit_erp()

    def store_sale(self) -> None:
        self.store_on_hand = max(0, self.store_on_hand - 1)
        self.emit_erp("10")

    def checkout(self, qty: int, paid: bool = True) -> None:
        if qty > self.shop_qty:
            return  # the shop refuses to sell what it does not show
        self.n += 1
        key = f"O{self.n}"
        self.shop_qty -= qty
        self.shop_events.append(self.shop_qty)
        self.orders_to_erp.append((key, qty, paid))
        self.orders_to_streams.append((key, qty))

    def checkout_unpaid(self, qty: int) -> None:
        self.checkout(qty, paid=False)

    def erp_import(self) -> bool:
        if not self.orders_to_erp:
            return False
        key, qty, paid = self.orders_to_erp.popleft()
        if not paid:  # a quotation: nothing reserved, no ack the rule counts
            self.unpaid[key] = qty
            return True
        self.reserved[key] = qty
        self.emit_erp()
        self.acks.append((key, self.tick()))
        return True

    def shop_sink(self) -> bool:
        if not self.commands:
            return False
        qty = self.commands.popleft()
        if qty != self.shop_qty:
            self.shop_qty = qty
            self.shop_events.append(qty)
        return True

    # -- the streams ---------------------------------------------------------------------------
    def step_streams(self, source: str) -> bool:
        if source == "erp" and self.erp_events:
            ts, qty, reserved, location = self.erp_events.popleft()
            self.stock = rule.erp_level(self.stock, location, Decimal(qty), ts)
            if location == "8":
                self.last_erp = (qty, reserved)
                total = sum(q for k, q in self.reserved.items() if k in reserved)  # as the quant carries it
                self.stock = rule.reservations_seen(self.stock, location, Decimal(total), ts)
        elif source == "order" and self.orders_to_streams:
            key, qty = self.orders_to_streams.popleft()
            self.seen_orders[key] = qty
            self.stock = rule.shop_order(self.stock, key, Decimal(qty))
        elif source == "ack" and self.acks:
            key, ts = self.acks.popleft()
            self.stock = rule.erp_acknowledged(self.stock, key, ts)
        elif source == "shop" and self.shop_events:
            self.stock = rule.shop_level(self.stock, self.shop_events.popleft(), self.clock)
        else:
            return False
        now = self.tick()
        self.stock, wanted = rule.decide(self.stock, WAREHOUSES, now, HOLD, WAIT)
        if wanted is not None:
            self.commands.append(wanted)
        current = rule.web_quantity(self.stock, WAREHOUSES, now, HOLD)
        if current is not None:
            self.check_never_oversold(current)
        return True

    def check_never_oversold(self, wanted: int) -> None:
        """What the streams tell the shop <= the ERP's last seen web availability minus every order
        the streams have seen that this availability did not include yet."""
        qty, reserved = getattr(self, "last_erp", (None, frozenset()))
        assert qty is not None
        unreserved = sum(q for k, q in self.seen_orders.items() if k not in reserved)
        assert wanted <= max(0, qty - unreserved), (wanted, qty, unreserved)


actions = st.one_of(
    st.tuples(st.just("receipt"), st.integers(1, 5)),
    st.tuples(st.sampled_from(["checkout", "checkout_unpaid"]), st.integers(1, 3)),
    st.tuples(st.just("store_sale"), st.just(0)),
    st.tuples(st.sampled_from(["erp_import", "shop_sink"]), st.just(0)),
    st.tuples(st.sampled_from(["erp", "order", "ack", "shop"]), st.just(0)),
)


@settings(max_examples=300, deadline=None)
@given(start=st.integers(0, 6), script=st.lists(actions, max_size=60))
# found by hypothesis: the ERP's ack reaches the streams before the shop order and before the stock event
@example(start=1, script=[("checkout", 1), ("erp_import", 0), ("ack", 0), ("order", 0)])
# the chaos run's drift: an unpaid order, then a paid one of the same quantity whose reservation reaches
# the streams before its ack; the reservation was taken for the older, unpaid order and released it
@example(
    start=6,
    script=[
        ("checkout_unpaid", 2),
        ("order", 0),
        ("erp_import", 0),
        ("checkout", 2),
        ("order", 0),
        ("erp_import", 0),
        ("erp", 0),
        ("ack", 0),
    ],
)
def test_web_stock_never_oversells_and_converges(start: int, script) -> None:
    world = World(on_hand=start, store_on_hand=4, shop_qty=start)  # in sync when the test starts
    world.emit_erp()
    world.emit_erp("10")
    world.step_streams("erp")
    for action, amount in script:
        if action in ("receipt", "checkout", "checkout_unpaid"):
            getattr(world, action)(amount)
        elif action in ("store_sale", "erp_import", "shop_sink"):
            getattr(world, action)()
        else:
            world.step_streams(action)
    for _ in range(1000):  # drain, then let the hold time pass
        if not (
            world.erp_import()
            or world.step_streams("erp")
            or world.step_streams("order")
            or world.step_streams("ack")
            or world.shop_sink()
            or world.step_streams("shop")
        ):
            break
    world.clock += HOLD + 1
    world.stock, wanted = rule.decide(world.stock, WAREHOUSES, world.clock, HOLD, WAIT)
    if wanted is not None:
        world.commands.append(wanted)
        world.shop_sink()
        world.step_streams("shop")
    # the shop keeps an unpaid order's goods: they are not for sale again while it is unpaid
    assert world.shop_qty == max(0, world.erp_available() - sum(world.unpaid.values()))
    assert world.stock.store_available(WAREHOUSES) == {"10": Decimal(world.store_on_hand)}
    assert set(world.stock.inflight) == set(world.unpaid)


def test_store_stock_never_feeds_the_web_quantity() -> None:
    stock = rule.erp_level(rule.SkuStock(), "10", Decimal(50), 1.0)
    assert rule.web_quantity(stock, WAREHOUSES, 2.0, HOLD) is None
    stock = rule.erp_level(stock, "8", Decimal("3.7"), 2.0)
    assert rule.web_quantity(stock, WAREHOUSES, 2.0, HOLD) == 3  # whole units, rounded down


def test_unacknowledged_order_is_subtracted_and_floor_is_zero() -> None:
    stock = rule.erp_level(rule.SkuStock(), "8", Decimal(2), 1.0)
    stock = rule.shop_order(stock, "O1", Decimal(5))
    assert rule.web_quantity(stock, WAREHOUSES, 2.0, HOLD) == 0
    stock = rule.shop_order(stock, "O1", Decimal(5))  # replayed: counted once
    stock = rule.erp_level(stock, "8", Decimal(10), 3.0)
    assert rule.web_quantity(stock, WAREHOUSES, 3.0, HOLD) == 5
    stock = rule.erp_acknowledged(stock, "O1", 4.0)
    assert rule.web_quantity(stock, WAREHOUSES, 5.0, HOLD) == 5  # ERP stock not seen since the ack
    stock = rule.erp_level(stock, "8", Decimal(5), 4.5)
    assert rule.web_quantity(stock, WAREHOUSES, 5.0, HOLD) == 5 and rule.decide(stock, WAREHOUSES, 5.0, HOLD)[1] == 5
