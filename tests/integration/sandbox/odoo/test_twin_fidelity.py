"""Replay JSON-RPC exchanges recorded from a real Odoo 18.0 against the Odoo twin and compare.

Each fixture of ``tests/fixtures/real/odoo`` is one exchange recorded from a real Odoo 18.0
(base, sale_management, stock; no demo data; the admin user with an API key of scope ``rpc``). The test
replays the earlier exchanges whose answers bind the ids it uses, then the exchange itself, on a
fresh twin (logged in as the integration user), and compares status, content type, the JSON
envelope's shape, error names and messages, and which columns of the written row are set.
Known differences are ``xfail`` with the exact difference list
(``tests/fixtures/real/known_differences_odoo.json``); any other difference fails.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import requests

from kernel.dbadmin import postgres_admin
from tests.integration.sandbox.fidelity import (
    Recorded,
    TwinDiffers,
    body_shape,
    expect_same,
    fill,
    load_known,
    load_recorded,
    media_type,
    shape_differences,
)
from tests.support.twins import INTEGRATION_LOGIN, INTEGRATION_UID, RunningTwin

pytestmark = pytest.mark.integration

RECORDED = load_recorded("odoo")
BY_NAME = {r.name: r for r in RECORDED}
KNOWN = load_known("odoo")
USER_IN_MESSAGE = re.compile(r"User: \d+")


def replay(twin: RunningTwin, recorded: Recorded, values: dict[str, str]) -> requests.Response:
    """Send the recorded request to the twin with its database, user, key and ids; bind what it defines."""
    request = recorded.request
    body = request["body"]
    headers = {name: fill(value, values) for name, value in request["headers"].items()}
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
    response = requests.request(
        request["method"],
        twin.url + request["path"],
        headers=headers,
        data=fill(body, values).encode() if body is not None else None,
        allow_redirects=False,
        timeout=30,
    )
    for variable, path in recorded.data["bind"].items():
        result = response.json().get("result")
        assert result is not None, f"{recorded.name}: the twin's answer binds nothing: {response.text[:300]}"
        values[variable] = str(result if path == "$" else result[int(path[1:])])
    return response


def _error(payload: Any) -> tuple[str, str] | None:
    if not isinstance(payload, dict) or "error" not in payload:
        return None
    data = payload["error"].get("data", {})
    return str(data.get("name")), USER_IN_MESSAGE.sub("User: <uid>", str(data.get("message")))


def set_columns(twin: RunningTwin, table: str, row_id: str) -> dict[str, bool]:
    conn = postgres_admin(twin.database)
    try:
        with conn.cursor() as cur:
            cur.execute(f'SELECT * FROM "{table}" WHERE id = %s', (int(row_id),))
            row = cur.fetchone()
            names = [d[0] for d in cur.description or ()]
    finally:
        conn.close()
    assert row is not None, (table, row_id)
    return {name: value is not None for name, value in zip(names, row, strict=True)}


def differences(recorded: Recorded, response: requests.Response, columns: dict[str, bool] | None) -> list[str]:
    real = recorded.response
    found: list[str] = []
    if real["status"] != response.status_code:
        found.append(f"status: {real['status']} (real) vs {response.status_code} (twin)")
    real_type = media_type(real["headers"].get("content-type", ""))
    twin_type = media_type(response.headers.get("Content-Type", ""))
    if real_type != twin_type:
        found.append(f"content-type: {real_type!r} (real) vs {twin_type!r} (twin)")
    if real["headers"].get("location") != response.headers.get("Location"):
        found.append(f"location: {real['headers'].get('location')!r} (real) vs {response.headers.get('Location')!r}")
    twin_json = response.json() if "json" in twin_type else None
    if real["json"] is not None or twin_json is not None:
        real_shape = body_shape("json", json.dumps(real["json"]))
        found += [f"body {d}" for d in shape_differences(real_shape, body_shape("json", json.dumps(twin_json)))]
        if _error(real["json"]) != _error(twin_json):
            found.append(f"error: {_error(real['json'])} (real) vs {_error(twin_json)} (twin)")
    if columns is not None:
        expected = recorded.data["row_columns"]["set"]
        for name in sorted(set(expected) & set(columns)):
            if expected[name] != columns[name]:
                state = "set" if expected[name] else "NULL"
                found.append(f"column {name}: {state} (real) vs {'set' if columns[name] else 'NULL'} (twin)")
    return found


def _marks(recorded: Recorded) -> list[pytest.MarkDecorator]:
    if recorded.name not in KNOWN:
        return []
    return [pytest.mark.xfail(strict=True, raises=TwinDiffers, reason="; ".join(KNOWN[recorded.name]))]


@pytest.mark.skipif(not RECORDED, reason="no recorded Odoo exchanges committed")
@pytest.mark.parametrize("recorded", [pytest.param(r, id=r.name, marks=_marks(r)) for r in RECORDED])
def test_twin_answers_like_the_real_odoo(twin: RunningTwin, recorded: Recorded) -> None:
    values = {"db": twin.database, "login": INTEGRATION_LOGIN, "key": twin.key, "uid": str(INTEGRATION_UID)}
    for name in recorded.data["setup"]:
        replay(twin, BY_NAME[name], values)
    response = replay(twin, recorded, values)
    columns = None
    if recorded.data["row_columns"] is not None:
        spec = recorded.data["row_columns"]
        columns = set_columns(twin, spec["table"], values[spec["row"]])
    expect_same(recorded.name, differences(recorded, response, columns), KNOWN)


def test_recorded_fixtures_are_scrubbed() -> None:
    """No recorded exchange may carry the recording host, database, key or a server path."""
    for recorded in RECORDED:
        text = recorded.file.read_text()
        assert "127.0.0.1" not in text and "realodoo" not in text and "/work/" not in text, recorded.file
