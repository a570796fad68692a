"""Onboarding's matching (pure): which records two systems already share, which link records them,
and what needs a person. Shapes as ``prestasync.onboard.read`` builds them from real rows (the real
PrestaShop 8.1.2 demo: customer 2 pub@prestashop.com "John DOE", products demo_1.., every combination
carrying its product's reference, orders XKBKNABJK..)."""

from __future__ import annotations

import pytest

from prestasync.onboard import match
from prestasync.onboard.model import Link, Match, Rec, summary
from prestasync.onboard.run import needs_a_person

pytestmark = pytest.mark.unit


def one(found: list[Match], entity: str, key: str | None = None, shop_id: int | None = None) -> Match:
    hits = [m for m in found if m.entity == entity and (key is None or m.key == key)]
    if shop_id is not None:
        hits = [m for m in hits if m.shop and m.shop.id == shop_id]
    assert len(hits) == 1, hits
    return hits[0]


def customer(i: int, email: str, name: str = "John DOE", guest: bool = False) -> Rec:
    return Rec(i, f"PS-{i}", email=email, fields={} if guest else {"name": name}, note="guest" if guest else "")


def partner(i: int, email: str | None, name: str = "John DOE", ref: str | None = None, note: str = "") -> Rec:
    return Rec(i, ref, email=email, fields={"name": name}, note=note)


# -- customers ------------------------------------------------------------------------------


def test_a_partner_of_the_same_email_is_matched_and_gets_the_shop_key_as_ref() -> None:
    found = match.customers([customer(2, "pub@prestashop.com")], [partner(14, "pub@prestashop.com")])
    m = one(found, "customers", "PS-2")
    assert (m.status, m.by, m.erp and m.erp.id) == ("matched", "email", 14)
    assert m.link == Link("res.partner", 14, "ref", "PS-2")


def test_a_partner_already_holding_the_shop_key_needs_no_link() -> None:
    m = one(
        match.customers([customer(2, "pub@prestashop.com")], [partner(9, "pub@prestashop.com", ref="PS-2")]),
        "customers",
    )
    assert (m.status, m.by, m.link) == ("matched", "linked", None)


def test_a_different_name_is_a_conflict_that_is_still_linked_and_says_the_shop_wins() -> None:
    m = one(
        match.customers([customer(2, "pub@prestashop.com")], [partner(14, "PUB@prestashop.com ", "John Doe")]),
        "customers",
    )
    assert m.status == "conflicting" and m.link is not None
    assert m.differences == {"name": ("John DOE", "John Doe")} and m.owner == "shop"


def test_two_partners_of_one_email_are_not_linked() -> None:
    found = match.customers([customer(2, "a@x.ie")], [partner(14, "a@x.ie"), partner(15, "a@x.ie")])
    m = one(found, "customers", "PS-2")
    assert (m.status, m.link) == ("conflicting", None) and "14, 15" in m.reason
    assert needs_a_person(found) == [m]
    assert not [x for x in found if x.status == "only_in_erp"]  # neither is reported as ERP-only


def test_a_partner_with_the_merchants_own_ref_is_never_written_over() -> None:
    m = one(match.customers([customer(2, "a@x.ie")], [partner(14, "a@x.ie", ref="C0042")]), "customers")
    assert (m.status, m.link) == ("conflicting", None) and "C0042" in m.reason


def test_a_key_on_a_partner_of_another_email_is_a_conflict() -> None:
    m = one(match.customers([customer(2, "a@x.ie")], [partner(9, "b@x.ie", ref="PS-2")]), "customers")
    assert (m.status, m.link, m.differences) == ("conflicting", None, {"email": ("a@x.ie", "b@x.ie")})


def test_guests_of_a_registered_email_join_its_partner_and_only_it_is_linked() -> None:
    shop = [customer(7, "a@x.ie", guest=True), customer(3, "a@x.ie"), customer(9, "a@x.ie", guest=True)]
    found = match.customers(shop, [partner(14, "a@x.ie")])
    assert [m.link for m in found if m.link] == [Link("res.partner", 14, "ref", "PS-3")]
    assert {m.key: m.by for m in found} == {"PS-3": "email", "PS-7": "joins PS-3", "PS-9": "joins PS-3"}


