"""`reconcile customers / products / stock` (#20 item 3) on throwaway databases: deactivated, deleted
and archived records on either side are no drift where both sides agree, and drift where they do not;
stock is compared only for products the ERP has, with cancellations as the state map says."""

from __future__ import annotations

from typing import Any

import pytest

from prestasync.ops import reconcile
from tests.support.databases import erp_database, erp_scalar, settings_for, shop_database, shop_execute

pytestmark = pytest.mark.integration


@pytest.fixture
def dbs() -> Any:
    with shop_database() as shop, erp_database() as erp:
        yield shop, erp


def _customer(db: str, cid: int, active: int, deleted: int) -> None:
    shop_execute(
        db,
        "INSERT INTO ps_customer (id_customer, firstname, lastname, email, passwd, secure_key, is_guest, "
        "deleted, active, date_add, date_upd) VALUES (%s, 'Ann', 'Archer', %s, 'x', 'k', 0, %s, %s, NOW(), "
        "NOW())",
        (cid, f"ann{cid}@example.com", deleted, active),
    )


def _partner(db: str, cid: int, active: bool) -> None:
    erp_scalar(
        db,
        "INSERT INTO res_partner (name, type, ref, email, active) VALUES ('Ann Archer', 'contact', %s, %s, %s)",
        (f"PS-{cid}", f"ann{cid}@example.com", active),
    )


def test_customers_deactivated_deleted_and_archived(dbs: tuple[str, str]) -> None:
    shop, erp = dbs
    _customer(shop, 20, active=0, deleted=0)  # deactivated in the shop, its partner archived: agree
    _partner(erp, 20, active=False)
    _customer(shop, 21, active=0, deleted=0)  # deactivated in the shop, the partner still active: drift
    _partner(erp, 21, active=True)
    _partner(erp, 22, active=False)  # the shop row was deleted, the partner archived: agree
    _customer(shop, 23, active=1, deleted=1)  # deleted in the shop, the partner still active: drift
    _partner(erp, 23, active=True)
    _customer(shop, 24, active=1, deleted=0)  # active in the shop, archived in the ERP: drift
    _partner(erp, 24, active=False)
    drifts = {d.key: d for d in reconcile.run(settings_for(shop, erp), "customers", [8])}
    assert sorted(drifts) == ["PS-21", "PS-23", "PS-24"], drifts
    assert drifts["PS-21"].kind == "different" and drifts["PS-21"].fields == {"active": (False, True)}
    assert drifts["PS-23"].kind == "extra_in_erp"
    assert drifts["PS-24"].fields == {"active": (True, False)} and drifts["PS-24"].fix == ("shop", "customer", "24")


def _shop_product(db: str, pid: int, sku: str, active: int, quantity: int) -> None:
    shop_execute(
        db,
        "INSERT INTO ps_product (id_product, reference, price, active, date_add, date_upd) "
        "VALUES (%s, %s, 5, %s, NOW(), NOW())",
        (pid, sku, active),
    )
    shop_execute(
        db,
        "INSERT INTO ps_stock_available (id_product, id_product_attribute, id_shop, id_shop_group, quantity) "
        "VALUES (%s, 0, 1, 0, %s)",
        (pid, quantity),
    )


def _erp_product(db: str, sku: str, active: bool, quantity: int = 0) -> None:
    tmpl = erp_scalar(
        db,
        "INSERT INTO product_template (name, type, service_tracking, categ_id, uom_id, uom_po_id, "
        "tracking, default_code, list_price, active) VALUES ('{\"en_US\": \"A\"}', 'consu', 'no', 1, 1, "
        "1, 'none', %s, 5, %s) RETURNING id",
        (sku, active),
    )
    prod = erp_scalar(
        db,
        "INSERT INTO product_product (product_tmpl_id, default_code, active) VALUES (%s, %s, %s) RETURNING id",
        (tmpl, sku, active),
    )
    if quantity:
        erp_scalar(
            db,
            "INSERT INTO stock_quant (product_id, company_id, location_id, quantity, reserved_quantity, in_date)"
            " VALUES (%s, 1, 8, %s, 0, now())",
            (prod, quantity),
        )


def test_products_archived_in_the_erp(dbs: tuple[str, str]) -> None:
    shop, erp = dbs
    _erp_product(erp, "ARC-1", active=False)  # archived, deactivated in the shop: agree
    _shop_product(shop, 901, "ARC-1", active=0, quantity=0)
    _erp_product(erp, "ARC-2", active=False)  # archived, never in the shop (or deleted there): agree
    _erp_product(erp, "ARC-3", active=False)  # archived, still sold in the shop: drift, fixable
    _shop_product(shop, 903, "ARC-3", active=1, quantity=0)
    _erp_product(erp, "ARC-4", active=False)  # archived, then made again: the active template counts
    _erp_product(erp, "ARC-4", active=True)
    _shop_product(shop, 904, "ARC-4", active=1, quantity=0)
    drifts = {d.key: d for d in reconcile.run(settings_for(shop, erp), "products", [8]) if d.key.startswith("ARC-")}
    assert sorted(drifts) == ["ARC-3"], drifts
    assert drifts["ARC-3"].fields == {"active": (True, False)} and drifts["ARC-3"].fix is not None


