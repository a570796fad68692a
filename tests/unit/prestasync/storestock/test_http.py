"""The lookup's HTTP layer on an in-process server (no Kafka: the index is filled by hand): 200 with
ETag, Cache-Control and CORS, 304 on If-None-Match, 404s, the preflight, /health while loading."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from aiohttp.test_utils import TestClient, TestServer

from kernel.settings import Settings, StoreStockSettings
from prestasync.storestock.answer import StoreIndex
from prestasync.storestock.service import Follower, make_app
from schemas.store_stock import StoreFigure

pytestmark = pytest.mark.unit
SHOP = "https://shop.example"


def serve(check: Callable[[TestClient, Follower], Awaitable[None]]) -> None:
    settings = Settings(store_stock=StoreStockSettings(stores={"paris": 10}, allowed_origins=(SHOP,), max_age_s=7))
    index = StoreIndex()
    index.apply(StoreFigure("TSHIRT", "10", Decimal(3), datetime.now(UTC)))
    follower = Follower(settings, index)  # never started: the test plays the topic

    async def run() -> None:
        async with TestClient(TestServer(make_app(settings, index, follower))) as client:
            await check(client, follower)

    asyncio.run(run())


def test_answers_and_revalidation() -> None:
    async def check(client: TestClient, follower: Follower) -> None:
        first = await client.get("/store-stock/TSHIRT", headers={"Origin": SHOP})
        assert first.status == 200 and (await first.json())["stores"][0]["quantity"] == "3"
        assert first.headers["Cache-Control"] == "public, max-age=7"
        assert first.headers["Access-Control-Allow-Origin"] == SHOP and first.headers["Vary"] == "Origin"
        again = await client.get("/store-stock/TSHIRT", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status == 304 and await again.read() == b""
        other = await client.get("/store-stock/TSHIRT", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in other.headers
        assert (await client.get("/store-stock/NOPE")).status == 404
        assert (await client.get("/store-stock/TSHIRT", params={"store": "lyon"})).status == 404
        preflight = await client.options(
            "/store-stock/TSHIRT", headers={"Origin": SHOP, "Access-Control-Request-Method": "GET"}
        )
        assert preflight.status == 204 and preflight.headers["Access-Control-Allow-Methods"] == "GET"

    serve(check)


def test_health_fails_until_the_topic_is_read_and_shows_a_lost_broker() -> None:
    async def check(client: TestClient, follower: Follower) -> None:
        assert (await client.get("/health")).status == 503
        follower.loaded.set()
        assert (await client.get("/health")).status == 200
        follower.loaded.clear()
        follower.error = "NoBrokersAvailable: NoBrokersAvailable"
        reply = await client.get("/health")
        assert reply.status == 503 and (await reply.json())["error"].startswith("NoBrokersAvailable")

    serve(check)
