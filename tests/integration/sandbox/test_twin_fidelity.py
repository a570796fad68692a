"""Replay requests recorded from a real PrestaShop 8.1.2 against the PrestaShop twin and compare.

Each fixture of ``tests/fixtures/real/prestashop`` is one exchange recorded from a real shop (demo
install, webservice key with every method on the twin's resources). The test replays the
exchange's setup steps (the earlier requests whose answers bind ``{customer}``, ``{product}``...),
then the exchange itself, on a fresh twin, and compares status, content type, envelope shape,
error codes/messages and the shop tables the write changed. Known differences are ``xfail``
with the exact difference list (see ``KNOWN``); any other difference fails.
The Odoo counterpart is ``test_twin_fidelity_odoo.py``.
"""

from __future__ import annotations

from typing import Any

import defusedxml.ElementTree as ET
import pytest
import requests

from tests.integration.sandbox.fidelity import (
    Recorded,
    TwinDiffers,
    body_shape,
    expect_same,
    fill,
    load_known,
    load_recorded,
    media_type,
    prestashop_errors,
    shape_differences,
)
from tests.integration.sandbox.fidelity_prestashop import DEMO_ORDER_STATE, TWIN_ORDER_XML, mirror_recorded_shop
from tests.support.twins import PrestaShopTwin

pytestmark = pytest.mark.integration

RECORDED = load_recorded("prestashop")
BY_NAME = {r.name: r for r in RECORDED}
KNOWN = load_known("prestashop")
HEADERS_COMPARED = ("www-authenticate", "x-powered-by")


def _auth(twin: PrestaShopTwin, kind: str) -> tuple[str, str] | None:
    return {"key": (twin.key, ""), "none": None, "short": ("WRONG", ""), "unknown": ("Z" * 32, "")}[kind]


def replay(twin: PrestaShopTwin, recorded: Recorded, values: dict[str, str]) -> requests.Response:
    """Send the recorded request to the twin with the twin's ids; bind the variables it defines."""
    request = recorded.request
    body = request["body"]
    response = requests.request(
        request["method"],
        f"{twin.api}/{fill(request['path'], values)}",
        params={key: fill(value, values) for key, value in request["query"].items()},
        data=fill(body, values).encode() if body else None,
        auth=_auth(twin, request["auth"]),
        timeout=20,
    )
    for variable, path in recorded.data["bind"].items():
        found = ET.fromstring(response.content).findtext(path)
        assert found, f"{recorded.name}: the twin's answer has no {path}: {response.text[:300]}"
        values[variable] = found.strip()
    return response


def arrange_order(twin: PrestaShopTwin, values: dict[str, str]) -> None:
    """The real shop's demo order 1 exists; the twin's seed has no order, so create one through the twin."""
    created = requests.post(f"{twin.api}/orders", data=TWIN_ORDER_XML.encode(), auth=(twin.key, ""), timeout=20)
    assert created.status_code == 201, created.text
    values["order"] = ET.fromstring(created.content).findtext("order/id") or ""
    twin.sql(DEMO_ORDER_STATE, (values["order"],))


def table_checksums(twin: PrestaShopTwin) -> dict[str, Any]:
    tables = [next(iter(row.values())) for row in twin.sql("SHOW TABLES")]
    rows = twin.sql("CHECKSUM TABLE " + ", ".join(f"`{t}`" for t in tables))
    return {row["Table"].split(".", 1)[1]: row["Checksum"] for row in rows}


