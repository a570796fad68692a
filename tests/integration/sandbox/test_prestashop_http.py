"""The PrestaShop twin over plain HTTP: JSON, PATCH, schemas, auth failures, faults, hostile XML."""

from __future__ import annotations

import hashlib
import time
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as ET
import pytest
import requests
from prestapyt import PrestaShopWebServiceDict

pytestmark = pytest.mark.integration

CUSTOMER_XML = (
    "<prestashop><customer><firstname>Ada</firstname><lastname>Lovelace</lastname>"
    "<email>ada@example.com</email><passwd>pw-123456</passwd><id_default_group>3</id_default_group>"
    "<note>vip</note><active>1</active></customer></prestashop>"
)


def call(twin, method: str, path: str, **kwargs) -> requests.Response:
    kwargs.setdefault("auth", (twin.key, ""))
    kwargs.setdefault("timeout", 10)
    return requests.request(method, f"{twin.api}/{path}", **kwargs)  # noqa: S113 - timeout set above


def attribute(root: Element, path: str, name: str) -> str | None:
    node = root.find(path)
    assert node is not None, path
    return node.get(name)


def errors(response: requests.Response) -> list[tuple[str, str]]:
    root = ET.fromstring(response.content)
    return [(e.findtext("code") or "", e.findtext("message") or "") for e in root.iter("error")]


def create_customer(twin) -> int:
    created = call(twin, "POST", "customers", data=CUSTOMER_XML)
    assert created.status_code == 201, created.text
    return int(ET.fromstring(created.content).findtext("customer/id") or 0)


def test_headers_json_output_and_cache_validation(prestashop_twin) -> None:
    customer_id = create_customer(prestashop_twin)
    xml = call(prestashop_twin, "GET", f"customers/{customer_id}")
    assert xml.headers["Content-Type"].startswith("text/xml")
    assert xml.headers["PSWS-Version"] == "8.1.2"
    assert xml.headers["X-Powered-By"] == "PrestaShop Webservice"
    assert float(xml.headers["Execution-Time"]) >= 0
    assert xml.headers["Content-Sha1"] == hashlib.sha1(xml.content, usedforsecurity=False).hexdigest()
    assert b"<![CDATA[Lovelace]]>" in xml.content
    assert b'xlink:href="http://' in xml.content and b"/api/groups/3" in xml.content
    cached = call(
        prestashop_twin, "GET", f"customers/{customer_id}", headers={"Local-Content-Sha1": xml.headers["Content-Sha1"]}
    )
    assert cached.status_code == 304 and cached.content == b""

    detail = call(prestashop_twin, "GET", f"customers/{customer_id}", params={"output_format": "JSON"})
    assert detail.headers["Content-Type"] == "application/json"
    body = detail.json()["customer"]
    assert body["id"] == customer_id and body["lastname"] == "Lovelace"
    # Real 8.1.2 JSON: ids and integer fields are numbers, falsy fields ("0", "", 0) are dropped.
    assert body["associations"]["groups"] == [{"id": 3}] and body["id_default_group"] == 3
    assert body["active"] == "1" and "deleted" not in body and "id_gender" not in body
    listing = call(prestashop_twin, "GET", "customers", params={"output_format": "JSON"}).json()
    assert listing == {"customers": [{"id": customer_id}]}
    full = call(
        prestashop_twin, "GET", "customers", params={"display": "[id,email]"}, headers={"Output-Format": "JSON"}
    ).json()
    assert full == {"customers": [{"id": customer_id, "email": "ada@example.com"}]}
    empty = call(prestashop_twin, "GET", "customers", params={"filter[id]": "[999]", "output_format": "JSON"})
    assert empty.json() == []


