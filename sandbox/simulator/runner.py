"""The trade simulator: shop orders and ERP stock moves interleaved at chosen rates.

``Simulator(settings, orders_per_minute, stock_moves_per_minute, seed).run(duration_s, on_event)``
writes into the databases the settings name (``mariadb.database`` with ``mariadb.table_prefix``,
``postgres.database``). Arrivals are a Poisson process per stream (or evenly spaced), drawn as the run
goes from the seed, so a seeded run is reproducible against the same starting data and an endless run
(the demo's default) keeps constant memory. About one order slot
in ten cancels an order this run placed instead of placing a new one.

The clock and sleep are injectable: tests run simulated minutes in milliseconds.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg2.extensions
import pymysql

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.settings import Settings
from sandbox.simulator.checkout import ShopCheckout
from sandbox.simulator.erp_moves import ErpStockMoves
from sandbox.simulator.events import PlacedOrder, SimEvent
from sandbox.simulator.shoppers import Shoppers

ORDER = "order"
STOCK_MOVE = "stock_move"
SPACINGS = ("poisson", "even")
OPEN_ORDERS_KEPT = 200


@dataclass(frozen=True)
class Slot:
    at_s: float  # seconds after the start of the run
    stream: str  # ORDER or STOCK_MOVE


def _arrivals(
    stream: str, per_minute: float, duration_s: float | None, rng: random.Random, spacing: str
) -> Iterator[Slot]:
    """One stream's arrivals, drawn one at a time (an endless run holds none of its future in memory)."""
    at = 0.0 if spacing == "even" else rng.expovariate(per_minute / 60)
    while duration_s is None or at < duration_s:
        yield Slot(at, stream)
        at += 60 / per_minute if spacing == "even" else rng.expovariate(per_minute / 60)


def schedule(
    orders_per_minute: float,
    stock_moves_per_minute: float,
    duration_s: float | None,
    seed: str,
    spacing: str = "poisson",
) -> Iterator[Slot]:
    """When each event of the run happens, in time order, lazily (``duration_s=None``: for ever).

    Each stream draws from its own generator seeded from ``seed``, so a seeded run is the same whatever
    the interleaving. Evenly spaced: one every 60/rate s from t=0 (ceil(rate*d/60) in ``d`` seconds).
    """
    if spacing not in SPACINGS:
        raise ValueError(f"spacing must be one of {SPACINGS}, got {spacing!r}")
    streams: list[Iterator[Slot]] = []
    for stream, per_minute in ((ORDER, orders_per_minute), (STOCK_MOVE, stock_moves_per_minute)):
        if per_minute < 0:
            raise ValueError(f"a rate cannot be negative: {stream} at {per_minute}/min")
        if per_minute > 0:
            streams.append(_arrivals(stream, per_minute, duration_s, random.Random(f"{seed}-{stream}"), spacing))
    return heapq.merge(*streams, key=lambda slot: (slot.at_s, slot.stream))


