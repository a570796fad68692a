"""A write through either twin lands in the captured database and shows up as a Debezium event."""

from __future__ import annotations

import secrets

import odoorpc
import pytest
from prestapyt import PrestaShopWebServiceDict

from kernel.settings import get_settings
from sandbox.credentials import ensure_odoo_api_key, ensure_prestashop_key
from tests.support.kafka_events import end_offsets, row_field, wait_for_events

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("capture_running")]


def test_prestashop_twin_write_becomes_a_debezium_event() -> None:
    from sandbox.prestashop.server import build_server

    settings = get_settings()
    key = ensure_prestashop_key(settings)
    server = build_server(settings, "127.0.0.1", 0, admin_token=secrets.token_hex(8))
    server.start()
    try:
        ps = PrestaShopWebServiceDict(server.url + "/api", key)
        topic = f"shop.{settings.mariadb.database}.{settings.mariadb.table_prefix}customer"
        since = end_offsets(topic)
        customer = ps.get("customers", options={"schema": "blank"})["customer"]
        email = f"twin.{secrets.token_hex(4)}@example.com"
        customer.update(
            {
                "firstname": "Twin",
                "lastname": "Capture",
                "email": email,
                "passwd": secrets.token_urlsafe(12),
                "id_default_group": "3",
                "active": "1",
            }
        )
        created = ps.add("customers", {"customer": customer})
        customer_id = int(created["prestashop"]["customer"]["id"])
        (event,) = wait_for_events(topic, since, row_field("id_customer", customer_id))
    finally:
        server.stop()
    assert event.payload is not None and event.payload["op"] == "c"
    assert event.payload["after"]["email"] == email


def test_odoo_twin_write_becomes_a_debezium_event_with_the_integration_user() -> None:
    from sandbox.odoo.server import build_server

    settings = get_settings()
    key = ensure_odoo_api_key(settings)
    server = build_server(settings, "127.0.0.1", 0, admin_token=secrets.token_hex(8))
    server.start()
    try:
        odoo = odoorpc.ODOO("127.0.0.1", port=server.server_address[1])
        odoo.login(settings.postgres.database, settings.sandbox.odoo_login, key)
        since = end_offsets("erp.public.res_partner")
        ref = f"PS-{secrets.randbelow(10**9)}"
        partner_id = odoo.env["res.partner"].create({"name": "Twin Capture", "ref": ref, "email": "t@example.com"})
        (event,) = wait_for_events("erp.public.res_partner", since, row_field("id", partner_id))
    finally:
        server.stop()
    assert event.payload is not None and event.payload["op"] == "c"
    after = event.payload["after"]
    assert after["ref"] == ref
    # the loop guard recognises the integration user's writes by write_uid
    assert after["write_uid"] == after["create_uid"] == settings.sandbox.odoo_user_id
