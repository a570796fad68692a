"""Each PrestaShop handler against the twin: create, update, and a replay that writes nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from schemas.order import OrderStatus
from sinks.common.errors import TerminalError
from sinks.prestashop.sink import PrestaShopSink
from tests.integration.sinks.prestashop.commands import (
    api_calls,
    create_order,
    meta,
    price_rule,
    product,
    shipment,
    sink_config,
    status,
    stock,
    variant,
)

pytestmark = pytest.mark.integration


def writes(twin) -> list[str]:
    return [
        f"{c['method']} {c['path'].split('?')[0]}"
        for c in api_calls(twin)
        if c["method"] in ("POST", "PUT", "PATCH", "DELETE")
    ]


def test_product_create_update_replay_and_shop_owned_fields(ps_sink, prestashop_twin) -> None:
    handle = ps_sink.handlers()[type(product("X"))]
    created = handle(product("MUG-1"), meta("MUG-1"))
    assert created.changed
    product_id = int(created.target_ids["products"])
    row = prestashop_twin.sql(
        "SELECT reference, price, active, weight FROM ps_product WHERE id_product = %s", (product_id,)
    )[0]
    assert (row["reference"], str(row["price"]), row["active"], str(row["weight"])) == (
        "MUG-1",
        "19.900000",
        1,
        "0.350000",
    )
    assert prestashop_twin.sql(
        "SELECT name, link_rewrite FROM ps_product_lang WHERE id_product = %s", (product_id,)
    ) == [{"name": "Blue mug", "link_rewrite": "blue-mug"}]
    assert created.written["list_price"] == "19.900000" and created.written["sku"] == "MUG-1"
    # a product the sink creates can be ordered (PrestaShop stores every omitted field as 0)
    sellable = prestashop_twin.sql(
        "SELECT available_for_order, show_price, minimal_quantity FROM ps_product WHERE id_product = %s", (product_id,)
    )
    assert sellable == [{"available_for_order": 1, "show_price": 1, "minimal_quantity": 1}]

    # The shop owns texts and categories once the product exists.
    prestashop_twin.sql(
        "UPDATE ps_product_lang SET name = 'Shop title', description = 'Shop text' WHERE id_product = %s", (product_id,)
    )
    # created in the home category (a product without one answers 403 in a real shop's front office)
    assert prestashop_twin.sql("SELECT id_category_default FROM ps_product WHERE id_product = %s", (product_id,)) == [
        {"id_category_default": 2}
    ]
    prestashop_twin.sql("UPDATE ps_category_product SET id_category = 3 WHERE id_product = %s", (product_id,))
    updated = handle(product("MUG-1", price="21.50", name="ERP title"), meta("MUG-1"))
    assert updated.changed and updated.target_ids == created.target_ids
    assert updated.written["list_price"] == "21.500000" and "names" not in updated.written
    assert prestashop_twin.sql(
        "SELECT name, description FROM ps_product_lang WHERE id_product = %s", (product_id,)
    ) == [{"name": "Shop title", "description": "Shop text"}]
    assert prestashop_twin.sql("SELECT id_category FROM ps_category_product WHERE id_product = %s", (product_id,)) == [
        {"id_category": 3}
    ]  # the shop's filing is kept

    before = len(writes(prestashop_twin))
    replay = handle(product("MUG-1", price="21.50", name="ERP title"), meta("MUG-1"))
    assert not replay.changed and replay.written["list_price"] == "21.500000"
    assert len(writes(prestashop_twin)) == before  # compared, nothing written
    assert prestashop_twin.sql("SELECT COUNT(*) AS n FROM ps_product")[0]["n"] == 1


def test_product_writes_only_asserted_fields_and_create_only_ones_on_creation(ps_sink, prestashop_twin) -> None:
    handle = ps_sink.handlers()[type(product("X"))]
    first = handle(
        product("CUP-1", price="5", ean13="4006381333931"),
        meta("CUP-1", fields="sku,list_price,active", create_only="ean13"),
    )
    product_id = int(first.target_ids["products"])
    assert prestashop_twin.sql("SELECT ean13, weight FROM ps_product WHERE id_product = %s", (product_id,)) == [
        {"ean13": "4006381333931", "weight": 0}
    ]  # weight not asserted: left at the shop's default
    handle(
        product("CUP-1", price="6", ean13="5901234123457", active=False),
        meta("CUP-1", fields="sku,list_price,ean13", create_only="ean13"),
    )
    row = prestashop_twin.sql("SELECT price, ean13, active FROM ps_product WHERE id_product = %s", (product_id,))[0]
    assert (str(row["price"]), row["ean13"], row["active"]) == ("6.000000", "4006381333931", 1)


def test_product_update_through_get_modify_put_before_8(prestashop_twin) -> None:
    sink = PrestaShopSink(sink_config(prestashop_twin, version="1.7.8.6"))
    try:
        handle = sink.handlers()[type(product("X"))]
        product_id = int(handle(product("OLD-1"), meta()).target_ids["products"])
        prestashop_twin.sql("UPDATE ps_product_lang SET description = 'Shop text' WHERE id_product = %s", (product_id,))
        prestashop_twin.sql("UPDATE ps_category_product SET id_category = 3 WHERE id_product = %s", (product_id,))
        assert handle(product("OLD-1", price="30"), meta()).changed
        assert f"PUT /api/products/{product_id}" in writes(prestashop_twin)
        assert not any(w.startswith("PATCH") for w in writes(prestashop_twin))
        row = prestashop_twin.sql(
            "SELECT p.price, l.description, l.name FROM ps_product p JOIN ps_product_lang l "
            "USING (id_product) WHERE id_product = %s",
            (product_id,),
        )[0]
        assert (str(row["price"]), row["description"], row["name"]) == ("30.000000", "Shop text", "Blue mug")
        assert prestashop_twin.sql(
            "SELECT id_category FROM ps_category_product WHERE id_product = %s", (product_id,)
        ) == [{"id_category": 3}]
    finally:
        sink.close()


def test_variant_create_update_replay_and_unknown_parent(ps_sink, prestashop_twin) -> None:
    handlers = ps_sink.handlers()
    parent = handlers[type(product("X"))](product("TEE"), meta())
    handle = handlers[type(variant("X", "Y"))]
    created = handle(variant("TEE-M", "TEE", price_impact="2"), meta())
    assert created.changed and created.target_ids["products"] == parent.target_ids["products"]
    combination_id = int(created.target_ids["combinations"])
    assert prestashop_twin.sql("SELECT reference, price, id_product FROM ps_product_attribute") == [
        {"reference": "TEE-M", "price": 2, "id_product": int(parent.target_ids["products"])}
    ]
    # the shop keeps a stock row for the new combination (ProductAttribute::add)
    assert (
        prestashop_twin.sql(
            "SELECT COUNT(*) AS n FROM ps_stock_available WHERE id_product_attribute = %s", (combination_id,)
        )[0]["n"]
        == 1
    )
    assert handle(variant("TEE-M", "TEE", price_impact="3.5"), meta()).written["price_impact"] == "3.500000"
    assert not handle(variant("TEE-M", "TEE", price_impact="3.5"), meta()).changed
    assert prestashop_twin.sql("SELECT COUNT(*) AS n FROM ps_product_attribute")[0]["n"] == 1
    with pytest.raises(TerminalError, match="no parent product"):
        handle(variant("SOCK-M", "SOCK"), meta())


def test_stock_level_per_product_and_combination(ps_sink, prestashop_twin) -> None:
    handlers = ps_sink.handlers()
    handlers[type(product("X"))](product("TEE"), meta())
    handlers[type(variant("X", "Y"))](variant("TEE-M", "TEE"), meta())
    handlers[type(variant("X", "Y"))](variant("TEE-L", "TEE"), meta())
    handlers[type(product("X"))](product("MUG"), meta())
    handle = handlers[type(stock("X", "0"))]

    applied = handle(stock("MUG", "12.7"), meta())  # whole units, rounded down
    assert applied.changed and applied.written == {"available": "12"}
    applied = handle(stock("TEE-M", "5"), meta())
    handle(stock("TEE-L", "3"), meta())
    quantities = {
        r["id_product_attribute"]: r["quantity"]
        for r in prestashop_twin.sql(
            "SELECT id_product_attribute, quantity FROM ps_stock_available WHERE id_product = %s",
            (int(applied.target_ids["products"]),),
        )
    }
    assert sorted(quantities.values()) == [3, 5, 8]  # the product row is the sum
    assert not handle(stock("TEE-M", "5"), meta()).changed
    with pytest.raises(TerminalError, match="per combination"):
        handle(stock("TEE", "9"), meta())
    with pytest.raises(TerminalError, match="unknown reference"):
        handle(stock("NOPE", "1"), meta())


def test_order_status_added_once_and_never_rolled_back(ps_sink, prestashop_twin) -> None:
    order_id = create_order(ps_sink.client, "XKBKNABJK")
    handle = ps_sink.handlers()[type(status("X", "processing"))]
    time.sleep(1.1)  # shop history rows are dated to the second: the ERP confirms after the checkout
    confirmed_at = datetime.now(UTC)
    confirmed = status("XKBKNABJK", "processing", confirmed_at)
    applied = handle(confirmed, meta())
    assert applied.changed and applied.written == {"state": "processing"}
    assert not handle(confirmed, meta()).changed  # already in that state

    time.sleep(1.1)
    shipped = handle(status("XKBKNABJK", "shipped", datetime.now(UTC)), meta())
    assert shipped.changed
    replay = handle(confirmed, meta())  # an old command replayed: the order stays shipped
    assert not replay.changed and replay.written == {"state": "shipped"}
    history = [
        r["id_order_state"]
        for r in prestashop_twin.sql(
            "SELECT id_order_state FROM ps_order_history WHERE id_order = %s ORDER BY id_order_history", (order_id,)
        )
    ]
    assert history == [11, 3, 4]
    assert prestashop_twin.sql("SELECT current_state FROM ps_orders")[0]["current_state"] == 4
    with pytest.raises(TerminalError, match="unknown reference"):
        handle(status("NOSUCHREF", "processing"), meta())
    with pytest.raises(TerminalError, match="no shop order state"):
        handle(status("XKBKNABJK", "quotation"), meta())  # not in order_states.to_shop
    # the order_status entity's record is handled by the same code
    assert ps_sink.handlers()[OrderStatus] is not None


def test_a_merchants_change_of_the_same_second_is_not_taken_for_a_replay(ps_sink, prestashop_twin) -> None:
    """The merchant cancels; our write of the ERP's earlier "processing" crosses it; the ERP then grants
    the cancellation within the same second: the shop must end cancelled (dates are to the second)."""
    order_id = create_order(ps_sink.client, "SAMESEC01")
    handle = ps_sink.handlers()[OrderStatus]
    time.sleep(1.1)  # after the checkout's second
    granted_at = datetime.now(UTC)
    prestashop_twin.sql(
        "INSERT INTO ps_order_history (id_employee, id_order, id_order_state, date_add) VALUES (1, %s, 6, NOW())",
        (order_id,),
    )  # the merchant, in the back office
    prestashop_twin.sql("UPDATE ps_orders SET current_state = 6 WHERE id_order = %s", (order_id,))
    crossed = handle(status("SAMESEC01", "processing", granted_at), meta())
    assert crossed.changed and crossed.written == {"state": "processing"}
    granted = handle(status("SAMESEC01", "cancelled", granted_at), meta())
    assert granted.changed and granted.written == {"state": "cancelled"}
    assert (
        prestashop_twin.sql("SELECT current_state FROM ps_orders WHERE id_order = %s", (order_id,))[0]["current_state"]
        == 6
    )
    assert not handle(status("SAMESEC01", "cancelled", granted_at), meta()).changed  # our own row: a replay


def test_an_unpaid_order_is_never_moved_into_a_paid_state_by_the_erp(ps_sink, prestashop_twin) -> None:
    """PrestaShop 8.1.2's states 3 and 4 have paid=1: entering one records an order_payment of the
    amount due and an invoice. A bank-wire order the ERP confirms or ships stays awaiting payment;
    it may be cancelled; once paid, the ERP's state is shown (#13)."""
    order_id = create_order(ps_sink.client, "UNPAIDBW1")
    prestashop_twin.sql(
        "UPDATE ps_orders SET current_state = 10, total_paid_real = 0, total_paid_tax_incl = 12 WHERE id_order = %s",
        (order_id,),
    )  # awaiting bank wire payment, nothing received
    handle = ps_sink.handlers()[OrderStatus]
    payments = prestashop_twin.sql("SELECT count(*) AS n FROM ps_order_payment")[0]["n"]
    time.sleep(1.1)
    for code in ("processing", "shipped"):
        kept = handle(status("UNPAIDBW1", code, datetime.now(UTC)), meta())
        assert not kept.changed and kept.written == {"state": "awaiting_payment"}
    assert (
        prestashop_twin.sql("SELECT current_state FROM ps_orders WHERE id_order = %s", (order_id,))[0]["current_state"]
        == 10
    )
    assert prestashop_twin.sql("SELECT count(*) AS n FROM ps_order_payment")[0]["n"] == payments
    prestashop_twin.sql(
        "UPDATE ps_orders SET current_state = 2, total_paid_real = 12 WHERE id_order = %s", (order_id,)
    )  # the payment arrived
    assert handle(status("UNPAIDBW1", "processing", datetime.now(UTC)), meta()).written == {"state": "processing"}
    other = create_order(ps_sink.client, "UNPAIDBW2")
    prestashop_twin.sql(
        "UPDATE ps_orders SET current_state = 10, total_paid_real = 0, total_paid_tax_incl = 12 WHERE id_order = %s",
        (other,),
    )
    cancelled = handle(status("UNPAIDBW2", "cancelled", datetime.now(UTC)), meta())
    assert cancelled.changed and cancelled.written == {"state": "cancelled"}


