"""Issue #20, the lost cancellation, on the live stack: Debezium -> Kafka -> ``prestasync run streams`` ->
the PrestaShop sink (the real worker, in this process) -> a PrestaShop twin over the captured shop
database -> Debezium again.

The order is placed and the ERP confirms it; the streams produce "processing" for the shop, but the
shop sink only applies it after the shop cancelled the order. Before the fix the sink wrote
"processing" over the cancellation and the ERP was never told. Now the command carries the state it
replaces ("paid"); the sink finds "cancelled", refuses it as stale (counted, no dead letter), and the
streams forward the cancellation to the ERP; once the ERP grants it, both sides hold "cancelled".

The ERP side is written as the Odoo sink writes it (rows by the integration user + its ack), like the
other live streams tests. The shop sink only ever sees this test's commands: they are copied from the
worker's command topic (which may carry other traffic of the stack) to a topic of its own.
"""

from __future__ import annotations

import json
import secrets
import threading
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer
from kafka.structs import TopicPartition

from kernel.codec import canonical_codec
from kernel.dbadmin import mariadb_admin
from kernel.settings import get_settings
from sandbox.prestashop.auth import provision_api_key
from sandbox.prestashop.resources import RESOURCES
from sandbox.prestashop.server import build_server
from sandbox.simulator.checkout import ShopCheckout
from schemas import topics
from schemas.acks import SinkAck
from schemas.order import OrderStatus
from sinks.common.worker import WorkerStats, run_sink
from sinks.prestashop.config import PrestaShopSinkConfig
from sinks.prestashop.sink import PrestaShopSink
from tests.integration.streams.harness import (
    ERP,
    SHOP,
    Command,
    StreamsWorker,
    decoded,
    erp_raw,
    publish_ack,
    shop_raw,
    wait_commands,
)
from tests.integration.streams.rows import INTEGRATION_UID, ErpRows, ShopRows
from tests.support.polling import wait_until
from tests.support.sink_topics import FAST, SinkTopics

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

SHOP_PROCESSING, SHOP_CANCELLED = 3, 6


class ShopTwin:
    """A PrestaShop twin over the captured shop database with a key of its own (deleted afterwards)."""

    def __init__(self, tmp_path: Path) -> None:
        settings = get_settings()
        self.prefix = settings.mariadb.table_prefix
        self.key = secrets.token_hex(16).upper()
        conn = mariadb_admin(settings.mariadb.database, settings=settings)
        try:
            self.account = provision_api_key(
                conn,
                self.prefix,
                self.key,
                [*sorted(RESOURCES), "images"],
                description=f"test stale {uuid.uuid4().hex[:6]}",
            )
        finally:
            conn.close()
        self.server = build_server(settings, port=0, images_dir=tmp_path / "images", admin_token="admin-" + self.key)
        self.server.start()

    def sql(self, query: str, args: tuple[object, ...] = ()) -> list[Any]:
        settings = get_settings()
        conn = mariadb_admin(settings.mariadb.database, settings=settings)
        try:
            with conn.cursor() as cur:
                cur.execute(query.replace("{p}", self.prefix), args)
                return list(cur.fetchall())
        finally:
            conn.close()

    def close(self) -> None:
        self.server.stop()
        for table in ("webservice_permission", "webservice_account_shop", "webservice_account"):
            self.sql(f"DELETE FROM {{p}}{table} WHERE id_webservice_account = %s", (self.account,))


@pytest.fixture
def shop_twin(tmp_path: Path) -> Iterator[ShopTwin]:
    twin = ShopTwin(tmp_path)
    try:
        yield twin
    finally:
        twin.close()


def relay(streams: StreamsWorker, key: str, topic: str, skip: int = 0) -> list[Command]:
    """This test's shop commands after the first ``skip``, copied (value and headers) onto the shop
    sink's own topic."""
    mine = streams.commands(SHOP, key)[skip:]
    producer = KafkaProducer(bootstrap_servers=streams.bootstrap, acks="all")
    try:
        for command in mine:
            producer.send(topic, key=command.key.encode(), value=command.value, headers=list(command.headers.items()))
        producer.flush()
    finally:
        producer.close()
    return mine


def acks_for(streams: StreamsWorker, key: str) -> list[SinkAck]:
    codec = canonical_codec()
    acks = streams.topics.acks
    consumer = KafkaConsumer(bootstrap_servers=streams.bootstrap, enable_auto_commit=False)
    try:
        tps = [TopicPartition(acks, p) for p in sorted(consumer.partitions_for_topic(acks) or ())]
        ends = consumer.end_offsets(tps)
        consumer.assign(tps)
        consumer.seek_to_beginning()
        found: list[SinkAck] = []
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            for records in consumer.poll(timeout_ms=500).values():
                for record in records:
                    ack = codec.decode(record.value)
                    if isinstance(ack, SinkAck) and ack.envelope.canonical_key == key:
                        found.append(ack)
        return found
    finally:
        consumer.close()


