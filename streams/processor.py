"""The streams' logic between Kafka and the pure modules, without Faust: every method takes one
input record plus the tables (any MutableMapping: Faust tables in production, dicts in tests) and
returns the records to produce. ``streams.app`` wires it to Faust agents.

Keys on the repartition topic (``schemas.topics.CANONICAL``) say which state a record touches:
``obs:<entity>:<key>`` (loop guard), ``asm:<order origin id>`` (order assembly),
``quant:<product id>`` (Odoo quants of one product) and ``stock:<sku>`` (web stock).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping
from typing import Any

from kernel import metrics
from kernel.order_states import DEFAULT_TO_SHOP
from schemas import topics
from schemas.acks import SinkAck
from schemas.codec import Codec
from schemas.debezium import decode_change_event
from schemas.errors import CodecError, MappingError
from schemas.observations import StockQuant
from schemas.order import Order, OrderDiscount, OrderHeader, OrderLine, OrderStatus, OrderStatusChange
from schemas.records import Canonical, Envelope, StockLevel
from streams import guard_model, loopguard, stock
from streams.fields import ERP, SHOP, entity_key, synced_fields, with_values
from streams.mapping.assemble import assemble_order, lines_add_up
from streams.mapping.odoo import OdooContext, filtered_out, map_odoo_event
from streams.mapping.prestashop import PrestaShopContext, map_prestashop_event
from streams.outputs import H_INTEGRATION, H_KIND, H_SYSTEM, Headers, Out, Tables
from streams.policy import GuardPolicy
from streams.positions import log_order
from streams.state_json import guard_from_json, guard_to_json
from streams.stock_steps import StockSteps

log = logging.getLogger(__name__)

PARTIALS = (OrderHeader, OrderLine, OrderDiscount, OrderStatusChange)


def export_metrics(entity: str, step: guard_model.Step) -> None:
    """The guard's counts as the shared Prometheus counters (``kernel.metrics``)."""
    if step.counts.get(guard_model.ECHO):
        metrics.ECHOES_DROPPED.labels(entity=entity).inc(step.counts[guard_model.ECHO])
    for name in sorted(step.drifted):
        metrics.DRIFT.labels(entity=entity, field=name).inc()
    if step.counts.get(guard_model.TRIP):
        metrics.BREAKER_TRIPS.labels(entity=entity).inc(step.counts[guard_model.TRIP])


def order_status(envelope: Envelope, order_ref: str, origin_id: str, order: Order | OrderHeader) -> OrderStatus:
    return OrderStatus(
        envelope=dataclasses.replace(envelope, canonical_key=order_ref),
        order_ref=order_ref,
        order_origin_id=origin_id,
        state=order.state,
    ).sealed()


def _hdr(headers: Headers, name: str) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode() if value is not None else None
    return None


