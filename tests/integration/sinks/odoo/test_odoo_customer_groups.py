"""Shop customer groups on the Odoo twin (#14 item 7): partner tags made once (a replay writes nothing),
a merchant's tag adopted, a deleted group archived and brought back; the pricelist mode's mapped
pricelist; off. The twin's answers are held to the real Odoo 18's by the recorded ``groups`` scenario
(tests/integration/sandbox/odoo/test_recorded_real_odoo.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg2.extensions
import pytest

from kernel.settings import get_settings
from sandbox.sample import commands as samples
from schemas.acks import SinkAck
from schemas.codec import make_codec
from schemas.records import CustomerGroup
from sinks.common.errors import TerminalError
from sinks.common.handlers import CommandMeta
from sinks.common.worker import WorkerStats, run_sink
from sinks.odoo.sink import OdooSink
from tests.integration.sinks.odoo.sink_config import sink_config
from tests.support.polling import wait_until
from tests.support.sink_topics import FAST, produce, read_all, sink_topics
from tests.support.twins import RunningTwin

pytestmark = pytest.mark.integration
META = CommandMeta("g1", frozenset(), frozenset(), None, None)


def _tags(conn: psycopg2.extensions.connection) -> list[tuple[str, bool]]:
    with conn.cursor() as cur:
        cur.execute("SELECT name->>'en_US', active FROM res_partner_category ORDER BY id")
        return [(str(name), bool(active)) for name, active in cur.fetchall()]


def test_tags_made_once_adopted_archived_and_back(odoo_sink: OdooSink, postgres_conn) -> None:
    handle = odoo_sink.handlers()[CustomerGroup]
    wholesale = samples.customer_group(4, {"en_US": "Wholesale", "fr_FR": "Grossiste"})
    first, again = handle(wholesale, META), handle(wholesale, META)
    assert (first.changed, again.changed) == (True, False)
    assert first.target_ids == again.target_ids
    odoo_sink.client.create("res.partner.category", [{"name": "VIP"}])  # the merchant's own tag
    adopted = handle(samples.customer_group(5, {"en_US": "VIP"}), META)
    assert not adopted.changed
    gone = handle(samples.customer_group(5, {"en_US": "VIP"}, deleted=True), META)
    assert gone.changed and gone.target_ids == adopted.target_ids
    assert _tags(postgres_conn) == [("Wholesale", True), ("VIP", False)]
    assert handle(samples.customer_group(5, {"en_US": "VIP"}), META).changed
    assert _tags(postgres_conn) == [("Wholesale", True), ("VIP", True)]
    # a partner given the tag as a customer of the group is (category_id link command, its other tags kept)
    partner = odoo_sink.client.create("res.partner", [{"name": "Ada Wholesale"}])[0]
    tag_ids = [int(first.target_ids["res.partner.category"]), int(adopted.target_ids["res.partner.category"])]
    for tag_id in tag_ids:
        odoo_sink.client.write("res.partner", [partner], {"category_id": [(4, tag_id)]})
    read = odoo_sink.client.search_read("res.partner", [("id", "=", partner)], ["category_id"])
    assert sorted(read[0]["category_id"]) == sorted(tag_ids)


def test_pricelist_mode_and_off(catalogue: RunningTwin, tmp_path: Path, postgres_conn) -> None:
    with postgres_conn.cursor() as cur:
        cur.execute("SELECT id FROM product_pricelist ORDER BY id LIMIT 1")
        pricelist = int(cur.fetchone()[0])
    sink = OdooSink(sink_config(catalogue, tmp_path, customer_groups="pricelist", pricelist_groups={pricelist: 4}))
    try:
        handle = sink.handlers()[CustomerGroup]
        mapped = handle(samples.customer_group(4, {"en_US": "Wholesale"}), META)
        assert mapped.target_ids == {"product.pricelist": str(pricelist)} and not mapped.changed
        assert handle(samples.customer_group(3, {"en_US": "Customer"}), META).written == {"synced": "no"}
    finally:
        sink.close()
    wrong = OdooSink(sink_config(catalogue, tmp_path, customer_groups="pricelist", pricelist_groups={99999: 4}))
    try:
        with pytest.raises(TerminalError, match="pricelist 99999"):
            wrong.handlers()[CustomerGroup](samples.customer_group(4, {}), META)
    finally:
        wrong.close()
    off = OdooSink(sink_config(catalogue, tmp_path, customer_groups="off"))
    try:
        assert off.handlers()[CustomerGroup](samples.customer_group(4, {}), META).written == {"synced": "no"}
    finally:
        off.close()
    assert _tags(postgres_conn) == []


@pytest.mark.parametrize("mode", ["tags", "off"])
def test_the_shops_groups_through_the_worker_are_acked_never_dead_lettered(
    catalogue: RunningTwin, postgres_conn, tmp_path: Path, mode: str
) -> None:
    """What the real pair dead-lettered ("NoHandler: odoo has no handler for CustomerGroup commands"): the
    shop's default groups (Visitor, Guest, Customer) and a replay, through Kafka and the worker."""
    groups = [samples.customer_group(i, {"en_US": n}) for i, n in enumerate(("Visitor", "Guest", "Customer"), 1)]
    commands = [(g, f"g{i}") for i, g in enumerate([*groups, groups[2]])]
    sink = OdooSink(sink_config(catalogue, tmp_path, customer_groups=mode))
    stats, stop = WorkerStats(), threading.Event()
    with sink_topics() as topics:
        produce(topics.commands, commands)
        worker = threading.Thread(
            target=run_sink,
            args=(get_settings(), sink, stop, topics.options(**FAST)),
            kwargs={"stats": stats},
            daemon=True,
        )
        worker.start()
        try:
            wait_until(lambda: stats.settled >= len(commands), f"{len(commands)} settled ({stats})", 60)
        finally:
            stop.set()
            worker.join(timeout=60)
            sink.close()
        acks = [make_codec().decode(r.value or b"") for r in read_all(topics.acks, len(commands))]
        dead = read_all(topics.dlq)
    assert dead == [] and stats.dead == 0
    assert all(isinstance(a, SinkAck) and a.command_entity == "customer_group" for a in acks)
    assert sorted(a.status for a in acks if isinstance(a, SinkAck)) == (
        ["applied"] * 3 + ["unchanged"] if mode == "tags" else ["unchanged"] * 4
    ), acks
    made = sorted(_tags(postgres_conn))  # three partitions: created in any order
    assert made == ([("Customer", True), ("Guest", True), ("Visitor", True)] if mode == "tags" else [])