class RelayedSink:
    """The shop sink's worker (in this process) on a topic of its own, fed with this test's commands."""

    def __init__(self, streams: StreamsWorker, twin: ShopTwin, key: str) -> None:
        self.streams, self.key, self.fed = streams, key, 0
        self.topics = SinkTopics.create("prestashop", partitions=1)
        self.sink = PrestaShopSink(
            PrestaShopSinkConfig(api_url=twin.server.url + "/api", api_key=twin.key, read_timeout=5.0)
        )
        self.stop, self.stats = threading.Event(), WorkerStats()
        options = self.topics.options(acks_topic=streams.topics.acks, **FAST)
        self.thread = threading.Thread(
            target=run_sink, args=(get_settings(), self.sink, self.stop, options), kwargs={"stats": self.stats}
        )
        self.thread.start()

    def feed(self) -> list[Command]:
        """The commands the streams produced for the key since the last feed, applied by the sink."""
        new = relay(self.streams, self.key, self.topics.commands, skip=self.fed)
        self.fed += len(new)
        wait_until(lambda: self.stats.settled >= self.fed, f"the shop sink to settle {self.fed} command(s)", 60)
        return new

    def close(self) -> None:
        self.stop.set()
        self.thread.join(30)
        self.sink.close()
        self.topics.delete()


def shop_state(twin: ShopTwin, id_order: int) -> tuple[int, list[int]]:
    """The order's current state and every state its history went through."""
    [order] = twin.sql("SELECT current_state FROM {p}orders WHERE id_order = %s", (id_order,))
    history = twin.sql(
        "SELECT id_order_state FROM {p}order_history WHERE id_order = %s ORDER BY id_order_history", (id_order,)
    )
    return int(order["current_state"]), [int(h["id_order_state"]) for h in history]


def test_a_cancellation_made_while_the_streams_worker_is_down_is_not_overwritten(
    worker: StreamsWorker, shop_rows: ShopRows, erp_rows: ErpRows, shop_twin: ShopTwin
) -> None:
    """The issue's run: the ERP confirmed, then the streams worker was killed (-9); the shop cancelled
    while it was down; restarted, it reads both (one topic per table, in either order). Whatever the
    order, "processing" never lands on the cancelled order, the ERP is asked to cancel, and once it
    granted it both sides hold "cancelled"."""
    placed = shop_rows.checkout(shop_rows.product(f"T-{uuid.uuid4().hex[:10].upper()}"), quantity=1)
    ref = placed.reference
    wait_commands(worker, ERP, ref, 1)
    worker.settle(shop_raw("customer", "address", "orders", "order_detail", "order_history"))
    worker.kill()
    partner = erp_rows.partner(
        f"PS-{placed.id_customer}", "Stale Test", f"down.{ref.lower()}@example.com", uid=INTEGRATION_UID
    )
    order_id = erp_rows.sale_order(ref, partner, "sale", Decimal("12.00"), uid=INTEGRATION_UID)
    conn = mariadb_admin(get_settings().mariadb.database, settings=get_settings())
    try:
        ShopCheckout(conn, shop_twin.prefix).cancel_order(placed.id_order)
    finally:
        conn.close()
    worker.start()

    def requests() -> list[Command]:
        return [c for c in worker.commands(ERP, ref) if isinstance(decoded(c), OrderStatus)]

    # the restarted worker's group may first wait out the dead member's session: wait for the effect
    # (the shop's request reaching the ERP's topic), then for the ERP's older row to be read too
    wait_until(lambda: bool(requests()), "the cancellation to be asked of the ERP after the restart", 150)
    worker.settle(erp_raw("sale_order"), timeout=60)
    sink = RelayedSink(worker, shop_twin, ref)
    try:
        sink.feed()
        assert shop_state(shop_twin, placed.id_order) == (SHOP_CANCELLED, [2, SHOP_CANCELLED])
        assert [decoded(c).state.code for c in requests()] == ["cancelled"]  # type: ignore[attr-defined]
        # the ERP grants it: nothing else reaches the shop but "cancelled", the shop never left it
        erp_rows.update("sale_order", order_id, uid=INTEGRATION_UID, state="cancel")
        publish_ack(worker, requests()[0], ERP, {"sale.order": str(order_id)})
        worker.settle([*erp_raw("sale_order"), worker.topics.acks], timeout=60)
        for command in sink.feed():
            after = decoded(command)
            assert isinstance(after, OrderStatus) and after.state.code == "cancelled", after
        assert shop_state(shop_twin, placed.id_order) == (SHOP_CANCELLED, [2, SHOP_CANCELLED])
        assert sink.stats.dead == 0 and sink.stats.applied == 0
        assert len(requests()) == 1
    finally:
        sink.close()


