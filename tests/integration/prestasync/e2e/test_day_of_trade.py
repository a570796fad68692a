"""A scripted day of trade on the real stack: Debezium -> Kafka -> streams -> sinks -> twins, every
worker a real process (the ones `prestasync demo` runs), shop and ERP changed the way their users
change them: checkouts written to the shop tables, ERP users working through the Odoo API.

The day: new and returning customers (one already known to the ERP by e-mail only), multi-line
orders, a voucher, a bank-wire order paid later, a shop cancellation, an ERP cancellation, an ERP
delivery, stock receipts on the web and the store warehouse, an order and a receipt of the same
SKU at the same moment. It must end with: every order in the ERP exactly once with its total, no
duplicate partner, each order's state where its owner put it, shop stock equal to the rule, no
write to either API once the pipeline is quiet, and nothing in any dead-letter topic.
"""

from __future__ import annotations

import random
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from kafka import KafkaConsumer
from kafka.structs import TopicPartition

from kernel.codec import canonical_codec
from kernel.dbadmin import postgres_admin
from kernel.settings import Settings, get_settings
from prestasync.ack_stats import AckStats, follow_acks
from prestasync.bench_probes import api_writes_since
from prestasync.ops import reconcile
from prestasync.workers import start_workers, stop_workers, wait_quiet, wait_streams_ready
from sandbox.simulator.erp_moves import ErpStockMoves
from sandbox.simulator.events import (
    STATE_AWAITING_BANK_WIRE,
    PlacedOrder,
    ReturningCustomer,
)
from schemas import topics
from schemas.codec import Codec
from schemas.records import StockLevel
from tests.integration.prestasync.e2e.checks import (
    assert_one_partner_per_customer,
    assert_orders_in_erp_once_with_their_totals,
    erp_rows,
    shop_rows,
)
from tests.integration.prestasync.e2e.trade import ErpUser, Shop, erp_goods
from tests.support.cli import cli
from tests.support.polling import wait_until

pytestmark = pytest.mark.integration

QUIET_WINDOW_S = 10.0
SHOP_PROCESSING, SHOP_SHIPPED, SHOP_CANCELLED, SHOP_PAID = 3, 4, 6, 2


DLQ_TOPICS = (topics.STREAMS_DLQ, *(topics.sink_dlq_topic(t) for t in topics.TARGET_SYSTEMS))


def dlq_ends(settings: Settings) -> dict[TopicPartition, int]:
    """Where each dead-letter topic's partitions end now."""
    reader = KafkaConsumer(bootstrap_servers=settings.kafka.bootstrap, enable_auto_commit=False)
    try:
        partitions = [
            TopicPartition(name, p) for name in DLQ_TOPICS for p in sorted(reader.partitions_for_topic(name) or ())
        ]
        return dict(reader.end_offsets(partitions)) if partitions else {}
    finally:
        reader.close()


def is_stock_command(codec: Codec, value: bytes | None) -> bool:
    try:
        return isinstance(codec.decode(value or b""), StockLevel)
    except Exception:  # raw bytes (a streams dead letter) are not a stock command
        return False


def dead_letters_since(
    settings: Settings, start: dict[TopicPartition, int], marks: set[str], keys: set[str]
) -> list[str]:
    """Dead letters written since ``start`` whose key, value or headers mention one of ``marks`` (the
    day's order references, customers), or stock commands keyed by one of ``keys`` (the day's SKUs).
    Rows earlier tests left in the shared databases may dead-letter meanwhile (an incomplete order of
    theirs with a sample SKU timing out), and so may the sample catalogue's own sync (product and
    variant commands keyed by the same SKUs, flowing while the day runs): neither is the day's trade."""
    codec = canonical_codec(settings)
    pattern = re.compile(b"|".join(re.escape(mark.encode()) + rb"(?![0-9A-Za-z])" for mark in marks))  # PS-3 != PS-35
    reader = KafkaConsumer(
        bootstrap_servers=settings.kafka.bootstrap, enable_auto_commit=False, consumer_timeout_ms=3000
    )
    try:
        ends = dlq_ends(settings)
        reader.assign(list(ends))
        for tp in ends:
            reader.seek(tp, start.get(tp, 0))
        found = []
        for record in reader:
            text = b" ".join([record.key or b"", record.value or b"", *(v or b"" for _, v in record.headers)])
            sku_keyed = (record.key or b"").decode(errors="replace") in keys
            if pattern.search(text) or (sku_keyed and is_stock_command(codec, record.value)):
                found.append(f"{record.topic}@{record.offset}: {dict(record.headers).get(topics.HEADER_DLQ_REASON)!r}")
            if all(reader.position(tp) >= end for tp, end in ends.items()):
                break
        return found
    finally:
        reader.close()


