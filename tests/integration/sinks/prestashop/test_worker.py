"""The PrestaShop sink behind the Kafka worker: faults, replays, dead letters, and a kill -9 mid-batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kernel.settings import REPO_ROOT, get_settings
from schemas import topics
from schemas.acks import SinkAck
from schemas.codec import make_codec
from schemas.records import Canonical
from sinks.common.handlers import CommandMeta
from sinks.common.worker import WorkerStats, run_sink
from sinks.prestashop.sink import PrestaShopSink
from tests.integration.sinks.prestashop.commands import (
    api_calls,
    create_order,
    inject,
    meta,
    price_rule,
    product,
    shipment,
    sink_config,
    status,
    stock,
    variant,
)
from tests.support.polling import wait_until
from tests.support.sink_topics import FAST, SinkRecord, produce, read_all, sink_topics

pytestmark = pytest.mark.integration

Commands = list[tuple[Canonical | bytes, CommandMeta]]
CODEC = make_codec()
FAULTS: list[dict[str, Any]] = [
    {"kind": "500"},
    {"kind": "429", "retry_after": 1},
    {"kind": "malformed"},
    {"kind": "drop"},
    {"kind": "timeout"},
    {"kind": "500", "count": 2},
    {"kind": "malformed"},
]


def run_worker(twin, names, stats: WorkerStats) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    sink = PrestaShopSink(sink_config(twin))
    thread = threading.Thread(
        target=run_sink,
        args=(get_settings(), sink, stop, names.options(**FAST)),
        kwargs={"codec": CODEC, "stats": stats},
        daemon=True,
    )
    thread.start()
    return thread, stop


def decode_acks(records: list[SinkRecord]) -> list[SinkAck]:
    acks = [CODEC.decode(r.value) for r in records]
    assert all(isinstance(a, SinkAck) for a in acks)
    return [a for a in acks if isinstance(a, SinkAck)]


def header(record: SinkRecord, name: str) -> str:
    return record.headers.get(name, b"").decode()


def test_batch_with_faults_applies_each_command_once_and_dead_letters_the_terminal_ones(prestashop_twin) -> None:
    client = PrestaShopSink(sink_config(prestashop_twin)).client
    orders = {ref: create_order(client, ref) for ref in ("ORDA", "ORDB", "ORDC")}
    catalogue: Commands = [(product(f"P-{i}", price=f"1{i}.50"), meta()) for i in range(1, 5)]
    later: Commands = [
        *[(stock(f"P-{i}", str(i * 10)), meta()) for i in range(1, 4)],
        *[(status(ref, "processing"), meta()) for ref in orders],
        *[(shipment(ref, f"TRK-{ref}"), meta()) for ref in orders],
        (price_rule("P-1", group=3, price="9.00"), meta("P-1/g3")),
        (price_rule("P-2", group=None, percent="15"), meta("P-2/promo")),
        (variant("P-4-XL", "P-4"), meta()),  # P-4 gets no stock command: keys are not ordered
    ]
    ghost_record = stock("GHOST", "1")
    terminal: Commands = [
        (ghost_record, meta()),
        (status("NOSUCHORDER", "processing"), meta()),
        (status("ORDA", "quotation"), meta("ORDA/unmapped")),
        (b"\x00not avro", meta("junk")),
    ]
    stats = WorkerStats()
    with sink_topics("prestashop") as names:
        thread, stop = run_worker(prestashop_twin, names, stats)
        try:
            inject(prestashop_twin, *FAULTS)
            produce(names.commands, catalogue + catalogue)  # every product command twice (a replay)
            wait_until(lambda: names.lag() == 0, "the catalogue commands to be committed", 90)
            inject(prestashop_twin, *FAULTS)
            produce(names.commands, later + terminal + later)  # the replay of `later` must change nothing
            wait_until(lambda: names.lag() == 0, "every command to be committed", 120)
        finally:
            stop.set()
            thread.join(timeout=60)
        successes = 2 * len(catalogue) + 2 * len(later)
        acks = decode_acks(read_all(names.acks, successes))
        dead = read_all(names.dlq, len(terminal))

    def served_faults() -> Counter[str]:
        return Counter(c["fault"] for c in api_calls(prestashop_twin) if c["fault"])

    # a timeout fault is recorded when its hold ends, after the client has given up and retried: polled
    injected = wait_until(
        lambda: sum(served_faults().values()) == 2 * 8 and served_faults(),
        "every injected fault served and recorded",
        45,
        details=lambda: str(served_faults()),
    )
    assert stats.retries >= 10
    # each command applied exactly once
    assert sorted(r["reference"] for r in prestashop_twin.sql("SELECT reference FROM ps_product")) == [
        "P-1",
        "P-2",
        "P-3",
        "P-4",
    ]
    assert [str(r["price"]) for r in prestashop_twin.sql("SELECT price FROM ps_product ORDER BY reference")] == [
        "11.500000",
        "12.500000",
        "13.500000",
        "14.500000",
    ]
    assert prestashop_twin.sql("SELECT reference FROM ps_product_attribute") == [{"reference": "P-4-XL"}]
    assert sorted(
        r["quantity"]
        for r in prestashop_twin.sql("SELECT quantity FROM ps_stock_available WHERE id_product_attribute = 0")
    ) == [0, 10, 20, 30]
    for reference, order_id in orders.items():
        assert [
            r["id_order_state"]
            for r in prestashop_twin.sql(
                "SELECT id_order_state FROM ps_order_history WHERE id_order = %s ORDER BY id_order_history", (order_id,)
            )
        ] == [11, 3], reference
        assert prestashop_twin.sql("SELECT tracking_number FROM ps_order_carrier WHERE id_order = %s", (order_id,)) == [
            {"tracking_number": f"TRK-{reference}"}
        ]
    assert [
        (r["id_group"], str(r["price"]), str(r["reduction"]))
        for r in prestashop_twin.sql("SELECT id_group, price, reduction FROM ps_specific_price ORDER BY id_group")
    ] == [(0, "-1.000000", "0.150000"), (3, "9.000000", "0.000000")]
    # acks: every successful command acked; a write happened once per distinct command, every other
    # ack (the replays, and commands re-polled after a partition paused behind a blocked one) is "unchanged"
    assert len(acks) >= successes
    assert {a.command_id for a in acks} == {m.command_id for _, m in catalogue + later}
    # A garbled answer to a write that was made (a "malformed" fault) is retried, and the retry finds the
    # shop holding the value: that command's only ack is "unchanged". Which request a fault hits depends on
    # how many requests each handler makes, so only the bound is fixed.
    distinct = len(catalogue) + len(later)
    applied = Counter(a.status for a in acks)["applied"]
    assert distinct - injected["malformed"] <= applied <= distinct
    assert stats.applied == applied and stats.dead == len(terminal)
    # dead letters: the original bytes with the API's request and answer
    assert len(dead) == len(terminal)
    by_key = {r.key.decode(): r for r in dead}
    ghost = by_key["GHOST"]
    assert ghost.value == CODEC.encode(ghost_record)  # the original bytes
    assert header(ghost, topics.HEADER_DLQ_REQUEST).startswith("GET ")
    assert "filter[reference]=[GHOST]" in header(ghost, topics.HEADER_DLQ_REQUEST)
    assert header(ghost, topics.HEADER_DLQ_RESPONSE).startswith("HTTP 200")
    assert "unknown reference" in header(by_key["NOSUCHORDER"], topics.HEADER_DLQ_REASON)
    assert "quotation" in header(by_key["ORDA/unmapped"], topics.HEADER_DLQ_REASON)
    assert by_key["junk"].value == b"\x00not avro"
    assert prestashop_twin.key not in "".join(header(r, topics.HEADER_DLQ_REQUEST) for r in dead)


def sink_process(twin, names, home: Path) -> subprocess.Popen[bytes]:
    """``prestasync run sink prestashop`` on this twin, with its own home (secrets) and topics."""
    env = os.environ | {"PRESTASYNC_HOME": str(home), "PRESTASYNC_SHOP__API_URL": twin.api}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prestasync.cli",
            "run",
            "sink",
            "prestashop",
            "--topic",
            names.commands,
            "--group",
            names.group,
            "--dlq-topic",
            names.dlq,
            "--acks-topic",
            names.acks,
            "--pause-seconds",
            "1",
            "--concurrency",
            "4",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(home / "sink.log").open("wb"),
    )


def test_kill_9_mid_batch_then_restart_gives_exactly_once_effects(prestashop_twin, tmp_path) -> None:
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "prestashop_webservice.key").write_text(prestashop_twin.key)
    client = PrestaShopSink(sink_config(prestashop_twin)).client
    orders = {f"KILL{i:02d}": create_order(client, f"KILL{i:02d}") for i in range(12)}
    commands: Commands = [(product(f"K-{i:02d}", price=f"{i}.25"), meta()) for i in range(12)]
    commands += [(status(ref, "processing"), meta()) for ref in orders]
    commands += [(shipment(ref, f"T{ref}"), meta()) for ref in orders]
    prestashop_twin.server.faults.configure({"latency_ms": 150})  # slow shop: the kill lands mid-batch
    with sink_topics("prestashop") as names:
        produce(names.commands, commands)
        first = sink_process(prestashop_twin, names, tmp_path)
        try:
            wait_until(
                lambda: len([c for c in api_calls(prestashop_twin) if c["method"] in ("POST", "PATCH")]) >= 8,
                "the first sink to be writing",
                60,
            )
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            assert names.lag() > 0  # killed before the batch was done
        finally:
            if first.poll() is None:
                first.kill()
        second = sink_process(prestashop_twin, names, tmp_path)
        try:
            try:
                wait_until(lambda: names.lag() == 0, "the restarted sink to commit every command", 240)
            except AssertionError as exc:
                raise AssertionError(f"{exc}; sink log:\n{(tmp_path / 'sink.log').read_text()[-4000:]}") from exc
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=60) == 0, (tmp_path / "sink.log").read_text()[-3000:]
        finally:
            if second.poll() is None:
                second.kill()
        acks = decode_acks(read_all(names.acks, len(commands)))
        assert not read_all(names.dlq, 1, timeout_s=3)

    assert sorted(r["reference"] for r in prestashop_twin.sql("SELECT reference FROM ps_product")) == [
        f"K-{i:02d}" for i in range(12)
    ]
    histories = prestashop_twin.sql(
        "SELECT id_order, GROUP_CONCAT(id_order_state ORDER BY id_order_history) "
        "AS states FROM ps_order_history GROUP BY id_order"
    )
    assert sorted(r["id_order"] for r in histories) == sorted(orders.values())
    assert {r["states"] for r in histories} == {"11,3"}  # checkout state, then "processing" exactly once
    assert sorted(
        r["tracking_number"] for r in prestashop_twin.sql("SELECT tracking_number FROM ps_order_carrier")
    ) == sorted(f"T{ref}" for ref in orders)
    # every command acked at least once; a command replayed after the kill acks "unchanged"
    assert {a.command_id for a in acks} >= {m.command_id for _, m in commands}