def test_tracking_number_on_the_order_carrier(ps_sink, prestashop_twin) -> None:
    create_order(ps_sink.client, "REFTRACK1")
    create_order(ps_sink.client, "REFNOCARR", with_carrier=False)
    handle = ps_sink.handlers()[type(shipment("X", None))]
    applied = handle(shipment("REFTRACK1", "6A12345678901"), meta())
    assert applied.changed and applied.written == {"tracking_number": "6A12345678901"}
    assert prestashop_twin.sql("SELECT tracking_number FROM ps_order_carrier") == [{"tracking_number": "6A12345678901"}]
    assert not handle(shipment("REFTRACK1", "6A12345678901"), meta()).changed
    assert handle(shipment("REFTRACK1", "6A99"), meta()).written == {"tracking_number": "6A99"}
    with pytest.raises(TerminalError, match="no order_carrier"):
        handle(shipment("REFNOCARR", "X1"), meta())


def test_group_price_and_promo_as_specific_prices(ps_sink, prestashop_twin) -> None:
    handlers = ps_sink.handlers()
    product_id = int(handlers[type(product("X"))](product("MUG"), meta()).target_ids["products"])
    handle = handlers[type(price_rule("X", group=None))]
    group_price = handle(price_rule("MUG", group=3, price="15.00"), meta())
    promo = handle(price_rule("MUG", group=None, percent="20"), meta())
    assert group_price.changed and promo.changed
    rows = prestashop_twin.sql(
        "SELECT id_group, price, reduction, reduction_type FROM ps_specific_price "
        "WHERE id_product = %s ORDER BY id_group",
        (product_id,),
    )
    assert [(r["id_group"], str(r["price"]), str(r["reduction"]), r["reduction_type"]) for r in rows] == [
        (0, "-1.000000", "0.200000", "percentage"),
        (3, "15.000000", "0.000000", "amount"),
    ]
    assert not handle(price_rule("MUG", group=3, price="15.00"), meta()).changed
    changed = handle(price_rule("MUG", group=3, price="14.00"), meta())
    assert changed.changed and changed.target_ids == group_price.target_ids
    assert changed.written["price"] == "14.000000"
    assert prestashop_twin.sql("SELECT COUNT(*) AS n FROM ps_specific_price")[0]["n"] == 2


