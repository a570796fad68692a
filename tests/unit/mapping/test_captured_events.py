"""Table-driven tests over the REAL captured Debezium events (tests/fixtures/debezium)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from schemas.codec import SingleObjectCodec
from schemas.model import content_hash
from tests.unit.mapping.captured import captured, captured_events

pytestmark = pytest.mark.unit
EVENTS = captured_events()
CODEC = SingleObjectCodec()


def test_fixtures_are_present():
    systems = {e.system for e in EVENTS}
    assert systems == {"prestashop", "odoo"}


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: f"{e.system}/{e.name}")
def test_every_captured_event_maps_with_consistent_envelopes(event):
    records = event.map()
    document = event.document
    if document is None:
        assert records == []  # tombstone: the delete before it carried the row
        return
    payload = document["payload"]
    key_values = [str(v) for v in (event.key or {}).get("payload", {}).values()]
    for record in records:
        envelope = record.envelope
        assert envelope.origin_system == event.system
        row = payload["after"] or payload["before"]
        soft_deleted = bool(row.get("deleted")) if event.system == "prestashop" else False
        assert envelope.deleted == (payload["op"] == "d" or soft_deleted)
        assert envelope.snapshot == (payload["op"] == "r")
        assert envelope.source_ts == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(
            microseconds=payload["source"]["ts_us"])
        assert envelope.origin_id == ":".join(key_values)
        assert envelope.content_hash == content_hash(record)
        assert CODEC.decode(CODEC.encode(record)) == record


def pick(record: Any, path: str) -> Any:
    for part in path.split("."):
        record = getattr(record, part)
    return record


# (fixture, record type, {attribute path: expected}) — expected values read off the raw events.
EXPECTED = [
    ("prestashop", "customer_insert", "Customer", {
        "envelope.canonical_key": "PS-900896", "shop_customer_id": 900896, "first_name": "Jane",
        "display_name": "Jane Doe", "email": "jane.805896@example.com", "default_group_key": "PS-G-3",
        "lang": "en_US"}),
    ("prestashop", "customer_update", "Customer", {"first_name": "Janet", "display_name": "Janet Doe"}),
    ("prestashop", "customer_delete", "Customer", {"envelope.deleted": True, "envelope.canonical_key": "PS-900873"}),
    ("prestashop", "customer_group_insert", "GroupMembership", {"customer_key": "PS-900873", "group_key": "PS-G-3"}),
    ("prestashop", "group_snapshot_read", "CustomerGroup", {
        "envelope.snapshot": True, "shop_group_id": 1, "reduction_percent": Decimal("0"), "show_prices": True}),
    ("prestashop", "address_insert", "Address", {
        "envelope.canonical_key": "PS-A-900873", "customer_key": "PS-900873", "company": None, "city": "Paris",
        "postcode": "75002", "origin_state_id": None, "origin_country_id": 8, "street2": None}),
    ("prestashop", "orders_insert", "OrderHeader", {
        "order_ref": "R00805873", "envelope.canonical_key": "R00805873", "lines_committed": False,
        "state.origin_state": "0", "state.code": None, "total_tax_incl": Decimal("53.88"),
        "total_tax_excl": Decimal("44.9"), "total_products_tax_excl": Decimal("41.8"),
        "total_discounts_tax_incl": Decimal("2.4"), "shipping.cost_tax_incl": Decimal("6.12"),
        "payment.module": "ps_wirepayment", "customer_key": "PS-900873",
        # date_add 1795774800000 ms, a DATETIME read as UTC wall clock (default shop zone)
        "placed_at": datetime(2026, 11, 27, 10, 20, tzinfo=UTC)}),
    ("prestashop", "orders_update_state", "OrderHeader", {
        "lines_committed": True, "state.origin_state": "10", "state.code": "awaiting_payment"}),
    ("prestashop", "order_detail_insert_1", "OrderLine", {
        "order_origin_id": "700873", "item.variant_origin_id": "800874", "item.quantity": Decimal(2)}),
    ("prestashop", "order_detail_insert_2", "OrderLine", {"item.variant_origin_id": None}),
    ("prestashop", "order_history_insert", "OrderStatusChange", {
        "order_origin_id": "700873", "state.code": "awaiting_payment"}),
    ("prestashop", "order_carrier_insert", "Shipment", {"tracking_number": None, "order_origin_id": "700873"}),
    ("prestashop", "order_carrier_update_tracking", "Shipment", {"tracking_number": "1Z999AA10123456784"}),
    ("prestashop", "product_insert", "Product", {
        "sku": "SKU-805873", "ean13": "3760000000017", "names": {}}),
    ("prestashop", "product_lang_insert", "Translation", {
        "entity": "product", "entity_origin_id": "800873", "locale": "en_US", "fields.name": None}),
    ("prestashop", "product_shop_insert", "ProductShopValues", {"list_price": Decimal("19.9"), "shop_id": 1}),
    ("prestashop", "product_attribute_insert", "Variant", {
        "sku": "SKU-805873-M", "product_origin_id": "800873", "price_impact": Decimal(2),
        "ean13": "3760000000024"}),
    ("prestashop", "product_attribute_combination_insert", "VariantAttributeLink", {
        "variant_origin_id": "800874", "attribute_value_origin_id": "2"}),
    ("prestashop", "specific_price_insert", "PriceRule", {
        "kind": "group", "customer_group_key": "PS-G-3", "price": None, "product_origin_id": "800873",
        "variant_origin_id": None}),
    ("prestashop", "stock_available_insert", "StockLevel", {
        "variant_origin_id": "800874", "location": "shop:1", "available": Decimal(10), "reserved": Decimal(0)}),
    ("prestashop", "stock_available_update", "StockLevel", {
        "available": Decimal(7), "on_hand": Decimal(10), "reserved": Decimal(3)}),
    ("odoo", "res_partner_insert", "Customer", {
        "envelope.canonical_key": "PS-805873", "shop_customer_id": 805873, "display_name": "Jane Doe",
        "first_name": None, "lang": "en_US"}),
    ("odoo", "res_partner_delete", "Customer", {"envelope.deleted": True, "envelope.origin_id": "7"}),
    ("odoo", "product_template_insert", "Product", {
        "sku": "SKU-805873", "names": {"en_US": "Linen shirt", "fr_FR": "Chemise en lin"},
        "list_price": Decimal("19.9"), "weight": Decimal("1.25")}),
    ("odoo", "product_product_insert", "Variant", {
        "sku": "SKU-805873", "product_origin_id": "1", "ean13": "3760000000017", "attribute_values": []}),
    ("odoo", "stock_quant_update", "StockQuant", {
        "quantity": Decimal("9.5"), "reserved": Decimal(2), "location_origin_id": "8", "product_origin_id": "1"}),
]


@pytest.mark.parametrize(("system", "name", "kind", "expected"), EXPECTED, ids=[e[1] for e in EXPECTED])
def test_captured_event_maps_to_expected_values(system, name, kind, expected):
    event = captured(system, name)
    record: Any
    (record,) = event.map()
    assert type(record).__name__ == kind
    for path, value in expected.items():
        if path.startswith("fields."):
            assert path.split(".", 1)[1] in record.fields
            continue
        assert pick(record, path) == value, path


def test_product_lang_texts_are_carried():
    record: Any
    (record,) = captured("prestashop", "product_lang_insert").map()
    assert record.fields["name"] == "Linen shirt"
    assert record.fields["link_rewrite"] == "linen-shirt"
    assert record.fields["description"] == "<p>Soft</p>"


@pytest.mark.parametrize("name", ["stock_location_snapshot_read", "stock_warehouse_snapshot_read"])
def test_captured_tables_with_nothing_to_sync_map_to_nothing(name):
    assert captured("odoo", name).map() == []


def test_birthday_and_zero_dates_from_captured_customer():
    record: Any
    (record,) = captured("prestashop", "customer_insert").map()
    raw = captured("prestashop", "customer_insert").document["payload"]["after"]["birthday"]
    assert record.birthday == (None if raw in (None, 0) else date(1970, 1, 1) + timedelta(days=raw))