def test_a_cancellation_crossing_the_erps_confirmation_is_not_overwritten_and_reaches_the_erp(
    worker: StreamsWorker, shop_rows: ShopRows, erp_rows: ErpRows, shop_twin: ShopTwin
) -> None:
    sku = f"T-{uuid.uuid4().hex[:10].upper()}"
    placed = shop_rows.checkout(shop_rows.product(sku), quantity=1)  # "Payment accepted" (paid)
    ref = placed.reference
    wait_commands(worker, ERP, ref, 1)  # the order, to the ERP
    worker.settle(shop_raw("customer", "address", "orders", "order_detail", "order_history"))

    # the ERP imported and confirmed it (the Odoo sink's writes, by the integration user)
    partner = erp_rows.partner(
        f"PS-{placed.id_customer}", "Stale Test", f"stale.{ref.lower()}@example.com", uid=INTEGRATION_UID
    )
    order_id = erp_rows.sale_order(ref, partner, "sale", Decimal("12.00"), uid=INTEGRATION_UID)
    [confirmed] = wait_commands(worker, SHOP, ref, 1)  # "processing" for the shop, not applied yet
    status = decoded(confirmed)
    assert isinstance(status, OrderStatus) and status.state.code == "processing"
    assert json.loads(confirmed.headers[topics.HEADER_EXPECTED])["state"] == "paid"  # what it replaces

    # meanwhile the merchant cancels the order in the back office
    conn = mariadb_admin(get_settings().mariadb.database, settings=get_settings())
    try:
        ShopCheckout(conn, shop_twin.prefix).cancel_order(placed.id_order)
    finally:
        conn.close()

    # the shop sink applies the late command now
    own = SinkTopics.create("prestashop", partitions=1)
    relay(worker, ref, own.commands)
    sink = PrestaShopSink(
        PrestaShopSinkConfig(api_url=shop_twin.server.url + "/api", api_key=shop_twin.key, read_timeout=5.0)
    )
    stop, stats = threading.Event(), WorkerStats()
    options = own.options(acks_topic=worker.topics.acks, **FAST)
    thread = threading.Thread(target=run_sink, args=(get_settings(), sink, stop, options), kwargs={"stats": stats})
    thread.start()
    try:
        wait_until(lambda: stats.settled >= 1, "the shop sink to settle the status command", 60)
        # refused as stale, counted, not dead-lettered; the cancellation stands in the shop
        assert (stats.stale, stats.applied, stats.dead) == (1, 0, 0)
        [ack] = acks_for(worker, ref)
        assert (ack.status, ack.written) == ("stale", {"state": "cancelled"})
        [order] = shop_twin.sql("SELECT current_state FROM {p}orders WHERE id_order = %s", (placed.id_order,))
        assert order["current_state"] == SHOP_CANCELLED
        assert (
            shop_twin.sql(
                "SELECT 1 FROM {p}order_history WHERE id_order = %s AND id_order_state = %s",
                (placed.id_order, SHOP_PROCESSING),
            )
            == []
        )

        # the ERP is told: the cancellation goes to it as the shop's request
        requests_ = wait_commands(worker, ERP, ref, 2)
        request = decoded(requests_[1])
        assert isinstance(request, OrderStatus) and request.state.code == "cancelled", "\n".join(
            f"{t} {c.offset} {type(decoded(c)).__name__} {getattr(decoded(c), 'state', None)} "
            f"{decoded(c).envelope.source_position} {c.headers.get(topics.HEADER_EXPECTED)}"
            for t in (ERP, SHOP)
            for c in worker.commands(t, ref)
        )
        assert requests_[1].headers[topics.HEADER_FIELDS] == b"state"

        # the ERP grants it (the Odoo sink's action_cancel, then its ack): both sides end cancelled
        erp_rows.update("sale_order", order_id, uid=INTEGRATION_UID, state="cancel")
        publish_ack(worker, requests_[1], ERP, {"sale.order": str(order_id)})
        worker.settle([*erp_raw("sale_order"), *shop_raw("orders", "order_history"), worker.topics.acks])
        later = relay(worker, ref, own.commands, skip=1)  # whatever the streams sent the shop since
        wait_until(lambda: stats.settled >= 1 + len(later), "the shop sink to settle the later commands", 60)
        for command in later:
            after = decoded(command)
            assert isinstance(after, OrderStatus) and after.state.code == "cancelled", after
        [order] = shop_twin.sql("SELECT current_state FROM {p}orders WHERE id_order = %s", (placed.id_order,))
        assert order["current_state"] == SHOP_CANCELLED and stats.dead == 0
        assert len(worker.commands(ERP, ref)) == 2  # no request again, no ping-pong
    finally:
        stop.set()
        thread.join(30)
        sink.close()
        own.delete()
