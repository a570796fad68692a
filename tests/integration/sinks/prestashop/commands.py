"""The PrestaShop sink's tests: its configuration on a twin, the twin's fault and call log admin calls, and
builders of the records and headers the sink receives."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import requests

from schemas.order import OrderState, OrderStatusChange
from schemas.records import AttributeValue, Envelope, PriceRule, Product, Shipment, StockLevel, Variant
from sinks.common.handlers import CommandMeta
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.config import PrestaShopSinkConfig
from tests.support.twins import PrestaShopTwin

ADMIN_HEADER = "X-Admin-Token"


# The sink gives up on an answer after READ_TIMEOUT_S (1 s flaked on a loaded machine: a real write
# took longer); the twin's "timeout" fault holds a request TIMEOUT_FAULT_S, well past it, so that
# fault is always seen as no answer, never as a closed connection.
READ_TIMEOUT_S = 3.0
TIMEOUT_FAULT_S = 6.0


def sink_config(twin: PrestaShopTwin, **overrides: Any) -> PrestaShopSinkConfig:
    twin.server.faults.configure({"timeout_s": TIMEOUT_FAULT_S})
    return PrestaShopSinkConfig(api_url=twin.api, api_key=twin.key, read_timeout=READ_TIMEOUT_S, **overrides)


def inject(twin: PrestaShopTwin, *queue: dict[str, Any]) -> None:
    """Queue faults on the twin through its admin API (one per request, in order)."""
    response = requests.post(
        f"{twin.server.url}/__admin/faults",
        json={"queue": list(queue)},
        headers={ADMIN_HEADER: twin.server.admin_token},
        timeout=5,
    )
    assert response.status_code == 200, response.text


def api_calls(twin: PrestaShopTwin) -> list[dict[str, Any]]:
    response = requests.get(
        f"{twin.server.url}/__admin/calls", headers={ADMIN_HEADER: twin.server.admin_token}, timeout=5
    )
    return list(response.json()["calls"])


def envelope(
    key: str | None, table: str = "product_template", origin_id: str = "1", at: datetime | None = None
) -> Envelope:
    return Envelope(
        canonical_key=key,
        origin_system="odoo",
        origin_table=table,
        origin_id=origin_id,
        source_ts=at or datetime.now(UTC),
        source_position="0",
        snapshot=False,
        deleted=False,
        content_hash="",
    )


def meta(
    key: str | None = None, fields: str = "", create_only: str = "", expected: dict[str, str] | None = None
) -> CommandMeta:
    names = frozenset(f for f in fields.split(",") if f)
    return CommandMeta(
        command_id=uuid.uuid4().hex,
        fields=names,
        create_only=frozenset(f for f in create_only.split(",") if f),
        source_ts=None,
        key=key,
        expected=expected or {},
    )


def product(
    sku: str,
    price: str = "19.90",
    name: str = "Blue mug",
    active: bool = True,
    weight: str | None = "0.350",
    ean13: str | None = None,
) -> Product:
    return Product(
        envelope=envelope(sku),
        sku=sku,
        names={"en_US": name},
        list_price=Decimal(price),
        wholesale_price=None,
        weight=Decimal(weight) if weight else None,
        active=active,
        has_variants=False,
        ean13=ean13,
    ).sealed()


def variant(
    sku: str,
    parent_sku: str,
    price_impact: str = "2",
    ean13: str | None = None,
    values: Sequence[tuple[str, str]] = (),
) -> Variant:
    """A combination; ``values``: its (attribute, value) names, as the streams send them (en_US)."""
    named = [
        AttributeValue(
            origin_value_id=n,
            attribute=group,
            value=text,
            attribute_names={"en_US": group},
            value_names={"en_US": text},
        )
        for n, (group, text) in enumerate(values, start=1)
    ]
    return Variant(
        envelope=envelope(sku, "product_product"),
        sku=sku,
        product_origin_id=parent_sku,
        price_impact=Decimal(price_impact),
        weight_impact=None,
        ean13=ean13,
        attribute_values=named,
        is_default=False,
    ).sealed()


def stock(sku: str, available: str) -> StockLevel:
    quantity = Decimal(available)
    return StockLevel(
        envelope=envelope(sku, "stock_quant"),
        sku=sku,
        product_origin_id=None,
        variant_origin_id=None,
        location="WH/Stock",
        on_hand=quantity,
        reserved=Decimal(0),
        available=quantity,
    ).sealed()


def status(reference: str, code: str, at: datetime | None = None) -> OrderStatusChange:
    return OrderStatusChange(
        envelope=envelope(reference, "sale_order", at=at),
        order_origin_id="7",
        state=OrderState(code=code, origin_state=code),
        changed_at=at,
    ).sealed()


def shipment(reference: str, tracking: str | None) -> Shipment:
    return Shipment(
        envelope=envelope(f"{reference}/OUT", "stock_picking"),
        order_key=reference,
        order_origin_id="7",
        name="WH/OUT/00001",
        carrier="Colissimo",
        tracking_number=tracking,
        state="done",
        shipped_at=datetime.now(UTC),
        weight=None,
    ).sealed()


def price_rule(
    sku: str, *, group: int | None, price: str | None = None, percent: str = "0", from_quantity: str = "1"
) -> PriceRule:
    return PriceRule(
        envelope=envelope(None, "product_pricelist_item"),
        sku=sku,
        product_origin_id="1",
        variant_origin_id=None,
        kind="group" if group else "promo",
        customer_group_key=f"PS-G-{group}" if group else None,
        price=Decimal(price) if price is not None else None,
        reduction_amount=Decimal(0),
        reduction_percent=Decimal(percent),
        reduction_tax_included=False,
        from_quantity=Decimal(from_quantity),
        valid_from=None,
        valid_to=None,
    ).sealed()


def create_order(client: PrestaShopClient, reference: str, *, with_carrier: bool = True) -> int:
    """An order as the shop's checkout leaves it (state 11 + its history row, and the carrier row
    validateOrder creates; none for an order without carrier, as a virtual cart's)."""
    order = client.create(
        "orders",
        "order",
        {
            "reference": reference,
            "id_address_delivery": 1,
            "id_address_invoice": 1,
            "id_cart": 1,
            "id_currency": 1,
            "id_lang": 1,
            "id_customer": 1,
            "id_carrier": 1 if with_carrier else 0,
            "id_shop": 1,
            "module": "ps_wirepayment",
            "payment": "Bank wire",
            "total_paid": Decimal("10"),
            "total_paid_real": Decimal("10"),
            "total_products": Decimal("10"),
            "total_products_wt": Decimal("12"),
            "conversion_rate": Decimal(1),
        },
    )
    return int(order["id"])