@dataclass
class Pipeline:
    settings: Settings
    acks: AckStats


@pytest.fixture(scope="module")
def pipeline() -> Iterator[Pipeline]:
    settings = get_settings()
    for command in (("stack", "up"), ("sandbox", "up"), ("sandbox", "load-sample")):
        cli(*command)
    start_workers(settings)
    assert wait_streams_ready(settings), "the streams worker never became healthy"
    acks, stop = AckStats(), threading.Event()
    follower = threading.Thread(target=follow_acks, args=(settings, acks, stop), daemon=True)
    follower.start()
    try:
        wait_quiet(settings, acks, limit_s=300)  # whatever earlier tests left in the topics is worked off first
        yield Pipeline(settings, acks)
    finally:
        stop.set()
        stop_workers(settings)


def shop_states(settings: Settings, references: list[str]) -> dict[str, int]:
    rows = shop_rows(settings, "SELECT reference, current_state FROM {p}orders WHERE reference IN %s", (references,))
    return {r["reference"]: int(r["current_state"]) for r in rows}


def erp_states(settings: Settings, references: list[str]) -> dict[str, tuple[str, str | None]]:
    rows = erp_rows(
        settings,
        "SELECT client_order_ref, state, delivery_status FROM sale_order WHERE client_order_ref = ANY(%s)",
        (references,),
    )
    return {ref: (state, delivery) for ref, state, delivery in rows}


