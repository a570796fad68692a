"""The PrestaShop twin driven by the unmodified prestapyt client (what the sink's peers use)."""

from __future__ import annotations

import secrets

import pytest
import requests
from prestapyt import PrestaShopAuthenticationError, PrestaShopWebServiceDict, PrestaShopWebServiceError

pytestmark = pytest.mark.integration

PLAIN_PASSWORD = secrets.token_urlsafe(12)


def client(twin) -> PrestaShopWebServiceDict:
    return PrestaShopWebServiceDict(twin.api, twin.key)


def new_customer(ps: PrestaShopWebServiceDict, email: str = "ada@example.com") -> int:
    blank = ps.get("customers", options={"schema": "blank"})
    customer = blank["customer"]
    customer.update(
        {
            "firstname": "Ada",
            "lastname": "Lovelace",
            "email": email,
            "passwd": PLAIN_PASSWORD,
            "id_default_group": "3",
            "active": "1",
        }
    )
    created = ps.add("customers", {"customer": customer})
    return int(created["prestashop"]["customer"]["id"])


def test_customer_create_read_update_search_delete(prestashop_twin) -> None:
    ps = client(prestashop_twin)
    customer_id = new_customer(ps)
    row = prestashop_twin.sql(
        "SELECT firstname, email, passwd, secure_key FROM ps_customer WHERE id_customer = %s", (customer_id,)
    )[0]
    assert row["firstname"] == "Ada" and row["email"] == "ada@example.com"
    assert row["passwd"] != PLAIN_PASSWORD and len(row["secure_key"]) == 32
    groups = prestashop_twin.sql("SELECT id_group FROM ps_customer_group WHERE id_customer = %s", (customer_id,))
    assert [g["id_group"] for g in groups] == [3]

    fetched = ps.get("customers", customer_id)["customer"]
    assert fetched["lastname"] == "Lovelace"
    assert fetched["associations"]["groups"]["group"]["id"] == "3"

    fetched["lastname"] = "King"
    edited = ps.edit("customers", {"customer": fetched})  # PUT to the collection URL, id in the body
    assert edited["prestashop"]["customer"]["lastname"] == "King"
    assert prestashop_twin.sql("SELECT lastname FROM ps_customer")[0]["lastname"] == "King"

    other = new_customer(ps, "grace@example.com")
    assert ps.search("customers", options={"filter[email]": "[grace@example.com]"}) == [other]
    assert ps.search("customers", options={"filter[email]": "%[example.com]"}) == [customer_id, other]
    assert ps.search("customers", options={"sort": "id_DESC", "limit": "1"}) == [other]
    assert ps.search("customers", options={"filter[id]": "[999]"}) == []

    assert ps.delete("customers", customer_id) is True
    # PrestaShop answers 404 with an empty body here; prestapyt then fails on parsing, not on the code.
    with pytest.raises(PrestaShopWebServiceError, match="HTTP response is empty"):
        ps.get("customers", customer_id)
    raw = requests.get(f"{prestashop_twin.api}/customers/{customer_id}", auth=(prestashop_twin.key, ""), timeout=5)
    assert raw.status_code == 404 and raw.content == b""
    assert (
        prestashop_twin.sql("SELECT COUNT(*) AS n FROM ps_customer_group WHERE id_customer = %s", (customer_id,))[0][
            "n"
        ]
        == 0
    )
    with pytest.raises(PrestaShopWebServiceError) as gone:
        ps.delete("customers", customer_id)
    assert gone.value.error_code == 404 and gone.value.ps_error_code == "87"


