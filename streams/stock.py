"""Shop web stock = ERP available quantity in the web warehouses - shop orders the ERP has not
taken into account yet (the in-flight ledger), never below 0, in whole units (DESIGN §2.4.5).

Pure: one ``SkuStock`` per SKU (a Faust table row), updated by the functions below; times are
seconds passed in by the caller. An order leaves the ledger once the ERP acknowledged it *and*
its stock shows it: an ERP stock observation committed at or after the ack (the ERP reserved the
goods before it answered the sink), or ``hold_s`` after the ack at the latest. Store warehouses
are kept apart (``store``) for the live store-stock lookup; they never feed the web quantity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

SETTLED_KEPT_S = 7 * 24 * 3600.0


@dataclass(frozen=True)
class Warehouses:
    web: frozenset[str]  # ERP location ids whose available quantity the web shop sells
    store: frozenset[str]


@dataclass(frozen=True)
class InFlight:
    quantity: Decimal
    acked_ts: float | None = None  # when the ERP confirmed the import (sink ack)
    # the ERP's reserved quantity of the SKU rose by this order's quantity since it came: its stock
    # shows the order (``reservations_seen``)
    reserved_seen: bool = False


@dataclass(frozen=True)
class SkuStock:
    erp_available: Mapping[str, Decimal] = field(default_factory=dict)  # location id -> available
    erp_ts: float | None = None  # commit time of the newest ERP stock observation
    erp_reserved: Mapping[str, Decimal] = field(default_factory=dict)  # web location id -> ERP reserved
    inflight: Mapping[str, InFlight] = field(default_factory=dict)  # order key -> quantity
    # orders already out of the ledger (-> ack time): a late or replayed order event must not
    # bring them back; forgotten after SETTLED_KEPT_S
    settled: Mapping[str, float] = field(default_factory=dict)
    shop_quantity: int | None = None  # last seen in the shop
    last_sent: int | None = None  # last commanded, until the shop shows something else
    # when the shop last changed the quantity itself (a checkout's decrement, a cancellation's restock),
    # and which way (-1 / +1): for ``wait_s`` the rule does not undo it (issue #14 item 9, ``decide``)
    shop_change_ts: float | None = None
    shop_change_dir: int = 0
    # a rise of the ERP's reserved quantity no acked order explains yet (its event came before the
    # sink's ack): claimed by the next acks, forgotten after the hold (``reservations_seen``)
    unclaimed: Decimal = Decimal(0)
    unclaimed_ts: float | None = None

    def web_available(self, warehouses: Warehouses) -> Decimal | None:
        seen = [q for loc, q in self.erp_available.items() if loc in warehouses.web]
        return sum(seen, Decimal(0)) if seen else None

    def store_available(self, warehouses: Warehouses) -> dict[str, Decimal]:
        return {loc: q for loc, q in self.erp_available.items() if loc in warehouses.store}


def erp_level(stock: SkuStock, location: str, available: Decimal, committed_ts: float) -> SkuStock:
    newest = committed_ts if stock.erp_ts is None else max(stock.erp_ts, committed_ts)
    return replace(stock, erp_available={**stock.erp_available, location: available}, erp_ts=newest)


def reservations_seen(stock: SkuStock, location: str, reserved: Decimal, now: float) -> SkuStock:
    """The ERP's reserved quantity at a web location is now ``reserved``: a rise is the reservation of
    shop orders the ERP imported, so orders the ERP acked are marked as shown by its stock, oldest ack
    first, as long as the rise covers each one's quantity. The release no longer waits for an ERP
    event after the sink's ack (the reservation is committed before it: the hold released the order,
    and the web stock dipped by the order meanwhile, a second write).

    The event often comes before the ack: the rest of the rise is kept ``unclaimed`` for the next acks
    (``_claim``), never given to an order the ERP has not acked. An unpaid order the ERP holds as a
    quotation reserves nothing and is not acked: taking another order's reservation for it released
    it, and the shop then offered its goods for as long as it stayed unpaid (the chaos run's drift).
    A reservation made in the ERP itself while a shop order is on its way is unclaimed until the hold."""
    known = stock.erp_reserved.get(location)
    rise = reserved - known if known is not None else Decimal(0)
    inflight = dict(stock.inflight)
    acked = sorted(
        (k for k, o in stock.inflight.items() if o.acked_ts is not None and not o.reserved_seen and o.quantity > 0),
        key=lambda k: stock.inflight[k].acked_ts or 0.0,
    )
    for key in acked:
        order = inflight[key]
        if order.quantity <= rise:
            inflight[key] = replace(order, reserved_seen=True)
            rise -= order.quantity
    stock = replace(stock, inflight=inflight, erp_reserved={**stock.erp_reserved, location: reserved})
    if rise > 0 and any(o.acked_ts is None for o in inflight.values()):  # an ack may still explain it
        stock = replace(stock, unclaimed=stock.unclaimed + rise, unclaimed_ts=now)
    return stock


def _claim(stock: SkuStock, order_key: str) -> SkuStock:
    """The ERP acked ``order_key``: a reservation seen before the ack and covering it was its own."""
    order = stock.inflight[order_key]
    if order.reserved_seen or order.acked_ts is None or not 0 < order.quantity <= stock.unclaimed:
        return stock
    left = stock.unclaimed - order.quantity
    return replace(
        stock,
        inflight={**stock.inflight, order_key: replace(order, reserved_seen=True)},
        unclaimed=left,
        unclaimed_ts=stock.unclaimed_ts if left > 0 else None,
    )


def shop_order(stock: SkuStock, order_key: str, quantity: Decimal) -> SkuStock:
    """A shop order line for this SKU (idempotent per order: replays do not count twice)."""
    if order_key in stock.settled:
        return stock
    known = stock.inflight.get(order_key)
    if known is not None:
        if known.quantity != 0 or known.acked_ts is None:
            return stock
        # the ack overtook the order: the order still counts until an ERP stock event at or after the
        # ack shows the reservation (``_released``), so fill in its quantity, keep the ack time
        return _claim(
            replace(stock, inflight={**stock.inflight, order_key: replace(known, quantity=quantity)}), order_key
        )
    return replace(stock, inflight={**stock.inflight, order_key: InFlight(quantity)})


def shop_order_gone(stock: SkuStock, order_key: str, now: float) -> SkuStock:
    """The shop order was deleted: out of the ledger for good (a replayed event must not bring it back)."""
    if order_key not in stock.inflight:
        return stock
    inflight = {k: o for k, o in stock.inflight.items() if k != order_key}
    return replace(stock, inflight=inflight, settled={**stock.settled, order_key: now})


def erp_acknowledged(stock: SkuStock, order_key: str, acked_ts: float) -> SkuStock:
    known = stock.inflight.get(order_key)
    if order_key in stock.settled:
        return stock
    if known is None:  # the ack overtook the order: remember the ack; shop_order fills in the quantity
        known = InFlight(Decimal(0))
    elif known.acked_ts is not None:
        return stock
    return _claim(replace(stock, inflight={**stock.inflight, order_key: replace(known, acked_ts=acked_ts)}), order_key)


def shop_level(stock: SkuStock, quantity: int, now: float | None = None) -> SkuStock:
    """What the shop shows. A value other than what we sent means our last command no longer describes
    the shop, unless no shop value was known yet (then the event is older than our write, whose own
    event is still to come). A change that is not our echo is the shop's own (a checkout decrements,
    a cancellation restocks, before their orders reach the streams): remembered with ``now``."""
    if stock.shop_quantity is None and stock.last_sent is not None:
        # most likely older than our write; but a write of the value the shop held makes no event:
        # if nothing else comes within the wait, ``decide`` forgets the write and corrects the shop
        waited = replace(stock, shop_change_ts=now, shop_change_dir=0) if now is not None else stock
        return replace(waited, shop_quantity=quantity)
    echo = stock.last_sent is not None and quantity == stock.last_sent
    last_sent = stock.last_sent if echo else None
    stock = replace(stock, last_sent=last_sent)
    if now is not None and not echo and stock.shop_quantity is not None and quantity != stock.shop_quantity:
        stock = replace(stock, shop_change_ts=now, shop_change_dir=1 if quantity > stock.shop_quantity else -1)
    return replace(stock, shop_quantity=quantity)


def _released(order: InFlight, erp_ts: float | None, now: float, hold_s: float) -> bool:
    if order.acked_ts is None:  # not imported yet, or only as a quotation: the shop keeps its goods
        return False
    return order.reserved_seen or (erp_ts is not None and erp_ts >= order.acked_ts) or now - order.acked_ts >= hold_s


def web_quantity(stock: SkuStock, warehouses: Warehouses, now: float, hold_s: float) -> int | None:
    """What the shop may sell now; None while the ERP's stock of the SKU is unknown."""
    available = stock.web_available(warehouses)
    if available is None:
        return None
    in_flight = sum(
        (o.quantity for o in stock.inflight.values() if not _released(o, stock.erp_ts, now, hold_s)), Decimal(0)
    )
    sellable = available.to_integral_value(ROUND_FLOOR) - in_flight.to_integral_value(ROUND_CEILING)
    return max(0, int(sellable))