def test_a_customer_without_e_mail_is_matched_by_its_key_only() -> None:
    found = match.customers([customer(5, ""), customer(6, "")], [partner(9, None, ref="PS-5")])
    assert {(m.key, m.status, m.by) for m in found} == {("PS-5", "matched", "linked"), ("PS-6", "only_in_shop", "")}


def test_shop_only_erp_only_and_plain_contacts() -> None:
    found = match.customers(
        [customer(2, "a@x.ie"), customer(5, "")],
        [partner(14, "b@x.ie"), partner(1, "info@company.ie", note="contact")],
    )
    assert {(m.status, m.key or (m.erp and m.erp.id)) for m in found} == {
        ("only_in_shop", "PS-2"),
        ("only_in_shop", "PS-5"),
        ("only_in_erp", 14),
    }


# -- products and combinations -----------------------------------------------------------------


def product(i: int, ref: str | None, ean: str | None = None, price: str = "23.90", name: str = "Mug") -> Rec:
    return Rec(i, ref, ean13=ean, fields={"name": name, "ean13": ean, "price": price})


def variant(i: int, code: str | None, ean: str | None = None, price: str = "23.90", name: str = "Mug") -> Rec:
    return Rec(i, code, ean13=ean, fields={"name": name, "ean13": ean, "price": price})


def test_same_reference_matches_without_a_link() -> None:
    m = one(match.sellables("products", [product(1, "demo_1")], [variant(30, "demo_1")]), "products")
    assert (m.status, m.by, m.link) == ("matched", "reference", None)


def test_same_ean13_and_no_default_code_links_the_shop_reference() -> None:
    found = match.sellables("products", [product(1, "demo_1", "3700000000017")], [variant(30, None, "3700000000017")])
    m = one(found, "products", "demo_1")
    assert (m.status, m.by) == ("matched", "ean13")
    assert m.link == Link("product.product", 30, "default_code", "demo_1")


def test_same_ean13_with_another_default_code_is_not_linked() -> None:
    found = match.sellables(
        "products", [product(1, "demo_1", "3700000000017")], [variant(30, "MUG-01", "3700000000017")]
    )
    m = one(found, "products", "demo_1")
    assert (m.status, m.link) == ("conflicting", None) and "MUG-01" in m.reason
    assert not [x for x in found if x.status == "only_in_erp"]


def test_no_shop_reference_but_same_ean13_is_a_conflict_naming_the_duplicate_to_come() -> None:
    m = one(
        match.sellables("products", [product(1, None, "3700000000017")], [variant(30, "MUG", "3700000000017")]),
        "products",
    )
    assert (m.status, m.link) == ("conflicting", None) and "set the reference" in m.reason


def test_combinations_sharing_a_reference_are_conflicts() -> None:
    """The real demo: the 8 combinations of product 1 all carry reference demo_1."""
    combos = [Rec(i, "demo_1", fields={"ean13": None}) for i in range(1, 9)]
    found = match.sellables("combinations", combos, [variant(30, "demo_1")])
    assert [m.status for m in found] == ["conflicting"] * 8 and all(m.link is None for m in found)


def test_a_price_the_erp_holds_otherwise_is_reported_with_the_erp_as_owner() -> None:
    m = one(
        match.sellables("products", [product(6, "demo_11", price="11.90")], [variant(31, "demo_11", price="12.90")]),
        "products",
    )
    assert m.status == "conflicting" and m.owner == "erp" and m.differences == {"price": ("11.90", "12.90")}


def test_erp_only_variants_the_streams_publish_and_the_ones_they_never_do() -> None:
    service = variant(40, "SHIP-WEB")
    found = match.sellables("products", [], [variant(41, "demo_99"), service, variant(42, None)], [service])
    assert {(m.status, m.key, m.reason) for m in found} == {
        ("only_in_erp", "demo_99", "the first sync creates it in the shop"),
        ("only_in_erp", None, "no default_code: never synced"),
    }


