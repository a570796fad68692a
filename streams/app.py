"""The Faust application: raw Debezium topics -> map -> repartition -> assembly / loop guard /
stock -> command topics. All logic lives in :class:`streams.processor.Processor`; this module only
wires topics, changelogged tables, agents (concurrency=1: per-key order, faust #606) and a timer.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import faust

from kernel.codec import canonical_codec
from kernel.kafka_clients import faust_broker
from kernel.metrics import MetricsServer
from kernel.settings import Settings
from kernel.shop_time import shop_timezone
from streams import stock
from streams.local_state import data_dir, keep_or_reset, store_options
from streams.mapping.odoo import OdooContext
from streams.mapping.prestashop import PrestaShopContext
from streams.outputs import Out, Tables
from streams.policy import guard_policy
from streams.processor import Processor
from streams.topology import ensure_topics, start_offsets, stream_topics

log = logging.getLogger(__name__)

Sender = Callable[[Out], Awaitable[Any]]


class StreamsApp:
    def __init__(self, settings: Settings, loop: asyncio.AbstractEventLoop | None = None) -> None:
        cfg = settings.streams
        self.settings = settings
        self.processor = Processor(
            codec=canonical_codec(settings),
            policy=guard_policy(cfg),
            warehouses=stock.Warehouses(
                web=frozenset(map(str, cfg.web_locations)), store=frozenset(map(str, cfg.store_locations))
            ),
            shop=PrestaShopContext(
                table_prefix=settings.mariadb.table_prefix,
                shop_id=settings.shop.shop_id,
                locales=dict(settings.shop.languages),
                order_states=dict(settings.order_states.shop),
                shop_timezone=shop_timezone(settings),
            ),
            erp=OdooContext(
                order_states=dict(settings.order_states.erp),
                pricelist_groups=dict(settings.erp.pricelist_groups),
                publish_unsellable=cfg.publish_unsellable,
                unpublished_types=frozenset(cfg.unpublished_types),
            ),
            suffix=cfg.topic_suffix,
            assembly_timeout_s=cfg.assembly_timeout_s,
            inflight_hold_s=cfg.inflight_hold_s,
            shop_change_wait_s=cfg.shop_change_wait_s,
            shop_visible_states=frozenset(settings.order_states.to_shop),
            shop_topic_prefix=settings.kafka.topic_prefix_shop,
        )
        self.topics = stream_topics(settings)
        self.app_id = cfg.app_id + cfg.topic_suffix  # also the consumer group and the changelogs' prefix
        self.instance_id = f"{self.app_id}@{socket.gethostname()}" if cfg.static_membership else None
        self.data_dir = data_dir(settings.home, self.app_id)  # Faust's default: in the working dir
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)  # Faust makes the last level only
        self.app = faust.App(
            self.app_id,
            **faust_broker(settings.kafka),
            store=cfg.store,
            topic_partitions=cfg.partitions,
            web_enabled=False,
            broker_session_timeout=cfg.session_timeout_s,
            broker_heartbeat_interval=min(3.0, cfg.session_timeout_s / 4),
            # static membership: a restart replaces its dead self in the group at
            # once (a new member id would wait for the old one's session to expire)
            consumer_group_instance_id=self.instance_id,
            key_serializer="raw",
            value_serializer="raw",
            autodiscover=False,
            datadir=str(self.data_dir),
            loop=loop,
        )
        raw = dict(key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")
        # Names, not a pattern: Faust 0.15 never subscribes a pattern topic (streams.topology).
        self.raw_topic = self.app.topic(*self.topics.raw, **raw)  # type: ignore[arg-type]
        self.acks_topic = self.app.topic(self.topics.acks, **raw)  # type: ignore[arg-type]
        # (topic, partition) -> first offset to process; earlier raw events are skipped
        # (``streams.start_from = latest``, set by ``prepare`` from the group's committed offsets)
        self.skip_before: dict[tuple[str, int], int] = {}
        self._out_topics: dict[str, Any] = {}
        self.canonical_topic = self.app.topic(self.processor.canonical, partitions=cfg.partitions, **raw)  # type: ignore[arg-type]
        table = dict(default=None, partitions=cfg.partitions, key_type=str)

        def new(name: str, kind: Any = self.app.Table) -> Any:
            return kind(name, options=store_options(), **table)

        self.tables = Tables(
            guard=new("guard"),
            latest=new("latest"),
            assembly=new("assembly"),
            quants=new("quants"),
            stock=new("stock"),
            identity=new("identity", self.app.GlobalTable),
            counters=new("counters"),
            open_orders=new("open_orders"),
            templates=new("templates"),
        )
        self.send: Sender = self._send
        self._wire()
        if loop is not None:
            self._bind_loop(loop)

    def _bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Faust 0.15.3 creates the table manager, tables and conductor without a loop; each binds
        ``asyncio.get_event_loop()`` when first used, which may be a thread's loop (the consumer
        runs in its own thread): the worker then hung, never subscribing (waiting forever for
        "tables registered" on a loop that does not run). Bind them to the worker's loop now."""
        services: list[Any] = [self.app.tables, self.app.topics, *self.app.tables.values()]
        for service in services:
            service.loop = loop

    async def _send(self, out: Out) -> None:
        topic = self._out_topics.get(out.topic)
        if topic is None:
            topic = self._out_topics[out.topic] = self.app.topic(
                out.topic, key_serializer="raw", value_serializer="raw"
            )
        await topic.send(key=out.key, value=out.value, headers=out.headers)

    def prepare(self) -> None:
        """Before the worker subscribes: every topic exists, and the start position is known."""
        topic_ids = ensure_topics(self.settings, self.topics)
        keep_or_reset(Path(self.app.conf.tabledir), {t: topic_ids.get(t, "") for t in self.topics.changelogs})
        self.skip_before = start_offsets(self.settings, self.app_id, self.topics.raw)

    def health(self) -> tuple[bool, dict[str, object]]:
        """Healthy once the tables are recovered and while no rebalance is under way."""
        recovery = getattr(self.app.tables, "recovery", None)
        recovered = bool(recovery is not None and recovery.completed.is_set())
        rebalancing = bool(self.app.rebalancing)
        return recovered and not rebalancing, {
            "app_id": self.app_id,
            "recovered": recovered,
            "rebalancing": rebalancing,
        }

    def _wire(self) -> None:
        processor, tables = self.processor, self.tables

        async def map_raw(stream: Any) -> Any:
            async for event in stream.events():
                message = event.message
                if message.offset < self.skip_before.get((message.topic, message.partition), 0):
                    yield None  # history before the worker's start (start_from = latest)
                    continue
                for out in processor.map_raw(
                    message.topic, message.partition, message.offset, event.key, event.value, time.time()
                ):
                    await self.send(out)
                yield event.value

        async def acks(stream: Any) -> Any:
            async for event in stream.events():
                message = event.message
                for out in processor.ack_to_canonical(
                    event.value,
                    topic=message.topic,
                    partition=message.partition,
                    offset=message.offset,
                    key=event.key,
                    now=time.time(),
                ):
                    await self.send(out)
                yield event.value

        async def process(stream: Any) -> Any:
            async for event in stream.events():
                headers = (
                    [(k, v) for k, v in (event.headers or {}).items()]
                    if isinstance(event.headers, dict)
                    else list(event.headers or [])
                )
                key = event.key.decode() if isinstance(event.key, bytes) else str(event.key)
                for out in processor.process(tables, key, event.value, headers, time.time()):
                    await self.send(out)
                yield key

        async def sweep() -> None:
            for out in processor.expired_assemblies(tables, time.time()):
                await self.send(out)

        self.map_agent = self.app.agent(self.raw_topic, name="map_raw", concurrency=1)(map_raw)
        self.acks_agent = self.app.agent(self.acks_topic, name="acks", concurrency=1)(acks)
        self.process_agent = self.app.agent(self.canonical_topic, name="process", concurrency=1)(process)

        async def release_holds() -> None:
            for out in processor.expired_holds(tables, time.time()):
                await self.send(out)

        self.app.timer(interval=max(1.0, self.settings.streams.assembly_timeout_s / 4))(sweep)
        waits = min(self.settings.streams.inflight_hold_s, self.settings.streams.shop_change_wait_s)
        self.app.timer(interval=max(1.0, waits / 4))(release_holds)