def test_a_status_the_shop_changed_since_is_refused_as_stale(ps_sink, prestashop_twin) -> None:
    """Issue #20: the ERP's "processing" was derived while the shop showed "paid" (state 11 here: the
    webservice's checkout state); the merchant cancelled since. The command is refused, nothing is
    written, and the ack says what the order holds."""
    order_id = create_order(ps_sink.client, "STALE0001")
    handle = ps_sink.handlers()[OrderStatus]
    late = status("STALE0001", "processing", datetime.now(UTC))
    prestashop_twin.sql(
        "INSERT INTO ps_order_history (id_employee, id_order, id_order_state, date_add) VALUES (1, %s, 6, NOW())",
        (order_id,),
    )  # the merchant cancels in the back office
    prestashop_twin.sql("UPDATE ps_orders SET current_state = 6 WHERE id_order = %s", (order_id,))
    refused = handle(late, meta(expected={"state": "paid"}))
    assert refused.stale and not refused.changed and refused.written == {"state": "cancelled"}
    history = [
        r["id_order_state"]
        for r in prestashop_twin.sql(
            "SELECT id_order_state FROM ps_order_history WHERE id_order = %s ORDER BY id_order_history", (order_id,)
        )
    ]
    assert history == [11, 6]
    # control: while the order still holds the state the command replaces, it is written
    prestashop_twin.sql("UPDATE ps_orders SET current_state = 2 WHERE id_order = %s", (order_id,))
    applied = handle(late, meta(expected={"state": "paid"}))
    assert applied.changed and not applied.stale and applied.written == {"state": "processing"}
    # and a command without what it replaces (an older streams worker) is written as before
    assert handle(status("STALE0001", "shipped", datetime.now(UTC)), meta()).changed


