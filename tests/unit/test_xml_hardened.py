"""Issue #20 item 5: every XML prestasync reads from the shop side goes through defusedxml, and each of
those readers refuses an entity-expansion bomb and an external entity (nothing is expanded or fetched)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from kernel.settings import REPO_ROOT, Settings
from prestasync.attach import check_apis
from sandbox.prestashop.views import WsError
from sandbox.prestashop.xml_input import parse_entities
from sinks.prestashop import wire

pytestmark = pytest.mark.unit

PACKAGES = ("kernel", "prestasync", "streams", "sinks", "schemas", "sandbox")
# what parses XML in the standard library (building a document with ElementTree.Element is fine)
UNSAFE = {"fromstring", "parse", "iterparse", "XMLParser", "XMLPullParser", "parseString", "XML", "fromstringlist"}
UNSAFE_MODULES = ("xml.etree", "xml.dom", "xml.sax", "lxml", "xml.parsers")

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b"]><prestashop><api shopName='&lol9;'><products get='true'/></api><product><id>&lol9;</id></product>"
    b"</prestashop>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<prestashop><api shopName='&xxe;'><products get='true'/></api><product><id>&xxe;</id></product></prestashop>"
)


def _xml_parsing_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    unsafe_names: dict[str, str] = {}  # local name -> module, for what was imported from an unsafe module
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(UNSAFE_MODULES):
            for alias in node.names:
                unsafe_names[alias.asname or alias.name] = node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(UNSAFE_MODULES):
                    unsafe_names[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in UNSAFE and func.id in unsafe_names:
            found.append(f"{path}:{node.lineno} {func.id}")
        if isinstance(func, ast.Attribute) and func.attr in UNSAFE:
            base = func.value
            name = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""
            if name in unsafe_names or name in ("ElementTree", "ET", "minidom", "etree"):
                found.append(f"{path}:{node.lineno} {name}.{func.attr}")
    return found


def test_nothing_parses_xml_but_defusedxml() -> None:
    calls = [
        c for pkg in PACKAGES for path in sorted((REPO_ROOT / pkg).rglob("*.py")) for c in _xml_parsing_calls(path)
    ]
    assert calls == []


def test_the_scan_finds_a_stdlib_parse(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from xml.etree import ElementTree\nElementTree.fromstring(b'<a/>')\n")
    worse = tmp_path / "worse.py"
    worse.write_text("from xml.dom.minidom import parseString\nparseString(b'<a/>')\n")
    assert len(_xml_parsing_calls(bad)) == 1
    assert len(_xml_parsing_calls(worse)) == 1


@pytest.mark.parametrize("body", [LAUGHS, XXE], ids=["billion-laughs", "external-entity"])
def test_the_shop_sink_refuses_the_attack(body: bytes) -> None:
    with pytest.raises(wire.MalformedBody):
        wire.xml_entity(body, "product")


@pytest.mark.parametrize("body", [LAUGHS, XXE], ids=["billion-laughs", "external-entity"])
def test_the_twin_refuses_the_attack(body: bytes) -> None:
    with pytest.raises(WsError):
        parse_entities(body)


@pytest.mark.parametrize("body", [LAUGHS, XXE], ids=["billion-laughs", "external-entity"])
def test_check_takes_a_hostile_answer_for_no_webservice(
    body: bytes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "prestashop_webservice.key").write_text("K" * 32)

    class Reply:
        status_code, content, headers = 200, body, {"PSWS-Version": "8.1.2"}

    def get(url: str, **kw: Any) -> Reply:
        return Reply()

    monkeypatch.setattr(check_apis.requests, "get", get)
    findings = check_apis.check_webservice(Settings(home=tmp_path, mode="attach"))
    assert [(f.check, f.status) for f in findings] == [("reachable", "problem")]
    assert "root:" not in " ".join(f.detail for f in findings)
