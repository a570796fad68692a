"""The sink reads the shop's time zone: PrestaShop's DATETIMEs are PS_TIMEZONE wall-clock times.

Seen on a real 8.1.2 (``PS_TIMEZONE`` = Europe/Paris, the installer's default; recorded in
tests/fixtures/real/prestashop-8.1.2/*/002_get_configurations.json). The status replay guard compares
its own history rows' ``date_add`` with the change's time: read as UTC, a Paris shop's rows look an
hour newer than they are, and a genuine new ERP change within that hour is taken for a replay.
"""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from schemas.order import OrderStatus
from sinks.common.errors import TransientError
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.sink import PrestaShopSink, shop_timezone
from tests.integration.sinks.prestashop.commands import create_order, inject, meta, sink_config, status
from tests.support.twins import PrestaShopTwin

pytestmark = pytest.mark.integration

PARIS = (
    "INSERT INTO ps_configuration (name, value, date_add, date_upd) "
    "VALUES ('PS_TIMEZONE', 'Europe/Paris', NOW(), NOW())"
)


def test_the_shop_time_zone_is_read(prestashop_twin: PrestaShopTwin) -> None:
    client = PrestaShopClient(prestashop_twin.api, prestashop_twin.key)
    try:
        assert shop_timezone(client) == ZoneInfo("Europe/Paris")  # the twin's seed: the installer's default
        prestashop_twin.sql("UPDATE ps_configuration SET value = 'Pacific/Auckland' WHERE name = 'PS_TIMEZONE'")
        assert shop_timezone(client) == ZoneInfo("Pacific/Auckland")
        prestashop_twin.sql("DELETE FROM ps_configuration WHERE name = 'PS_TIMEZONE'")
        assert shop_timezone(client) is None  # no PS_TIMEZONE: UTC, with a warning
    finally:
        client.close()


def test_a_new_erp_change_within_the_shops_utc_offset_is_applied(prestashop_twin: PrestaShopTwin) -> None:
    prestashop_twin.sql(PARIS)  # the twin now writes Paris wall-clock dates, as the real shop
    config = dataclasses.replace(sink_config(prestashop_twin), read_timeout=5.0)
    probe = PrestaShopClient(config.api_url, config.api_key)
    zone = shop_timezone(probe)
    probe.close()
    sink = PrestaShopSink(dataclasses.replace(config, shop_timezone=zone or UTC))
    try:
        order_id = create_order(sink.client, "TZPARIS01")
        handle = sink.handlers()[OrderStatus]
        time.sleep(1.1)
        assert handle(status("TZPARIS01", "processing", datetime.now(UTC)), meta()).changed  # ours, Paris time
        prestashop_twin.sql(
            "INSERT INTO ps_order_history (id_employee, id_order, id_order_state, date_add) VALUES (1, %s, 4, NOW())",
            (order_id,),
        )  # the merchant ships it by hand
        prestashop_twin.sql("UPDATE ps_orders SET current_state = 4 WHERE id_order = %s", (order_id,))
        time.sleep(1.1)
        # The ERP re-confirms a minute later (say, a shipment undone): newer than our row, so applied.
        again = handle(status("TZPARIS01", "processing", datetime.now(UTC)), meta())
        assert again.changed and again.written == {"state": "processing"}
        assert (
            prestashop_twin.sql("SELECT current_state FROM ps_orders WHERE id_order = %s", (order_id,))[0][
                "current_state"
            ]
            == 3
        )
    finally:
        sink.close()


def test_the_sink_reads_the_zone_before_its_first_command_and_again_if_the_shop_did_not_answer(
    prestashop_twin: PrestaShopTwin,
) -> None:
    prestashop_twin.sql(PARIS)
    sink = PrestaShopSink(dataclasses.replace(sink_config(prestashop_twin), read_timeout=5.0), read_zone=True)
    try:
        create_order(sink.client, "TZLAZY01")
        handle = sink.handlers()[OrderStatus]
        inject(prestashop_twin, {"kind": "500"})  # the PS_TIMEZONE read fails: the command is retried
        with pytest.raises(TransientError):
            handle(status("TZLAZY01", "processing", datetime.now(UTC)), meta())
        assert sink.config.shop_timezone == UTC
        assert handle(status("TZLAZY01", "processing", datetime.now(UTC)), meta()).changed
        assert sink.config.shop_timezone == ZoneInfo("Europe/Paris")
    finally:
        sink.close()
