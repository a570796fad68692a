"""The lookup's pure part: store map, age, weak ETag and If-None-Match, CORS for shop origins only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from prestasync.storestock.answer import StoreIndex, cors_headers, lookup, not_modified
from schemas.store_stock import StoreFigure

pytestmark = pytest.mark.unit
T0 = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)
STORES = {"paris": 10, "lyon": 11}
SHOP = "https://shop.example"


def index(*figures: StoreFigure) -> StoreIndex:
    found = StoreIndex()
    for figure in figures:
        found.apply(figure)
    return found


def test_quantity_per_store_code_with_its_age() -> None:
    idx = index(StoreFigure("TSHIRT", "10", Decimal("3.000000"), T0), StoreFigure("TSHIRT", "12", Decimal(9), T0))
    reply = lookup(idx, STORES, "TSHIRT", None, None, T0 + timedelta(seconds=42.25))
    assert reply.status == 200
    # lyon (location 11) has no figure yet: shown as unknown, not 0; location 12 is no configured store
    assert reply.body["stores"] == [
        {"store": "lyon", "quantity": None, "as_of": None, "age_s": None},
        {"store": "paris", "quantity": "3", "as_of": "2026-12-02T04:00:00+00:00", "age_s": 42.2},
    ]


def test_one_store_a_combination_and_the_refusals() -> None:
    idx = index(StoreFigure("TSHIRT", "10", Decimal(3), T0), StoreFigure("TSHIRT-M", "10", Decimal(1), T0))
    reply = lookup(idx, STORES, "TSHIRT", "TSHIRT-M", "paris", T0)
    assert reply.body["combination"] == "TSHIRT-M"
    assert [(r["store"], r["quantity"]) for r in reply.body["stores"]] == [("paris", "1")]  # type: ignore[union-attr]
    assert lookup(idx, STORES, "TSHIRT", None, "berlin", T0).status == 404  # unknown store code
    assert lookup(idx, STORES, "NOPE", None, None, T0).status == 404


def test_an_older_figure_never_replaces_a_newer_one() -> None:
    idx = index(StoreFigure("A", "10", Decimal(5), T0 + timedelta(seconds=5)), StoreFigure("A", "10", Decimal(7), T0))
    assert idx.figures["A"]["10"].available == Decimal(5)


def test_the_etag_follows_the_figures_not_the_age() -> None:
    idx = index(StoreFigure("A", "10", Decimal(5), T0))
    first = lookup(idx, STORES, "A", None, None, T0)
    later = lookup(idx, STORES, "A", None, None, T0 + timedelta(minutes=3))
    assert first.etag is not None and first.etag.startswith('W/"') and first.etag == later.etag
    assert not_modified(first.etag, later.etag)
    idx.apply(StoreFigure("A", "10", Decimal(4), T0 + timedelta(seconds=1)))
    changed = lookup(idx, STORES, "A", None, None, T0 + timedelta(minutes=3))
    assert changed.etag != first.etag and not not_modified(first.etag, changed.etag)


def test_if_none_match_lists_and_star() -> None:
    tag = 'W/"abc"'
    assert not_modified('"x", W/"abc"', tag) and not_modified('"abc"', tag) and not_modified("*", tag)
    assert not not_modified(None, tag) and not not_modified('"abd"', tag) and not not_modified("*", None)


def test_cors_only_for_the_configured_shop_origins() -> None:
    assert cors_headers(SHOP, [SHOP]) == {
        "Vary": "Origin",
        "Access-Control-Allow-Origin": SHOP,
        "Access-Control-Expose-Headers": "ETag",
    }
    assert cors_headers("https://evil.example", [SHOP]) == {"Vary": "Origin"}
    assert cors_headers(None, [SHOP]) == {"Vary": "Origin"}
    preflight = cors_headers(SHOP, [SHOP], preflight=True)
    assert (
        preflight["Access-Control-Allow-Methods"] == "GET"
        and "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    )


def test_serve_runs_the_lookup_as_a_child_on_its_port() -> None:
    from kernel.settings import ServeSettings, Settings, StoreStockSettings
    from prestasync.serve.children import child_specs

    settings = Settings(store_stock=StoreStockSettings(port=9411), serve=ServeSettings(ports={"streams": 9401}))
    [spec] = child_specs(settings, ("store-stock",))
    assert spec.argv[-2:] == ("run", "store-stock") and spec.port == 9411
    assert spec.env == {"PRESTASYNC_STORE_STOCK__PORT": "9411"}  # its /health and /metrics are on that port
    assert [s.name for s in child_specs(settings)] == ["streams", "sink-odoo", "sink-prestashop"]  # opt-in
