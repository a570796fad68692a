"""`reconcile orders / customers` (#13) on throwaway shop and ERP databases: both totals, cancellations,
cancelled orders, missing ERP products; guests, their aliases and archived partners."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from prestasync.ops import reconcile
from tests.support.databases import erp_database, erp_scalar, settings_for, shop_database, shop_execute

pytestmark = pytest.mark.integration


def _shop_order(db: str, order_id: int, ref: str, excl: str, incl: str, state: int, sku: str) -> None:
    shop_execute(
        db,
        "INSERT INTO ps_orders (id_order, reference, id_customer, current_state, total_paid_tax_excl, "
        "total_paid_tax_incl, date_add, date_upd) VALUES (%s, %s, 1, %s, %s, %s, NOW(), NOW())",
        (order_id, ref, state, excl, incl),
    )
    shop_execute(
        db,
        "INSERT INTO ps_order_detail (id_order, product_reference, product_name, product_quantity) "
        "VALUES (%s, %s, %s, 1)",
        (order_id, sku, sku),
    )


def _erp_order(db: str, ref: str, untaxed: str, total: str, state: str) -> None:
    erp_scalar(
        db,
        "INSERT INTO sale_order (name, company_id, partner_id, partner_invoice_id, partner_shipping_id, "
        "date_order, client_order_ref, amount_untaxed, amount_total, state, picking_policy) "
        "VALUES (%s, 1, 1, 1, 1, now(), %s, %s, %s, %s, 'direct')",
        (f"S-{ref}", ref, untaxed, total, state),
    )


@pytest.fixture
def dbs() -> Any:
    with shop_database() as shop, erp_database() as erp:
        yield shop, erp


def test_orders_compare_both_totals_and_cancellation(dbs: tuple[str, str]) -> None:
    shop, erp = dbs
    erp_scalar(
        erp,
        "INSERT INTO product_template (name, type, service_tracking, categ_id, uom_id, uom_po_id, tracking) "
        "VALUES ('{\"en_US\": \"Tee\"}', 'consu', 'no', 1, 1, 1, 'none')",
    )
    erp_scalar(
        erp,
        "INSERT INTO product_product (product_tmpl_id, default_code) "
        "VALUES ((SELECT max(id) FROM product_template), 'TEE')",
    )
    _shop_order(shop, 1, "AGREEDONE", "57.00", "70.11", 3, "TEE")
    _erp_order(erp, "AGREEDONE", "57.00", "70.11", "sale")
    _shop_order(shop, 2, "TAXWRONG1", "49.00", "49.00", 2, "TEE")  # 0 % in the shop, Odoo's 15 %
    _erp_order(erp, "TAXWRONG1", "49.00", "56.35", "sale")
    _shop_order(shop, 3, "CANCELLED", "10.00", "12.30", 6, "TEE")  # cancelled on both sides: no drift
    _erp_order(erp, "CANCELLED", "10.00", "12.30", "cancel")
    _shop_order(shop, 4, "SHOPCANCL", "10.00", "12.30", 6, "TEE")  # cancelled in the shop, Odoo still 'sale'
    _erp_order(erp, "SHOPCANCL", "10.00", "12.30", "sale")
    _shop_order(shop, 5, "NOPRODUCT", "5.00", "6.15", 2, "DEMO-1")  # never imported: which product is missing
    _shop_order(shop, 6, "PAIDDRAFT", "10.00", "12.30", 2, "TEE")  # paid in the shop, a quotation in Odoo
    _erp_order(erp, "PAIDDRAFT", "10.00", "12.30", "draft")
    _shop_order(shop, 7, "WIREDRAFT", "10.00", "12.30", 10, "TEE")  # awaiting payment: a quotation is right
    _erp_order(erp, "WIREDRAFT", "10.00", "12.30", "draft")
    _shop_order(shop, 8, "WIRESALE1", "10.00", "12.30", 10, "TEE")  # ... and so is an order Odoo confirmed
    _erp_order(erp, "WIRESALE1", "10.00", "12.30", "sale")
    drifts = {d.key: d for d in reconcile.run(settings_for(shop, erp), "orders", [8])}
    assert sorted(drifts) == ["NOPRODUCT", "PAIDDRAFT", "SHOPCANCL", "TAXWRONG1"]
    assert drifts["PAIDDRAFT"].fields == {"confirmed": (True, False)} and drifts["PAIDDRAFT"].fix is None
    assert drifts["TAXWRONG1"].fields == {"total_tax_incl": (Decimal("49.00"), Decimal("56.35"))}
    assert drifts["TAXWRONG1"].fix is None  # money: a person decides
    assert drifts["SHOPCANCL"].fields == {"cancelled": (True, False)} and drifts["SHOPCANCL"].fix is None
    assert drifts["NOPRODUCT"].kind == "missing_in_erp"
    assert drifts["NOPRODUCT"].fields == {"missing_products": (["DEMO-1"], [])}


def test_customers_include_guests_aliases_and_archived_partners(dbs: tuple[str, str]) -> None:
    shop, erp = dbs
    for cid, email, guest, deleted in (
        (10, "gia@example.com", 1, 0),
        (11, "Gia@Example.com", 1, 0),
        (12, "gia@example.com", 0, 0),
        (13, "gone@example.com", 0, 1),
        (14, "lost@example.com", 1, 0),
    ):
        shop_execute(
            shop,
            "INSERT INTO ps_customer (id_customer, firstname, lastname, email, passwd, secure_key, is_guest, "
            "deleted, active, date_add, date_upd) VALUES (%s, 'Gia', 'Guest', %s, 'x', 'k', %s, %s, 1, NOW(), "
            "NOW())",
            (cid, email, guest, deleted),
        )
    main = erp_scalar(
        erp,
        "INSERT INTO res_partner (name, type, ref, email, active) VALUES ('Gia Guest', 'contact', "
        "'PS-10', 'gia@example.com', true) RETURNING id",
    )
    for ref in ("PS-11", "PS-12"):  # the later checkout and the registration: aliases of the partner
        erp_scalar(
            erp,
            "INSERT INTO res_partner (name, type, ref, email, parent_id, active) VALUES "
            "('Gia Guest (alias)', 'other', %s, 'gia@example.com', %s, false)",
            (ref, main),
        )
    erp_scalar(
        erp,
        "INSERT INTO res_partner (name, type, ref, email, active) VALUES ('Gone', 'contact', 'PS-13', "
        "'gone@example.com', false)",
    )  # deleted in the shop, archived in the ERP: in agreement
    drifts = {d.key: d for d in reconcile.run(settings_for(shop, erp), "customers", [8])}
    assert sorted(drifts) == ["PS-14"] and drifts["PS-14"].kind == "missing_in_erp"  # a guest never synced
