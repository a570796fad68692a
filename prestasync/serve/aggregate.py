"""One port for the whole process tree: ``/health`` and ``/metrics`` of every child, read when asked.

``/health`` is 200 only when every child runs and its own /health is 200, and shows each child's
state, pid, restarts, last exit and its own health JSON. ``/metrics`` is every child's Prometheus
metrics with a ``worker`` label added (the children count the same metric names), plus serve's own:
``prestasync_serve_child_up``, ``prestasync_serve_child_restarts_total`` and
``prestasync_serve_child_scrape_ok`` per child.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import Any

import requests
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from kernel.metrics import RouteServer
from prestasync.serve.supervisor import ChildView, Supervisor

FETCH_TIMEOUT_S = 3.0


def child_health(view: ChildView) -> dict[str, Any]:
    """One child's entry of the aggregated /health (``healthy`` decides the status)."""
    entry: dict[str, Any] = {k: (str(v) if k == "log_file" else v) for k, v in asdict(view).items() if k != "name"}
    entry["healthy"] = False
    if view.pid is None:
        return entry
    try:
        reply = requests.get(f"http://127.0.0.1:{view.port}/health", timeout=FETCH_TIMEOUT_S)
    except requests.RequestException as exc:
        entry["health"] = {"error": f"no answer on port {view.port}: {type(exc).__name__}"}
        return entry
    try:
        entry["health"] = reply.json()
    except ValueError:
        entry["health"] = {"error": f"HTTP {reply.status_code}, not JSON"}
    entry["healthy"] = reply.status_code == 200
    return entry


def health(supervisor: Supervisor) -> tuple[bool, dict[str, Any]]:
    views = supervisor.snapshot()
    with ThreadPoolExecutor(max_workers=max(len(views), 1)) as pool:
        entries = dict(zip((v.name for v in views), pool.map(child_health, views), strict=True))
    ok = bool(entries) and all(e["healthy"] for e in entries.values()) and not supervisor.stopping.is_set()
    body = {
        "status": "ok" if ok else "failing",
        "stopping": supervisor.stopping.is_set(),
        "failure": supervisor.failure,
        "children": entries,
    }
    return ok, body


def _child_metrics(view: ChildView) -> str | None:
    if view.pid is None:
        return None
    try:
        reply = requests.get(f"http://127.0.0.1:{view.port}/metrics", timeout=FETCH_TIMEOUT_S)
    except requests.RequestException:
        return None
    return reply.text if reply.status_code == 200 else None


def merge_metrics(texts: Iterable[tuple[str, str]]) -> list[Metric]:
    """Families of several children's expositions, one family per name, each sample labelled ``worker``.
    A family whose type differs from the first child's of that name is left out (never mislabelled)."""
    merged: dict[str, Metric] = {}
    for worker, text in texts:
        for family in text_string_to_metric_families(text):
            target = merged.setdefault(family.name, Metric(family.name, family.documentation, family.type))
            if target.type != family.type:
                continue
            target.samples += [
                Sample(s.name, {**s.labels, "worker": worker}, s.value, s.timestamp, s.exemplar) for s in family.samples
            ]
    return list(merged.values())


def own_metrics(views: list[ChildView], scraped: dict[str, bool]) -> list[Metric]:
    up = Metric("prestasync_serve_child_up", "1 while the child process runs", "gauge")
    restarts = Metric("prestasync_serve_child_restarts", "Restarts of the child since serve started", "counter")
    scrape = Metric("prestasync_serve_child_scrape_ok", "1 when the child's /metrics answered", "gauge")
    for view in views:
        labels = {"worker": view.name}
        up.add_sample("prestasync_serve_child_up", labels, 1.0 if view.pid is not None else 0.0)
        restarts.add_sample("prestasync_serve_child_restarts_total", labels, float(view.restarts))
        scrape.add_sample("prestasync_serve_child_scrape_ok", labels, 1.0 if scraped.get(view.name) else 0.0)
    return [up, restarts, scrape]


class _Families:
    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> Iterator[Metric]:
        return iter(self.families)


def metrics(supervisor: Supervisor) -> bytes:
    views = supervisor.snapshot()
    with ThreadPoolExecutor(max_workers=max(len(views), 1)) as pool:
        texts = dict(zip((v.name for v in views), pool.map(_child_metrics, views), strict=True))
    found = [(name, text) for name, text in texts.items() if text is not None]
    families = merge_metrics(found) + own_metrics(views, {name: text is not None for name, text in texts.items()})
    return generate_latest(_Families(families))


class AggregateServer(RouteServer):
    """``/health`` and ``/metrics`` of every child on one port."""

    def __init__(self, supervisor: Supervisor, host: str, port: int) -> None:
        super().__init__(
            {
                "/health": lambda: _health_reply(supervisor),
                "/metrics": lambda: (200, CONTENT_TYPE_LATEST, metrics(supervisor)),
            },
            port,
            host,
            name="serve-http",
        )


def _health_reply(supervisor: Supervisor) -> tuple[int, str, bytes]:
    ok, body = health(supervisor)
    return 200 if ok else 503, "application/json", json.dumps(body, default=str).encode()
