"""Client features outside the command flow, against the twin: customers found or created by e-mail
within a shop (``ShopLookup.customer_or_create``), and product images through ``/api/images``."""

from __future__ import annotations

import pytest

from sinks.common.errors import TerminalError
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.lookup import ShopLookup
from tests.integration.sandbox.conftest import PrestaShopTwin

pytestmark = pytest.mark.integration

EMAIL = "ada+shop@example.com"  # '+' must survive the filter's URL encoding
ADA = {"lastname": "Lovelace", "firstname": "Ada", "passwd": "n0t-a-real-Passw0rd"}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 16


def _customers(twin: PrestaShopTwin, email: str) -> list[tuple[int, int]]:
    rows = twin.sql("SELECT id_customer, id_shop FROM ps_customer WHERE email = %s ORDER BY id_customer", (email,))
    return [(int(r["id_customer"]), int(r["id_shop"])) for r in rows]


def test_customer_is_created_once_per_shop_and_found_again(ps_client: PrestaShopClient,
                                                            prestashop_twin: PrestaShopTwin) -> None:
    other_shop, created = ShopLookup(ps_client, 2).customer_or_create(EMAIL, ADA)
    assert created and _customers(prestashop_twin, EMAIL) == [(int(other_shop["id"]), 2)]

    shop = ShopLookup(ps_client, 1)
    customer, created = shop.customer_or_create(EMAIL, ADA)
    assert created and int(customer["id"]) != int(other_shop["id"])  # shop 2's customer is not matched
    again, created_again = shop.customer_or_create(EMAIL, {**ADA, "lastname": "Byron"})
    assert not created_again and again["id"] == customer["id"] and again["lastname"] == "Lovelace"
    assert _customers(prestashop_twin, EMAIL) == [(int(other_shop["id"]), 2), (int(customer["id"]), 1)]
    assert shop.customer("someone.else@example.com") is None


def test_customer_email_matches_without_regard_to_case_like_the_shop(ps_client: PrestaShopClient,
                                                                     prestashop_twin: PrestaShopTwin) -> None:
    # PrestaShop's own look-ups (Customer::getByEmail, customerExists) compare under the table's
    # case-insensitive collation: a differently-cased address is the same customer, not a new one.
    shop = ShopLookup(ps_client, 1)
    customer, _ = shop.customer_or_create("Grace.Hopper@Example.com", ADA)
    found, created = shop.customer_or_create("grace.hopper@example.com", ADA)
    assert not created and found["id"] == customer["id"]
    rows = prestashop_twin.sql("SELECT count(*) AS n FROM ps_customer WHERE email = 'grace.hopper@example.com'")
    assert rows == [{"n": 1}]


def test_product_images_upload_list_and_cover(ps_client: PrestaShopClient, prestashop_twin: PrestaShopTwin) -> None:
    product_id = int(ps_client.create("products", "product", {"reference": "IMG-2", "price": 1,
                                                               "name": {1: "i"}, "link_rewrite": {1: "i"}})["id"])
    assert ps_client.product_image_ids(product_id) == []
    front = ps_client.upload_product_image(product_id, "front.png", PNG, "image/png")
    back = ps_client.upload_product_image(product_id, "back.png", PNG, "image/png")
    assert ps_client.product_image_ids(product_id) == [int(front["id"]), int(back["id"])]
    rows = prestashop_twin.sql("SELECT id_image, cover FROM ps_image WHERE id_product = %s ORDER BY position",
                               (product_id,))
    assert rows == [{"id_image": int(front["id"]), "cover": 1}, {"id_image": int(back["id"]), "cover": None}]
    with pytest.raises(TerminalError) as unknown:
        ps_client.upload_product_image(999_999, "x.png", PNG, "image/png")
    assert unknown.value.response.startswith("HTTP 404")
    assert prestashop_twin.key not in unknown.value.request + unknown.value.response
