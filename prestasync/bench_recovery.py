"""`prestasync bench recovery`: how long a SIGKILLed streams worker takes to process again.

On the live stack (Kafka up), with its own topics, group and state dir (``streams.topic_suffix``):
starts ``prestasync run streams``, builds a history by sending it ``--history`` customer changes on
its canonical topic (each one a guard step, a command and ~4 changelog records), waits until it
committed them, SIGKILLs it, puts one more change on the topic and restarts it. It prints the time
from the restart to ``/health`` and to the probe's command on the command topic (the first event
processed after the restart), and the changelog records the tables hold. Cleans up after itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import click
import requests
from kafka.structs import TopicPartition

from kernel.codec import canonical_codec
from kernel.kafka_admin import admin, committed_offsets, delete_groups, end_offsets
from kernel.kafka_clients import consumer, producer
from kernel.settings import REPO_ROOT, Settings, get_settings
from schemas import topics
from schemas.records import Customer, Envelope
from streams.outputs import H_INTEGRATION, H_KIND, H_SYSTEM


@dataclass(frozen=True)
class RecoveryRun:
    store: str
    static: bool
    history: int
    changelog_records: int
    to_health_s: float
    to_first_event_s: float


def customer_change(n: int, key: str, now: datetime) -> Customer:
    """A shop customer's change no table has seen (its e-mail is new): one command to the ERP."""
    env = Envelope(
        canonical_key=key,
        origin_system="prestashop",
        origin_table="customer",
        origin_id=key,
        source_ts=now,
        source_position=f"bench:{n}",
        snapshot=False,
        deleted=False,
        content_hash="",
    )
    return Customer(
        envelope=env,
        shop_customer_id=n,
        email=f"bench{n}@example.invalid",
        first_name="Bench",
        last_name=f"N{n}",
        display_name=f"Bench N{n}",
        company=None,
        birthday=None,
        newsletter=False,
        active=True,
        is_guest=False,
        default_group_key=None,
        lang=None,
    ).sealed()


