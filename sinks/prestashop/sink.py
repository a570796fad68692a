"""The PrestaShop target: which handler applies which command type (``prestasync run sink prestashop``).

ERP -> shop flows: stock levels, order status changes, tracking numbers, products, variants and
group / promo prices. Handlers raise only ``sinks.common.errors`` exceptions; the worker
(``sinks.common.worker``) does the Kafka side, retries, dead letters and acks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import replace
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kernel.settings import Settings
from schemas.order import OrderStatus, OrderStatusChange
from schemas.records import Canonical, PriceRule, Product, Shipment, StockLevel, Variant
from sinks.common.errors import CredentialsRefused, TerminalError, check_key_at_start
from sinks.common.handlers import Applied, CommandMeta, Handler, TargetSink
from sinks.prestashop.catalog import CatalogHandlers
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.config import PrestaShopSinkConfig, config_from_settings
from sinks.prestashop.lookup import ShopLookup
from sinks.prestashop.orders import OrderHandlers
from sinks.prestashop.pricing import PricingHandlers

SYSTEM = "prestashop"
log = logging.getLogger(__name__)


class PrestaShopSink:
    """``read_zone``: read the shop's PS_TIMEZONE before the first command (as ``build_sink`` starts it),
    so a shop that is down at start is asked again instead of being taken as UTC."""

    system = SYSTEM

    def __init__(
        self, config: PrestaShopSinkConfig, client: PrestaShopClient | None = None, *, read_zone: bool = False
    ) -> None:
        self.config = config
        self.client = client or PrestaShopClient(
            config.api_url,
            config.api_key,
            connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout,
            create_grace=config.create_grace,
            version=config.version,
        )
        self._zone_pending = read_zone
        self._zone_lock = threading.Lock()
        self._current = self._build(config)
        self._handlers: dict[type[Canonical], Handler] = {kind: self._dispatch(kind) for kind in self._current}

    def _build(self, config: PrestaShopSinkConfig) -> dict[type[Canonical], Handler]:
        lookup = ShopLookup(self.client, config.shop_id)
        catalog = CatalogHandlers(self.client, lookup, config)
        orders = OrderHandlers(self.client, lookup, config)
        pricing = PricingHandlers(self.client, lookup, config)
        return {
            StockLevel: pricing.set_stock,
            PriceRule: pricing.set_price_rule,
            OrderStatusChange: orders.set_status,
            OrderStatus: orders.set_status,
            Shipment: orders.set_tracking,
            Product: catalog.upsert_product,
            Variant: catalog.upsert_variant,
        }

    def _dispatch(self, kind: type[Canonical]) -> Handler:
        def handle(record: Canonical, meta: CommandMeta) -> Applied:
            if self._zone_pending:
                self._read_zone()
            return self._current[kind](record, meta)

        return handle

    def _read_zone(self) -> None:
        with self._zone_lock:
            if not self._zone_pending:
                return
            zone = shop_timezone(self.client)  # a shop that does not answer: TransientError, asked again
            if zone is not None:
                self.config = replace(self.config, shop_timezone=zone)
                self._current = self._build(self.config)
            self._zone_pending = False

    def handlers(self) -> Mapping[type[Canonical], Handler]:
        return self._handlers

    def close(self) -> None:
        self.client.close()


def shop_timezone(client: PrestaShopClient) -> tzinfo | None:
    """The shop's ``PS_TIMEZONE`` (its DATETIME columns are that zone's wall clock); None, with a warning,
    when the key may not read configurations or the value is not a known zone. A shop that does not
    answer raises the client's TransientError."""
    try:
        rows = client.find("configurations", {"name": "PS_TIMEZONE"}, display="[id,name,value]")
    except (TerminalError, CredentialsRefused) as exc:  # the key may not read configurations
        log.warning("prestashop: cannot read PS_TIMEZONE (%s); shop dates are taken as UTC", exc.reason)
        return None
    for row in rows:
        try:
            return ZoneInfo(str(row.get("value") or ""))
        except (ValueError, ZoneInfoNotFoundError):
            log.warning("prestashop: PS_TIMEZONE %r is not a time zone; shop dates are taken as UTC", row.get("value"))
    if not rows:
        log.warning("prestashop: the shop has no PS_TIMEZONE; shop dates are taken as UTC")
    return None


def build_sink(settings: Settings) -> TargetSink:
    """The sink for these settings. The key is checked once at start (a refused key stops the
    sink here instead of sending every command to the DLQ); an unreachable shop is left to the
    worker's retries. The shop's time zone is read before the first command (order-history dates
    are its wall clock)."""
    config = config_from_settings(settings)
    # the setting shop.timezone, when set, wins (kernel.shop_time); else the shop's own PS_TIMEZONE
    sink = PrestaShopSink(config, read_zone=not settings.shop.timezone)
    check_key_at_start("prestashop", "the webservice key", sink.client.probe, sink.close)
    return sink