class Simulator:
    def __init__(
        self,
        settings: Settings,
        orders_per_minute: float,
        stock_moves_per_minute: float,
        seed: int | None = None,
        *,
        spacing: str = "poisson",
        cancel_ratio: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.orders_per_minute = orders_per_minute
        self.stock_moves_per_minute = stock_moves_per_minute
        self.seed = seed if seed is not None else random.randrange(2**32)
        self.spacing = spacing
        self.cancel_ratio = cancel_ratio
        self.clock = clock
        self.sleep = sleep

    def run(
        self, duration_s: float | None, on_event: Callable[[SimEvent], None] | None = None, *, keep: bool = True
    ) -> list[SimEvent]:
        """Run for ``duration_s`` seconds (None: until interrupted); call ``on_event`` after each committed
        event; return them all (``keep=False``: return none, so an endless run's memory stays flat)."""
        slots = schedule(
            self.orders_per_minute, self.stock_moves_per_minute, duration_s, f"{self.seed}-schedule", self.spacing
        )
        shop: pymysql.Connection[Any] | None = None
        erp: psycopg2.extensions.connection | None = None
        try:
            if self.orders_per_minute > 0:
                shop = mariadb_admin(database=self.settings.mariadb.database, settings=self.settings)
            if self.stock_moves_per_minute > 0:
                erp = postgres_admin(self.settings.postgres.database, settings=self.settings)
            return self._run_slots(slots, shop, erp, on_event, keep)
        finally:
            if shop is not None:
                shop.close()
            if erp is not None:
                erp.close()

    def _run_slots(
        self,
        slots: Iterable[Slot],
        shop: pymysql.Connection[Any] | None,
        erp: psycopg2.extensions.connection | None,
        on_event: Callable[[SimEvent], None] | None,
        keep: bool,
    ) -> list[SimEvent]:
        rng = random.Random(f"{self.seed}-actions")
        prefix = self.settings.mariadb.table_prefix
        orders = _OrderStream(shop, prefix, rng, self.cancel_ratio) if shop is not None else None
        moves = _MoveStream(erp, rng) if erp is not None else None
        events: list[SimEvent] = []
        start = self.clock()
        for slot in slots:
            wait = start + slot.at_s - self.clock()
            if wait > 0:
                self.sleep(wait)
            if slot.stream == ORDER and orders is not None:
                event = orders.next_event()
            elif moves is not None:
                event = moves.next_event()
            else:
                continue
            if keep:
                events.append(event)
            if on_event is not None:
                on_event(event)
        return events


class _OrderStream:
    def __init__(self, conn: pymysql.Connection[Any], prefix: str, rng: random.Random, cancel_ratio: float) -> None:
        self.checkout = ShopCheckout(conn, prefix, rng)
        self.shoppers = Shoppers(conn, prefix, rng)
        self.rng = rng
        self.cancel_ratio = cancel_ratio
        self.open_orders: list[PlacedOrder] = []

    def next_event(self) -> SimEvent:
        if self.open_orders and self.rng.random() < self.cancel_ratio:
            order = self.open_orders.pop(self.rng.randrange(len(self.open_orders)))
            statements = self.checkout.cancel_order(order.id_order)
            return SimEvent(
                "cancellation", "shop", order.reference, statements[-1].committed_at, {"id_order": str(order.id_order)}
            )
        request = self.shoppers.next_request()
        if request is None:
            return SimEvent("skipped", "shop", "", self.checkout.clock(), {"reason": "nothing in stock"})
        placed = self.checkout.place_order(request)
        self.open_orders.append(placed)
        del self.open_orders[:-OPEN_ORDERS_KEPT]  # an endless run cancels among its recent orders only
        return SimEvent(
            "order",
            "shop",
            placed.reference,
            placed.committed_at,
            {
                "id_order": str(placed.id_order),
                "lines": str(len(placed.lines)),
                "new_customer": str(placed.new_customer),
                "state": str(placed.state),
                "total_paid_tax_incl": str(placed.totals.paid_tax_incl),
                "skus": ",".join(line.sku for line in placed.lines),
            },
        )


class _MoveStream:
    KINDS = ("receipt", "delivery", "adjustment")
    WEIGHTS = (4, 3, 3)

    def __init__(self, conn: psycopg2.extensions.connection, rng: random.Random) -> None:
        self.moves = ErpStockMoves(conn)
        self.rng = rng
        with conn.cursor() as cur:
            # storable goods only: Odoo keeps no stock of a service (the sink's shipping and voucher lines);
            # a move of one made the streams command the stock of a product the shop does not have
            cur.execute(
                "SELECT p.default_code FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id "
                "WHERE p.default_code IS NOT NULL AND p.active AND t.is_storable ORDER BY p.default_code"
            )
            self.skus = [str(row[0]) for row in cur.fetchall()]
        conn.commit()

    def next_event(self) -> SimEvent:
        if not self.skus:
            return SimEvent("skipped", "erp", "", self.moves.clock(), {"reason": "no ERP product"})
        kind = self.rng.choices(self.KINDS, self.WEIGHTS)[0]
        sku = self.rng.choice(self.skus)
        warehouse = self.rng.choice(("WH", "STORE"))
        if kind == "receipt":
            move = self.moves.receipt(sku, warehouse, self.rng.randint(5, 20))
        elif kind == "delivery":
            move = self.moves.delivery(sku, warehouse, self.rng.randint(1, 3))
        else:
            move = self.moves.adjustment(sku, warehouse, self.rng.randint(0, 30))
        return SimEvent(
            move.kind,
            "erp",
            sku,
            move.committed_at,
            {
                "warehouse": warehouse,
                "change": str(move.quantity),
                "quantity": str(move.quant_quantity),
            },
        )
