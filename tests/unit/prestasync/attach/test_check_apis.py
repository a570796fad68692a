"""The webservice-permission check against the real shop's recorded answer to ``GET /api/``
(tests/fixtures/real/prestashop/01_api_root.json, PrestaShop 8.1.2): every resource method the shop
sink uses is granted there; a key without one of them is a problem naming it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kernel.settings import Settings
from prestasync.attach import check_apis
from tests.support.paths import FIXTURES as FIXTURES_DIR

pytestmark = pytest.mark.unit

FIXTURE = FIXTURES_DIR / "real" / "prestashop" / "01_api_root.json"


class Reply:
    def __init__(self, status: int, body: str, headers: dict[str, str]) -> None:
        self.status_code, self.content, self.headers = status, body.encode(), headers


def recorded() -> dict[str, Any]:
    return dict(json.loads(FIXTURE.read_text())["response"])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "prestashop_webservice.key").write_text("K" * 32)
    return Settings(home=tmp_path, mode="attach")


def serve(monkeypatch: pytest.MonkeyPatch, body: str, status: int = 200) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def get(url: str, **kw: Any) -> Reply:
        calls.append({"url": url, **kw})
        return Reply(status, body, {"PSWS-Version": "8.1.2"})

    monkeypatch.setattr(check_apis.requests, "get", get)
    return calls


def test_the_real_shops_full_key_passes(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    calls = serve(monkeypatch, recorded()["body"])
    findings = check_apis.check_webservice(settings)
    assert [(f.check, f.status) for f in findings] == [("reachable", "ok"), ("webservice permissions", "ok")]
    assert calls[0]["auth"] == ("K" * 32, "")  # the key as Basic auth user, never in the URL
    assert "K" * 32 not in json.dumps([f.as_dict() for f in findings])


def test_a_missing_permission_is_named(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    body = recorded()["body"]
    body = re.sub(r'(<customers [^>]*?)post="true"', r'\1post="false"', body, count=1)
    body = re.sub(
        r'(<stock_availables [^>]*?)put="true" ([^>]*?)patch="true"', r'\1put="false" \2patch="false"', body, count=1
    )
    serve(monkeypatch, body)
    problem = next(f for f in check_apis.check_webservice(settings) if f.status == "problem")
    assert problem.detail == "the key may not: customers POST, stock_availables PUT"
    assert "Advanced Parameters > Webservice" in problem.fix


def test_a_refused_key_and_a_missing_key(monkeypatch: pytest.MonkeyPatch, settings: Settings, tmp_path: Path) -> None:
    serve(monkeypatch, "<?xml version='1.0'?><prestashop><errors/></prestashop>", status=401)
    assert [(f.check, f.status) for f in check_apis.check_webservice(settings)] == [("webservice key", "problem")]
    (tmp_path / "secrets" / "prestashop_webservice.key").unlink()
    assert [(f.check, f.status) for f in check_apis.check_webservice(settings)] == [("webservice key", "problem")]
