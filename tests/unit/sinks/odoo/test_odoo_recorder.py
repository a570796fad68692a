"""The recorder of real traffic (tests/real/): secrets never reach a fixture, ids are normalised the
same way on both sides, and the call shape tells the argument forms real Odoo 18 accepts from the
ones it refuses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.real.odoo_shape import OdooNormaliser, OdooProfile, call_shape, fill
from tests.real.recorder import FIXTURES, Recorder

pytestmark = pytest.mark.unit

KEY = "0123456789abcdef0123456789abcdef01234567"


def _execute(model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    return {
        "method": "POST",
        "path": "/jsonrpc",
        "query": {},
        "headers": {"authorization": "Basic eHl6"},
        "json": {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": ["odoo", 6, KEY, model, method, args, kwargs],
            },
        },
        "text": None,
    }


def _answer(result: Any) -> dict[str, Any]:
    return {"status": 200, "headers": {}, "json": {"jsonrpc": "2.0", "id": 1, "result": result}, "text": None}


def test_the_call_shape_separates_the_positional_create_from_the_keyword_form() -> None:
    positional = call_shape(_execute("res.partner", "create", [[{"name": "a"}, {"name": "b"}]], {"context": {}}))
    keyword = call_shape(_execute("res.partner", "create", [], {"vals_list": [{"name": "a"}], "context": {}}))
    assert positional["args_form"] == "positional:[list[dict]] keyword:context"
    assert keyword["args_form"] == "positional:[] keyword:context,vals_list"
    validate = call_shape(
        _execute("stock.picking", "button_validate", [[4]], {"context": {"lang": "en_US", "skip_backorder": True}})
    )
    assert (validate["method"], validate["context"]) == ("execute_kw:button_validate", ["skip_backorder"])


def test_secrets_are_masked_and_ids_become_placeholders_bound_by_first_appearance(tmp_path: Path) -> None:
    recorder = Recorder(OdooProfile(), "18.0", "unit", secrets={KEY: "$key", "7654321": "$run"}, root=tmp_path)
    recorder.record(_execute("res.partner", "create", [[{"name": "PS-76543211", "parent_id": 41}]], {}), _answer([42]))
    recorder.record(
        _execute("res.partner", "search_read", [], {"domain": [["id", "in", [42, 41]]]}),
        _answer([{"id": 42, "parent_id": [41, "Parent"], "write_date": "2026-12-01 21:00:00"}]),
    )
    written = "".join(f.read_text() for f in sorted((tmp_path / "odoo-18.0" / "unit").glob("*.json")))
    assert KEY not in written and "eHl6" not in written and "7654321" not in written
    second = json.loads(sorted((tmp_path / "odoo-18.0" / "unit").glob("002_*.json"))[0].read_text())
    assert second["request"]["json"]["params"]["args"][6]["domain"] == [
        ["id", "in", ["$id:res.partner:2", "$id:res.partner:1"]]
    ]
    assert second["response"]["json"]["result"] == [
        {"id": "$id:res.partner:2", "parent_id": ["$id:res.partner:1", "Parent"], "write_date": "$datetime"}
    ]
    # a replay binds the other server's ids from its own answers, in the same order
    domain = second["request"]["json"]["params"]["args"][6]
    other = OdooNormaliser()
    with pytest.raises(KeyError, match=r"\$id:res.partner:2 is used before any answer named it"):
        fill(domain, other.ids.to_value, {})
    other.response(_execute("res.partner", "create", [[{}, {}]], {}), _answer([900, 901]))
    assert fill(domain, other.ids.to_value, {}) == {"domain": [["id", "in", [901, 900]]]}


def test_the_session_hook_records_what_was_sent(tmp_path: Path) -> None:
    recorder = Recorder(OdooProfile(), "18.0", "hook", secrets={KEY: "$key"}, root=tmp_path, write=False)
    response = requests.Response()
    response.status_code = 200
    response._content = b'{"jsonrpc": "2.0", "id": 1, "result": 6}'
    response.request = requests.Request(
        "POST",
        "http://127.0.0.1:8169/jsonrpc",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"service": "common", "method": "login", "args": ["odoo", "prestasync", KEY]},
        },
    ).prepare()
    session = recorder.attach(requests.Session())
    session.hooks["response"][0](response)
    [exchange] = recorder.exchanges
    assert exchange["call_shape"] == {
        "model": "<common>",
        "method": "login",
        "args_form": "positional:[str,str,str] keyword:",
        "context": [],
    }
    assert exchange["request"]["json"]["params"]["args"] == ["$db", "prestasync", "$key"]
    assert exchange["response"]["json"]["result"] == "$uid"


def test_no_committed_fixture_holds_a_key_or_a_credential() -> None:
    hex_key = re.compile(r"\b[0-9a-f]{40}\b")
    for file in FIXTURES.glob("*-*/**/*.json"):
        text = file.read_text()
        assert not hex_key.search(text), file
        assert not re.search(r'"authorization": "(Basic|bearer|Bearer) (?!\$secret)', text), file
