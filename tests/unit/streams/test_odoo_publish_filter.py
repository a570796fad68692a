"""Which Odoo products reach the shop (issue #14 item 1): on the captured product_template event
(a storable good for sale, "Linen shirt") varied as Odoo 18 writes a service (``type`` 'service',
the sink's own SHIP-WEB / DISC-WEB lines) or a product not for sale (``sale_ok`` false). Those give
no shop command and no dead letter, counted as filtered; an archived good makes the shop product
inactive."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kernel import metrics
from schemas import topics
from schemas.debezium import decode_change_event
from schemas.records import Product
from streams.mapping.odoo import OdooContext, filtered_out, map_odoo_record
from tests.unit.streams.pipeline import SHOP_COMMANDS, Pipeline, varied

pytestmark = pytest.mark.unit

TEMPLATE = "product_template_insert"


def filtered_count() -> float:
    value = metrics.REGISTRY.get_sample_value(
        "prestasync_filtered_total", {"system": "odoo", "table": "product_template"}
    )
    return value or 0.0


def shop_products(pipeline: Pipeline, **after: Any) -> list[Product]:
    outs = pipeline.feed([varied("odoo", TEMPLATE, 1, **after)])
    dead = [o for o in pipeline.sent if o.topic.startswith(topics.STREAMS_DLQ)]
    assert dead == [], "a filtered product is never a dead letter"
    products = [pipeline.decode(o) for o in outs if o.topic == SHOP_COMMANDS]
    assert all(isinstance(p, Product) for p in products)
    return products


def test_the_captured_good_for_sale_is_published() -> None:
    (product,) = shop_products(Pipeline())
    assert (product.sku, product.active) == ("SKU-807777", True)


@pytest.mark.parametrize(
    "after",
    [
        {"type": "service", "default_code": "SHIP-WEB", "is_storable": False},  # the sink's shipping line
        {"type": "service", "default_code": "DISC-WEB", "is_storable": False, "list_price": "1.0"},
        {"sale_ok": False},  # a good the company buys but does not sell
        {"type": "service", "active": False},
    ],
)
def test_services_and_products_not_for_sale_give_no_shop_command(after: dict[str, Any]) -> None:
    before = filtered_count()
    assert shop_products(Pipeline(), **after) == []
    assert filtered_count() == before + 1


def test_an_archived_good_makes_the_shop_product_inactive() -> None:
    before = filtered_count()
    (product,) = shop_products(Pipeline(), active=False)
    assert (product.sku, product.active) == ("SKU-807777", False)
    assert filtered_count() == before


def _mapped(ctx: OdooContext, **after: Any) -> tuple[list[Any], str | None]:
    topic, value = varied("odoo", TEMPLATE, 1, **after)
    raw = json.dumps(value)
    return (map_odoo_record(raw, topic=topic, ctx=ctx), filtered_out(decode_change_event(raw, topic=topic), ctx))


def test_the_filter_is_configurable() -> None:
    everything = OdooContext(publish_unsellable=True, unpublished_types=frozenset())
    (product,) = _mapped(everything, sale_ok=False, type="service")[0]
    assert isinstance(product, Product) and product.sku == "SKU-807777"
    no_combos = OdooContext(unpublished_types=frozenset({"service", "combo"}))
    assert _mapped(no_combos, type="combo") == ([], "type 'combo'")
    assert _mapped(OdooContext(), sale_ok=False) == ([], "not sale_ok")
    assert _mapped(OdooContext(), type="combo")[1] is None
