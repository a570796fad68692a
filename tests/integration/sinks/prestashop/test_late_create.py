"""A create whose answer never came but whose write happened later (the shop still running the POST
when the client gave up) must not be created twice by the retry."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest

from schemas.records import Product
from sinks.common.retry import RetryPolicy, call_with_retries
from sinks.prestashop.sink import PrestaShopSink
from tests.integration.sinks.prestashop.commands import (
    READ_TIMEOUT_S,
    TIMEOUT_FAULT_S,
    api_calls,
    inject,
    meta,
    sink_config,
)
from tests.integration.sinks.prestashop.commands import product as product_record

pytestmark = pytest.mark.integration


def create_with_retries(twin, grace: float) -> list[str]:  # type: ignore[no-untyped-def]
    sink = PrestaShopSink(dataclasses.replace(sink_config(twin), create_grace=grace))
    try:
        record = product_record(f"LATE-{grace:g}")
        inject(twin, {"kind": "pass"}, {"kind": "late"})  # the lookup answered, the POST answered too late
        handler = sink.handlers()[Product]
        started = time.monotonic()
        call_with_retries(
            lambda: handler(record, meta()), RetryPolicy(max_attempts=3, base_delay=0.2), threading.Event()
        )
        time.sleep(max(0.0, started + TIMEOUT_FAULT_S + 1 - time.monotonic()))  # the late write is done
        found = sink.client.find("products", {"reference": record.sku})
        return [str(p["id"]) for p in found]
    finally:
        sink.close()


def test_a_late_create_is_found_by_the_retry_not_created_again(prestashop_twin) -> None:  # type: ignore[no-untyped-def]
    assert TIMEOUT_FAULT_S > READ_TIMEOUT_S
    products = create_with_retries(prestashop_twin, grace=TIMEOUT_FAULT_S + 3)
    assert len(products) == 1, products
    posts = [c for c in api_calls(prestashop_twin) if c["method"] == "POST" and "/products" in c["path"]]
    assert [c["fault"] for c in posts] == ["late"]  # one POST: the retry found the late one's product


def test_without_the_grace_the_retry_creates_a_duplicate(prestashop_twin) -> None:  # type: ignore[no-untyped-def]
    """What the grace prevents, shown on the same twin: retried at once, the lookup misses the write still
    in flight and a second product is created (the test above fails the same way with grace=0)."""
    products = create_with_retries(prestashop_twin, grace=0)
    assert len(products) == 2, products