def test_a_stock_level_the_shop_changed_since_is_refused_as_stale(ps_sink, prestashop_twin) -> None:
    """The level was computed while the shop showed 12; a checkout took it to 11 since: writing 10
    would hide that sale, so it is refused; the shop's change reaches the streams, which compute again."""
    ps_sink.handlers()[type(product("X"))](product("STALEMUG"), meta())
    handle = ps_sink.handlers()[type(stock("X", "0"))]
    assert handle(stock("STALEMUG", "12"), meta()).changed
    prestashop_twin.sql(
        "UPDATE ps_stock_available s JOIN ps_product p ON p.id_product = s.id_product "
        "SET s.quantity = 11 WHERE p.reference = 'STALEMUG'"
    )  # a checkout
    refused = handle(stock("STALEMUG", "10"), meta(expected={"available": "12"}))
    assert refused.stale and refused.written == {"available": "11"}
    assert (
        prestashop_twin.sql(
            "SELECT s.quantity FROM ps_stock_available s JOIN ps_product p "
            "ON p.id_product = s.id_product WHERE p.reference = 'STALEMUG'"
        )[0]["quantity"]
        == 11
    )
    # the level computed after it replaces 11: written
    applied = handle(stock("STALEMUG", "9"), meta(expected={"available": "11"}))
    assert applied.changed and applied.written == {"available": "9"}