def waiting(stock: SkuStock, wanted: int, now: float, wait_s: float) -> bool:
    """Whether commanding ``wanted`` would undo the shop's own change of less than ``wait_s`` ago: a
    checkout's decrement comes before its order (the order's rows are assembled first), so the rule
    would write the pre-order quantity back, then the new one (the flap of issue #14); a cancellation's
    restock comes before the ERP releases the goods. Waiting lets the order or the ERP's stock explain
    the change; a change still unexplained after ``wait_s`` is corrected (one write)."""
    if stock.shop_change_ts is None or stock.shop_quantity is None or now - stock.shop_change_ts >= wait_s:
        return False
    return (wanted - stock.shop_quantity) * stock.shop_change_dir < 0


def _explained_soon(stock: SkuStock, wanted: int) -> bool:
    """A lower quantity that only an unclaimed reservation explains: the order it belongs to is counted
    twice (in the ERP's available quantity and in flight) until its ack comes, a dip the rule would
    write, then undo. It waits for the ack (the hold at most: ``decide`` forgets the rise then)."""
    if stock.unclaimed <= 0 or stock.shop_quantity is None:
        return False
    return 0 < stock.shop_quantity - wanted <= stock.unclaimed


def decide(
    stock: SkuStock, warehouses: Warehouses, now: float, hold_s: float, wait_s: float = 0.0
) -> tuple[SkuStock, int | None]:
    """Drop released orders; the quantity to command to the shop, or None when nothing to do (or
    not yet: ``waiting``)."""
    kept = {k: o for k, o in stock.inflight.items() if not _released(o, stock.erp_ts, now, hold_s)}
    settled = {k: ts for k, ts in stock.settled.items() if now - ts < SETTLED_KEPT_S}
    settled.update(
        {k: o.acked_ts or now for k, o in stock.inflight.items() if k not in kept and (o.acked_ts or o.reserved_seen)}
    )
    stock = replace(stock, inflight=kept, settled=settled)
    if stock.unclaimed_ts is not None and now - stock.unclaimed_ts >= hold_s:  # no ack explained it
        stock = replace(stock, unclaimed=Decimal(0), unclaimed_ts=None)
    if stock.shop_change_ts is not None and now - stock.shop_change_ts >= wait_s:
        # a write whose echo never came (the shop shows something else) no longer describes the shop
        last_sent = stock.last_sent if stock.shop_quantity == stock.last_sent else None
        stock = replace(stock, shop_change_ts=None, shop_change_dir=0, last_sent=last_sent)
    wanted = web_quantity(stock, warehouses, now, hold_s)
    if wanted is None or wanted == stock.shop_quantity or wanted == stock.last_sent:
        return stock, None
    if waiting(stock, wanted, now, wait_s) or _explained_soon(stock, wanted):
        return stock, None
    return replace(stock, last_sent=wanted), wanted