def _redacting_handler(settings: Settings) -> logging.Handler:
    """Faust's log lines as JSON with every secret masked, like the other workers' (kernel.logs)."""
    from kernel.logs import JsonLinesFormatter, Redactor

    handler = logging.StreamHandler()
    handler.setFormatter(JsonLinesFormatter(Redactor.from_settings(settings)))
    return handler


def run(settings: Settings) -> None:
    """Run a worker until interrupted (``prestasync run streams``)."""
    from faust.worker import Worker

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    streams = StreamsApp(settings, loop=loop)
    streams.prepare()
    server = MetricsServer(settings.streams.metrics_port, streams.health).start()
    log.info("streams: metrics on http://127.0.0.1:%d/metrics", server.port)
    from kernel.metrics_sampler import start_sampler

    stop_sampling = threading.Event()
    suffix = settings.streams.topic_suffix
    from schemas.topics import STREAMS_DLQ

    start_sampler(settings, [settings.streams.app_id + suffix], [STREAMS_DLQ + suffix], stop_sampling)
    try:
        # Faust hands both to its Worker: an empty root config, then only the JSON, secret-masking handler
        streams.app.conf.logging_config = {
            "version": 1,
            "disable_existing_loggers": False,
            "root": {"level": "INFO", "handlers": []},
        }
        streams.app.conf.loghandlers = [_redacting_handler(settings)]
        Worker(streams.app, loglevel="info", loop=loop).execute_from_commandline()
    finally:
        stop_sampling.set()
        server.stop()
        leave_group(settings, streams.app_id, streams.instance_id)


def leave_group(settings: Settings, group: str, instance_id: str | None) -> None:
    """A stopped static member: out of the group now, so another worker takes its partitions (and
    ``offsets reset`` or a group deletion may go ahead) without waiting for its session to expire;
    a static member never sends LeaveGroup itself (aiokafka ``_maybe_leave_group``). A SIGKILLed
    worker does not get here: its restart takes its own place back."""
    if instance_id is None:
        return
    from kafka.admin import MemberToRemove

    from kernel.kafka_admin import admin

    try:
        with admin(settings) as client:  # the cluster's TLS/SASL settings, like every client
            client.remove_group_members(group, [MemberToRemove(group_instance_id=instance_id)])
    except Exception as exc:  # stopping anyway: the session expires on its own
        log.warning("streams: could not leave group %s (%s); it expires after the session timeout", group, exc)