def test_patch_changes_only_given_fields_put_resets_the_rest(prestashop_twin) -> None:
    customer_id = create_customer(prestashop_twin)
    patch = f"<prestashop><customer><id>{customer_id}</id><lastname>Byron</lastname></customer></prestashop>"
    patched = call(prestashop_twin, "PATCH", f"customers/{customer_id}", data=patch)
    assert patched.status_code == 200, patched.text
    row = prestashop_twin.sql("SELECT lastname, firstname, note FROM ps_customer")[0]
    assert row == {"lastname": "Byron", "firstname": "Ada", "note": "vip"}
    put = (
        f"<prestashop><customer><id>{customer_id}</id><firstname>Ada</firstname><lastname>King</lastname>"
        "<email>ada@example.com</email><passwd>pw-123456</passwd></customer></prestashop>"
    )
    assert call(prestashop_twin, "PUT", "customers", data=put).status_code == 200
    row = prestashop_twin.sql("SELECT lastname, note FROM ps_customer")[0]
    assert row == {"lastname": "King", "note": None}  # PUT is a full replacement
    unknown = call(
        prestashop_twin, "PATCH", "customers/999", data="<prestashop><customer><id>999</id></customer></prestashop>"
    )
    assert unknown.status_code == 404 and errors(unknown) == [("92", "Invalid ID")]


def test_schema_blank_and_bad_list_parameters(prestashop_twin) -> None:
    blank = call(prestashop_twin, "GET", "products", params={"schema": "blank"})
    root = ET.fromstring(blank.content)
    assert root.find("product/price") is not None and (root.findtext("product/price") or "") == ""
    assert attribute(root, "product/name/language", "id") == "1"
    assert root.find("product/associations/categories/category/id") is not None
    synopsis = call(prestashop_twin, "GET", "customers", params={"schema": "synopsis"})
    assert attribute(ET.fromstring(synopsis.content), "customer/email", "required") == "true"
    for params, code in (
        ({"schema": "full"}, "28"),
        ({"filter[nope]": "[1]"}, "32"),
        ({"sort": "id"}, "37"),
        ({"limit": "1,2,3"}, "39"),
        ({"display": "id"}, "36"),
        ({"display": "[nope]"}, "35"),
    ):
        answer = call(prestashop_twin, "GET", "customers", params=params)
        assert answer.status_code == 400 and errors(answer)[0][0] == code, params
    assert errors(call(prestashop_twin, "GET", "custmers"))[0][0] == "27"


def test_authentication_failures_match_prestashop(prestashop_twin) -> None:
    missing = call(prestashop_twin, "GET", "customers", auth=None)
    assert missing.status_code == 401 and missing.content == b"401 Unauthorized"
    assert missing.headers["WWW-Authenticate"].startswith('Basic realm="Welcome to PrestaShop Webservice')
    assert "PSWS-Version" not in missing.headers
    wrong = call(prestashop_twin, "GET", "customers", auth=("W" * 32, ""))
    assert wrong.status_code == 401 and "WWW-Authenticate" in wrong.headers
    assert wrong.headers["PSWS-Version"] == "0"  # a real 8.1.2 announces version 0 before accepting the key
    assert [code for code, _ in errors(wrong)] == ["20", "21"]
    short = call(prestashop_twin, "GET", "customers", auth=("short", ""))
    assert errors(short) == [("18", "Invalid authentication key format")]
    via_param = call(prestashop_twin, "GET", "customers", auth=None, params={"ws_key": prestashop_twin.key})
    assert via_param.status_code == 200

    prestashop_twin.sql("DELETE FROM ps_webservice_permission WHERE resource = 'groups'")
    prestashop_twin.sql("DELETE FROM ps_webservice_permission WHERE resource = 'customers' AND method = 'DELETE'")
    assert errors(call(prestashop_twin, "GET", "groups"))[0][0] == "26"
    denied = call(prestashop_twin, "DELETE", "customers/1")
    assert denied.status_code == 405 and errors(denied)[0][0] == "25"

    prestashop_twin.sql("UPDATE ps_configuration SET value = '0' WHERE name = 'PS_WEBSERVICE'")
    disabled = call(prestashop_twin, "GET", "customers")
    assert disabled.status_code == 503 and errors(disabled)[0][0] == "22"


