"""Prometheus metrics and the health endpoint every worker serves (``/metrics``, ``/health``).

The metric objects live here, once, so the streams and the sinks count the same things under the
same names; each worker starts ``MetricsServer`` on its own port.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry()

CONSUMER_LAG = Gauge(
    "prestasync_consumer_lag",
    "Records not yet processed by a consumer group",
    ["group", "topic", "partition"],
    registry=REGISTRY,
)
END_TO_END_LATENCY = Histogram(
    "prestasync_end_to_end_latency_seconds",
    "Source commit to target API confirmation",
    ["direction"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300),
    registry=REGISTRY,
)
ECHOES_DROPPED = Counter(
    "prestasync_echoes_dropped_total",
    "Observations recognised as our own writes coming back",
    ["entity"],
    registry=REGISTRY,
)
DRIFT = Counter(
    "prestasync_drift_total",
    "Changes by a system that does not own the field (not propagated)",
    ["entity", "field"],
    registry=REGISTRY,
)
BREAKER_TRIPS = Counter(
    "prestasync_breaker_trips_total", "Entities stopped for flipping too often", ["entity"], registry=REGISTRY
)
API_ERRORS = Counter(
    "prestasync_api_errors_total",
    "Target API errors by system and class (transient/terminal)",
    ["system", "kind"],
    registry=REGISTRY,
)
COMMANDS_APPLIED = Counter(
    "prestasync_commands_applied_total",
    "Commands a sink confirmed, by outcome",
    ["system", "status"],
    registry=REGISTRY,
)
STALE_REFUSED = Counter(
    "prestasync_stale_commands_total",
    "Commands a sink refused: the target changed since the streams derived them",
    ["system", "entity"],
    registry=REGISTRY,
)
CREDENTIALS_REFUSED = Counter(
    "prestasync_sink_credentials_refused_total",
    "Partitions a sink paused because the target refused its key or rights (alert)",
    ["system"],
    registry=REGISTRY,
)
FILTERED = Counter(
    "prestasync_filtered_total",
    "Changes not synced by a configured filter (e.g. an ERP service product)",
    ["system", "table"],
    registry=REGISTRY,
)
DLQ_SIZE = Gauge("prestasync_dlq_records", "Records in a dead-letter topic", ["topic"], registry=REGISTRY)

HealthCheck = Callable[[], tuple[bool, dict[str, object]]]


Route = Callable[[], tuple[int, str, bytes]]  # -> (status, content type, body)


class RouteServer:
    """GET routes answered by a background HTTP server: a worker's ``/metrics`` and ``/health``, and
    ``prestasync serve``'s aggregate of them."""

    def __init__(self, routes: Mapping[str, Route], port: int, host: str = "127.0.0.1", name: str = "metrics") -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                route = routes.get(self.path.split("?")[0])
                status, content_type, body = route() if route else (404, "text/plain", b"not found\n")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=name, daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class MetricsServer(RouteServer):
    """``/metrics`` in Prometheus text format, ``/health`` as JSON (200 healthy, 503 not)."""

    def __init__(self, port: int, health: HealthCheck, host: str = "127.0.0.1") -> None:
        def health_reply() -> tuple[int, str, bytes]:
            ok, detail = health()
            body = json.dumps({"status": "ok" if ok else "failing", **detail}, default=str).encode()
            return 200 if ok else 503, "application/json", body

        super().__init__(
            {"/metrics": lambda: (200, CONTENT_TYPE_LATEST, generate_latest(REGISTRY)), "/health": health_reply},
            port,
            host,
        )
