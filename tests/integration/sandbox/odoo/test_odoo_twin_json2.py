"""The Odoo twin configured as 19.0: JSON-2 (bearer API key, named arguments) and /web/version."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.support.twins import INTEGRATION_UID, RunningTwin

pytestmark = pytest.mark.integration
ERROR_KEYS = ["name", "message", "arguments", "context", "debug"]


def _call(
    twin: RunningTwin, model: str, method: str, body: Any, key: str | None = None, auth: bool = True
) -> requests.Response:
    headers = {"X-Odoo-Database": twin.database, "Content-Type": "application/json; charset=utf-8"}
    if auth:
        headers["Authorization"] = f"bearer {key or twin.key}"
    return requests.post(f"{twin.url}/json/2/{model}/{method}", json=body, headers=headers, timeout=10)


def test_version_endpoints_on_19(twin19: RunningTwin) -> None:
    version = requests.get(f"{twin19.url}/web/version", timeout=10).json()
    assert version == {"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}


def test_json2_create_search_read_write_with_named_arguments(twin19: RunningTwin) -> None:
    created = _call(twin19, "res.partner", "create", {"vals_list": [{"name": "J2 A", "ref": "J2"}, {"name": "J2 B"}]})
    assert created.status_code == 200 and created.headers["Content-Type"] == "application/json; charset=utf-8"
    ids = created.json()
    assert isinstance(ids, list) and len(ids) == 2
    found = _call(twin19, "res.partner", "search_read", {"domain": [["ref", "=", "J2"]], "fields": ["name"]})
    assert found.json() == [{"id": ids[0], "name": "J2 A"}]
    assert _call(twin19, "res.partner", "write", {"ids": [ids[1]], "vals": {"ref": "J2"}}).json() is True
    read = _call(twin19, "res.partner", "read", {"ids": ids, "fields": ["ref", "write_uid"]}).json()
    assert [r["ref"] for r in read] == ["J2", "J2"]
    assert read[1]["write_uid"][0] == INTEGRATION_UID
    context = _call(twin19, "res.users", "context_get", {}).json()
    assert context["uid"] == INTEGRATION_UID


def test_json2_errors_have_odoo_19_shape_and_status(twin19: RunningTwin) -> None:
    missing_arg = _call(twin19, "res.partner", "search", {})
    assert missing_arg.status_code == 422
    assert list(missing_arg.json()) == ERROR_KEYS
    assert missing_arg.json()["name"] == "werkzeug.exceptions.UnprocessableEntity"
    assert missing_arg.json()["message"] == "missing a required argument: 'domain'"

    with_ids = _call(twin19, "res.partner", "create", {"ids": [0], "vals_list": []})
    assert with_ids.status_code == 422 and with_ids.json()["message"] == "cannot call res.partner.create with ids"

    bad_domain = _call(twin19, "res.partner", "search", {"domain": [["bad field", "=", "foo"]]})
    assert bad_domain.status_code == 500 and bad_domain.json()["name"] == "builtins.ValueError"

    missing = _call(twin19, "res.partner", "write", {"ids": [424242], "vals": {"ref": "x"}})
    assert missing.status_code == 404 and missing.json()["name"] == "odoo.exceptions.MissingError"

    not_json = requests.post(
        f"{twin19.url}/json/2/res.partner/search",
        data="not json",
        timeout=10,
        headers={"Authorization": f"bearer {twin19.key}", "Content-Type": "application/json"},
    )
    assert not_json.status_code == 400 and not_json.json()["name"] == "werkzeug.exceptions.BadRequest"


def test_json2_authentication(twin19: RunningTwin) -> None:
    no_key = _call(twin19, "res.partner", "search", {"domain": []}, auth=False)
    assert no_key.status_code == 401 and no_key.headers["WWW-Authenticate"] == "bearer"
    assert no_key.json()["name"] == "werkzeug.exceptions.Unauthorized"
    bad_key = _call(twin19, "res.partner", "search", {"domain": []}, key="0" * 40)
    assert bad_key.status_code == 401 and bad_key.json()["message"] == "Invalid apikey"
    wrong_db = requests.post(
        f"{twin19.url}/json/2/res.partner/search",
        json={"domain": []},
        timeout=10,
        headers={"Authorization": f"bearer {twin19.key}", "X-Odoo-Database": "other"},
    )
    assert wrong_db.status_code == 404
    get = requests.get(f"{twin19.url}/json/2/res.partner/search", timeout=10)
    assert get.status_code == 404


def test_json2_sale_order_on_the_19_layout(twin19: RunningTwin) -> None:
    partner = _call(twin19, "res.partner", "create", {"vals_list": [{"name": "J2 buyer"}]}).json()[0]
    product = _call(twin19, "product.product", "create", {"vals_list": {"name": "J2 product", "list_price": 4}}).json()
    assert isinstance(product, list) and len(product) == 1
    order_line = [[0, 0, {"product_id": product[0], "product_uom_qty": 2}]]
    order = _call(twin19, "sale.order", "create", {"vals_list": [{"partner_id": partner, "order_line": order_line}]})
    assert order.status_code == 200, order.text
    lines = _call(
        twin19,
        "sale.order.line",
        "search_read",
        {"domain": [["order_id", "=", order.json()[0]]], "fields": ["product_uom_id", "price_subtotal"]},
    ).json()
    assert lines[0]["product_uom_id"][0] == 1 and lines[0]["price_subtotal"] == 8.0
    assert _call(twin19, "sale.order", "action_confirm", {"ids": order.json()}).json() is True
