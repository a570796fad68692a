"""`prestasync bench store-stock`: latency of the store-stock lookup at a fixed request rate.

On the live stack's Kafka: a compacted store-figure topic of the run's own (a ``streams.topic_suffix``)
filled with ``--skus`` SKUs in two stores, ``prestasync run store-stock`` started on it as its own
process (as deployed), then an open-loop client sends ``--rate`` GETs a second for ``--duration`` s
(each request due at ``start + i / rate``, whether or not the previous ones answered, so a slow
service cannot slow the load down). Latency is counted from when a request was *due* (a client that
fell behind counts against the figure, never for it) and, apart, from when it was sent. The topic
is deleted afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import click
import psutil

from kernel.kafka_admin import admin, create_missing, delete_topics
from kernel.kafka_clients import producer
from kernel.procs import free_port
from kernel.settings import REPO_ROOT, Settings, get_settings
from schemas import topics
from schemas.store_stock import StoreFigure
from streams.local_state import CHANGELOG_CONFIG

BENCH_STORES = {"paris": 10, "lyon": 11}
SHOP_ORIGIN = "http://shop.bench"
CONNECTIONS = 16  # keep-alive connections, as a few PHP-FPM workers or a proxy in front would hold


@dataclass(frozen=True)
class LookupRun:
    sent: int
    errors: int
    seconds: float
    from_due_ms: list[float]  # sorted
    from_send_ms: list[float]  # sorted
    service_cpu_percent: float  # 100 = one core
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


def percentile(sorted_ms: list[float], p: float) -> float:
    if not sorted_ms:
        return float("nan")
    return sorted_ms[min(len(sorted_ms) - 1, int(p / 100 * len(sorted_ms)))]


def _fill(settings: Settings, topic: str, skus: list[str]) -> None:
    with admin(settings) as client:
        create_missing(client, {topic: settings.streams.partitions}, {topic: CHANGELOG_CONFIG})
    out = producer(settings)
    now = datetime.now(UTC)
    for sku in skus:
        for location in BENCH_STORES.values():
            figure = StoreFigure(sku, str(location), Decimal(random.randint(0, 40)), now)
            out.send(topic, key=figure.key(), value=figure.encode())
    out.flush()
    out.close()


class _Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection, one request at a time; the client's cost per request is
    kept to a few microseconds (a general HTTP client at 1,000 req/s took more CPU than the service
    and measured its own queue, not the lookup)."""

    def __init__(self, idle: asyncio.Queue[_Connection]) -> None:
        self.idle, self.buffer, self.transport = idle, b"", None
        self.waiter: asyncio.Future[int] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def request(self, data: bytes) -> asyncio.Future[int]:
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)  # type: ignore[attr-defined]
        return self.waiter

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        head_end = self.buffer.find(b"\r\n\r\n")
        if head_end < 0:
            return
        length = _content_length(self.buffer[:head_end])
        if len(self.buffer) < head_end + 4 + length:
            return
        status = int(self.buffer[9:12])
        self.buffer = self.buffer[head_end + 4 + length :]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(status)
        self.idle.put_nowait(self)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("the lookup closed the connection"))


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0  # a 304: no body


async def _load(port: int, skus: list[str], rate: float, duration: float) -> tuple[list[float], list[float], int]:
    loop = asyncio.get_running_loop()
    idle: asyncio.Queue[_Connection] = asyncio.Queue()
    for _ in range(CONNECTIONS):
        _, conn = await loop.create_connection(lambda: _Connection(idle), "127.0.0.1", port)
        idle.put_nowait(conn)
    requests = {
        sku: f"GET /store-stock/{sku} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {SHOP_ORIGIN}\r\n\r\n".encode()
        for sku in skus
    }
    due_ms: list[float] = []
    send_ms: list[float] = []
    errors = 0

    async def one(due: float, sku: str) -> None:
        nonlocal errors
        conn = await idle.get()  # waiting for a free connection counts in "from due"
        sent = time.perf_counter()
        try:
            status = await conn.request(requests[sku])
        except ConnectionError:
            errors += 1
            return
        done = time.perf_counter()
        errors += status != 200
        due_ms.append((done - due) * 1000)
        send_ms.append((done - sent) * 1000)

    for _ in range(200):  # warm-up, not counted
        await one(time.perf_counter(), random.choice(skus))
    due_ms.clear()
    send_ms.clear()
    start, tasks = time.perf_counter(), []
    for i in range(int(rate * duration)):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due, random.choice(skus))))
    await asyncio.gather(*tasks)
    return sorted(due_ms), sorted(send_ms), errors


