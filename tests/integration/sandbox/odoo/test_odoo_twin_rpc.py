"""The Odoo twin driven by the unmodified OdooRPC client and by raw JSON-RPC (Odoo 18.0 behaviour)."""

from __future__ import annotations

from typing import Any

import odoorpc
import odoorpc.error
import psycopg2.extensions
import pytest
import requests

from sandbox.odoo.auth import set_password
from tests.support.twins import INTEGRATION_LOGIN, INTEGRATION_UID, RunningTwin

pytestmark = pytest.mark.integration


def _client(twin: RunningTwin) -> odoorpc.ODOO:
    odoo = odoorpc.ODOO("127.0.0.1", port=twin.port)
    odoo.login(twin.database, INTEGRATION_LOGIN, twin.key)
    return odoo


def _jsonrpc(twin: RunningTwin, service: str, method: str, *args: Any) -> dict[str, Any]:
    body = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"service": service, "method": method, "args": list(args)},
        "id": 42,
    }
    response = requests.post(f"{twin.url}/jsonrpc", json=body, timeout=10)
    assert response.status_code == 200
    payload: dict[str, Any] = response.json()
    assert payload["id"] == 42
    return payload


def test_odoorpc_connects_logs_in_with_api_key_and_gets_user_context(twin: RunningTwin) -> None:
    odoo = _client(twin)
    assert odoo.version == "18.0"
    assert odoo.env.uid == INTEGRATION_UID
    assert odoo.env.context["lang"] == "en_US"
    assert odoo.env.user.login == INTEGRATION_LOGIN
    assert "res.partner" in odoo.env and "no.such.model" not in odoo.env


def test_partner_crud_through_odoorpc_sets_log_columns(
    twin: RunningTwin, postgres_conn: psycopg2.extensions.connection
) -> None:
    odoo = _client(twin)
    partners = odoo.env["res.partner"]
    partner_id = partners.create({"name": "Alice Martin", "email": "Alice@Example.org", "ref": "PS-42"})
    assert partners.search([("ref", "=", "PS-42")]) == [partner_id]
    [row] = partners.read([partner_id], ["name", "email_normalized", "create_uid", "type"])
    assert row["email_normalized"] == "alice@example.org" and row["type"] == "contact"
    assert row["create_uid"] == [INTEGRATION_UID, "prestasync integration"]

    with postgres_conn.cursor() as cur:
        cur.execute("UPDATE res_partner SET write_uid = 2, write_date = '2000-01-01' WHERE id = %s", (partner_id,))
    partners.browse(partner_id).write({"name": "Alice B. Martin"})
    with postgres_conn.cursor() as cur:
        cur.execute(
            "SELECT name, write_uid, write_date > now() AT TIME ZONE 'utc' - interval '1 minute', "
            "create_uid FROM res_partner WHERE id = %s",
            (partner_id,),
        )
        assert cur.fetchone() == ("Alice B. Martin", INTEGRATION_UID, True, INTEGRATION_UID)

    assert partners.search_count([("name", "ilike", "b. mart")]) == 1
    partners.unlink([partner_id])
    assert partners.search([("ref", "=", "PS-42")]) == []


def test_batch_create_returns_ids_and_single_create_returns_an_id(twin: RunningTwin) -> None:
    odoo = _client(twin)
    ids = odoo.execute_kw("res.partner", "create", [[{"name": "A"}, {"name": "B"}]])
    assert isinstance(ids, list) and len(ids) == 2
    single = odoo.execute_kw("res.partner", "create", [{"name": "C"}])
    assert isinstance(single, int) and single not in ids
    names = odoo.execute_kw("res.partner", "read", [[*ids, single], ["name"]])
    assert [r["name"] for r in names] == ["A", "B", "C"]


def test_domains_with_or_not_in_and_dotted_paths(twin: RunningTwin) -> None:
    odoo = _client(twin)
    partners = odoo.env["res.partner"]
    a = partners.create({"name": "Domain A", "ref": "D-A", "city": "Lyon"})
    b = partners.create({"name": "Domain B", "ref": "D-B"})
    c = partners.create({"name": "Domain C", "ref": "D-C", "parent_id": a})
    found = partners.search(["|", ("ref", "=", "D-A"), ("ref", "=", "D-B")], order="id")
    assert found == [a, b]
    assert partners.search([("ref", "=like", "D-%"), ("city", "=", False)], order="id") == [b, c]
    assert partners.search([("ref", "in", ["D-A", "D-B", "D-C"]), "!", ("ref", "not in", ["D-C"])]) == [c]
    assert partners.search([("parent_id.city", "=", "Lyon")]) == [c]
    assert partners.search([("parent_id", "=", "Domain A")]) == [c]
    partners.write([b], {"active": False})
    assert partners.search([("ref", "=", "D-B")]) == []
    assert odoo.execute_kw("res.partner", "search", [[("ref", "=", "D-B")]], {"context": {"active_test": False}}) == [b]


