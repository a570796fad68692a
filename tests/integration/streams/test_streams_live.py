"""The streams worker on the live stack (Kafka + Connect + Debezium, MariaDB ``prestashop``, PostgreSQL
``odoo``): real row changes -> raw Debezium topics -> ``prestasync run streams`` -> command topics.

Each test runs its own worker subprocess (own topic suffix, app id, changelogs, metrics port; raw
topics read from their end at start) and only looks at the keys of the rows it created.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from schemas import keys, topics
from schemas.order import Order
from schemas.records import Customer, Product, StockLevel, Variant
from tests.integration.streams.attribute_rows import template_values
from tests.integration.streams.harness import (
    ERP,
    SHOP,
    StreamsWorker,
    decoded,
    erp_raw,
    publish_ack,
    shop_raw,
    wait_commands,
)
from tests.integration.streams.rows import ADMIN_UID, INTEGRATION_UID, ErpRows, ShopRows

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]


def metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{re.escape(name)}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match.group(1).split(","))) == wanted:
            return float(match.group(2))
    return 0.0


def test_shop_customer_and_order_give_one_command_each_and_the_erp_echo_none(
    worker: StreamsWorker, shop_rows: ShopRows, erp_rows: ErpRows
) -> None:
    sku = f"T-{uuid.uuid4().hex[:10].upper()}"
    product_id = shop_rows.product(sku)
    placed = shop_rows.checkout(product_id, quantity=2)
    customer_key = keys.customer_ref(placed.id_customer)

    # (a) one customer command and one complete order, both to the ERP; nothing back to the shop
    customers = wait_commands(worker, ERP, customer_key, 1)
    orders = wait_commands(worker, ERP, placed.reference, 1)
    worker.settle(
        shop_raw("customer", "address", "orders", "order_detail", "order_history", "product", "stock_available")
    )
    assert len(worker.commands(ERP, customer_key)) == 1 and len(worker.commands(ERP, placed.reference)) == 1
    assert worker.commands(SHOP, customer_key) == [] and worker.commands(SHOP, placed.reference) == []
    customer, order = decoded(customers[0]), decoded(orders[0])
    assert isinstance(customer, Customer) and customer.shop_customer_id == placed.id_customer
    assert isinstance(order, Order) and [line.sku for line in order.lines] == [sku]
    assert order.lines[0].quantity == Decimal(2)

    # (b) the Odoo sink's echo: ack + the partner row written by the integration user -> no command
    echoes_before = metric(worker.metrics(), "prestasync_echoes_dropped_total", entity="customer")
    partner_id = erp_rows.partner(customer_key, customer.display_name, customer.email or "", uid=INTEGRATION_UID)
    publish_ack(worker, customers[0], ERP, {"res.partner": str(partner_id)})
    worker.settle([*erp_raw("res_partner"), worker.topics.acks])
    assert len(worker.commands(ERP, customer_key)) == 1 and worker.commands(SHOP, customer_key) == []
    # ... and the worker's /metrics counted it
    assert metric(worker.metrics(), "prestasync_echoes_dropped_total", entity="customer") == echoes_before + 1

    # control: the same row changed by someone else is drift on a shop-owned field -> re-asserted
    erp_rows.update("res_partner", partner_id, uid=ADMIN_UID, email=f"changed.{uuid.uuid4().hex[:6]}@example.com")
    reassert = wait_commands(worker, ERP, customer_key, 2)
    assert reassert[1].headers[topics.HEADER_FIELDS] == b"email"
    worker.settle(erp_raw("res_partner"))
    assert metric(worker.metrics(), "prestasync_drift_total", entity="customer", field="email") == 1.0


def test_the_erps_echo_before_the_sinks_ack_is_no_command(
    worker: StreamsWorker, shop_rows: ShopRows, erp_rows: ErpRows
) -> None:
    """The partner's CDC event processed before the sink's ack (the other order than above): the ack
    reports the fields Odoo stored, so the shop-only ones (first/last name, group) are no ERP change."""
    placed = shop_rows.checkout(shop_rows.product(f"T-{uuid.uuid4().hex[:10].upper()}"), quantity=1)
    customer_key = keys.customer_ref(placed.id_customer)
    (command,) = wait_commands(worker, ERP, customer_key, 1)
    worker.settle(shop_raw("customer", "address", "orders", "order_detail", "order_history"))
    customer = decoded(command)
    assert isinstance(customer, Customer)
    partner_id = erp_rows.partner(customer_key, customer.display_name, customer.email or "", uid=INTEGRATION_UID)
    worker.settle(erp_raw("res_partner"))  # the echo first ...
    publish_ack(worker, command, ERP, {"res.partner": str(partner_id)})  # ... then the ack
    worker.settle([worker.topics.acks])
    assert len(worker.commands(ERP, customer_key)) == 1 and worker.commands(SHOP, customer_key) == []


def test_erp_product_and_stock_changes_give_one_command_each(
    worker: StreamsWorker, shop_rows: ShopRows, erp_rows: ErpRows
) -> None:
    sku = f"T-{uuid.uuid4().hex[:10].upper()}"
    shop_product = shop_rows.product(sku, quantity=0)  # the shop sells it already (synced before)
    template_id, product_id = erp_rows.product(sku, Decimal("12.50"))
    wait_commands(worker, SHOP, sku, 2)  # the product and its variant (which maps product id -> SKU)
    erp_rows.quant(product_id, 5)
    wait_commands(worker, SHOP, sku, 3)  # its web stock
    worker.settle(erp_raw("product_template", "product_product", "stock_quant"))
    first = worker.commands(SHOP, sku)
    kinds = sorted(type(decoded(c)).__name__ for c in first)
    assert kinds == ["Product", "StockLevel", "Variant"], kinds
    assert worker.commands(ERP, sku) == []

    # (a) a stock change in the ERP: exactly one stock command, the new web quantity
    quant_id = next(row_id for table, row_id in erp_rows.created if table == "stock_quant")
    erp_rows.update("stock_quant", quant_id, uid=ADMIN_UID, quantity=Decimal(7))
    wait_commands(worker, SHOP, sku, len(first) + 1)
    worker.settle(erp_raw("stock_quant"))
    new = worker.commands(SHOP, sku)[len(first) :]
    assert len(new) == 1
    level = decoded(new[0])
    assert isinstance(level, StockLevel) and level.available == Decimal(7)

    # (a) a price change: exactly one product command asserting the price
    erp_rows.update("product_template", template_id, uid=ADMIN_UID, list_price=Decimal("13.90"))
    wait_commands(worker, SHOP, sku, len(first) + 2)
    worker.settle(erp_raw("product_template"))
    new = worker.commands(SHOP, sku)[len(first) + 1 :]
    assert len(new) == 1 and new[0].headers[topics.HEADER_FIELDS] == b"list_price"
    product = decoded(new[0])
    assert isinstance(product, Product) and product.list_price == Decimal("13.90")

    # (b) the PrestaShop sink's echo: the shop's stock row now holds what was commanded -> nothing
    shop_rows.set_stock(shop_product, 7)
    worker.settle(shop_raw("stock_available"))
    assert len(worker.commands(SHOP, sku)) == len(first) + 2
    # control: a shop value that is not the commanded one is corrected, once
    shop_rows.set_stock(shop_product, 3)
    wait_commands(worker, SHOP, sku, len(first) + 3)
    worker.settle(shop_raw("stock_available"))
    fixed = worker.commands(SHOP, sku)[len(first) + 2 :]
    assert len(fixed) == 1
    level = decoded(fixed[0])
    assert isinstance(level, StockLevel) and level.available == Decimal(7)


def test_erp_variants_name_their_parent_and_services_stay_out(worker: StreamsWorker, erp_rows: ErpRows) -> None:
    """Issue #14: a template with two variants -> its product ``ODOO-T<id>`` and two Variants naming it
    as their parent (they used to carry the template id: dead letters in the shop sink); a service's
    variant gives nothing."""
    if not erp_rows.has_column("product_template", "has_configurable_attributes"):
        pytest.skip("the stack's odoo database predates product_template.has_configurable_attributes (sandbox DDL)")
    if not erp_rows.has_column("product_template_attribute_value", "ptav_active"):
        pytest.skip("the stack's odoo database predates the attribute tables (#14 item 1: `stack up` adds them)")
    tag = uuid.uuid4().hex[:8].upper()
    tee = erp_rows.template(None, Decimal("20"), has_configurable_attributes=True, weight=Decimal(0))
    sizes = {f"TEE{tag}-S": "4006381333931", f"TEE{tag}-M": "5901234123457"}
    values = template_values(erp_rows, tee, f"Size {tag}", ["S", "M"])
    for (sku, barcode), value in zip(sizes.items(), values, strict=True):
        erp_rows.variant(tee, sku, barcode=barcode, combination_indices=str(value))
    service = erp_rows.template(f"SVC{tag}", Decimal("3"), type="service", is_storable=False)
    erp_rows.variant(service, f"SVC{tag}")
    parent = keys.template_sku(tee)
    wait_commands(worker, SHOP, parent, 1)
    for sku in sizes:
        wait_commands(worker, SHOP, sku, 1)
    worker.settle(erp_raw("product_template", "product_product", "product_template_attribute_value"))
    (product,) = [decoded(c) for c in worker.commands(SHOP, parent)]
    assert isinstance(product, Product) and product.has_variants and product.weight is None
    for sku, barcode in sizes.items():
        (variant,) = [decoded(c) for c in worker.commands(SHOP, sku)]
        assert isinstance(variant, Variant)
        assert (variant.product_origin_id, variant.ean13, variant.weight_impact) == (parent, barcode, Decimal("0.5"))
        # named, so the shop can offer the choice (issue #14 item 1)
        assert [(v.attribute, v.value) for v in variant.attribute_values] == [(f"Size {tag}", sku[-1])]
    assert worker.commands(SHOP, f"SVC{tag}") == []


def test_killed_worker_resumes_with_its_tables(worker: StreamsWorker, shop_rows: ShopRows, erp_rows: ErpRows) -> None:
    sku = f"T-{uuid.uuid4().hex[:10].upper()}"
    placed = shop_rows.checkout(shop_rows.product(sku), quantity=1)
    customer_key = keys.customer_ref(placed.id_customer)
    commands = wait_commands(worker, ERP, customer_key, 1)
    worker.settle(shop_raw("customer", "address", "orders", "order_detail", "order_history"))
    worker.kill()  # SIGKILL mid-stream: no clean shutdown

    # rows changed while it is down are picked up after the restart (committed offsets, not "latest")
    shop_rows.update_customer(placed.id_customer, date_upd=datetime.now(UTC).replace(tzinfo=None))
    worker.start()
    # after a SIGKILL the group first waits out the dead member's session, then the worker restores its
    # tables from the changelogs before it commits: allow for both on a loaded 2-core CI machine
    worker.settle(shop_raw("customer"), timeout=120)
    # the shadow survived: a re-observation of unchanged synced fields is no change
    assert len(worker.commands(ERP, customer_key)) == 1

    # the pending write survived: the ERP's echo (after the restart) is recognised and dropped
    partner = decoded(commands[0])
    assert isinstance(partner, Customer)
    partner_id = erp_rows.partner(customer_key, partner.display_name, partner.email or "", uid=INTEGRATION_UID)
    publish_ack(worker, commands[0], ERP, {"res.partner": str(partner_id)})
    worker.settle([*erp_raw("res_partner"), worker.topics.acks])
    assert len(worker.commands(ERP, customer_key)) == 1
    assert metric(worker.metrics(), "prestasync_echoes_dropped_total", entity="customer") >= 1

    # and the restarted worker still propagates a real change, once
    shop_rows.update_customer(placed.id_customer, email=f"new.{uuid.uuid4().hex[:6]}@example.com")
    again = wait_commands(worker, ERP, customer_key, 2)
    worker.settle(shop_raw("customer"))
    assert len(worker.commands(ERP, customer_key)) == 2 and again[1].headers[topics.HEADER_FIELDS] == b"email"
