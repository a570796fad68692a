"""Recovery of a SIGKILLed streams worker from its local tables (``streams.store = rocksdb://``) on the
live stack: it reads only the changelogs' tail, and its loop-guard state is neither lost (the pending
write still recognises its echo) nor applied twice (the change it was processing when killed gives
no second command)."""

from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path

import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType

from kernel.kafka_admin import INACTIVE_GROUP_STATES, admin, group_state
from kernel.settings import get_settings
from schemas import keys, topics
from schemas.records import Customer
from streams.local_state import CHANGELOG_CONFIG
from streams.topology import ensure_topics, stream_topics
from tests.integration.streams.harness import StreamsWorker, decoded, erp_raw, publish_ack, shop_raw, wait_commands
from tests.integration.streams.rows import INTEGRATION_UID, ErpRows, ShopRows
from tests.support.polling import wait_until
from tests.support.prerequisites import require_capture

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

ERP = "odoo"


def recovery_starts(log: Path, changelog: str) -> list[int]:
    """The offsets Faust's recovery started reading ``changelog`` at ("Reading Starts At" tables):
    -1 is the changelog's beginning (nothing stored locally)."""
    found = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            msg = str(json.loads(line).get("msg", ""))
        except ValueError:
            continue
        if "Reading Starts At" in msg:
            found += [int(m.group(1)) for m in re.finditer(rf"{re.escape(changelog)}\s*\|\s*\d+\s*\|\s*(-?\d+)", msg)]
    return found


def test_sigkilled_worker_recovers_its_guard_from_disk(
    worker: StreamsWorker, shop_rows: ShopRows, erp_rows: ErpRows
) -> None:
    guard_changelog = f"{worker.app_id}-guard-changelog"
    placed = shop_rows.checkout(shop_rows.product(f"T-{uuid.uuid4().hex[:10].upper()}"), quantity=1)
    key = keys.customer_ref(placed.id_customer)
    wait_commands(worker, ERP, key, 1)
    worker.settle(shop_raw("customer", "address", "orders", "order_detail", "order_history"))

    # a change, and the kill as soon as its command is out: its offset is most likely not committed
    # yet (Faust commits every 2.8 s), so the restart processes it again over tables that hold it
    shop_rows.update_customer(placed.id_customer, email=f"k.{uuid.uuid4().hex[:6]}@example.com")
    second = wait_commands(worker, ERP, key, 2, timeout=60)[1]
    worker.kill()

    restarted = time.monotonic()
    worker.start()
    healthy_after = time.monotonic() - restarted
    log = worker.log_dir / f"streams-{worker.runs}.log"
    # the tables came from disk: the recovery read the guard changelog from its stored offset on
    starts = recovery_starts(log, guard_changelog)
    assert starts and min(starts) >= 0, (starts, log)
    # a static member rejoins at once, and the tail is short: well within the 10 s goal (+ CI load)
    assert healthy_after < 30, healthy_after

    worker.settle(shop_raw("customer"), timeout=60)
    commands = worker.commands(ERP, key)
    # not applied twice: the change being processed at the kill gives no other command
    assert {c.headers[topics.HEADER_COMMAND_ID] for c in commands} == {
        c.headers[topics.HEADER_COMMAND_ID] for c in commands[:2]
    }, [c.headers for c in commands]

    # not lost: the pending write of the second command still recognises the ERP's echo
    partner = decoded(second)
    assert isinstance(partner, Customer)
    partner_id = erp_rows.partner(key, partner.display_name, partner.email or "", uid=INTEGRATION_UID)
    publish_ack(worker, second, ERP, {"res.partner": str(partner_id)})
    worker.settle([*erp_raw("res_partner"), worker.topics.acks])
    assert len({c.headers[topics.HEADER_COMMAND_ID] for c in worker.commands(ERP, key)}) == 2

    # and a real change after the restart still goes out, once
    shop_rows.update_customer(placed.id_customer, email=f"n.{uuid.uuid4().hex[:6]}@example.com")
    wait_until(
        lambda: len({c.headers[topics.HEADER_COMMAND_ID] for c in worker.commands(ERP, key)}) == 3,
        "the change after the restart",
        60,
    )


def test_a_stopped_worker_leaves_its_group_at_once(worker: StreamsWorker) -> None:
    """A static member sends no LeaveGroup: ``run streams`` removes it on a clean stop, so the group is
    empty at once (``offsets reset`` allowed, another worker takes over) instead of after the session."""
    settings = get_settings()
    with admin(settings) as client:
        assert group_state(client, worker.app_id) == "Stable"
    worker.stop()
    with admin(settings) as client:
        assert group_state(client, worker.app_id) in INACTIVE_GROUP_STATES  # well within the 10 s session


def test_changelogs_made_before_are_compacted_hourly_too() -> None:
    """A changelog Faust created (compaction, Kafka's 7-day segments) gets ``CHANGELOG_CONFIG`` when
    the worker prepares; a new one is created with it."""
    require_capture()
    base = get_settings()
    suffix = f".t{uuid.uuid4().hex[:12]}"
    settings = base.model_copy(update={"streams": base.streams.model_copy(update={"topic_suffix": suffix})})
    wanted = stream_topics(settings)
    old, new = wanted.changelogs[0], wanted.changelogs[1]
    client = KafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap)
    try:
        client.create_topics(
            {old: {"num_partitions": 1, "replication_factor": -1, "configs": {"cleanup.policy": "compact"}}},
            wait_for_metadata=True,
        )
        ensure_topics(settings, wanted)

        def configs(name: str) -> dict[str, str | None]:
            found = client.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)]).get("topic", {})
            return {k: found.get(name, {}).get(k, {}).get("value") for k in CHANGELOG_CONFIG}

        for name in (old, new):
            # the broker answering may read the controller's change a moment later (KRaft): polled
            wait_until(
                lambda n=name: configs(n) == dict(CHANGELOG_CONFIG),
                f"{name}'s changelog configs",
                10,
                details=lambda n=name: str(configs(n)),
            )
    finally:
        client.delete_topics([t for t in client.list_topics() if t in wanted.own()], raise_errors=False)
        client.close()
