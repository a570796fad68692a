"""The PrestaShop target: which handler applies which command type (``prestasync run sink prestashop``).

ERP -> shop flows: stock levels, order status changes, tracking numbers, products, variants and
group / promo prices. Handlers raise only ``sinks.common.errors`` exceptions; the worker
(``sinks.common.worker``) does the Kafka side, retries, dead letters and acks.
"""

from __future__ import annotations

from collections.abc import Mapping

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


def build_sink(settings: Settings) -> TargetSink:
    """The sink for these settings. The key is checked once at start (a refused key stops the
    sink here instead of sending every command to the DLQ); an unreachable shop is left to the
    worker's retries."""
    sink = PrestaShopSink(config_from_settings(settings))
    try:
        sink.client.probe()
    except SinkError as exc:
        if exc.response.startswith(("HTTP 401", "HTTP 403")):
            sink.close()
            raise KeyRejected(f"prestashop refused the webservice key: {exc.reason}") from exc
    return sink
