"""`prestasync serve` on the real stack: Debezium -> Kafka -> streams -> sinks -> twins, every worker a
child of one serve process with its own topics (``streams.topic_suffix``), groups, ports, pid and log
directory, so it shares the stack with other tests without touching their topics.

A shop order reaches the ERP, the ERP's confirmation comes back to the shop; a `kill -9` of the Odoo sink
while orders are in flight and of the PrestaShop sink while an ERP cancellation is in flight: both are
restarted, and every effect happened exactly once; SIGTERM stops serve with exit 0 and no child left.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest
import requests
from kafka import KafkaAdminClient

from kernel.procs import free_port, port_open
from kernel.settings import REPO_ROOT, Settings, get_settings
from prestasync.stack import connect
from sandbox.simulator.events import STATE_PAYMENT_ACCEPTED
from streams.local_state import data_dir
from tests.integration.prestasync.e2e.checks import (
    assert_one_partner_per_customer,
    assert_orders_in_erp_once_with_their_totals,
    erp_rows,
    shop_rows,
)
from tests.integration.prestasync.e2e.trade import ErpUser, Shop, erp_goods
from tests.support.cli import cli
from tests.support.polling import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("capture_running")]

SHOP_PROCESSING, SHOP_CANCELLED = 3, 6
CHILDREN = ("streams", "sink-odoo", "sink-prestashop")


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    url: str
    run_dir: Path
    log_dir: Path
    output: Path

    def health(self) -> tuple[int, dict[str, Any]]:
        reply = requests.get(f"{self.url}/health", timeout=10)
        return reply.status_code, reply.json()

    def healthy(self) -> dict[str, Any]:
        assert self.proc.poll() is None, f"serve exited ({self.proc.returncode}): {self.output.read_text()[-3000:]}"
        try:
            status, body = self.health()
        except requests.ConnectionError as exc:
            raise AssertionError("serve's port does not answer yet") from exc
        assert status == 200, json.dumps(body)[:2000]
        return body

    def pid(self, child: str) -> int:
        return int((self.run_dir / f"worker-{child}.pid").read_text())


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    settings = get_settings()
    if not all(port_open(p) for p in (settings.sandbox.prestashop_port, settings.sandbox.odoo_port)):
        cli("sandbox", "up")  # the session's conftest stops what the tests started
    cli("sandbox", "load-sample")  # idempotent: the catalogue the orders are made of
    for name in connect.connector_names(settings):
        assert connect.state(settings, name).healthy, f"connector {name} is not RUNNING: `prestasync stack up`"
    suffix = f".serve{uuid.uuid4().hex[:10]}"
    port = free_port()
    env = {
        **os.environ,
        "PRESTASYNC_STREAMS__TOPIC_SUFFIX": suffix,
        "PRESTASYNC_STREAMS__START_FROM": "latest",
        "PRESTASYNC_STREAMS__SESSION_TIMEOUT_S": "10",
        "PRESTASYNC_SERVE__PORT": str(port),
        "PRESTASYNC_SERVE__PORTS": json.dumps(dict.fromkeys(CHILDREN, 0)),
        "PRESTASYNC_SERVE__RUN_DIR": str(tmp_path / "run"),
        "PRESTASYNC_SERVE__LOG_DIR": str(tmp_path / "logs"),
        "PRESTASYNC_SERVE__CONNECTORS": "check",
    }  # the shared stack's connectors: only checked, not redeployed
    output = tmp_path / "serve.log"
    with output.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "prestasync.cli", "serve"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    served = Served(proc, f"http://127.0.0.1:{port}", tmp_path / "run", tmp_path / "logs", output)
    try:
        wait_until(served.healthy, "serve's /health: every child healthy", 180, 2)
        yield served
    finally:
        pids = [p.pid for p in psutil.Process(proc.pid).children(recursive=True)] if proc.poll() is None else []
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(150)
        for pid in pids:  # only a failed test leaves any: this test's own children, by pid
            with contextlib.suppress(psutil.NoSuchProcess):
                psutil.Process(pid).kill()
        if proc.poll() is None:
            proc.kill()
        _delete_own_topics_and_groups(settings, suffix)
        shutil.rmtree(data_dir(settings.home, settings.streams.app_id + suffix), ignore_errors=True)  # its tables


def _delete_own_topics_and_groups(settings: Settings, suffix: str) -> None:
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap)
    try:
        mine = [t for t in admin.list_topics() if suffix in t]
        if mine:
            admin.delete_topics(mine)
        groups = [
            f"{settings.streams.app_id}{suffix}",
            *(f"prestasync-sink-{system}{suffix}" for system in ("odoo", "prestashop")),
        ]
        with contextlib.suppress(Exception):
            admin.delete_groups(groups)
    finally:
        admin.close()


def shop_state(settings: Settings, reference: str) -> int:
    return int(
        shop_rows(settings, "SELECT current_state FROM {p}orders WHERE reference = %s", (reference,))[0][
            "current_state"
        ]
    )


def kill_and_see_restarted(served: Served, child: str) -> None:
    before = served.pid(child)
    os.kill(before, signal.SIGKILL)

    def restarted() -> None:
        body = served.healthy()
        entry = body["children"][child]
        assert entry["pid"] not in (None, before) and entry["restarts"] == 1, entry
        assert "killed by SIGKILL" in entry["last_exit"], entry

    wait_until(restarted, f"{child} restarted and healthy after kill -9", 120, 1)
    assert served.pid(child) != before and not alive(before)


def test_serve_syncs_both_ways_restarts_killed_children_exactly_once_and_stops_on_sigterm(served: Served) -> None:
    settings = get_settings()
    rng = random.Random(secrets.randbits(32))
    shop, erp_user = Shop(settings, rng), ErpUser(settings)
    try:
        goods = erp_goods(settings)
        items = shop.items(4, goods)

        # shop -> ERP, and the ERP's confirmation back to the shop
        first = shop.order(shop.shoppers.new_customer(), items[0:2], state=STATE_PAYMENT_ACCEPTED)
        wait_until(
            lambda: assert_orders_in_erp_once_with_their_totals(settings, [first.reference]),
            "the shop order in the ERP",
            120,
            1.0,
        )
        wait_until(
            lambda: _assert_equal(shop_state(settings, first.reference), SHOP_PROCESSING),
            "the ERP's confirmation in the shop",
            120,
            1.0,
        )

        # kill -9 the Odoo sink while three orders are on their way to it
        more = [shop.order(shop.shoppers.new_customer(), items[i : i + 1]) for i in range(1, 4)]
        kill_and_see_restarted(served, "sink-odoo")
        refs = [first.reference, *(o.reference for o in more)]
        wait_until(
            lambda: assert_orders_in_erp_once_with_their_totals(settings, refs),
            "every order in the ERP exactly once after the restart",
            180,
            1.0,
        )
        assert_one_partner_per_customer(settings, {o.id_customer for o in (first, *more)})

        # an ERP user cancels an order; kill -9 the PrestaShop sink while that status is on its way
        cancelled = more[0]
        wait_until(
            lambda: _assert_equal(shop_state(settings, cancelled.reference), SHOP_PROCESSING),
            "the order confirmed in the shop before the ERP cancels it",
            120,
            1.0,
        )
        erp_user.cancel(cancelled.reference)
        kill_and_see_restarted(served, "sink-prestashop")
        wait_until(
            lambda: _assert_equal(shop_state(settings, cancelled.reference), SHOP_CANCELLED),
            "the ERP's cancellation in the shop after the restart",
            180,
            1.0,
        )
        histories = shop_rows(
            settings,
            "SELECT id_order_state, count(*) AS n FROM {p}order_history WHERE id_order = %s GROUP BY id_order_state",
            (cancelled.id_order,),
        )
        counts = {int(r["id_order_state"]): int(r["n"]) for r in histories}
        assert counts.get(SHOP_CANCELLED) == 1 and counts.get(SHOP_PROCESSING) == 1, counts
        assert erp_rows(
            settings, "SELECT state FROM sale_order WHERE client_order_ref = %s", (cancelled.reference,)
        ) == [("cancel",)]
    finally:
        shop.close()

    # one port: each child's metrics labelled by worker, and serve's count of restarts
    metrics = requests.get(f"{served.url}/metrics", timeout=10).text
    assert 'prestasync_serve_child_restarts_total{worker="sink-odoo"} 1.0' in metrics
    assert 'prestasync_serve_child_restarts_total{worker="streams"} 0.0' in metrics
    assert 'worker="sink-odoo"' in metrics and "prestasync_commands_applied_total{" in metrics

    # SIGTERM: every child drained and stopped, serve exits 0, no child left, pid files gone
    children = {name: served.pid(name) for name in CHILDREN}
    assert all(alive(pid) for pid in children.values()), children
    served.proc.send_signal(signal.SIGTERM)
    assert served.proc.wait(150) == 0, served.output.read_text()[-3000:]
    assert {name: pid for name, pid in children.items() if alive(pid)} == {}, "children left after serve stopped"
    assert sorted(p.name for p in served.run_dir.iterdir()) == []
    log = served.output.read_text()
    assert all(f"stopped {name} (exit code 0)" in log for name in CHILDREN), log[-3000:]
    for name in CHILDREN:
        assert (served.log_dir / f"worker-{name}.log").stat().st_size > 0


def _assert_equal(actual: object, expected: object) -> None:
    assert actual == expected, f"{actual!r} != {expected!r}"