def run_lookup(settings: Settings, rate: float, duration: float, sku_count: int) -> LookupRun:
    suffix = f".bench{uuid.uuid4().hex[:8]}"
    topic = topics.STORE_STOCK + suffix
    skus = [f"BENCH-{i:05d}" for i in range(sku_count)]
    port = free_port()
    env = {
        **os.environ,
        "PRESTASYNC_STREAMS__TOPIC_SUFFIX": suffix,
        "PRESTASYNC_STORE_STOCK__PORT": str(port),
        "PRESTASYNC_STORE_STOCK__STORES": json.dumps(BENCH_STORES),
        "PRESTASYNC_STORE_STOCK__ALLOWED_ORIGINS": json.dumps([SHOP_ORIGIN]),
    }
    proc: subprocess.Popen[bytes] | None = None
    try:
        _fill(settings, topic, skus)
        log = (settings.logs_dir / f"bench-store-stock{suffix}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "prestasync.cli", "run", "store-stock"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        _wait_healthy(port, proc)
        service = psutil.Process(proc.pid)
        service.cpu_percent()
        load_before = os.getloadavg()
        started = time.perf_counter()
        due, send, errors = asyncio.run(_load(port, skus, rate, duration))
        seconds = time.perf_counter() - started
        return LookupRun(
            int(rate * duration), errors, seconds, due, send, service.cpu_percent(), load_before, os.getloadavg()
        )
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
        delete_topics(settings, [topic])


def _wait_healthy(port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise click.ClickException(f"the lookup exited with {proc.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise click.ClickException("the lookup did not become healthy within 60 s")


@click.command("store-stock")
@click.option("--rate", default=1000.0, show_default=True, help="Requests per second (open loop).")
@click.option("--duration", default=30.0, show_default=True, help="Seconds of load.")
@click.option("--skus", "sku_count", default=5000, show_default=True, help="SKUs on the topic (two stores each).")
def bench_store_stock(rate: float, duration: float, sku_count: int) -> None:
    """p50 / p99 of the store-stock lookup at a fixed request rate (live Kafka, own topic)."""
    settings = get_settings()
    run = run_lookup(settings, rate, duration, sku_count)
    due, send = run.from_due_ms, run.from_send_ms
    click.echo(
        f"{run.sent} requests at {rate:.0f}/s for {duration:.0f} s ({run.sent / run.seconds:.0f}/s achieved, "
        f"{run.errors} errors), {sku_count} SKUs x {len(BENCH_STORES)} stores"
    )
    click.echo(
        f"latency from due:  p50 {percentile(due, 50):.2f} ms, p90 {percentile(due, 90):.2f} ms, "
        f"p99 {percentile(due, 99):.2f} ms, max {due[-1] if due else float('nan'):.2f} ms"
    )
    click.echo(
        f"latency from send: p50 {percentile(send, 50):.2f} ms, p90 {percentile(send, 90):.2f} ms, "
        f"p99 {percentile(send, 99):.2f} ms, max {send[-1] if send else float('nan'):.2f} ms"
    )
    click.echo(
        f"lookup process CPU {run.service_cpu_percent:.0f} % of a core; load average "
        f"{run.load_before[0]:.2f} before, {run.load_after[0]:.2f} after; {psutil.cpu_count()} CPUs"
    )


def register(cli: click.Group) -> None:
    bench = cli.commands.get("bench")
    if isinstance(bench, click.Group):
        bench.add_command(bench_store_stock)
