"""Pure parts of the PrestaShop sink: the status table, filters, versions, value comparison, PUT bodies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sinks.common.errors import CredentialsRefused, TerminalError, TransientError
from sinks.prestashop import wire
from sinks.prestashop.client import READ_ONLY_FIELDS, filter_param, parse_version
from sinks.prestashop.errors import PRESTASHOP_STATUS_POLICY
from sinks.prestashop.fields import same_value

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (200, None),
        (201, None),
        (304, None),
        (400, TerminalError),
        (401, CredentialsRefused),
        (403, CredentialsRefused),
        (404, TerminalError),
        (405, TerminalError),
        (501, TerminalError),
        (418, TerminalError),
        (408, TransientError),
        (429, TransientError),
        (500, TransientError),
        (502, TransientError),
        (503, TransientError),
        (504, TransientError),
        (599, TransientError),
    ],
)
def test_status_table(status: int, kind: type | None) -> None:
    error = PRESTASHOP_STATUS_POLICY.classify(status, {"Retry-After": "3"}, "body", request="GET /api/x")
    if kind is None:
        assert error is None
    else:
        assert error is not None and type(error) is kind
        assert error.request == "GET /api/x" and error.response == f"HTTP {status}\nbody"
        if isinstance(error, TransientError):
            assert error.retry_after == 3.0


def test_filter_values_with_grammar_characters_search_by_prefix() -> None:
    assert filter_param("MUG-1") == "[MUG-1]"
    assert filter_param(42) == "[42]"
    assert filter_param("A,B|C") == "[A]%"
    assert filter_param("[x]") == "[]%"


def test_version_header() -> None:
    assert parse_version("8.1.2") == (8, 1, 2) and parse_version("1.7.8.6") == (1, 7, 8, 6)
    assert parse_version(None) is None and parse_version("8.x") is None


def test_same_value_compares_as_the_shop_stores() -> None:
    assert same_value("19.900000", Decimal("19.9")) and not same_value("19.900000", Decimal("19.91"))
    assert same_value("1", True) and same_value("0", False) and not same_value("1", False)
    assert same_value("", None) and not same_value("123", None)
    assert same_value({1: "Mug", 2: "Tasse"}, {1: "Mug"}) and not same_value("Mug", {1: "Mug"})
    assert same_value("12", 12) and not same_value("abc", 12)


def test_put_document_keeps_what_it_does_not_change_and_drops_read_only_fields() -> None:
    current = (
        b'<?xml version="1.0" encoding="UTF-8"?><prestashop xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<product><id><![CDATA[5]]></id><manufacturer_name notFilterable="true"><![CDATA[ACME]]>'
        b"</manufacturer_name><quantity>3</quantity><price><![CDATA[1.000000]]></price>"
        b'<id_category_default xlink:href="http://shop/api/categories/2"><![CDATA[2]]></id_category_default>'
        b'<name><language id="1"><![CDATA[Mug]]></language><language id="2"><![CDATA[Tasse]]></language>'
        b'</name><description><language id="1"><![CDATA[Shop text]]></language></description>'
        b"<associations><categories><category><id>2</id></category></categories></associations>"
        b"</product></prestashop>"
    )
    body = wire.put_document(
        current,
        "product",
        {"price": Decimal("2.5"), "name": {2: "Becher"}},
        frozenset({"manufacturer_name", "quantity"}),
    )
    entity = wire.xml_entity(body, "product")
    assert entity["price"] == "2.500000" and entity["id"] == "5" and entity["id_category_default"] == "2"
    assert entity["name"] == {1: "Mug", 2: "Becher"} and entity["description"] == {1: "Shop text"}
    assert entity["associations"] == {"categories": [{"id": "2"}]}
    assert "manufacturer_name" not in entity and "quantity" not in entity and b"xlink:href" not in body


def test_a_products_put_never_sends_its_position_in_category_back() -> None:
    # its setter fails on a real 8.1.2 whatever the value (tests/fixtures/real/prestashop-8.1.2/refusals)
    assert {"manufacturer_name", "quantity", "position_in_category"} <= READ_ONLY_FIELDS["products"]
    current = (
        b'<prestashop><product><id>5</id><position_in_category notFilterable="true">3'
        b"</position_in_category><price>1</price></product></prestashop>"
    )
    body = wire.put_document(current, "product", {"price": Decimal("2")}, READ_ONLY_FIELDS["products"])
    assert "position_in_category" not in wire.xml_entity(body, "product")


def test_hostile_or_broken_bodies_are_malformed_not_parsed() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<prestashop><product><id>&b;</id></product></prestashop>"
    )
    with pytest.raises(wire.MalformedBody):
        wire.xml_entity(bomb, "product")
    with pytest.raises(wire.MalformedBody):
        wire.xml_entity(b"<prestashop><produ", "product")
    with pytest.raises(wire.MalformedBody):
        wire.json_list({"customers": []}, "products")
    assert wire.json_list([], "products") == []
    assert wire.error_messages(b'{"errors":[{"code":87,"message":"Id(s) not exists: 9"}]}') == [
        "87: Id(s) not exists: 9"
    ]
