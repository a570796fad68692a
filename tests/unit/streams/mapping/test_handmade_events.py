"""Mappers over HAND-MADE events (see handmade.py) for tables and edge cases not captured yet."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from schemas import keys
from schemas.debezium import decode_change_event
from schemas.errors import MappingError
from streams.mapping.odoo import OdooContext, map_odoo_record
from streams.mapping.prestashop import PrestaShopContext, map_prestashop_record
from tests.unit.streams.mapping.handmade import SALE_ORDER, SPECIFIC_PRICE, erp_event, shop_event

pytestmark = pytest.mark.unit
PS = PrestaShopContext()
ODOO = OdooContext()


def ps(event: dict[str, Any], ctx: PrestaShopContext = PS, topic: str | None = None) -> list[Any]:
    return map_prestashop_record(json.dumps(event), topic=topic, ctx=ctx)


def erp(event: dict[str, Any]) -> list[Any]:
    return map_odoo_record(json.dumps(event), topic=None, ctx=ODOO)


def test_specific_price_promo_with_percentage_and_open_end():
    ctx = PrestaShopContext(shop_timezone=ZoneInfo("Europe/Paris"))
    (rule,) = ps(shop_event("specific_price", SPECIFIC_PRICE), ctx)
    assert rule.kind == "promo" and rule.customer_group_key is None
    assert rule.price == Decimal("15.5") and rule.reduction_percent == Decimal(20)
    assert rule.reduction_amount == 0 and rule.variant_origin_id == "3"
    assert rule.valid_from == datetime(2024, 7, 1, 10, 0, tzinfo=UTC)  # 12:00 in Paris
    assert rule.valid_to is None  # 0000-00-00 00:00:00 = unlimited


def test_specific_price_for_one_cart_is_not_synced_and_bad_type_is_an_error():
    assert ps(shop_event("specific_price", dict(SPECIFIC_PRICE, id_cart=9))) == []
    with pytest.raises(MappingError, match="reduction_type"):
        ps(shop_event("specific_price", dict(SPECIFIC_PRICE, reduction_type="bogus")))


def test_order_cart_rule_soft_deleted():
    row = {
        "id_order_cart_rule": 4,
        "id_order": 70,
        "id_cart_rule": 2,
        "id_order_invoice": 0,
        "name": "WELCOME",
        "value": "2.400000",
        "value_tax_excl": "2.000000",
        "free_shipping": 0,
        "deleted": 1,
    }
    (discount,) = ps(shop_event("order_cart_rule", row))
    assert discount.envelope.deleted and discount.discount.amount_tax_incl == Decimal("2.4")


def test_custom_table_prefix_from_source_or_topic():
    row = {"id_group": 4, "id_lang": 2, "name": "Pros"}
    ctx = PrestaShopContext(table_prefix="x7k_", locales={2: "fr_FR"})
    (translation,) = ps(shop_event("group_lang", row, prefix="x7k_"), ctx)
    assert translation.locale == "fr_FR" and translation.envelope.origin_table == "group_lang"
    no_table = shop_event("group_lang", row, prefix="x7k_")
    del no_table["source"]["table"]
    (from_topic,) = ps(no_table, ctx, topic="shop.prestashop.x7k_group_lang")
    assert from_topic.fields == {"name": "Pros"}
    with pytest.raises(MappingError, match="prefix"):
        ps(shop_event("group_lang", row, prefix="ps_"), ctx)


def test_unknown_table_other_shop_and_non_customer_address():
    with pytest.raises(MappingError, match="no mapper"):
        ps(shop_event("configuration", {"id_configuration": 1}))
    assert ps(shop_event("order_detail_tax", {"id_order_detail": 1})) == []
    shop_row = {"id_product": 1, "id_shop": 2, "price": "1.000000", "wholesale_price": "0", "active": 1}
    assert ps(shop_event("product_shop", shop_row)) == []
    address = {"id_address": 3, "id_customer": 0, "id_country": 8, "alias": "Supplier", "deleted": 0}
    assert ps(shop_event("address", address)) == []


def test_bad_rows_are_mapping_errors_with_the_original_event():
    event = json.dumps(shop_event("product_attribute_combination", {"id_attribute": "x", "id_product_attribute": 1}))
    with pytest.raises(MappingError) as caught:
        map_prestashop_record(event, topic=None, ctx=PS)
    assert caught.value.event == event and caught.value.table == "product_attribute_combination"
    with pytest.raises(MappingError, match="without a row image"):
        ps(shop_event("customer", None, op="u"))
    too_big = {"id_group": 1, "reduction": "1e30", "show_prices": 1}
    with pytest.raises(MappingError, match="does not fit"):
        ps(shop_event("group", too_big))


def test_sale_order_header_keyed_by_client_order_ref():
    (header,) = erp(erp_event("sale_order", SALE_ORDER))
    assert header.envelope.canonical_key == header.order_ref == "R00805873"
    assert header.state.code == "processing" and header.lines_committed
    assert header.total_tax_incl == Decimal("53.88")  # unscaled numeric rounded to the schema scale
    (draft,) = erp(erp_event("sale_order", dict(SALE_ORDER, state="draft", client_order_ref=None)))
    assert draft.envelope.canonical_key is None and not draft.lines_committed


def test_sale_order_lines_skip_sections():
    line = {
        "id": 11,
        "order_id": 4,
        "product_id": 1,
        "name": "Linen shirt",
        "display_type": None,
        "product_uom_qty": "2",
        "price_reduce_taxexcl": "20.9",
        "price_reduce_taxinc": "25.08",
        "price_subtotal": "41.8",
        "price_total": "50.16",
        "discount": "0",
    }
    (mapped,) = erp(erp_event("sale_order_line", line))
    assert mapped.item.variant_origin_id == "1" and mapped.item.total_tax_incl == Decimal("50.16")
    assert erp(erp_event("sale_order_line", dict(line, display_type="line_section"))) == []


def test_stock_picking_tracking_and_account_move_kinds():
    picking = {
        "id": 3,
        "name": "WH/OUT/00003",
        "sale_id": 4,
        "carrier_id": 2,
        "state": "done",
        "carrier_tracking_ref": "1Z999",
        "date_done": 1795775400000000,
        "weight": "2.6",
    }
    (shipment,) = erp(erp_event("stock_picking", picking))
    assert shipment.tracking_number == "1Z999" and shipment.order_origin_id == "4"
    assert erp(erp_event("stock_picking", dict(picking, sale_id=None))) == []
    move = {
        "id": 9,
        "move_type": "out_invoice",
        "name": "/",
        "state": "draft",
        "currency_id": 1,
        "amount_untaxed": "44.9",
        "amount_total": "53.88",
        "amount_residual": "53.88",
        "invoice_date": None,
        "invoice_origin": "S00004",
    }
    (invoice,) = erp(erp_event("account_move", move))
    assert invoice.kind == "invoice" and invoice.number is None and invoice.order_reference == "S00004"
    (posted,) = erp(erp_event("account_move", dict(move, name="INV/2026/0001", state="posted", invoice_date=20784)))
    assert posted.number == "INV/2026/0001" and posted.issued_on.isoformat() == "2026-11-27"
    assert erp(erp_event("account_move", dict(move, move_type="in_invoice"))) == []


def test_res_partner_child_is_an_address_and_foreign_partner_has_no_key():
    child = {
        "id": 8,
        "parent_id": 7,
        "type": "delivery",
        "ref": "PS-A-900873",
        "name": "Jane Doe",
        "street": "1 rue de la Paix",
        "street2": None,
        "zip": "75002",
        "city": "Paris",
        "country_id": 75,
        "state_id": None,
        "phone": None,
        "vat": None,
        "company_name": None,
        "email": None,
    }
    (address,) = erp(erp_event("res_partner", child))
    assert address.envelope.canonical_key == "PS-A-900873" and address.kind == "delivery"
    assert address.mobile is None  # no mobile column (Odoo 19)
    partner = dict(
        child,
        id=20,
        parent_id=None,
        type="contact",
        ref="VIP-1",
        is_company=True,
        active=True,
        lang="fr_FR",
        name="ACME",
    )
    (customer,) = erp(erp_event("res_partner", partner))
    assert customer.envelope.canonical_key is None and customer.company == "ACME"


def test_odoo_delete_without_full_before_image_is_an_error():
    with pytest.raises(MappingError, match="'name'"):
        erp(erp_event("product_template", None, before={"id": 1}, op="d"))


def test_translated_name_variants():
    template = {"id": 2, "default_code": None, "list_price": "1", "weight": None, "active": True}
    (plain,) = erp(erp_event("product_template", dict(template, name="Shirt")))
    assert plain.names == {"en_US": "Shirt"} and plain.sku is None
    with pytest.raises(MappingError, match="translation"):
        erp(erp_event("product_template", dict(template, name="[1, 2]")))


def test_combination_indices_become_attribute_values():
    row = {"id": 5, "product_tmpl_id": 2, "default_code": "SKU-M", "barcode": None, "combination_indices": "3,7"}
    (variant,) = erp(erp_event("product_product", row))
    assert [v.origin_value_id for v in variant.attribute_values] == [3, 7]


def test_decode_reports_tombstones_for_both_systems():
    assert decode_change_event(None).is_tombstone
    assert map_odoo_record(None, topic="erp.public.res_partner", ctx=ODOO) == []


PRICELIST_ITEM = {
    "id": 7,
    "pricelist_id": 2,
    "applied_on": "1_product",
    "product_tmpl_id": 5,
    "product_id": None,
    "categ_id": None,
    "compute_price": "fixed",
    "fixed_price": "9.99",
    "percent_price": 0.0,
    "min_quantity": "0",
    "date_start": None,
    "date_end": None,
}


def test_pricelist_items_a_shop_price_cannot_express_are_not_synced():
    ctx = OdooContext(pricelist_groups={2: 4})
    rule: Any
    (rule,) = map_odoo_record(json.dumps(erp_event("product_pricelist_item", PRICELIST_ITEM)), topic=None, ctx=ctx)
    assert rule.customer_group_key == "PS-G-4" and rule.price == Decimal("9.99")
    for change in (
        {"applied_on": "3_global", "product_tmpl_id": None},
        {"applied_on": "2_product_category", "categ_id": 1, "product_tmpl_id": None},
        {"compute_price": "formula"},
    ):
        event = erp_event("product_pricelist_item", dict(PRICELIST_ITEM, **change))
        assert map_odoo_record(json.dumps(event), topic=None, ctx=ctx) == [], change
    orphan = erp_event(
        "product_pricelist_item",
        dict(PRICELIST_ITEM, applied_on="0_product_variant", product_id=6, product_tmpl_id=None),
    )
    with pytest.raises(MappingError, match="without product_tmpl_id"):
        map_odoo_record(json.dumps(orphan), topic=None, ctx=ctx)


INVOICE_ROW = {
    "id_order_invoice": 3,
    "id_order": 70,
    "number": 0,
    "delivery_number": 0,
    "delivery_date": None,
    "total_paid_tax_excl": "44.900000",
    "total_paid_tax_incl": "53.880000",
    "date_add": 1795774804000,
}


def test_order_invoice_before_numbering_and_with_configured_prefixes():
    assert ps(shop_event("order_invoice", INVOICE_ROW)) == []  # no number yet: nothing issued
    ctx = PrestaShopContext(invoice_prefix="FA-", shop_timezone=ZoneInfo("Pacific/Auckland"))
    (invoice,) = ps(shop_event("order_invoice", dict(INVOICE_ROW, number=42)), ctx)
    assert invoice.number == "FA-000042"
    # 2026-11-27 10:20:04 Auckland wall clock is the 26th in UTC, still the 27th on the invoice
    assert invoice.issued_on.isoformat() == "2026-11-27"


def test_order_payment_without_order_reference():
    row = {
        "id_order_payment": 9,
        "order_reference": None,
        "id_currency": 1,
        "amount": "-5.000000",
        "payment_method": "Refund",
        "transaction_id": None,
        "date_add": 1795774804000,
    }
    (payment,) = ps(shop_event("order_payment", row))
    assert payment.order_key is None and payment.amount == Decimal(-5) and payment.reference == "PS-P-9"
    assert keys.shop_payment_id(payment.reference) == 9 and keys.shop_payment_id("PS-9") is None


def test_a_payment_carries_the_shops_calendar_day():
    # 1795774804000 ms is the wall clock 2026-11-27 10:20:04; at 00:20 Auckland time it is still the 26th in UTC
    row = {
        "id_order_payment": 10,
        "order_reference": "XKBKNABJK",
        "id_currency": 1,
        "amount": "49.000000",
        "payment_method": "Bank transfer",
        "transaction_id": None,
        "date_add": 1795774804000 - 10 * 3600 * 1000,
    }
    (payment,) = ps(shop_event("order_payment", row), PrestaShopContext(shop_timezone=ZoneInfo("Pacific/Auckland")))
    assert payment.captured_at.astimezone(ZoneInfo("UTC")).date().isoformat() == "2026-11-26"
    assert payment.captured_on.isoformat() == "2026-11-27"