def test_stock_only_for_erp_products_with_cancellations_from_the_state_map(dbs: tuple[str, str]) -> None:
    shop, erp = dbs
    _shop_product(shop, 911, "STK-SHOP-ONLY", active=1, quantity=9)  # the ERP has no such product
    _erp_product(erp, "STK-1", active=True, quantity=10)
    _shop_product(shop, 912, "STK-1", active=1, quantity=10)
    # an order in a state the merchant's map calls cancelled (not PrestaShop's 6): no units in flight
    shop_execute(
        shop,
        "INSERT INTO ps_orders (id_order, reference, current_state, date_add, date_upd) "
        "VALUES (9120, 'STKCANCEL', 20, NOW(), NOW())",
    )
    shop_execute(
        shop,
        "INSERT INTO ps_order_detail (id_order, product_id, product_name, product_quantity, "
        "product_reference) VALUES (9120, 912, 'S', 4, 'STK-1')",
    )
    base = settings_for(shop, erp)
    states = base.order_states.model_copy(update={"shop": {**base.order_states.shop, 20: "cancelled"}})
    settings = base.model_copy(update={"order_states": states})
    drifts = [d for d in reconcile.run(settings, "stock", [8]) if d.key.startswith("STK-")]
    assert drifts == []
    # with the default map, state 20 is no cancellation: 4 units in flight, the shop should show 6
    (drift,) = [d for d in reconcile.run(base, "stock", [8]) if d.key.startswith("STK-")]
    assert drift.key == "STK-1" and drift.fields == {"quantity": (10, 6)}


def _address(db: str, aid: int, customer: int, city: str, deleted: int = 0) -> None:
    shop_execute(
        db,
        "INSERT INTO ps_address (id_address, id_customer, id_country, alias, lastname, firstname, address1, "
        "postcode, city, deleted, date_add, date_upd) VALUES (%s, %s, 8, 'Home', 'Archer', 'Ann', '1 rue', "
        "'75001', %s, %s, NOW(), NOW())",
        (aid, customer, city, deleted),
    )


def _address_partner(db: str, aid: int, city: str, active: bool, parent: int | None = None) -> int:
    return int(
        erp_scalar(
            db,
            "INSERT INTO res_partner (name, type, ref, zip, city, active, parent_id) VALUES "
            "('Ann Archer', 'delivery', %s, '75001', %s, %s, %s) RETURNING id",
            (f"PS-A-{aid}", city, active, parent),
        )
    )


def test_addresses_deleted_archived_and_guest_repeats(dbs: tuple[str, str]) -> None:
    shop, erp = dbs
    _address(shop, 40, 1, "Paris")  # in use on both sides
    kept = _address_partner(erp, 40, "Paris", active=True)
    _address(shop, 41, 1, "Paris", deleted=1)  # deleted in the shop (used by an order), archived: agree
    _address_partner(erp, 41, "Paris", active=False)
    _address_partner(erp, 42, "Paris", active=False)  # the shop row is gone, the partner archived: agree
    _address(shop, 43, 2, "Paris")  # a guest's next checkout, same address: an archived alias of PS-A-40
    _address_partner(erp, 43, "Paris", active=False, parent=kept)
    _address(shop, 44, 1, "Lyon")  # in use in the shop, archived in the ERP: drift
    _address_partner(erp, 44, "Lyon", active=False)
    _address(shop, 45, 1, "Lille")  # another city in the ERP: drift
    _address_partner(erp, 45, "Nantes", active=True)
    _address(shop, 46, 0, "Paris")  # a supplier's address: not synced, not compared
    _address(shop, 47, 1, "Paris")  # never synced: missing, fixable
    drifts = {d.key: d for d in reconcile.run(settings_for(shop, erp), "addresses", [8])}
    assert sorted(drifts) == ["PS-A-44", "PS-A-45", "PS-A-47"], drifts
    assert drifts["PS-A-44"].fields == {"active": (True, False)}
    assert drifts["PS-A-45"].fields == {"city": ("Lille", "Nantes")}
    assert drifts["PS-A-47"].kind == "missing_in_erp" and drifts["PS-A-47"].fix == ("shop", "address", "47")
