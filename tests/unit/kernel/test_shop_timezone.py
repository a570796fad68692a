"""shop.timezone, else the shop's PS_TIMEZONE, else UTC (kernel.shop_time)."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest

from kernel.settings import Settings, ShopSettings
from kernel.shop_time import shop_timezone

pytestmark = pytest.mark.unit


def _refuse(_: Settings) -> str | None:
    raise ConnectionRefusedError("no shop database")


def test_the_setting_wins_over_the_shop() -> None:
    settings = Settings(shop=ShopSettings(timezone="Pacific/Auckland"))
    assert shop_timezone(settings, read=lambda _: "Europe/Paris") == ZoneInfo("Pacific/Auckland")


def test_the_shop_ps_timezone_when_unset() -> None:
    assert shop_timezone(Settings(), read=lambda _: "Europe/Paris") == ZoneInfo("Europe/Paris")


def test_utc_when_the_shop_cannot_say(caplog: pytest.LogCaptureFixture) -> None:
    assert shop_timezone(Settings(), read=_refuse) is UTC
    assert shop_timezone(Settings(), read=lambda _: None) is UTC
    assert "read as UTC" in caplog.text


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        shop_timezone(Settings(shop=ShopSettings(timezone="Mars/Olympus")))