def test_required_field_and_id_rules_answer_like_prestashop(prestashop_twin) -> None:
    ps = client(prestashop_twin)
    with pytest.raises(PrestaShopWebServiceError) as required:
        ps.add("customers", {"customer": {"firstname": "A", "lastname": "B", "passwd": "x"}})
    assert required.value.error_code == 400 and required.value.ps_error_code == "41"
    assert 'parameter "email" required' in required.value.ps_error_msg
    with pytest.raises(PrestaShopWebServiceError) as with_id:
        ps.add(
            "groups",
            {
                "group": {
                    "id": "9",
                    "price_display_method": "0",
                    "name": {"language": {"attrs": {"id": "1"}, "value": "VIP"}},
                }
            },
        )
    assert with_id.value.ps_error_code == "91"
    with pytest.raises(PrestaShopWebServiceError) as no_id:
        ps.edit("groups", {"group": {"price_display_method": "0"}})
    assert no_id.value.ps_error_code == "90"


def test_product_multilang_fields_and_shop_rows(prestashop_twin) -> None:
    ps = client(prestashop_twin)
    product = ps.get("products", options={"schema": "blank"})["product"]
    for read_only in ("manufacturer_name", "quantity"):
        del product[read_only]  # PrestaShop refuses them (code 93), prestapyt users delete them
    product.update(
        {
            "price": "19.900000",
            "reference": "SKU-1",
            "active": "1",
            "id_category_default": "2",
            "name": {"language": {"attrs": {"id": "1"}, "value": "Blue mug"}},
            "link_rewrite": {"language": {"attrs": {"id": "1"}, "value": "blue-mug"}},
            "associations": {"categories": {"category": [{"id": "2"}]}},
        }
    )
    product_id = int(ps.add("products", {"product": product})["prestashop"]["product"]["id"])
    lang = prestashop_twin.sql(
        "SELECT name, link_rewrite, id_shop FROM ps_product_lang WHERE id_product = %s", (product_id,)
    )
    assert lang == [{"name": "Blue mug", "link_rewrite": "blue-mug", "id_shop": 1}]
    shop = prestashop_twin.sql("SELECT price, active FROM ps_product_shop WHERE id_product = %s", (product_id,))
    assert [(str(r["price"]), r["active"]) for r in shop] == [("19.900000", 1)]
    assert prestashop_twin.sql("SELECT id_category FROM ps_category_product WHERE id_product = %s", (product_id,)) == [
        {"id_category": 2}
    ]
    stock = prestashop_twin.sql(
        "SELECT id_product_attribute, quantity FROM ps_stock_available WHERE id_product = %s", (product_id,)
    )
    assert stock == [{"id_product_attribute": 0, "quantity": 0}]

    full = ps.get("products", product_id)["product"]
    assert full["name"]["language"]["value"] == "Blue mug"
    with pytest.raises(PrestaShopWebServiceError) as not_writable:
        ps.edit("products", {"product": full})
    assert not_writable.value.ps_error_code == "93"
    del full["manufacturer_name"], full["quantity"]
    full["price"] = "21.500000"
    full["name"] = {"language": {"attrs": {"id": "1"}, "value": "Big blue mug"}}
    ps.edit("products", {"product": full})
    shop = prestashop_twin.sql(
        "SELECT p.price AS base, s.price AS shop FROM ps_product p JOIN ps_product_shop s "
        "USING (id_product) WHERE id_product = %s",
        (product_id,),
    )[0]
    assert str(shop["base"]) == str(shop["shop"]) == "21.500000"
    assert prestashop_twin.sql("SELECT name FROM ps_product_lang")[0]["name"] == "Big blue mug"
    assert ps.search("products", options={"filter[name]": "%[blue]%"}) == [product_id]