def test_translated_product_name_is_read_and_written_per_language(
    twin: RunningTwin, postgres_conn: psycopg2.extensions.connection
) -> None:
    odoo = _client(twin)
    product_id = odoo.execute_kw(
        "product.product",
        "create",
        [{"name": "Chair", "default_code": "SKU-CH", "list_price": 12.5, "is_storable": True}],
    )
    odoo.execute_kw("product.product", "write", [[product_id], {"name": "Chaise"}], {"context": {"lang": "fr_FR"}})
    read_fr = odoo.execute_kw("product.product", "read", [[product_id], ["name"]], {"context": {"lang": "fr_FR"}})
    read_en = odoo.execute_kw("product.product", "read", [[product_id], ["name", "display_name"]])
    read_de = odoo.execute_kw("product.product", "read", [[product_id], ["name"]], {"context": {"lang": "de_DE"}})
    assert read_fr[0]["name"] == "Chaise"
    assert read_en[0]["name"] == "Chair" and read_en[0]["display_name"] == "[SKU-CH] Chair"
    assert read_de[0]["name"] == "Chair"  # no German text: en_US fallback
    with postgres_conn.cursor() as cur:
        cur.execute(
            "SELECT t.name, t.default_code, t.is_storable FROM product_template t "
            "JOIN product_product p ON p.product_tmpl_id = t.id WHERE p.id = %s",
            (product_id,),
        )
        assert cur.fetchone() == ({"en_US": "Chair", "fr_FR": "Chaise"}, "SKU-CH", True)
    fr_hits = odoo.execute_kw("product.product", "search", [[("name", "=", "Chaise")]], {"context": {"lang": "fr_FR"}})
    assert fr_hits == [product_id]


def test_wrong_credentials_are_refused_as_odoo_does(twin: RunningTwin) -> None:
    assert _jsonrpc(twin, "common", "login", twin.database, INTEGRATION_LOGIN, "wrong")["result"] is False
    assert _jsonrpc(twin, "common", "authenticate", twin.database, "nobody", twin.key, {})["result"] is False
    denied = _jsonrpc(
        twin, "object", "execute_kw", twin.database, INTEGRATION_UID, "wrong", "res.partner", "search", [[]]
    )
    assert denied["error"]["code"] == 200 and denied["error"]["message"] == "Odoo Server Error"
    assert denied["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    assert denied["error"]["data"]["message"] == "Access Denied"
    # Another user's key does not authenticate this uid.
    other = _jsonrpc(twin, "object", "execute_kw", twin.database, 2, twin.key, "res.partner", "search", [[]])
    assert other["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    with pytest.raises(odoorpc.error.RPCError, match="Wrong login ID or password"):
        odoorpc.ODOO("127.0.0.1", port=twin.port).login(twin.database, INTEGRATION_LOGIN, "not-the-key")


def test_password_login_works_alongside_the_api_key(
    twin: RunningTwin, postgres_conn: psycopg2.extensions.connection
) -> None:
    set_password(postgres_conn, 2, "s3cret-admin", rounds=1000)
    assert _jsonrpc(twin, "common", "login", twin.database, "admin", "s3cret-admin")["result"] == 2
    assert _jsonrpc(twin, "common", "login", twin.database, "admin", "s3cret-admiN")["result"] is False


def test_error_shapes_for_missing_records_constraints_and_unknown_models(twin: RunningTwin) -> None:
    key, db, uid = twin.key, twin.database, INTEGRATION_UID
    missing = _jsonrpc(twin, "object", "execute_kw", db, uid, key, "res.partner", "write", [[99999], {"ref": "x"}])
    data = missing["error"]["data"]
    assert data["name"] == "odoo.exceptions.MissingError"
    assert data["message"].startswith("Record does not exist or has been deleted.")
    assert set(data) == {"name", "message", "arguments", "context", "debug"}

    no_name = _jsonrpc(twin, "object", "execute_kw", db, uid, key, "res.partner", "create", [{"email": "x@y.z"}])
    assert no_name["error"]["data"]["name"] == "odoo.exceptions.ValidationError"
    assert no_name["error"]["data"]["message"] == "The operation cannot be completed: Contacts require a name"

    unknown = _jsonrpc(twin, "object", "execute_kw", db, uid, key, "no.such.model", "search", [[]])
    assert unknown["error"]["data"]["name"] == "odoo.exceptions.UserError"
    assert unknown["error"]["data"]["message"] == "Object no.such.model doesn't exist"

    private = _jsonrpc(twin, "object", "execute_kw", db, uid, key, "stock.quant", "_apply_inventory", [[1]])
    assert private["error"]["data"]["name"] == "odoo.exceptions.AccessError"

    bad_field = _jsonrpc(twin, "object", "execute_kw", db, uid, key, "res.partner", "search", [[["nope", "=", 1]]])
    assert bad_field["error"]["data"]["name"] == "builtins.ValueError"


def test_version_info_and_json2_absent_on_18(twin: RunningTwin) -> None:
    info = requests.post(
        f"{twin.url}/web/webclient/version_info", json={"jsonrpc": "2.0", "params": {}, "id": 1}, timeout=10
    ).json()["result"]
    assert info["server_version"] == "18.0" and info["server_version_info"][:2] == [18, 0]
    assert _jsonrpc(twin, "common", "version")["result"]["server_serie"] == "18.0"
    json2 = requests.post(
        f"{twin.url}/json/2/res.partner/search",
        json={"domain": []},
        allow_redirects=False,
        headers={"Authorization": f"bearer {twin.key}"},
        timeout=10,
    )
    assert json2.status_code == 303 and json2.headers["Location"].startswith("/web/login")
    assert requests.get(f"{twin.url}/web/version", timeout=10).status_code == 404
