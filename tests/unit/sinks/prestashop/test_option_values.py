"""The pure parts of linking a combination's attribute values (issue #14 item 1): names in the shop's
languages, the values a combination holds as the webservice reads it, and the PUT body (before 8.0)."""

from __future__ import annotations

import json
import re

import pytest
from defusedxml import ElementTree

from sinks.prestashop import wire
from sinks.prestashop.options import associations, linked_values, shop_names
from tests.support.paths import FIXTURES

pytestmark = pytest.mark.unit
RECORDED = FIXTURES / "real" / "prestashop-8.1.2" / "attributes"


def test_names_in_every_shop_language_from_the_erps_locales() -> None:
    languages = {"en_US": 1, "fr_FR": 2, "de_DE": 3}
    # German missing in the ERP: the default text, never an empty choice on the product page
    assert shop_names({"en_US": "Size", "fr_FR": "Taille"}, "Size", languages) == {1: "Size", 2: "Taille", 3: "Size"}
    assert shop_names({"fr_FR": "Taille"}, None, {"en_US": 1}) == {1: "Taille"}
    assert shop_names({}, None, languages) == {}


def real_read(name: str) -> dict[str, object]:
    """A recorded combination read; the recorder's id placeholders (``$id:<resource>:<n>``) as ids."""
    text = re.sub(r'"\$id:\w+:(\d+)"', r'"\1"', (RECORDED / name).read_text())
    (combination,) = wire.json_list(json.loads(text)["response"]["json"], "combinations")
    return combination


def test_the_values_a_real_combination_holds() -> None:
    # the real 8.1.2's reads: variant M with its two values, variant L made without any (no association)
    assert len(linked_values(real_read("024_get_combinations.json"))) == 2
    assert linked_values(real_read("032_get_combinations.json")) == set()


def test_a_put_replaces_the_values_and_keeps_the_rest() -> None:
    current = (
        b'<?xml version="1.0"?><prestashop><combination><id>52</id><reference>POLO-XL</reference>'
        b'<associations><product_option_values nodeType="product_option_value" api="product_option_values"/>'
        b'<images nodeType="image" api="images"><image><id>7</id></image></images></associations>'
        b"</combination></prestashop>"
    )
    body = wire.put_document(current, "combination", {}, frozenset(), associations([37, 41]))
    node = ElementTree.fromstring(body).find("combination")
    assert node is not None and node.findtext("reference") == "POLO-XL"
    assert [e.text for e in node.iterfind("associations/product_option_values/product_option_value/id")] == ["37", "41"]
    assert [e.text for e in node.iterfind("associations/images/image/id")] == ["7"]