def test_shop_only_product() -> None:
    m = one(match.sellables("products", [product(1, "demo_1")], []), "products")
    assert m.status == "only_in_shop"


# -- orders ----------------------------------------------------------------------------------


def shop_order(i: int, ref: str, incl: str = "68.20", excl: str = "66.80", cancelled: bool = False) -> Rec:
    return Rec(i, ref, fields={"total_tax_incl": incl, "total_tax_excl": excl, "cancelled": str(cancelled)})


def sale(
    i: int, client: str | None, *refs: str, incl: str = "68.20", excl: str = "66.80", cancelled: bool = False
) -> Rec:
    fields = {"total_tax_incl": incl, "total_tax_excl": excl, "cancelled": str(cancelled)}
    return Rec(i, client, refs=(*refs, f"S{i:05d}"), fields=fields)


def test_orders_by_client_ref_by_origin_and_by_name() -> None:
    shop = [shop_order(1, "XKBKNABJK"), shop_order(2, "OHSATSERP"), shop_order(3, "UOYEVOLI")]
    erp = [sale(1, "XKBKNABJK"), sale(2, None, "OHSATSERP"), Rec(3, None, refs=("UOYEVOLI",), fields=shop[2].fields)]
    found = match.orders(shop, erp)
    assert {m.key: (m.status, m.by) for m in found} == {
        "XKBKNABJK": ("matched", "linked"),
        "OHSATSERP": ("matched", "origin/name"),
        "UOYEVOLI": ("matched", "origin/name"),
    }
    assert [m.link for m in found if m.link] == [
        Link("sale.order", 2, "client_order_ref", "OHSATSERP"),
        Link("sale.order", 3, "client_order_ref", "UOYEVOLI"),
    ]


def test_two_sale_orders_naming_one_shop_order_are_not_linked() -> None:
    m = one(
        match.orders([shop_order(1, "XKBKNABJK")], [sale(1, None, "XKBKNABJK"), sale(2, None, "XKBKNABJK")]), "orders"
    )
    assert (m.status, m.link) == ("conflicting", None)


def test_an_order_naming_the_reference_with_another_client_ref_is_a_conflict() -> None:
    m = one(match.orders([shop_order(1, "XKBKNABJK")], [sale(1, "PO-77", "XKBKNABJK")]), "orders", "XKBKNABJK")
    assert (m.status, m.link) == ("conflicting", None) and "PO-77" in m.reason


def test_other_totals_are_a_linked_conflict_and_erp_orders_of_its_own_are_reported() -> None:
    found = match.orders([shop_order(1, "XKBKNABJK")], [sale(1, None, "XKBKNABJK", incl="69.20"), sale(2, None)])
    m = one(found, "orders", "XKBKNABJK")
    assert m.status == "conflicting" and m.link is not None
    assert m.differences == {"total_tax_incl": ("68.20", "69.20")}
    assert [(x.status, x.erp and x.erp.id) for x in found if x is not m] == [("only_in_erp", 2)]


def test_summary_counts_every_status_of_every_entity() -> None:
    found = match.orders([shop_order(1, "A"), shop_order(2, "B")], [sale(1, "A")])
    counts = summary(found)
    assert counts["orders"] == {"matched": 1, "only_in_shop": 1, "only_in_erp": 0, "conflicting": 0}
    assert counts["customers"] == {"matched": 0, "only_in_shop": 0, "only_in_erp": 0, "conflicting": 0}


def test_a_weight_staff_did_not_type_in_the_erp_is_reported_before_the_first_sync_writes_it() -> None:
    """Seen on the real pair: Odoo products typed without weights; the ERP's Product command then wrote
    0 over the shop's 0.3 kg (the ERP owns product base data): the dry run must say so first."""
    shop = Rec(1, "demo_1", fields={"name": "Tee", "weight": "0.3", "active": "True"})
    erp = Rec(30, "demo_1", fields={"name": "Tee", "weight": "0", "active": "True"})
    m = one(match.sellables("products", [shop], [erp]), "products")
    assert (m.status, m.owner, m.differences) == ("conflicting", "erp", {"weight": ("0.3", "0")})