def test_a_day_of_trade_ends_consistent_quiet_and_with_nothing_dead_lettered(pipeline: Pipeline) -> None:
    from decimal import Decimal

    settings = pipeline.settings
    dead_before = dlq_ends(settings)
    rng = random.Random(secrets.randbits(32))  # fresh references: earlier runs' are in the same databases
    shop, erp_user = Shop(settings, rng), ErpUser(settings)
    moves = ErpStockMoves(postgres_admin(settings.postgres.database, settings=settings))
    try:
        goods = erp_goods(settings)
        items = shop.items(6, goods)
        skus = [sku for _, _, sku in items]
        # morning: goods received in the web warehouse and in a store (the store's never reach the web shop)
        moves.receipt(skus[0], "WH", 12)
        moves.receipt(skus[1], "STORE", 7)
        # an ERP user already knows this customer, by e-mail only
        known = shop.shoppers.new_customer()
        erp_user.known_partner(f"{known.firstname} {known.lastname}", known.email)

        alice = shop.order(shop.shoppers.new_customer(), items[0:2])  # new customer, two lines
        wired = shop.order(shop.shoppers.new_customer(), items[2:3], state=STATE_AWAITING_BANK_WIRE)
        back = shop.order(ReturningCustomer(alice.id_customer, alice.id_address), items[1:4])  # returning, 3 lines
        regular = shop.order(shop.shoppers.known_customers()[0], items[3:4], discount=Decimal(10))  # voucher
        by_email = shop.order(known, items[4:5])
        to_cancel_in_shop = shop.order(shop.shoppers.new_customer(), items[0:1])
        to_cancel_in_erp = shop.order(shop.shoppers.new_customer(), items[2:3])
        to_ship = shop.order(shop.shoppers.new_customer(), items[4:6])
        # the same SKU sold in the shop while the ERP books a receipt of it
        racing: list[PlacedOrder] = []
        checkout = threading.Thread(target=lambda: racing.append(shop.order(shop.shoppers.new_customer(), items[5:6])))
        checkout.start()
        moves.receipt(skus[5], "WH", 9)
        checkout.join(60)
        placed = [alice, wired, back, regular, by_email, to_cancel_in_shop, to_cancel_in_erp, to_ship, *racing]
        refs = [order.reference for order in placed]
        assert len(racing) == 1 and len(set(refs)) == len(refs) == 9

        wait_until(lambda: assert_orders_in_erp_once_with_their_totals(settings, refs), "orders imported", 90, 1.0)
        # the ERP confirmed the paid orders: the shop shows them "Processing in progress"; the bank-wire
        # one is a quotation in the ERP and keeps its shop state
        confirmed = {ref: SHOP_PROCESSING for ref in refs} | {wired.reference: STATE_AWAITING_BANK_WIRE}

        def shown_confirmed() -> None:
            assert shop_states(settings, refs) == confirmed

        wait_until(shown_confirmed, "imported orders shown as confirmed in the shop", 90, 1.0)
        # afternoon: the bank wire arrives, a shopper cancels, the ERP cancels one and ships one
        with shop.lock:
            shop.checkout.change_state(wired.id_order, SHOP_PAID)
            shop.checkout.cancel_order(to_cancel_in_shop.id_order)
        erp_user.cancel(to_cancel_in_erp.reference)
        erp_user.deliver(to_ship.reference)

        expected_shop = {ref: SHOP_PROCESSING for ref in refs}
        expected_shop.update(
            {
                to_cancel_in_shop.reference: SHOP_CANCELLED,
                to_cancel_in_erp.reference: SHOP_CANCELLED,
                to_ship.reference: SHOP_SHIPPED,
            }
        )
        expected_erp: dict[str, tuple[str, str | None]] = {ref: ("sale", "pending") for ref in refs}
        expected_erp.update(
            {
                to_cancel_in_shop.reference: ("cancel", None),
                to_cancel_in_erp.reference: ("cancel", None),
                to_ship.reference: ("sale", "full"),
            }
        )

        def states_settled() -> None:
            assert shop_states(settings, refs) == expected_shop
            assert erp_states(settings, refs) == expected_erp

        wait_until(states_settled, "order states where their owners put them", 120, 1.0)
        wait_quiet(settings, pipeline.acks, limit_s=180)

        def stock_follows_the_rule() -> None:
            drift = [d for d in reconcile.stock(settings, list(settings.streams.web_locations)) if d.key in skus]
            assert drift == [], drift

        wait_until(stock_follows_the_rule, "shop stock = ERP web available - in flight", 90, 1.0)
    finally:
        moves.conn.close()
        shop.close()

    # quiescence: nothing more is written to either API
    wait_quiet(settings, pipeline.acks, limit_s=180)
    import time

    quiet_at = time.time()
    time.sleep(QUIET_WINDOW_S)
    writes = {system: counts[0] for system, counts in api_writes_since(settings, quiet_at).items()}
    assert writes == {"prestashop": 0, "odoo": 0}, f"API writes after the pipeline went quiet: {writes}"

    # the end of the day, read from the databases
    assert_orders_in_erp_once_with_their_totals(settings, refs)
    partners = assert_one_partner_per_customer(settings, {order.id_customer for order in placed})
    assert erp_rows(settings, "SELECT count(*) FROM res_partner WHERE email = %s", (known.email,)) == [(1,)], (
        "the customer the ERP knew by e-mail was created again"
    )
    orders_of_alice = erp_rows(
        settings,
        "SELECT DISTINCT partner_id FROM sale_order WHERE client_order_ref = ANY(%s)",
        ([alice.reference, back.reference],),
    )
    assert orders_of_alice == [(partners[alice.id_customer],)], "a returning customer got a second partner"
    marks = {*refs, *(f"PS-{order.id_customer}" for order in placed), known.email}
    assert dead_letters_since(settings, dead_before, marks, set(skus)) == [], "the day's data was dead-lettered"