def shop_price(twin, product_id: int, price: str) -> None:
    for table in ("ps_product", "ps_product_shop"):  # the webservice reads the shop's row
        twin.sql(f"UPDATE {table} SET price = %s WHERE id_product = %s", (price, product_id))


def test_a_product_command_older_than_the_shops_change_is_refused(ps_sink, prestashop_twin) -> None:
    """#20: the price was changed in the shop since the ERP's price was derived (``expected`` 19.9):
    the command is acked stale with the shop's price, rendered as the streams render it, nothing
    written; derived after that change, or with a field still current, it is written."""
    handle = ps_sink.handlers()[type(product("X"))]
    product_id = int(handle(product("PEN-1", price="19.90"), meta("PEN-1")).target_ids["products"])
    shop_price(prestashop_twin, product_id, "17.5")  # the merchant's change, in the back office
    before = len(writes(prestashop_twin))
    refused = handle(
        product("PEN-1", price="21.00"), meta("PEN-1", fields="list_price", expected={"list_price": "19.9"})
    )
    assert refused.stale and not refused.changed and refused.written == {"list_price": "17.5"}
    assert len(writes(prestashop_twin)) == before
    current = handle(
        product("PEN-1", price="21.00"), meta("PEN-1", fields="list_price", expected={"list_price": "17.5"})
    )
    assert current.changed and not current.stale
    shop_price(prestashop_twin, product_id, "30")
    mixed = handle(
        product("PEN-1", price="22.00", active=False),
        meta("PEN-1", fields="list_price,active", expected={"list_price": "21", "active": "true"}),
    )
    assert mixed.changed and not mixed.stale  # active is still what it replaces: written whole
    row = prestashop_twin.sql("SELECT price, active FROM ps_product WHERE id_product = %s", (product_id,))[0]
    assert (str(row["price"]), row["active"]) == ("22.000000", 0)


