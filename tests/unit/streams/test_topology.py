"""The raw topics the worker subscribes to by name (Faust 0.15 does not subscribe patterns)."""

from __future__ import annotations

import json

import pytest

from kernel.settings import Settings, StreamsSettings
from streams.mapping.odoo import MAPPERS as ERP_MAPPERS
from streams.topology import ERP_CONNECTOR, RAW_TOPIC_PARTITIONS, SHOP_CONNECTOR, start_offsets, stream_topics
from tests.support.paths import FIXTURES as FIXTURES_DIR

pytestmark = pytest.mark.unit
FIXTURES = FIXTURES_DIR / "debezium" / "prestashop"


def test_raw_topics_are_the_mapped_tables_the_connectors_capture() -> None:
    wanted = stream_topics(Settings(streams=StreamsSettings(topic_suffix=".x")))
    assert "shop.prestashop.ps_orders" in wanted.raw and "shop.prestashop.ps_order_detail" in wanted.raw
    assert "erp.public.stock_quant" in wanted.raw
    # mapped but not captured by connect/prestashop-mariadb.json: no topic will ever exist
    assert "shop.prestashop.ps_group_lang" not in wanted.raw
    # captured but carrying nothing to sync (ignored): not subscribed
    assert not any(t.endswith(("debezium_signal", "stock_move", "ps_image")) for t in wanted.raw)
    assert {t for t in wanted.raw if t.startswith("erp.")} == {f"erp.public.{t}" for t in ERP_MAPPERS}
    assert set(wanted.own()) == {
        "prestasync.canonical.x",
        "prestasync.acks.x",
        "prestasync.dlq.streams.x",
        "prestasync.commands.prestashop.x",
        "prestasync.commands.odoo.x",
        "prestasync.store_stock.x",
        *(
            f"prestasync-streams.x-{t}-changelog"
            for t in (
                "guard",
                "latest",
                "assembly",
                "quants",
                "stock",
                "counters",
                "open_orders",
                "templates",
                "identity",
            )
        ),
    }
    # the store figures are compacted like the changelogs: the lookup reads each store's latest only
    assert wanted.compacted()["prestasync.store_stock.x"]["cleanup.policy"] == "compact"


def test_raw_topics_follow_the_database_and_prefix() -> None:
    settings = Settings.model_validate({"mariadb": {"database": "shop2", "table_prefix": "xy_"}})
    assert "shop.shop2.xy_customer" in stream_topics(settings).raw


def test_missing_raw_topics_are_created_as_wide_as_debezium_makes_them() -> None:
    for connector in (SHOP_CONNECTOR, ERP_CONNECTOR):
        config = json.loads(connector.read_text())["config"]
        assert int(config["topic.creation.default.partitions"]) == RAW_TOPIC_PARTITIONS


def test_earliest_needs_no_start_offsets() -> None:
    # no Kafka is contacted: the default reads the raw topics from their beginning
    assert start_offsets(Settings(), "any-group", ["shop.prestashop.ps_orders"]) == {}


def test_the_streams_read_the_deployed_topic_prefixes() -> None:
    """kafka.topic_prefix_* renames the connectors' topics (prestasync.stack.connectors): the streams
    subscribe to those names and route them by the shop's prefix (they read 'shop'/'erp' before)."""
    from streams.app import StreamsApp

    settings = Settings.model_validate(
        {
            "kafka": {"topic_prefix_shop": "acme", "topic_prefix_erp": "acmeerp"},
            "shop": {"timezone": "UTC"},
            "streams": {"topic_suffix": ".p"},
        }
    )
    raw = stream_topics(settings).raw
    assert "acme.prestashop.ps_orders" in raw and "acmeerp.public.stock_quant" in raw
    assert not any(t.startswith(("shop.", "erp.")) for t in raw)
    app = StreamsApp(settings)
    event = (FIXTURES / "customer_insert.json").read_bytes()
    outs = app.processor.map_raw("acme.prestashop.ps_customer", 0, 1, None, event, 0.0)
    mapped = [o for o in outs if o.topic == app.processor.canonical]
    assert mapped and all(dict(o.headers)["prestasync-system"] == b"prestashop" for o in mapped)
