"""The PrestaShop target: which handler applies which command type (``prestasync run sink prestashop``).

ERP -> shop flows: stock levels, order status changes, tracking numbers, products, variants and
group / promo prices. Handlers raise only ``sinks.common.errors`` exceptions; the worker
(``sinks.common.worker``) does the Kafka side, retries, dead letters and acks.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prestasync.config import Settings
from schemas.order import OrderStatus, OrderStatusChange
from schemas.records import Canonical, PriceRule, Product, Shipment, StockLevel, Variant
from sinks.common.errors import SinkError
from sinks.common.handlers import Handler, TargetSink
from sinks.prestashop.catalog import CatalogHandlers
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.config import PrestaShopSinkConfig, config_from_settings
from sinks.prestashop.lookup import ShopLookup
from sinks.prestashop.orders import OrderHandlers
from sinks.prestashop.pricing import PricingHandlers

SYSTEM = "prestashop"
log = logging.getLogger(__name__)


class PrestaShopSink:
    system = SYSTEM

    def __init__(self, config: PrestaShopSinkConfig, client: PrestaShopClient | None = None) -> None:
        self.config = config
        self.client = client or PrestaShopClient(
            config.api_url, config.api_key, connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout, version=config.version)
        lookup = ShopLookup(self.client, config.shop_id)
        catalog = CatalogHandlers(self.client, lookup, config)
        orders = OrderHandlers(self.client, lookup, config)
        pricing = PricingHandlers(self.client, lookup, config)
        self._handlers: dict[type[Canonical], Handler] = {
            StockLevel: pricing.set_stock,
            PriceRule: pricing.set_price_rule,
            OrderStatusChange: orders.set_status,
            OrderStatus: orders.set_status,
            Shipment: orders.set_tracking,
            Product: catalog.upsert_product,
            Variant: catalog.upsert_variant,
        }

    def handlers(self) -> Mapping[type[Canonical], Handler]:
        return self._handlers

    def close(self) -> None:
        self.client.close()


class KeyRejected(RuntimeError):
    """The shop refused the configured key: starting would dead-letter every command."""


def shop_timezone(client: PrestaShopClient) -> tzinfo | None:
    """The shop's ``PS_TIMEZONE`` (its DATETIME columns are that zone's wall clock); None when the
    key may not read configurations or the value is not a known zone."""
    try:
        rows = client.find("configurations", {"name": "PS_TIMEZONE"}, display="[id,name,value]")
    except SinkError as exc:
        log.warning("prestashop: cannot read PS_TIMEZONE (%s); shop dates are taken as UTC", exc.reason)
        return None
    for row in rows:
        try:
            return ZoneInfo(str(row.get("value") or ""))
        except (ValueError, ZoneInfoNotFoundError):
            log.warning("prestashop: PS_TIMEZONE %r is not a time zone; shop dates are taken as UTC",
                        row.get("value"))
    return None


def build_sink(settings: Settings) -> TargetSink:
    """The sink for these settings. The key is checked once at start (a refused key stops the
    sink here instead of sending every command to the DLQ); an unreachable shop is left to the
    worker's retries. The shop's time zone is read once (order-history dates are its wall clock)."""
    config = config_from_settings(settings)
    client = PrestaShopClient(config.api_url, config.api_key, connect_timeout=config.connect_timeout,
                              read_timeout=config.read_timeout, version=config.version)
    try:
        client.probe()
    except SinkError as exc:
        if exc.response.startswith(("HTTP 401", "HTTP 403")):
            client.close()
            raise KeyRejected(f"prestashop refused the webservice key: {exc.reason}") from exc
        return PrestaShopSink(config, client)
    if settings.shop.timezone:  # the setting wins (prestasync.shop_time); else the shop's own PS_TIMEZONE
        return PrestaShopSink(config, client)
    zone = shop_timezone(client)
    return PrestaShopSink(replace(config, shop_timezone=zone) if zone else config, client)
