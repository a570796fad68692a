"""Odoo change events -> canonical observations (pure: no IO, no clock).

Entry point: :func:`map_odoo_event`. Topics are ``erp.public.<table>``; Odoo tables carry no
prefix. Deleted rows map from the ``before`` image, which holds every column only with
``REPLICA IDENTITY FULL`` (set on every captured table).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from kernel.order_states import DEFAULT_ERP_STATES
from schemas.debezium import ChangeEvent, decode_change_event
from schemas.records import Canonical
from streams.mapping import odoo_attributes, odoo_catalog, odoo_partners, odoo_sales
from streams.mapping.common import ODOO, Observed, RowMapper, map_event, unprefixed_table

# sale.order states (draft/sent/sale/cancel since 17.0) -> canonical codes (config: order_states.erp).
DEFAULT_ORDER_STATES: Mapping[str, str] = MappingProxyType(DEFAULT_ERP_STATES)


@dataclass(frozen=True)
class OdooContext:
    table_prefix: str = ""
    default_locale: str = "en_US"
    order_states: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ORDER_STATES))
    # Customer groups <-> pricelists (config, DESIGN §2.5): pricelist id -> shop id_group, where 0
    # means every customer. Items of pricelists not listed are not synced.
    pricelist_groups: Mapping[int, int] = field(default_factory=dict)
    # Which templates the shop sells (issue #14, config streams.publish_unsellable / unpublished_types):
    # by default goods for sale; services (the sink's own shipping/voucher lines) are not published.
    publish_unsellable: bool = False
    unpublished_types: frozenset[str] = frozenset({"service"})


MAPPERS: Mapping[str, RowMapper[OdooContext]] = {
    "res_partner": odoo_partners.res_partner,
    "product_template": odoo_catalog.product_template,
    "product_product": odoo_catalog.product_product,
    "product_pricelist_item": odoo_catalog.product_pricelist_item,
    "product_attribute": odoo_attributes.product_attribute,
    "product_attribute_value": odoo_attributes.product_attribute_value,
    "product_template_attribute_value": odoo_attributes.product_template_attribute_value,
    "stock_quant": odoo_catalog.stock_quant,
    "sale_order": odoo_sales.sale_order,
    "sale_order_line": odoo_sales.sale_order_line,
    "stock_picking": odoo_sales.stock_picking,
    "account_move": odoo_sales.account_move,
}

IGNORED_TABLES = frozenset({"stock_move", "stock_move_line", "stock_location", "stock_warehouse", "debezium_signal"})


def map_odoo_event(event: ChangeEvent, ctx: OdooContext) -> list[Canonical]:
    """Canonical observations of one Odoo change event; MappingError if not understood."""
    return map_event(event, system=ODOO, prefix=ctx.table_prefix, context=ctx, mappers=MAPPERS, ignored=IGNORED_TABLES)


def filtered_out(event: ChangeEvent, ctx: OdooContext) -> str | None:
    """Why an event that mapped to nothing was left out by the publish filter (None: it was not)."""
    if event.row is None or event.is_tombstone or not event.table:
        return None
    table = unprefixed_table(event, ctx.table_prefix)
    if table != "product_template":
        return None
    return odoo_catalog.unpublished(Observed(event, ODOO, table, event.row), ctx)


def map_odoo_record(
    value: bytes | str | Mapping[str, Any] | None, *, topic: str | None, ctx: OdooContext, key: Any = None
) -> list[Canonical]:
    """Decode a Kafka record value of an ``erp.*`` topic and map it."""
    return map_odoo_event(decode_change_event(value, topic=topic, key=key), ctx)
