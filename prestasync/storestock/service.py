"""`prestasync run store-stock`: the lookup's HTTP service.

A group-less consumer thread reads the compacted store-figure topic from its beginning into memory
(``StoreIndex``) and keeps following it; aiohttp answers ``GET /store-stock/<reference>`` from that
index only, so a product page never costs an ERP call. ``/health`` is 200 once the topic was read up
to where it ended at start (before that an answer could miss a store), ``/metrics`` as every worker.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from kafka.structs import TopicPartition
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, generate_latest

from kernel.kafka_clients import consumer
from kernel.metrics import REGISTRY
from kernel.settings import Settings
from prestasync.storestock.answer import StoreIndex, cors_headers, lookup, not_modified
from schemas import topics
from schemas.store_stock import decode_figure

log = logging.getLogger(__name__)

FIGURES = Gauge("prestasync_store_stock_figures", "Store figures held by the lookup", registry=REGISTRY)
REQUESTS = Counter("prestasync_store_stock_requests_total", "Lookup answers", ["status"], registry=REGISTRY)
BAD_FIGURES = Counter(
    "prestasync_store_stock_bad_records_total", "Records of the store-stock topic that are no figure", registry=REGISTRY
)


RETRY_S = 5.0


def figure_topic(settings: Settings) -> str:
    return topics.STORE_STOCK + settings.streams.topic_suffix


class Follower:
    """Reads the topic into ``index`` in a daemon thread; ``loaded`` once it reached the start's end."""

    def __init__(self, settings: Settings, index: StoreIndex) -> None:
        self.settings, self.index, self.topic = settings, index, figure_topic(settings)
        self.loaded = threading.Event()
        self.stopping = threading.Event()
        self.error: str | None = None
        self.thread = threading.Thread(target=self._run, name="store-stock-follower", daemon=True)

    def _run(self) -> None:
        # a lost broker must not leave the figures frozen in silence: /health fails (loaded is cleared,
        # the error shown) and the topic is read again from its beginning once Kafka answers
        while not self.stopping.is_set():
            try:
                self._follow()
            except Exception as exc:  # kafka-python raises many types for a broker that went away
                self.error = f"{type(exc).__name__}: {exc}"
                self.loaded.clear()
                log.error("store-stock: reading %s failed (%s); again in %.0f s", self.topic, self.error, RETRY_S)
                self.stopping.wait(RETRY_S)

    def _follow(self) -> None:
        reader = consumer(self.settings)
        try:
            partitions = None
            while not partitions and not self.stopping.is_set():  # the streams create the topic
                partitions = reader.partitions_for_topic(self.topic)
                if not partitions:
                    time.sleep(1.0)
            tps = [TopicPartition(self.topic, p) for p in sorted(partitions or ())]
            reader.assign(tps)
            reader.seek_to_beginning(*tps)
            ends = reader.end_offsets(tps)
            while not self.stopping.is_set():
                for records in reader.poll(timeout_ms=500).values():
                    for record in records:
                        self._apply(record.offset, record.value)
                if not self.loaded.is_set() and all(reader.position(tp) >= end for tp, end in ends.items()):
                    log.info("store-stock: %s read (%d SKUs)", self.topic, len(self.index.figures))
                    self.error = None
                    self.loaded.set()
        finally:
            reader.close()

    def _apply(self, offset: int, value: bytes | None) -> None:
        if value is None:  # a tombstone: nothing to show, nothing lost
            return
        try:
            figure = decode_figure(value)
        except (ValueError, KeyError, TypeError) as exc:
            BAD_FIGURES.inc()
            log.error("store-stock: %s offset %d is not a store figure (%s); skipped", self.topic, offset, exc)
            return
        self.index.apply(figure)
        FIGURES.set(sum(len(v) for v in self.index.figures.values()))


def make_app(settings: Settings, index: StoreIndex, follower: Follower) -> web.Application:
    cfg = settings.store_stock
    stores, origins = dict(cfg.stores), tuple(cfg.allowed_origins)
    cache_control = f"public, max-age={cfg.max_age_s}"

    async def store_stock(request: web.Request) -> web.Response:
        reply = lookup(
            index,
            stores,
            request.match_info["reference"],
            request.query.get("combination") or None,
            request.query.get("store") or None,
            datetime.now(UTC),
        )
        headers = cors_headers(request.headers.get("Origin"), origins)
        REQUESTS.labels(str(reply.status)).inc()
        if reply.etag is None:
            return web.json_response(reply.body, status=reply.status, headers=headers)
        headers.update({"ETag": reply.etag, "Cache-Control": cache_control})
        if not_modified(request.headers.get("If-None-Match"), reply.etag):
            return web.Response(status=304, headers=headers)
        return web.json_response(reply.body, headers=headers)

    async def preflight(request: web.Request) -> web.Response:
        return web.Response(status=204, headers=cors_headers(request.headers.get("Origin"), origins, preflight=True))

    async def health(request: web.Request) -> web.Response:
        ok = follower.loaded.is_set()
        body = {
            "status": "ok" if ok else "loading",
            "topic": follower.topic,
            "skus": len(index.figures),
            "error": follower.error,
        }
        return web.json_response(body, status=200 if ok else 503)

    async def metrics(request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application()
    app.router.add_get("/store-stock/{reference}", store_stock)
    app.router.add_route("OPTIONS", "/store-stock/{reference}", preflight)
    app.router.add_get("/health", health)
    app.router.add_get("/metrics", metrics)
    return app


def run(settings: Settings) -> None:
    """Serve until SIGTERM / Ctrl-C."""
    index = StoreIndex()
    follower = Follower(settings, index)
    follower.thread.start()
    cfg = settings.store_stock
    log.info("store-stock: http://%s:%d/store-stock/<reference>, from %s", cfg.host, cfg.port, follower.topic)
    extra: dict[str, Any] = {"access_log": None, "print": None, "handle_signals": True}
    try:
        web.run_app(make_app(settings, index, follower), host=cfg.host, port=cfg.port, **extra)
    finally:
        follower.stopping.set()
        follower.thread.join(timeout=5)
        log.info("store-stock: stopped %s", json.dumps({"skus": len(index.figures)}))
