"""What `prestasync bench e2e` measures besides the acks: a polling baseline, the raw capture
latency, echo writes at the twins, and the CPU/memory of every process of the stack."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psutil
import requests
from kafka import TopicPartition

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.kafka_clients import consumer
from kernel.procs import ManagedProcess
from kernel.settings import Settings

# Processes started by prestasync (pid files under <home>/run) and, by name, the two databases.
MANAGED = (
    "kafka",
    "connect",
    "twin-prestashop",
    "twin-odoo",
    "worker-streams",
    "worker-sink-odoo",
    "worker-sink-prestashop",
)
BY_NAME = {"mariadbd": ("mariadbd", "mysqld"), "postgres": ("postgres",)}
READ_METHODS = ("GET", "HEAD", "OPTIONS")


def percentiles(values: list[float]) -> tuple[float, float, float] | None:
    """p50/p95/p99 by nearest rank (None when there is nothing to rank)."""
    if not values:
        return None
    ranked = sorted(values)
    return tuple(ranked[min(len(ranked) - 1, max(0, round(q * len(ranked)) - 1))] for q in (0.5, 0.95, 0.99))  # type: ignore[return-value]


@dataclass
class PollingBaseline:
    """A cron-style connector: every ``interval_s`` it asks each system what changed since its
    last look (``date_upd`` of PrestaShop orders, ``write_date`` of Odoo quants) and notes when it
    first saw each change. ``detections[(system, key)]`` are the poll start times (UTC epoch) at
    which a new version of the row identified by ``key`` (order reference / SKU) was seen."""

    settings: Settings
    interval_s: float
    detections: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    last_poll_started: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _seen: set[tuple[str, str, datetime]] = field(default_factory=set)

    def run(self) -> None:
        prefix = self.settings.mariadb.table_prefix
        shop = mariadb_admin(self.settings.mariadb.database, settings=self.settings)
        erp = postgres_admin(self.settings.postgres.database, settings=self.settings)
        queries = {
            "shop": (
                shop,
                f"SELECT reference, date_upd FROM {prefix}orders WHERE date_upd >= %s",
                f"SELECT MAX(date_upd) AS m FROM {prefix}orders",
            ),
            "erp": (
                erp,
                "SELECT p.default_code, q.write_date FROM stock_quant q JOIN product_product p "
                "ON p.id = q.product_id WHERE q.write_date >= %s AND p.default_code IS NOT NULL",
                "SELECT MAX(write_date) FROM stock_quant",
            ),
        }
        watermarks = {
            system: self._fetch(conn, last)[0][0] or datetime(1970, 1, 1) for system, (conn, _, last) in queries.items()
        }
        try:
            while not self._stop.wait(self.interval_s):
                started = time.time()
                for system, (conn, changed, _) in queries.items():
                    # the watermark is inclusive: 1-second date_upd would lose same-second changes
                    for key, version in self._fetch(conn, changed, (watermarks[system],)):
                        watermarks[system] = max(watermarks[system], version)
                        if (system, str(key), version) not in self._seen:
                            self._seen.add((system, str(key), version))
                            self.detections[(system, str(key))].append(started)
                self.last_poll_started = started
        finally:
            shop.close()
            erp.close()

    @staticmethod
    def _fetch(conn: Any, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            rows = [tuple(r.values()) if isinstance(r, dict) else tuple(r) for r in cur.fetchall()]
        if hasattr(conn, "commit"):
            conn.commit()  # a fresh snapshot next time (psycopg2 opens a transaction on read)
        return rows

    def stop(self) -> None:
        self._stop.set()

    def latency(self, system: str, key: str, committed_at: datetime) -> float | None:
        """Seconds from the commit to the first poll that started after it, None if none did."""
        committed = committed_at.timestamp()
        later = [t for t in self.detections.get((system, key), []) if t >= committed]
        return min(later) - committed if later else None


def capture_latencies(
    settings: Settings, raw_topics: tuple[str, ...], since_ms: int, until_ms: int
) -> dict[str, dict[str, list[float]]]:
    """For each source (shop/erp), seconds from the source commit (``payload.source.ts_ms``) to
    Debezium's processing (``payload.ts_ms``) and to the Kafka record timestamp, for the change
    events (not snapshot reads) written between ``since_ms`` and ``until_ms``."""
    result: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    reader = consumer(settings)
    try:
        partitions = [TopicPartition(t, p) for t in raw_topics for p in sorted(reader.partitions_for_topic(t) or ())]
        starts = reader.offsets_for_times({tp: since_ms for tp in partitions})
        ends = reader.end_offsets(partitions)
        wanted = {tp: (found.offset, ends[tp]) for tp, found in starts.items() if found is not None}
        if not wanted:
            return result
        reader.assign(list(wanted))
        for tp, (start, _) in wanted.items():
            reader.seek(tp, start)
        remaining = {tp for tp, (start, end) in wanted.items() if start < end}
        deadline = time.monotonic() + 120
        while remaining and time.monotonic() < deadline:
            for tp, records in reader.poll(timeout_ms=1000).items():
                for record in records:
                    if record.offset >= wanted[tp][1] - 1:
                        remaining.discard(tp)
                    if record.value is None or record.timestamp > until_ms:
                        continue
                    payload = json.loads(record.value).get("payload") or {}
                    source = payload.get("source") or {}
                    if str(source.get("snapshot", "false")) != "false" or "ts_ms" not in source:
                        continue
                    side = tp.topic.split(".", 1)[0]
                    result[side]["debezium"].append((payload["ts_ms"] - source["ts_ms"]) / 1000)
                    result[side]["kafka"].append((record.timestamp - source["ts_ms"]) / 1000)
    finally:
        reader.close()
    return result


def api_writes_since(settings: Settings, since: float) -> dict[str, tuple[int, int]]:
    """Per twin: (API calls that may write, all API calls) recorded since ``since`` (epoch s).
    PrestaShop writes are the non-GET methods; Odoo's JSON-RPC is POST only and the call record
    does not keep the model method, so every model call counts (an upper bound)."""
    from sandbox.credentials import admin_token
    from sandbox.lifecycle import TWINS, twin_port

    counts: dict[str, tuple[int, int]] = {}
    for system in TWINS:
        url = f"http://{settings.sandbox.host}:{twin_port(settings, system)}/__admin/calls"
        reply = requests.get(url, params={"since": since}, headers={"X-Admin-Token": admin_token(settings)}, timeout=10)
        reply.raise_for_status()
        calls = [c for c in reply.json()["calls"] if not c["path"].startswith("/__admin/")]
        if system == "prestashop":
            writes = [c for c in calls if c["method"] not in READ_METHODS]
        else:
            writes = [c for c in calls if c["resource"] not in (None, "res.users")]
        counts[system] = (len(writes), len(calls))
    return counts


@dataclass
class ProcessSampler:
    """CPU % (100 = one core) and resident memory of each component, every ``every_s`` seconds.
    A component is its process and its children; for the databases every process of that name,
    whose resident sizes are summed (shared buffers counted once per process: an upper bound)."""

    settings: Settings
    every_s: float = 2.0
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    rss_max: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _stop: threading.Event = field(default_factory=threading.Event)
    _known: dict[int, psutil.Process] = field(default_factory=dict)

    def components(self) -> dict[str, list[int]]:
        run_dir = self.settings.home / "run"
        found: dict[str, list[int]] = {}
        for name in MANAGED:
            pid = ManagedProcess(name, run_dir, self.settings.logs_dir).pid()
            if pid is not None:
                try:
                    parent = psutil.Process(pid)
                    found[name] = [pid, *(c.pid for c in parent.children(recursive=True))]
                except psutil.NoSuchProcess:
                    continue
        for label, names in BY_NAME.items():
            found[label] = [p.pid for p in psutil.process_iter(["name"]) if p.info["name"] in names]
        return found

    def _process(self, pid: int) -> psutil.Process:
        if pid not in self._known:  # cpu_percent needs the same object between two samples
            self._known[pid] = psutil.Process(pid)
            self._known[pid].cpu_percent(None)
        return self._known[pid]

    def run(self) -> None:
        self.components()
        while not self._stop.wait(self.every_s):
            for name, pids in self.components().items():
                cpu, rss = 0.0, 0
                for pid in pids:
                    try:
                        proc = self._process(pid)
                        cpu += proc.cpu_percent(None)
                        rss += proc.memory_info().rss
                    except psutil.Error:
                        continue
                self.cpu[name].append(cpu)
                self.rss_max[name] = max(self.rss_max[name], rss)

    def stop(self) -> None:
        self._stop.set()


def utc_ms(moment: datetime | None = None) -> int:
    return int((moment or datetime.now(UTC)).timestamp() * 1000)
