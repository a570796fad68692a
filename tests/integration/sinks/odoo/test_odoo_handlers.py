"""The Odoo sink's handlers against the twin: upserts by natural key, idempotent replays, errors."""

from __future__ import annotations

import dataclasses

import psycopg2.extensions
import pytest

from sandbox.sample import commands as samples
from sinks.common.errors import TerminalError
from sinks.common.handlers import CommandMeta
from sinks.odoo.sink import OdooSink

pytestmark = pytest.mark.integration

META = CommandMeta("c1", frozenset(), frozenset(), None, None)
SKUS = ["TSH-ORG-WHT-S", "TSH-ORG-WHT-M"]


def _count(conn: psycopg2.extensions.connection, query: str, *args: object) -> int:
    with conn.cursor() as cur:
        cur.execute(query, args)
        return int(cur.fetchone()[0])


def test_customers_batch_create_then_replay_changes_nothing(odoo_sink: OdooSink, postgres_conn) -> None:
    items = [(samples.customer(i), META) for i in range(1, 6)]
    first = odoo_sink.upsert_customers(items)
    assert all(not isinstance(r, TerminalError) and r.changed for r in first)
    again = odoo_sink.upsert_customers(items)
    assert [r.changed for r in again] == [False] * 5  # type: ignore[union-attr]
    assert [r.target_ids for r in again] == [r.target_ids for r in first]  # type: ignore[union-attr]
    assert _count(postgres_conn, "SELECT count(*) FROM res_partner WHERE ref LIKE 'PS-%%'") == 5


def test_customer_update_writes_only_asserted_fields(odoo_sink: OdooSink, postgres_conn) -> None:
    odoo_sink.upsert_customers([(samples.customer(7), META)])
    renamed = samples.customer(7, email="new@example.com", name="Ada Renamed")
    only_email = CommandMeta("c2", frozenset({"email"}), frozenset(), None, None)
    result = odoo_sink.upsert_customers([(renamed, only_email)])[0]
    assert not isinstance(result, TerminalError) and result.changed
    assert result.written["email"] == "new@example.com"
    with postgres_conn.cursor() as cur:
        cur.execute("SELECT name, email FROM res_partner WHERE ref = 'PS-7'")
        assert cur.fetchone() == ("Ada Client7", "new@example.com")


def test_customer_adopts_an_erp_contact_with_the_same_email(odoo_sink: OdooSink, postgres_conn) -> None:
    odoo_sink.client.create("res.partner", [{"name": "Known Contact", "email": "known@example.com"}])
    result = odoo_sink.upsert_customers([(samples.customer(9, email="known@example.com"), META)])[0]
    assert not isinstance(result, TerminalError)
    assert _count(postgres_conn, "SELECT count(*) FROM res_partner WHERE email = 'known@example.com'") == 1
    assert _count(postgres_conn, "SELECT count(*) FROM res_partner WHERE ref = 'PS-9'") == 1


def test_address_before_customer_creates_a_placeholder_parent(odoo_sink: OdooSink, postgres_conn) -> None:
    applied = odoo_sink.upsert_address(samples.address(31, 30), META)
    assert applied.changed
    odoo_sink.upsert_customers([(samples.customer(30), META)])
    assert odoo_sink.upsert_address(samples.address(31, 30), META).changed is False
    with postgres_conn.cursor() as cur:
        cur.execute(
            "SELECT c.city, p.name, p.email FROM res_partner c JOIN res_partner p ON p.id = c.parent_id "
            "WHERE c.ref = 'PS-A-31'"
        )
        assert cur.fetchone() == ("Lyon", "Ada Client30", "customer30@example.com")
    assert _count(postgres_conn, "SELECT count(*) FROM res_partner WHERE ref = 'PS-30'") == 1