class Worker:
    """One ``prestasync run streams`` subprocess of the benchmark (restartable, same state)."""

    def __init__(self, settings: Settings, env: dict[str, str], log_dir: Path) -> None:
        self.settings, self.env, self.log_dir = settings, env, log_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self.runs = 0

    def start(self) -> None:
        self.runs += 1
        log = (self.log_dir / f"streams-{self.runs}.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "prestasync.cli", "run", "streams"],
            cwd=REPO_ROOT,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def healthy(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise click.ClickException(f"the streams worker exited with {self.proc.returncode}: {self.log_dir}")
        try:
            url = f"http://127.0.0.1:{self.env['PRESTASYNC_STREAMS__METRICS_PORT']}/health"
            return requests.get(url, timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def _wait(check: object, timeout: float, what: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():  # type: ignore[operator]
            return time.monotonic() - start
        time.sleep(0.1)
    raise click.ClickException(f"timed out after {timeout:.0f}s waiting for {what}")


def _committed_all(settings: Settings, group: str, topic: str) -> bool:
    with admin(settings) as client:
        committed = committed_offsets(client, group)
    return all(end == 0 or committed.get(tp, -1) >= end for tp, end in end_offsets(settings, topic).items())


def _changelog_records(settings: Settings, app_id: str) -> int:
    reader = consumer(settings)
    try:
        names = [t for t in reader.topics() if t.startswith(app_id + "-") and t.endswith("-changelog")]
        tps = [TopicPartition(n, p) for n in names for p in sorted(reader.partitions_for_topic(n) or ())]
        ends, starts = reader.end_offsets(tps), reader.beginning_offsets(tps)
        return sum(int(ends[tp]) - int(starts[tp]) for tp in tps)
    finally:
        reader.close()


def _first_command(settings: Settings, topic: str, key: bytes, deadline: float) -> float | None:
    """Wall time (record timestamp, s) of the first record keyed ``key`` on ``topic``."""
    reader = consumer(settings)
    try:
        tps = [TopicPartition(topic, p) for p in sorted(reader.partitions_for_topic(topic) or ())]
        reader.assign(tps)
        reader.seek_to_beginning()
        while time.monotonic() < deadline:
            for records in reader.poll(timeout_ms=200).values():
                for record in records:
                    if record.key == key:
                        return float(record.timestamp) / 1000.0
        return None
    finally:
        reader.close()


def run_recovery(
    settings: Settings, history: int, store: str, static: bool, session_timeout: float, timeout: float = 600.0
) -> RecoveryRun:
    suffix = f".bench{uuid.uuid4().hex[:10]}"
    app_id = settings.streams.app_id + suffix
    canonical, commands = topics.CANONICAL + suffix, topics.commands_topic("odoo") + suffix
    env = {
        "PRESTASYNC_STREAMS__TOPIC_SUFFIX": suffix,
        "PRESTASYNC_STREAMS__START_FROM": "latest",
        "PRESTASYNC_STREAMS__METRICS_PORT": str(_free_port()),
        "PRESTASYNC_STREAMS__STORE": store,
        "PRESTASYNC_STREAMS__STATIC_MEMBERSHIP": "true" if static else "false",
        "PRESTASYNC_STREAMS__SESSION_TIMEOUT_S": str(session_timeout),
    }
    log_dir = Path(tempfile.mkdtemp(prefix="prestasync-bench-recovery-"))
    worker = Worker(settings, env, log_dir)
    codec = canonical_codec(settings)
    out = producer(settings, linger_ms=20)
    headers = [(H_KIND, b"obs"), (H_SYSTEM, b"prestashop"), (H_INTEGRATION, b"0")]
    try:
        worker.start()
        _wait(worker.healthy, timeout, "the first start's /health")
        now = datetime.now(UTC)
        for n in range(history):
            key = f"bench-{n}"
            out.send(
                canonical,
                key=f"obs:customer:{key}".encode(),
                value=codec.encode(customer_change(n, key, now)),
                headers=headers,
            )
        out.flush()
        _wait(lambda: _committed_all(settings, app_id, canonical), timeout, f"the worker to process {history}")
        time.sleep(2.0)  # let the last changelog writes land (what a real kill would find)
        records = _changelog_records(settings, app_id)
        worker.kill()
        probe = "bench-probe"
        out.send(
            canonical,
            key=f"obs:customer:{probe}".encode(),
            value=codec.encode(customer_change(history, probe, datetime.now(UTC))),
            headers=headers,
        )
        out.flush()
        restarted = time.time()
        start = time.monotonic()
        worker.start()
        to_health = _wait(worker.healthy, timeout, "the restart's /health")
        seen = _first_command(settings, commands, probe.encode(), start + timeout)
        if seen is None:
            raise click.ClickException("the probe's command never came")
        return RecoveryRun(store, static, history, records, to_health, seen - restarted)
    finally:
        out.close()
        worker.stop()
        _cleanup(settings, suffix, app_id)
        shutil.rmtree(log_dir, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cleanup(settings: Settings, suffix: str, app_id: str) -> None:
    with admin(settings) as client:
        mine = [t for t in client.list_topics() if t.endswith(suffix) or t.startswith(app_id + "-")]
        if mine:
            client.delete_topics(mine, raise_errors=False)
        with contextlib.suppress(Exception):  # an already empty group is not worth failing the figures
            delete_groups(client, [app_id])
    shutil.rmtree(settings.home / "streams" / f"{app_id}-data", ignore_errors=True)


@click.command("recovery")
@click.option("--history", default=20000, show_default=True, help="Customer changes processed before the kill.")
@click.option("--store", default=None, help="Faust table store (default: streams.store).")
@click.option(
    "--static/--no-static", "static", default=None, help="Static group membership (default: streams.static_membership)."
)
@click.option("--session-timeout", default=None, type=float, help="Group session (s, default: streams'). ")
def bench_recovery(history: int, store: str | None, static: bool | None, session_timeout: float | None) -> None:
    """Seconds from a SIGKILLed streams worker's restart to its first processed event (live stack)."""
    settings = get_settings()
    cfg = settings.streams
    run = run_recovery(
        settings,
        history,
        store or cfg.store,
        cfg.static_membership if static is None else static,
        cfg.session_timeout_s if session_timeout is None else session_timeout,
    )
    click.echo(
        f"store {run.store}, static membership {'on' if run.static else 'off'}, history {run.history} "
        f"changes ({run.changelog_records} changelog records): restart -> /health "
        f"{run.to_health_s:.1f} s, restart -> first event processed {run.to_first_event_s:.1f} s"
    )


def register(cli: click.Group) -> None:
    bench = cli.commands.get("bench")
    if isinstance(bench, click.Group):
        bench.add_command(bench_recovery)
