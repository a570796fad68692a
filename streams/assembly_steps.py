"""The order steps of the processor: a shop order's rows (header, lines, discounts, history) buffered
under ``asm:<order origin id>`` until they add up to a whole Order, which then goes to the loop guard as
one observation; an order that never completes is dead-lettered after ``assembly_timeout_s``; a deleted
order leaves the in-flight stock ledger. ``_to_skus`` fans an order out to the stock state of its SKUs.
"""

from __future__ import annotations

from typing import Any

from schemas.codec import Codec
from schemas.order import Order, OrderDiscount, OrderHeader, OrderLine, OrderStatusChange
from streams.fields import SHOP, entity_key
from streams.mapping.assemble import assemble_order, lines_add_up
from streams.outputs import H_INTEGRATION, H_KIND, H_SYSTEM, Out, Tables
from streams.positions import log_order


class AssemblySteps:
    codec: Codec
    canonical: str
    assembly_timeout_s: float

    def _dead(
        self,
        topic: str,
        partition: int,
        offset: int,
        key: bytes | None,
        value: bytes | None,
        error: str,
        reason: str,
        now: float,
    ) -> Out:
        raise NotImplementedError  # the Processor's

    def _shop_order(self, t: Tables, order_ref: str) -> Order | None:
        """The shop's latest assembled Order of that reference, if the streams have seen it."""
        hexed = t.latest.get("obs:" + entity_key("order", order_ref) + f"@{SHOP}")
        order = self.codec.decode(bytes.fromhex(hexed)) if hexed else None
        return order if isinstance(order, Order) else None

    def _to_skus(self, order: Order, value: bytes, kind: bytes) -> list[Out]:
        """``value`` to the stock state of each SKU of the order, as ``kind``."""
        return [
            Out(self.canonical, f"stock:{line.sku}".encode(), value, [(H_KIND, kind)])
            for line in order.lines
            if line.sku
        ]

    def _assemble(self, t: Tables, key: str, value: bytes | None, now: float) -> list[Out]:
        buffer = t.assembly.get(key)
        if value is None:  # a tick: time out an order still incomplete
            if buffer and not buffer.get("done") and now - buffer["first"] >= self.assembly_timeout_s:
                del t.assembly[key]
                t.open_orders.pop(key, None)
                first = bytes.fromhex(buffer["parts"][0]) if buffer["parts"] else None
                return [
                    self._dead(
                        self.canonical,
                        -1,
                        -1,
                        key.encode(),
                        first,
                        "AssemblyTimeout",
                        f"order {key} incomplete after {self.assembly_timeout_s:.0f}s "
                        f"({len(buffer['parts'])} rows seen, header or lines missing)",
                        now,
                    )
                ]
            return []
        buffer = buffer or {"first": now, "parts": []}
        buffer = {"first": buffer["first"], "parts": [*buffer["parts"], value.hex()]}
        parts = [self.codec.decode(bytes.fromhex(p)) for p in buffer["parts"]]
        headers = [p for p in parts if isinstance(p, OrderHeader)]
        if not headers:
            self._keep_open(t, key, buffer)
            return []
        header = max(headers, key=lambda h: log_order(h.envelope.source_ts, h.envelope.source_position))
        if header.envelope.deleted:
            return self._order_deleted(t, key, header)
        order = assemble_order(
            header,
            [p for p in parts if isinstance(p, OrderLine)],
            history=[p for p in parts if isinstance(p, OrderStatusChange)],
            discounts=[p for p in parts if isinstance(p, OrderDiscount)],
        )
        if order is None or order.envelope.canonical_key is None or not lines_add_up(order):
            self._keep_open(t, key, buffer)
            return []
        t.assembly[key] = {"first": buffer["first"], "parts": buffer["parts"], "done": True}
        if key in t.open_orders:
            del t.open_orders[key]
        obs_key = "obs:" + entity_key("order", order.envelope.canonical_key)
        return [
            Out(
                self.canonical,
                obs_key.encode(),
                self.codec.encode(order),
                [(H_KIND, b"obs"), (H_SYSTEM, SHOP.encode()), (H_INTEGRATION, b"0")],
            )
        ]

    def _order_deleted(self, t: Tables, key: str, header: OrderHeader) -> list[Out]:
        """A shop order row deleted (a cleanup, never a checkout): it leaves the in-flight ledger, or it
        would hold its units out of the web stock for ever (the ERP will never acknowledge it)."""
        t.assembly.pop(key, None)
        t.open_orders.pop(key, None)
        order = self._shop_order(t, header.order_ref) if header.order_ref else None
        return [] if order is None else self._to_skus(order, self.codec.encode(order), b"gone")

    def _keep_open(self, t: Tables, key: str, buffer: dict[str, Any]) -> None:
        t.assembly[key] = buffer
        if t.open_orders.get(key) != buffer["first"]:
            t.open_orders[key] = buffer["first"]

    def expired_assemblies(self, t: Tables, now: float) -> list[Out]:
        """Ticks for incomplete orders past their deadline (sent by a timer, handled in-partition)."""
        return [
            Out(self.canonical, k.encode(), None, [(H_KIND, b"tick")])
            for k, first in list(t.open_orders.items())
            if first is not None and now - float(first) >= self.assembly_timeout_s
        ]