def test_a_placeholder_gives_way_to_the_erp_contact_of_the_same_email(odoo_sink: OdooSink, postgres_conn) -> None:
    """The address and the order came before the customer: the placeholder they made is merged into
    the contact the ERP already had for that e-mail, which takes the shop's ref."""
    contact = odoo_sink.client.create("res.partner", [{"name": "Known Early", "email": "early@example.com"}])[0]
    odoo_sink.upsert_address(samples.address(41, 40), META)
    [order] = odoo_sink.orders.upsert_orders([(samples.order("ORDEARLY", 40, SKUS[:1]), META)])
    assert not isinstance(order, TerminalError)
    result = odoo_sink.upsert_customers([(samples.customer(40, email="early@example.com"), META)])[0]
    assert not isinstance(result, TerminalError) and result.target_ids == {"res.partner": str(contact)}
    assert _count(postgres_conn, "SELECT count(*) FROM res_partner WHERE email = 'early@example.com'") == 1
    assert _count(postgres_conn, "SELECT count(*) FROM res_partner WHERE ref = 'PS-40' AND id = %s", contact) == 1
    assert (
        _count(postgres_conn, "SELECT count(*) FROM res_partner WHERE ref = 'PS-A-41' AND parent_id = %s", contact) == 1
    )
    assert (
        _count(
            postgres_conn,
            "SELECT count(*) FROM sale_order WHERE client_order_ref = 'ORDEARLY' AND partner_id = %s",
            contact,
        )
        == 1
    )
    # replayed, the customer stays where it is
    again = odoo_sink.upsert_customers([(samples.customer(40, email="early@example.com"), META)])[0]
    assert not isinstance(again, TerminalError) and again.target_ids == {"res.partner": str(contact)}


def test_orders_created_with_lines_confirmed_and_replayed(odoo_sink: OdooSink, postgres_conn) -> None:
    odoo_sink.upsert_customers([(samples.customer(40), META)])
    items = [
        (samples.order("ORDA", 40, SKUS), META),
        (samples.order("ORDB", 41, SKUS[:1], state="awaiting_payment"), META),
    ]
    first = odoo_sink.orders.upsert_orders(items)
    assert all(not isinstance(r, TerminalError) and r.changed for r in first)
    assert [r.written["state"] for r in first] == ["processing", "quotation"]  # type: ignore[union-attr]
    again = odoo_sink.orders.upsert_orders(items)
    assert [r.changed for r in again] == [False, False]  # type: ignore[union-attr]
    assert _count(postgres_conn, "SELECT count(*) FROM sale_order WHERE client_order_ref IN ('ORDA','ORDB')") == 2
    assert (
        _count(
            postgres_conn,
            "SELECT count(*) FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id "
            "WHERE o.client_order_ref = 'ORDA'",
        )
        == 2
    )
    cancelled = odoo_sink.orders.set_status(samples.status_change("ORDA", "cancelled"), META)
    assert cancelled.changed and cancelled.written == {"state": "cancelled"}