def test_a_single_variant_is_its_simple_products_barcode_and_empty_erp_fields_keep_the_shops(
    ps_sink, prestashop_twin
) -> None:
    """Issue #14: linking an existing shop product erased its EAN13 and set its weight 0.30 -> 0.00 from
    an unset Odoo weight; the barcode of a single-variant Odoo template never arrived."""
    handlers = ps_sink.handlers()
    product_id = int(
        handlers[type(product("X"))](product("LINK", ean13="4006381333931"), meta()).target_ids["products"]
    )
    prestashop_twin.sql("UPDATE ps_product SET weight = 0.30 WHERE id_product = %s", (product_id,))
    # the ERP's template: no barcode (on product.product), no weight (0 in Odoo: None once mapped)
    handlers[type(product("X"))](product("LINK", price="21", weight=None), meta())
    row = prestashop_twin.sql("SELECT price, ean13, weight FROM ps_product WHERE id_product = %s", (product_id,))[0]
    assert (str(row["price"]), row["ean13"], str(row["weight"])) == ("21.000000", "4006381333931", "0.300000")
    # the template's one variant (its own parent): its barcode onto the product, no combination
    applied = handlers[type(variant("X", "Y"))](variant("LINK", "LINK", ean13="5901234123457"), meta())
    assert applied.changed and applied.target_ids == {"products": str(product_id)}
    assert applied.written == {"ean13": "5901234123457"}
    assert prestashop_twin.sql("SELECT ean13 FROM ps_product WHERE id_product = %s", (product_id,)) == [
        {"ean13": "5901234123457"}
    ]
    assert prestashop_twin.sql("SELECT COUNT(*) AS n FROM ps_product_attribute")[0]["n"] == 0
    assert not handlers[type(variant("X", "Y"))](variant("LINK", "LINK", ean13="5901234123457"), meta()).changed
    # a variant without barcode leaves the shop's
    assert not handlers[type(variant("X", "Y"))](variant("LINK", "LINK"), meta()).changed


def test_a_variant_before_its_parent_waits_then_is_dead_lettered(ps_sink) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from sinks.common.errors import TransientError

    handle = ps_sink.handlers()[type(variant("X", "Y"))]
    recent = replace(meta(), source_ts=datetime.now(UTC) - timedelta(seconds=5))
    with pytest.raises(TransientError, match="no parent product 'ODOO-T9'"):
        handle(variant("SHIRT-S", "ODOO-T9"), recent)
    old = replace(meta(), source_ts=datetime.now(UTC) - timedelta(hours=1))
    with pytest.raises(TerminalError, match="no parent product 'ODOO-T9'"):
        handle(variant("SHIRT-S", "ODOO-T9"), old)