class Processor(StockSteps):
    def __init__(
        self,
        *,
        codec: Codec,
        policy: GuardPolicy,
        warehouses: stock.Warehouses,
        shop: PrestaShopContext,
        erp: OdooContext,
        suffix: str = "",
        assembly_timeout_s: float = 120.0,
        inflight_hold_s: float = 30.0,
        shop_visible_states: frozenset[str] | None = None,
        shop_topic_prefix: str = topics.SHOP_TOPIC_PREFIX,
    ) -> None:
        self.codec, self.policy, self.warehouses = codec, policy, warehouses
        self.shop_topic_prefix = shop_topic_prefix  # kafka.topic_prefix_shop: raw topics of the shop
        self.shop, self.erp = shop, erp
        # ERP order states the shop can show (order_states.to_shop); others (a quotation) are not synced
        self.shop_visible_states = frozenset(DEFAULT_TO_SHOP) if shop_visible_states is None else shop_visible_states
        self.canonical = topics.CANONICAL + suffix
        self.dlq = topics.STREAMS_DLQ + suffix
        self.store_stock = topics.STORE_STOCK + suffix
        self.commands = {s: topics.commands_topic(s) + suffix for s in topics.TARGET_SYSTEMS}
        self.assembly_timeout_s, self.inflight_hold_s = assembly_timeout_s, inflight_hold_s

    # -- stage 1: raw Debezium -> repartitioned canonical records ---------------------------------
    def map_raw(
        self, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None, now: float
    ) -> list[Out]:
        system = SHOP if topic.startswith(self.shop_topic_prefix + ".") else ERP
        try:
            event = decode_change_event(value, topic=topic, key=key)
            records = map_prestashop_event(event, self.shop) if system == SHOP else map_odoo_event(event, self.erp)
            by_us = (
                system == ERP
                and event.row is not None
                and event.row.has("write_uid")
                and event.row.opt_integer("write_uid") == self.policy.integration_uid
            )
        except MappingError as exc:
            return [self._dead(topic, partition, offset, key, value, "MappingError", str(exc), now)]
        except (ValueError, KeyError, TypeError) as exc:  # a bug or an unforeseen shape: never stop
            return [self._dead(topic, partition, offset, key, value, type(exc).__name__, str(exc), now)]
        if not records and system == ERP and (reason := filtered_out(event, self.erp)) is not None:
            metrics.FILTERED.labels(system=ERP, table=event.table or "").inc()
            log.info("not published in the shop (%s): %s offset %d", reason, topic, offset)
        return [out for record in records for out in self._route(record, system, by_us)]

    def _route(self, record: Canonical, system: str, by_us: bool) -> list[Out]:
        headers: Headers = [(H_SYSTEM, system.encode()), (H_INTEGRATION, b"1" if by_us else b"0")]
        value = self.codec.encode(record)
        if isinstance(record, PARTIALS) and system == SHOP:
            origin = record.order_origin_id
            return [Out(self.canonical, f"asm:{origin}".encode(), value, [(H_KIND, b"part"), *headers])]
        if isinstance(record, StockQuant):
            key = f"quant:{record.product_origin_id}"
            return [Out(self.canonical, key.encode(), value, [(H_KIND, b"quant"), *headers])]
        if isinstance(record, StockLevel) and system == SHOP:
            return [Out(self.canonical, b"shopstock", value, [(H_KIND, b"shopstock"), *headers])]
        if isinstance(record, OrderHeader) and system == ERP:
            status = self.erp_order_status(record)
            return [] if status is None else self._route(status, system, by_us)
        if record.envelope.canonical_key is None or isinstance(record, PARTIALS):
            return []  # needs an identity lookup not wired yet (see docs/STREAMS.md, gaps)
        key = "obs:" + entity_key(record.ENTITY, record.envelope.canonical_key)
        return [Out(self.canonical, key.encode(), value, [(H_KIND, b"obs"), *headers])]

    def erp_order_status(self, header: OrderHeader) -> OrderStatus | None:
        """The status of an ERP order born from a shop order (its client reference), if the shop shows it."""
        if not header.order_ref or header.state.code not in self.shop_visible_states:
            return None
        return order_status(header.envelope, header.order_ref, header.order_origin_id, header)

    def ack_to_canonical(
        self,
        value: bytes | None,
        *,
        topic: str = topics.ACKS,
        partition: int = -1,
        offset: int = -1,
        key: bytes | None = None,
        now: float = 0.0,
    ) -> list[Out]:
        """A sink's ack, re-keyed onto the canonical topic; an ack that does not decode (a tombstone,
        another framing, garbage) goes to the streams' DLQ with the original bytes, never stops the agent."""
        try:
            if value is None:
                raise CodecError("an empty (tombstone) record on the acks topic")
            ack = self.codec.decode(value)
        except (CodecError, ValueError, KeyError, TypeError) as exc:
            return [self._dead(topic, partition, offset, key, value, "Undecodable", str(exc), now)]
        if not isinstance(ack, SinkAck):
            return [
                self._dead(
                    topic,
                    partition,
                    offset,
                    key,
                    value,
                    "NotAnAck",
                    f"a {type(ack).__name__} record on the acks topic",
                    now,
                )
            ]
        if not ack.envelope.canonical_key:
            return []
        canonical_key = "obs:" + entity_key(ack.command_entity, ack.envelope.canonical_key)
        return [Out(self.canonical, canonical_key.encode(), value, [(H_KIND, b"ack")])]

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
        from datetime import UTC, datetime

        self_headers = [
            (topics.HEADER_DLQ_ERROR, error.encode()),
            (topics.HEADER_DLQ_REASON, reason.encode()[:4000]),
            (topics.HEADER_DLQ_TOPIC, topic.encode()),
            (topics.HEADER_DLQ_PARTITION, str(partition).encode()),
            (topics.HEADER_DLQ_OFFSET, str(offset).encode()),
            (topics.HEADER_DLQ_KEY, key or b""),
            (topics.HEADER_DLQ_TS, datetime.fromtimestamp(now, UTC).isoformat().encode()),
        ]
        return Out(self.dlq, key, value, self_headers)

    def _count(self, t: Tables, counts: dict[str, int] | Any) -> None:
        for name, n in dict(counts).items():
            t.counters[name] = int(t.counters.get(name) or 0) + n

    # -- stage 2: stateful steps, one key at a time ------------------------------------------------
    def process(self, t: Tables, key: str, value: bytes | None, headers: Headers, now: float) -> list[Out]:
        kind = _hdr(headers, H_KIND)
        try:
            if kind == "obs" and value is not None:
                return self._observe(t, key, value, headers, now)
            if kind == "ack" and value is not None:
                return self._ack(t, key, value, now)
            if kind in ("part", "tick"):
                return self._assemble(t, key, value, now)
            if kind == "quant" and value is not None:
                return self._quant(t, key, value)
            if kind == "shopstock" and value is not None:
                return self._shop_stock(t, value)
            if kind == "stocktick":
                return self._stock_tick(t, key, now)
            if kind in ("shoplevel", "erpstock", "inflight", "acked", "gone") and value is not None:
                return self._stock(t, key, kind, value, now)
        except CodecError as exc:
            return [self._dead(self.canonical, -1, -1, key.encode(), value, "CodecError", str(exc), now)]
        return []

    def _observe(self, t: Tables, key: str, value: bytes, headers: Headers, now: float) -> list[Out]:
        record = self.codec.decode(value)
        system = _hdr(headers, H_SYSTEM) or SHOP
        env = record.envelope
        assert env.canonical_key is not None
        t.identity[f"{system}:{env.origin_table}:{env.origin_id}"] = env.canonical_key
        t.latest[f"{key}@{system}"] = value.hex()
        obs = guard_model.Observation(
            system=system,
            entity=record.ENTITY,
            key=env.canonical_key,
            fields=synced_fields(record),
            position=env.source_position,
            at=now,
            by_integration=_hdr(headers, H_INTEGRATION) == "1",
            source_ts=env.source_ts.timestamp(),
        )
        step = loopguard.observe(guard_from_json(t.guard.get(key)), obs, self.policy)
        outs = self._apply(t, key, step, record.ENTITY, env.canonical_key)
        if isinstance(record, Order) and system == SHOP:
            outs += self._to_skus(record, value, b"inflight")
            if record.order_ref:  # the status as its own entity (config ownership ``order_status``)
                status = order_status(env, record.order_ref, record.order_origin_id, record)
                outs.append(
                    Out(
                        self.canonical,
                        ("obs:" + entity_key(status.ENTITY, record.order_ref)).encode(),
                        self.codec.encode(status),
                        [(H_KIND, b"obs"), (H_SYSTEM, SHOP.encode()), (H_INTEGRATION, b"0")],
                    )
                )
        if isinstance(record, OrderStatus) and system == ERP:
            order = self._shop_order(t, env.canonical_key)
            if order is not None:  # the ERP decided on the order: its stock shows it from now on
                outs += self._to_skus(order, value, b"acked")
        return outs

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

    def _ack(self, t: Tables, key: str, value: bytes, now: float) -> list[Out]:
        ack = self.codec.decode(value)
        assert isinstance(ack, SinkAck) and ack.envelope.canonical_key is not None
        for model, target_id in ack.target_ids.items():
            t.identity[f"{ack.target_system}:{model.replace('.', '_')}:{target_id}"] = ack.envelope.canonical_key
        step = loopguard.acknowledge(
            guard_from_json(t.guard.get(key)),
            guard_model.Ack(
                target_system=ack.target_system,
                entity=ack.command_entity,
                key=ack.envelope.canonical_key,
                command_id=ack.command_id,
                status=ack.status,
                written=ack.written,
                at=now,
            ),
            self.policy,
        )
        outs = self._apply(t, key, step, ack.command_entity, ack.envelope.canonical_key)
        # an order the ERP only holds as a quotation reserves nothing there: it stays in flight until
        # the ERP confirms (or cancels) it (``_observe``, order_status)
        decided = ack.written.get("state") in (None, *self.shop_visible_states)
        if ack.command_entity == "order" and ack.target_system == ERP and decided:
            order = self._shop_order(t, ack.envelope.canonical_key)
            if order is not None:
                outs += self._to_skus(order, value, b"acked")
        return outs

    def _apply(self, t: Tables, key: str, step: guard_model.Step, entity: str, canonical_key: str) -> list[Out]:
        t.guard[key] = guard_to_json(step.state)
        self._count(t, step.counts)
        export_metrics(entity, step)
        outs = []
        for decision in step.commands:
            source = t.latest.get(f"{key}@{decision.source}")
            if source is None:
                continue
            record = with_values(self.codec.decode(bytes.fromhex(source)), dict(decision.values))
            outs.append(
                self._command(
                    decision.target,
                    canonical_key,
                    record,
                    decision.command_id,
                    decision.fields,
                    decision.create_only,
                    decision.expected,
                )
            )
        return outs

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
        headers = [
            (topics.HEADER_COMMAND_ID, command_id.encode()),
            (topics.HEADER_FIELDS, ",".join(sorted(fields)).encode()),
            (topics.HEADER_CREATE_ONLY, ",".join(sorted(create_only)).encode()),
            (topics.HEADER_SOURCE_TS, record.envelope.source_ts.isoformat().encode()),
        ]
        if expected:  # what the command replaces: the sink refuses it if the target holds something else
            headers.append((topics.HEADER_EXPECTED, json.dumps(dict(expected), sort_keys=True).encode()))
        return Out(self.commands[target], key.encode(), self.codec.encode(record), headers)

    # -- orders -----------------------------------------------------------------------------------
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