def test_injected_faults_reach_the_client(prestashop_twin) -> None:
    admin = {"X-Admin-Token": "admin-" + prestashop_twin.key}
    url = prestashop_twin.server.url + "/__admin/faults"
    spec = {
        "queue": [
            {"kind": "500"},
            {"kind": "429", "retry_after": 3},
            {"kind": "drop"},
            {"kind": "malformed"},
            {"kind": "timeout"},
        ]
    }
    assert requests.post(url, json=spec, headers=admin, timeout=5).status_code == 200
    assert call(prestashop_twin, "GET", "customers").status_code == 500
    throttled = call(prestashop_twin, "GET", "customers")
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "3"
    with pytest.raises(requests.exceptions.ConnectionError):
        call(prestashop_twin, "GET", "customers")
    garbled = call(prestashop_twin, "GET", "customers")
    assert garbled.status_code == 200
    with pytest.raises(ParseError):
        ET.fromstring(garbled.content)
    with pytest.raises(requests.exceptions.ReadTimeout):
        call(prestashop_twin, "GET", "customers", timeout=0.5)
    assert call(prestashop_twin, "GET", "customers").status_code == 200
    time.sleep(2)
    calls = requests.get(prestashop_twin.server.url + "/__admin/calls", headers=admin, timeout=5).json()["calls"]
    assert [c["fault"] for c in calls] == ["500", "429", "drop", "malformed", None, "timeout"]
    assert all(c["resource"] == "customers" for c in calls if c["fault"] in (None, "malformed"))


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<prestashop><customer><firstname>&xxe;</firstname><lastname>X</lastname><email>x@example.com</email>"
    b"<passwd>p</passwd></customer></prestashop>"
)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b"]><prestashop><customer><firstname>&lol9;</firstname></customer></prestashop>"
)


@pytest.mark.parametrize("payload", [XXE, BILLION_LAUGHS], ids=["xxe", "billion-laughs"])
def test_hostile_xml_is_refused_without_expansion(prestashop_twin, payload: bytes) -> None:
    started = time.monotonic()
    answer = call(prestashop_twin, "POST", "customers", data=payload)
    assert time.monotonic() - started < 5
    assert answer.status_code == 500
    [(code, message)] = errors(answer)
    assert code == "127" and message.startswith("XML error")
    assert b"root:" not in answer.content
    assert prestashop_twin.sql("SELECT COUNT(*) AS n FROM ps_customer")[0]["n"] == 0


def test_product_image_upload_with_prestapyt(prestashop_twin) -> None:
    ps = PrestaShopWebServiceDict(prestashop_twin.api, prestashop_twin.key)
    product = {
        "price": "1",
        "name": {"language": {"attrs": {"id": "1"}, "value": "Pic"}},
        "link_rewrite": {"language": {"attrs": {"id": "1"}, "value": "pic"}},
    }
    product_id = int(ps.add("products", {"product": product})["prestashop"]["product"]["id"])
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    image = ps.add(f"images/products/{product_id}", files=[("image", "a.png", png)])
    image_id = int(image["prestashop"]["image"]["id"])
    assert prestashop_twin.sql("SELECT id_product, cover FROM ps_image") == [{"id_product": product_id, "cover": 1}]
    listing = call(prestashop_twin, "GET", f"images/products/{product_id}")
    assert attribute(ET.fromstring(listing.content), "image/declination", "id") == str(image_id)
    binary = call(prestashop_twin, "GET", f"images/products/{product_id}/{image_id}")
    assert binary.content == png and binary.headers["Content-Type"] == "image/png"
    assert ps.get("products", product_id)["product"]["associations"]["images"]["image"]["id"] == str(image_id)
    ps.delete(f"images/products/{product_id}", image_id)
    assert prestashop_twin.sql("SELECT COUNT(*) AS n FROM ps_image")[0]["n"] == 0
