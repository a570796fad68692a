"""The stock steps of the processor: ERP quants -> levels per SKU, shop levels, and the web-stock
rule (``streams.stock``) deciding the quantity commanded to the shop."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal

from schemas.acks import SinkAck
from schemas.codec import Codec
from schemas.observations import StockQuant
from schemas.order import Order, OrderStatus
from schemas.records import Canonical, Envelope, StockLevel
from schemas.store_stock import StoreFigure
from streams import stock
from streams.fields import ERP, SHOP
from streams.mapping.assemble import sum_stock_quants
from streams.mapping.prestashop import PrestaShopContext
from streams.outputs import H_KIND, Out, Tables
from streams.positions import is_older
from streams.state_json import stock_from_json, stock_to_json


class StockSteps:
    codec: Codec
    shop: PrestaShopContext
    warehouses: stock.Warehouses
    canonical: str
    store_stock: str  # the compacted topic of store figures (schemas.store_stock)
    inflight_hold_s: float
    shop_change_wait_s: float

    def _command(
        self,
        target: str,
        key: str,
        record: Canonical,
        command_id: str,
        fields: frozenset[str],
        create_only: frozenset[str],
        expected: Mapping[str, str] | None = None,
    ) -> Out:
        raise NotImplementedError  # the Processor's

    def _quant(self, t: Tables, key: str, value: bytes) -> list[Out]:
        quant = self.codec.decode(value)
        assert isinstance(quant, StockQuant)
        seen = dict(t.quants.get(key) or {})
        known = seen.get(quant.envelope.origin_id)
        if known is not None and _older(quant, self.codec.decode(bytes.fromhex(known))):
            return []  # a restarted worker's replay: the newer quant is already counted
        seen[quant.envelope.origin_id] = value.hex()
        t.quants[key] = seen
        sku = t.identity.get(f"{ERP}:product_product:{quant.product_origin_id}")
        if sku is None:
            return []
        levels = sum_stock_quants(
            q for q in (self.codec.decode(bytes.fromhex(h)) for h in seen.values()) if isinstance(q, StockQuant)
        )
        return [
            Out(self.canonical, f"stock:{sku}".encode(), self.codec.encode(level), [(H_KIND, b"erpstock")])
            for level in levels
        ]

    def _shop_stock(self, t: Tables, value: bytes) -> list[Out]:
        level = self.codec.decode(value)
        assert isinstance(level, StockLevel)
        if level.location != f"shop:{self.shop.shop_id}":
            return []
        origin = (
            f"{SHOP}:product_attribute:{level.variant_origin_id}"
            if level.variant_origin_id
            else f"{SHOP}:product:{level.product_origin_id}"
        )
        sku = t.identity.get(origin)
        if sku is None:
            return []
        return [Out(self.canonical, f"stock:{sku}".encode(), value, [(H_KIND, b"shoplevel")])]

    def _stock(self, t: Tables, key: str, kind: str, value: bytes, now: float) -> list[Out]:
        record = self.codec.decode(value)
        sku = key.removeprefix("stock:")
        state = stock_from_json(t.stock.get(key))
        published: list[Out] = []
        if kind == "erpstock" and isinstance(record, StockLevel):
            location = record.location.removeprefix("location:")
            state = stock.erp_level(state, location, record.available, record.envelope.source_ts.timestamp())
            if location in self.warehouses.web:
                state = stock.reservations_seen(state, location, record.reserved, now)
            if location in self.warehouses.store:
                figure = StoreFigure(sku, location, record.available, record.envelope.source_ts)
                published.append(Out(self.store_stock, figure.key(), figure.encode(), []))
        elif kind == "inflight" and isinstance(record, Order) and record.envelope.canonical_key:
            qty = sum((line.quantity for line in record.lines if line.sku == sku), Decimal(0))
            state = stock.shop_order(state, record.envelope.canonical_key, qty)
        elif kind == "acked" and isinstance(record, SinkAck) and record.envelope.canonical_key:
            state = stock.erp_acknowledged(state, record.envelope.canonical_key, record.applied_ts.timestamp())
        elif kind == "acked" and isinstance(record, OrderStatus):
            state = stock.erp_acknowledged(state, record.order_ref, record.envelope.source_ts.timestamp())
        elif kind == "gone" and isinstance(record, Order) and record.envelope.canonical_key:
            state = stock.shop_order_gone(state, record.envelope.canonical_key, now)
        elif kind == "shoplevel" and isinstance(record, StockLevel):
            state = stock.shop_level(state, int(record.available), now)
        return published + self._decide(t, key, state, now, record.envelope.source_ts, record.envelope.source_position)

    def expired_holds(self, t: Tables, now: float) -> list[Out]:
        """Ticks for SKUs holding an acknowledged order (or a reservation no ack explained) past
        ``inflight_hold_s``, or a shop change past ``shop_change_wait_s`` (sent by a timer): without a
        later event of the SKU nothing would release it."""
        ticks = []
        for key, value in list(t.stock.items()):
            state = stock_from_json(value) if value else None
            if state is None:
                continue
            changed = state.shop_change_ts
            unclaimed = state.unclaimed_ts
            if (
                (changed is not None and now - changed >= self.shop_change_wait_s)
                or (unclaimed is not None and now - unclaimed >= self.inflight_hold_s)
                or any(
                    o.acked_ts is not None and now - o.acked_ts >= self.inflight_hold_s for o in state.inflight.values()
                )
            ):
                ticks.append(Out(self.canonical, key.encode(), None, [(H_KIND, b"stocktick")]))
        return ticks

    def _stock_tick(self, t: Tables, key: str, now: float) -> list[Out]:
        moment = datetime.fromtimestamp(now, UTC)
        return self._decide(t, key, stock_from_json(t.stock.get(key)), now, moment, f"hold:{int(now)}")

    def _decide(
        self, t: Tables, key: str, state: stock.SkuStock, now: float, source_ts: datetime, position: str
    ) -> list[Out]:
        sku = key.removeprefix("stock:")
        # the shop's quantity the command replaces: our last write, else what the shop showed
        replaced = state.last_sent if state.last_sent is not None else state.shop_quantity
        state, wanted = stock.decide(state, self.warehouses, now, self.inflight_hold_s, self.shop_change_wait_s)
        t.stock[key] = stock_to_json(state)
        if wanted is None:
            return []
        level = StockLevel(
            envelope=Envelope(
                canonical_key=sku,
                origin_system=ERP,
                origin_table="stock_quant",
                origin_id=sku,
                source_ts=source_ts,
                source_position=position,
                snapshot=False,
                deleted=False,
                content_hash="",
            ),
            sku=sku,
            product_origin_id=None,
            variant_origin_id=None,
            location="web",
            on_hand=Decimal(wanted),
            reserved=Decimal(0),
            available=Decimal(wanted),
        ).sealed()
        command_id = hashlib.sha256(f"stock\x1f{sku}\x1f{wanted}\x1f{position}".encode()).hexdigest()[:32]
        expected = {} if replaced is None else {"available": str(replaced)}
        return [
            self._command(
                SHOP, sku, dataclasses.replace(level), command_id, frozenset({"available"}), frozenset(), expected
            )
        ]


def _older(record: Canonical, than: Canonical) -> bool:
    return is_older(
        record.envelope.source_position,
        record.envelope.source_ts.timestamp(),
        than.envelope.source_position,
        than.envelope.source_ts.timestamp(),
    )