def differences(
    recorded: Recorded, response: requests.Response, touched: list[str] | None, twin_tables: set[str]
) -> list[str]:
    real = recorded.response
    found: list[str] = []
    if real["status"] != response.status_code:
        found.append(f"status: {real['status']} (real) vs {response.status_code} (twin)")
    real_type = media_type(real["headers"].get("content-type", ""))
    twin_type = media_type(response.headers.get("Content-Type", ""))
    if real_type != twin_type:
        found.append(f"content-type: {real_type!r} (real) vs {twin_type!r} (twin)")
    for header in HEADERS_COMPARED:
        mine = response.headers.get(header, "")
        theirs = real["headers"].get(header, "")
        if header == "x-powered-by" and theirs.startswith("PHP/"):
            theirs, mine = "PHP", "PHP" if mine.startswith("PHP/") else mine
        if mine != theirs:
            found.append(f"header {header}: {theirs!r} (real) vs {mine!r} (twin)")
    if ("psws-version" in real["headers"]) != ("PSWS-Version" in response.headers):
        found.append(f"header psws-version: present={'psws-version' in real['headers']} (real)")
    real_shape = body_shape(real_type, real["body"])
    twin_shape = body_shape(twin_type, response.text)
    if recorded.name.startswith("api_root") and isinstance(real_shape, dict) and isinstance(twin_shape, dict):
        real_shape = _only_twin_resources(real_shape, twin_shape)
    found += [f"body {d}" for d in shape_differences(real_shape, twin_shape)]
    if real["status"] >= 400:
        real_errors = prestashop_errors(real_type, real["body"])
        twin_errors = prestashop_errors(twin_type, response.text)
        if real_errors != twin_errors:
            found.append(f"errors: {real_errors} (real) vs {twin_errors} (twin)")
    if touched is not None:
        expected = sorted(set(recorded.data["tables_touched"] or []) & twin_tables)
        if expected != touched:
            found.append(f"tables written: {expected} (real, tables the twin has) vs {touched} (twin)")
    return found


def _only_twin_resources(real: dict[str, Any], twin: dict[str, Any]) -> dict[str, Any]:
    """The real /api/ lists every resource of the shop; compare the entries of those the twin serves."""

    def prune(node: Any, mine: Any) -> Any:
        if not isinstance(node, dict) or not isinstance(mine, dict):
            return node
        if "customers" in node:  # the resource list level
            return {k: v for k, v in node.items() if k in mine or k == "@"}
        return {k: prune(v, mine.get(k)) for k, v in node.items()}

    return dict(prune(real, twin))


def _marks(recorded: Recorded) -> list[pytest.MarkDecorator]:
    if recorded.name not in KNOWN:
        return []
    return [pytest.mark.xfail(strict=True, raises=TwinDiffers, reason="; ".join(KNOWN[recorded.name]))]


@pytest.mark.skipif(not RECORDED, reason="no recorded PrestaShop exchanges committed")
@pytest.mark.parametrize("recorded", [pytest.param(r, id=r.name, marks=_marks(r)) for r in RECORDED])
def test_twin_answers_like_the_real_prestashop(prestashop_twin: PrestaShopTwin, recorded: Recorded) -> None:
    values: dict[str, str] = {}
    mirror_recorded_shop(prestashop_twin.sql)
    if "order" in recorded.data["requires"]:
        arrange_order(prestashop_twin, values)
    for name in recorded.data["setup"]:
        replay(prestashop_twin, BY_NAME[name], values)
    write = recorded.request["method"] in ("POST", "PUT", "PATCH", "DELETE")
    before = table_checksums(prestashop_twin) if write else {}
    response = replay(prestashop_twin, recorded, values)
    touched = None
    if write:
        after = table_checksums(prestashop_twin)
        touched = sorted(t for t in after if before.get(t) != after[t])
    found = differences(recorded, response, touched, set(before))
    expect_same(recorded.name, found, KNOWN)


def test_recorded_fixtures_are_scrubbed() -> None:
    """No recorded exchange may carry the recording host, a webservice key or a password hash."""
    for recorded in RECORDED:
        text = recorded.file.read_text()
        assert "127.0.0.1" not in text and "localhost" not in text, recorded.file
        assert "$2y$" not in text, recorded.file
        assert "/work/" not in text, recorded.file