def test_an_order_odoo_will_not_confirm_fails_alone_not_its_batch(
    odoo_sink: OdooSink, postgres_conn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A back-office user cancels one new quotation just before the sink confirms the batch: Odoo refuses
    the whole ``action_confirm`` call ("not in a state requiring confirmation"); the sink confirms the
    others one by one and dead-letters only that order."""
    client = odoo_sink.orders.client
    real_call = client.call
    batches: list[list[int]] = []

    def call(model: str, method: str, ids: list[int] | None = None, **kwargs: object) -> object:
        if (model, method) == ("sale.order", "action_confirm"):
            batches.append(list(ids or []))
            if len(batches) == 1:
                with postgres_conn.cursor() as cur:
                    cur.execute("UPDATE sale_order SET state = 'cancel' WHERE client_order_ref = 'RACE-B'")
        return real_call(model, method, ids, **kwargs)

    monkeypatch.setattr(client, "call", call)
    odoo_sink.upsert_customers([(samples.customer(60), META)])
    results = odoo_sink.orders.upsert_orders(
        [(samples.order(ref, 60, SKUS), META) for ref in ("RACE-A", "RACE-B", "RACE-C")]
    )
    assert len(batches[0]) == 3 and [len(b) for b in batches[1:]] == [1, 1, 1]
    assert [isinstance(r, TerminalError) for r in results] == [False, True, False]
    assert "'cancel', not 'sale'" in results[1].reason  # type: ignore[union-attr]
    assert "not in a state requiring confirmation" in results[1].reason  # type: ignore[union-attr]
    assert [r.written["state"] for r in (results[0], results[2])] == ["processing", "processing"]  # type: ignore[union-attr]
    with postgres_conn.cursor() as cur:
        cur.execute(
            "SELECT client_order_ref, state FROM sale_order WHERE client_order_ref LIKE 'RACE-%' "
            "ORDER BY client_order_ref"
        )
        assert cur.fetchall() == [("RACE-A", "sale"), ("RACE-B", "cancel"), ("RACE-C", "sale")]


def test_unknown_sku_is_terminal_and_does_not_block_the_batch(odoo_sink: OdooSink, postgres_conn) -> None:
    results = odoo_sink.orders.upsert_orders(
        [(samples.order("BAD1", 50, ["NO-SUCH-SKU"]), META), (samples.order("GOOD1", 51, SKUS), META)]
    )
    assert isinstance(results[0], TerminalError) and "NO-SUCH-SKU" in results[0].reason
    assert not isinstance(results[1], TerminalError)
    assert _count(postgres_conn, "SELECT count(*) FROM sale_order WHERE client_order_ref = 'BAD1'") == 0


def test_order_without_customer_is_terminal_and_does_not_block_the_batch(odoo_sink: OdooSink, postgres_conn) -> None:
    import dataclasses

    orphan = dataclasses.replace(samples.order("ORPHAN1", 51, SKUS), customer_key=None)
    results = odoo_sink.orders.upsert_orders([(orphan, META), (samples.order("GOOD2", 52, SKUS), META)])
    assert isinstance(results[0], TerminalError) and "no known customer" in results[0].reason
    assert not isinstance(results[1], TerminalError)
    with postgres_conn.cursor() as cur:
        cur.execute("SELECT client_order_ref FROM sale_order ORDER BY id")
        assert [r[0] for r in cur.fetchall()] == ["GOOD2"]


def test_status_change_for_an_unknown_order_is_terminal(odoo_sink: OdooSink) -> None:
    with pytest.raises(TerminalError, match="unknown reference"):
        odoo_sink.orders.set_status(samples.status_change("NOPE", "cancelled"), META)


def test_a_cancellation_asked_before_the_erp_shipped_is_refused_as_stale(odoo_sink: OdooSink, postgres_conn) -> None:
    """The shop's cancellation was asked while the ERP showed the order "processing"; the ERP has shipped
    it since (sale_stock's delivery_status "full"): the ERP decides, nothing is cancelled, the ack says
    "shipped". Asked while it was processing and still is, the cancellation goes through."""
    odoo_sink.upsert_customers([(samples.customer(60), META)])
    odoo_sink.orders.upsert_orders(
        [(samples.order("SHIPPED1", 60, SKUS), META), (samples.order("OPEN1", 60, SKUS[:1]), META)]
    )
    with postgres_conn.cursor() as cur:
        cur.execute("UPDATE sale_order SET delivery_status = 'full' WHERE client_order_ref = 'SHIPPED1'")
    postgres_conn.commit()
    asked = CommandMeta("c2", frozenset({"state"}), frozenset(), None, None, expected={"state": "processing"})
    refused = odoo_sink.orders.set_status(samples.status_change("SHIPPED1", "cancelled"), asked)
    assert refused.stale and refused.written == {"state": "shipped"}
    assert (
        _count(postgres_conn, "SELECT count(*) FROM sale_order WHERE client_order_ref = 'SHIPPED1' AND state = 'sale'")
        == 1
    )
    granted = odoo_sink.orders.set_status(samples.status_change("OPEN1", "cancelled"), asked)
    assert granted.changed and not granted.stale and granted.written == {"state": "cancelled"}


def _guest(shop_id: int, email: str) -> object:
    return dataclasses.replace(samples.customer(shop_id, email=email), is_guest=True).sealed()


def test_guest_checkouts_and_a_later_registration_share_one_partner(odoo_sink: OdooSink, postgres_conn) -> None:
    """PrestaShop makes a new customer row for every guest checkout, and another when the guest registers:
    one partner per e-mail, the later shop customers as archived aliases its orders resolve through (#13)."""
    first = odoo_sink.upsert_customers([(_guest(60, "guest@example.com"), META)])[0]
    assert not isinstance(first, TerminalError)
    partner = first.target_ids["res.partner"]
    # the second checkout and the registration in one batch, the same e-mail in another case
    later = odoo_sink.upsert_customers(
        [
            (_guest(61, "Guest@Example.com"), META),
            (samples.customer(62, email="guest@example.com", name="Gia Guest"), META),
        ]
    )
    assert [r.target_ids for r in later] == [{"res.partner": partner}] * 2  # type: ignore[union-attr]
    assert (
        _count(
            postgres_conn,
            "SELECT count(*) FROM res_partner WHERE parent_id IS NULL AND lower(email) = 'guest@example.com'",
        )
        == 1
    )
    assert (
        _count(
            postgres_conn,
            "SELECT count(*) FROM res_partner WHERE ref IN ('PS-61', 'PS-62') AND parent_id = %s AND NOT active",
            int(partner),
        )
        == 2
    )
    with postgres_conn.cursor() as cur:  # the registered customer's name reached the partner; its ref stays
        cur.execute("SELECT name, ref FROM res_partner WHERE id = %s", (int(partner),))
        assert cur.fetchone() == ("Gia Guest", "PS-60")
    orders = odoo_sink.orders.upsert_orders(
        [(samples.order("GUESTORD2", 61, SKUS[:1]), META), (samples.order("REGORD3", 62, SKUS[:1]), META)]
    )
    assert all(not isinstance(r, TerminalError) for r in orders)
    assert _count(postgres_conn, "SELECT count(*) FROM sale_order WHERE partner_id = %s", int(partner)) == 2
    assert _count(postgres_conn, "SELECT count(*) FROM res_partner WHERE ref IN ('PS-61', 'PS-62')") == 2
    again = odoo_sink.upsert_customers([(_guest(61, "guest@example.com"), META)])[0]
    assert not isinstance(again, TerminalError) and not again.changed  # a replay


def test_a_guests_early_order_placeholder_joins_the_email_partner(odoo_sink: OdooSink, postgres_conn) -> None:
    """The second guest checkout's order came before its customer: its placeholder becomes the alias and
    the order moves to the partner of the e-mail."""
    main = odoo_sink.upsert_customers([(_guest(70, "early.guest@example.com"), META)])[0]
    assert not isinstance(main, TerminalError)
    [order] = odoo_sink.orders.upsert_orders([(samples.order("GUESTEARLY", 71, SKUS[:1]), META)])
    assert not isinstance(order, TerminalError)
    joined = odoo_sink.upsert_customers([(_guest(71, "early.guest@example.com"), META)])[0]
    assert not isinstance(joined, TerminalError) and joined.target_ids == main.target_ids
    partner = int(main.target_ids["res.partner"])
    assert (
        _count(
            postgres_conn,
            "SELECT count(*) FROM sale_order WHERE client_order_ref = 'GUESTEARLY' AND partner_id = %s",
            partner,
        )
        == 1
    )
    assert (
        _count(
            postgres_conn,
            "SELECT count(*) FROM res_partner WHERE ref = 'PS-71' AND parent_id = %s AND NOT active",
            partner,
        )
        == 1
    )
    assert odoo_sink.upsert_address(samples.address(72, 71), META).target_ids["res.partner.parent"] == str(partner)


def test_guests_by_email_can_be_switched_off(odoo_sink: OdooSink, postgres_conn) -> None:
    from sinks.odoo.partners import upsert_customers

    upsert_customers(odoo_sink.client, [(_guest(80, "apart@example.com"), META)], join_by_email=False)
    upsert_customers(odoo_sink.client, [(_guest(81, "apart@example.com"), META)], join_by_email=False)
    assert (
        _count(
            postgres_conn, "SELECT count(*) FROM res_partner WHERE parent_id IS NULL AND email = 'apart@example.com'"
        )
        == 2
    )


def test_the_same_address_of_two_guest_checkouts_is_one_address(odoo_sink: OdooSink, postgres_conn) -> None:
    """Each guest checkout makes a new shop address too: same content, same partner -> one address, the
    later one an archived alias that the order's delivery address resolves through (#13)."""
    odoo_sink.upsert_customers([(_guest(90, "twice@example.com"), META), (_guest(91, "twice@example.com"), META)])
    first = odoo_sink.upsert_address(dataclasses.replace(samples.address(95, 90), last_name="Twice").sealed(), META)
    second = odoo_sink.upsert_address(dataclasses.replace(samples.address(96, 91), last_name="Twice").sealed(), META)
    kept = first.target_ids["res.partner"]
    assert second.target_ids["res.partner"] == kept and second.changed
    assert not odoo_sink.upsert_address(
        dataclasses.replace(samples.address(96, 91), last_name="Twice").sealed(), META
    ).changed  # a replay
    moved = odoo_sink.upsert_address(samples.address(97, 91, city="Paris"), META)  # another address: its own
    assert moved.target_ids["res.partner"] != kept
    [order] = odoo_sink.orders.upsert_orders([(samples.order("TWICEORD", 91, SKUS[:1], address_id=96), META)])
    assert not isinstance(order, TerminalError)
    assert (
        _count(
            postgres_conn,
            "SELECT count(*) FROM sale_order WHERE client_order_ref = 'TWICEORD' AND partner_shipping_id = %s",
            int(kept),
        )
        == 1
    )
    assert (
        _count(
            postgres_conn,
            "SELECT count(*) FROM res_partner WHERE ref = 'PS-A-96' AND parent_id = %s AND NOT active",
            int(kept),
        )
        == 1
    )
