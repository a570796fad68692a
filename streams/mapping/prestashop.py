"""PrestaShop change events -> canonical observations (pure: no IO, no clock).

Entry point: :func:`map_prestashop_event`. Table names come from the Debezium source block (or the
topic ``shop.<db>.<prefix><table>``) with the configured prefix stripped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from types import MappingProxyType
from typing import Any

from kernel.order_states import DEFAULT_SHOP_STATES
from schemas.debezium import ChangeEvent, decode_change_event
from schemas.records import Canonical
from streams.mapping import ps_billing, ps_catalog, ps_customers, ps_orders
from streams.mapping.common import PRESTASHOP, RowMapper, map_event

# Order states of a stock PrestaShop install -> canonical codes (config: order_states.shop).
DEFAULT_ORDER_STATES: Mapping[int, str] = MappingProxyType(DEFAULT_SHOP_STATES)


@dataclass(frozen=True)
class PrestaShopContext:
    """Configuration the PrestaShop mappers need (from Settings; pure data)."""

    table_prefix: str = "ps_"
    shop_id: int = 1
    # PrestaShop DATETIME columns hold the shop's local wall-clock time.
    shop_timezone: tzinfo = UTC
    locales: Mapping[int, str] = field(default_factory=lambda: {1: "en_US"})
    order_states: Mapping[int, str] = field(default_factory=lambda: dict(DEFAULT_ORDER_STATES))
    # PS_INVOICE_PREFIX / PS_DELIVERY_PREFIX of the shop (install defaults, langs/en configuration.xml).
    invoice_prefix: str = "#IN"
    delivery_prefix: str = "#DE"

    def locale(self, lang_id: int | None) -> str | None:
        return None if lang_id is None else self.locales.get(lang_id)


MAPPERS: Mapping[str, RowMapper[PrestaShopContext]] = {
    "customer": ps_customers.customer,
    "address": ps_customers.address,
    "group": ps_customers.group,
    "group_lang": ps_customers.group_lang,
    "customer_group": ps_customers.customer_group,
    "orders": ps_orders.orders,
    "order_detail": ps_orders.order_detail,
    "order_cart_rule": ps_orders.order_cart_rule,
    "order_history": ps_orders.order_history,
    "order_carrier": ps_orders.order_carrier,
    "order_invoice": ps_billing.order_invoice,
    "order_payment": ps_billing.order_payment,
    "product": ps_catalog.product,
    "product_lang": ps_catalog.product_lang,
    "product_shop": ps_catalog.product_shop,
    "product_attribute": ps_catalog.product_attribute,
    "product_attribute_combination": ps_catalog.product_attribute_combination,
    "stock_available": ps_catalog.stock_available,
    "specific_price": ps_catalog.specific_price,
}

# Captured for other reasons (checkout side effects, signalling) but carrying nothing to sync.
IGNORED_TABLES = frozenset({"order_detail_tax", "cart", "cart_product", "debezium_signal"})


def map_prestashop_event(event: ChangeEvent, ctx: PrestaShopContext) -> list[Canonical]:
    """Canonical observations of one PrestaShop change event; MappingError if not understood."""
    return map_event(
        event, system=PRESTASHOP, prefix=ctx.table_prefix, context=ctx, mappers=MAPPERS, ignored=IGNORED_TABLES
    )


def map_prestashop_record(
    value: bytes | str | Mapping[str, Any] | None, *, topic: str | None, ctx: PrestaShopContext, key: Any = None
) -> list[Canonical]:
    """Decode a Kafka record value of a ``shop.*`` topic and map it."""
    return map_prestashop_event(decode_change_event(value, topic=topic, key=key), ctx)