def test_combination_stock_recomputes_product_row(prestashop_twin) -> None:
    ps = client(prestashop_twin)
    product = {
        "price": "10",
        "name": {"language": {"attrs": {"id": "1"}, "value": "Tee"}},
        "link_rewrite": {"language": {"attrs": {"id": "1"}, "value": "tee"}},
    }
    product_id = int(ps.add("products", {"product": product})["prestashop"]["product"]["id"])
    combos = [
        int(
            ps.add(
                "combinations",
                {"combination": {"id_product": str(product_id), "minimal_quantity": "1", "reference": f"TEE-{size}"}},
            )["prestashop"]["combination"]["id"]
        )
        for size in ("S", "M")
    ]
    assert len(prestashop_twin.sql("SELECT 1 FROM ps_product_attribute_shop WHERE id_product = %s", (product_id,))) == 2
    for combination, quantity in zip(combos, (3, 4), strict=True):
        [stock_id] = ps.search(
            "stock_availables",
            options={"filter[id_product]": f"[{product_id}]", "filter[id_product_attribute]": f"[{combination}]"},
        )
        row = ps.get("stock_availables", stock_id)["stock_available"]
        row["quantity"] = str(quantity)
        ps.edit("stock_availables", {"stock_available": row})
    [product_row] = ps.search(
        "stock_availables", options={"filter[id_product]": f"[{product_id}]", "filter[id_product_attribute]": "[0]"}
    )
    assert ps.get("stock_availables", product_row)["stock_available"]["quantity"] == "7"
    assert ps.get("products", product_id)["product"]["quantity"]["value"] == "7"
    with pytest.raises(PrestaShopWebServiceError) as forbidden:
        ps.delete("stock_availables", product_row)
    assert forbidden.value.error_code == 405 and forbidden.value.ps_error_code == "101"


def test_order_history_moves_current_state_and_invoices(prestashop_twin) -> None:
    ps = client(prestashop_twin)
    prestashop_twin.sql(
        "INSERT INTO ps_orders (reference, id_carrier, id_lang, id_customer, id_cart, id_currency, "
        "id_address_delivery, id_address_invoice, current_state, secure_key, payment, conversion_rate, module, "
        "total_paid, total_paid_tax_incl, total_paid_tax_excl, total_paid_real, total_products, total_products_wt, "
        "invoice_date, delivery_date, valid, date_add, date_upd) VALUES ('ABCDEFGHI', 1, 1, 1, 1, 1, 1, 1, 10, "
        "'k', 'Bank wire', 1, 'ps_wirepayment', 12, 12, 10, 0, 10, 12, NOW(), NOW(), 0, NOW(), NOW())"
    )
    order_id = prestashop_twin.sql("SELECT id_order FROM ps_orders")[0]["id_order"]
    history = ps.add("order_histories", {"order_history": {"id_order": str(order_id), "id_order_state": "2"}})
    assert history["prestashop"]["order_history"]["id_order_state"] == "2"
    order = prestashop_twin.sql("SELECT current_state, valid, invoice_number FROM ps_orders")[0]
    assert order == {"current_state": 2, "valid": 1, "invoice_number": 1}
    assert len(prestashop_twin.sql("SELECT 1 FROM ps_order_invoice WHERE id_order = %s", (order_id,))) == 1
    assert ps.search("order_histories", options={"filter[id_order]": f"[{order_id}]"}) == [1]

    [carrier_row] = [ps.add("order_carriers", {"order_carrier": {"id_order": str(order_id), "id_carrier": "1"}})]
    carrier = ps.get("order_carriers", int(carrier_row["prestashop"]["order_carrier"]["id"]))["order_carrier"]
    carrier["tracking_number"] = "TRACK123"
    ps.edit("order_carriers", {"order_carrier": carrier})
    assert ps.get("orders", order_id)["order"]["shipping_number"]["value"] == "TRACK123"


def test_wrong_key_is_an_authentication_error(prestashop_twin) -> None:
    ps = PrestaShopWebServiceDict(prestashop_twin.api, "X" * 32)
    with pytest.raises(PrestaShopAuthenticationError):
        ps.search("customers")


def test_resource_list_and_head(prestashop_twin) -> None:
    ps = client(prestashop_twin)
    resources = ps.get("")["api"]
    assert "customers" in resources and "stock_availables" in resources
    headers = ps.head("customers")
    assert headers["PSWS-Version"] == "8.1.2"
