"""The PrestaShop client against the twin: protocol, status classification, injected faults, retries."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest

from sinks.common.errors import CredentialsRefused, SinkError, TerminalError, TransientError
from sinks.common.retry import RetryPolicy, call_with_retries
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.wire import Entity
from tests.integration.sinks.prestashop.commands import api_calls, inject, meta, product, stock

pytestmark = pytest.mark.integration


def test_version_from_psws_header_json_reads_and_exact_natural_keys(ps_client, prestashop_twin) -> None:
    assert ps_client.version == (8, 1, 2) and ps_client.supports_patch
    for reference in ("A,B|C", "a,b|c", "A,B", "mug"):
        ps_client.create(
            "products",
            "product",
            {"reference": reference, "price": Decimal(1), "name": {1: reference}, "link_rewrite": {1: "x"}},
        )
    found = ps_client.find("products", {"reference": "A,B|C"})  # grammar characters: searched by prefix
    assert [p["reference"] for p in found] == ["A,B|C"]
    assert ps_client.find_one("products", {"reference": "MUG"}) is None  # the shop's collation ignores case
    mug = ps_client.find_one("products", {"reference": "mug"})
    assert mug is not None and mug["price"] == "1.000000" and mug["name"] == "mug"
    assert ps_client.get("products", "product", int(mug["id"]))["reference"] == "mug"
    reads = [c["path"] for c in api_calls(prestashop_twin) if c["method"] == "GET"]
    assert all("output_format=JSON" in path for path in reads if "/api/products" in path)


@pytest.mark.parametrize(
    ("case", "reason", "kind"),
    [
        ("validation", "400", TerminalError),
        ("unknown_id", "404", TerminalError),
        ("method", "405", TerminalError),
        ("wrong_key", "401", CredentialsRefused),
        ("no_shop", "403", CredentialsRefused),  # pause + alert, no DLQ
    ],
)
def test_refusing_statuses(ps_client, prestashop_twin, case: str, reason: str, kind: type[SinkError]) -> None:
    call: Callable[[], object]
    if case == "wrong_key":
        client = PrestaShopClient(prestashop_twin.api, "0" * 32, read_timeout=2)
        call = lambda: client.find("products", {"reference": "x"})  # noqa: E731
    elif case == "no_shop":
        prestashop_twin.sql("DELETE FROM ps_webservice_account_shop")
        call = lambda: ps_client.find("products", {"reference": "x"})  # noqa: E731
    elif case == "validation":
        call = lambda: ps_client.create("products", "product", {"reference": "no-price"})  # noqa: E731
    elif case == "unknown_id":
        call = lambda: ps_client.update("order_carriers", "order_carrier", 999, {"tracking_number": "1"})  # noqa: E731
    else:
        call = lambda: ps_client.create("stock_availables", "stock_available", {"quantity": 1})  # noqa: E731
    with pytest.raises(kind) as caught:
        call()
    assert type(caught.value) is kind and caught.value.response.startswith(f"HTTP {reason}")
    assert caught.value.request.split(" ")[0] in ("GET", "POST", "PATCH")
    assert prestashop_twin.key not in caught.value.request + caught.value.response


def test_transient_statuses_and_faults(ps_client: PrestaShopClient, prestashop_twin) -> None:
    def read() -> list[Entity]:
        return ps_client.find("products", {"reference": "x"})

    ps_client.version  # noqa: B018 - probe before faults are queued
    inject(
        prestashop_twin,
        {"kind": "500"},
        {"kind": "429", "retry_after": 7},
        {"kind": "drop"},
        {"kind": "timeout"},
        {"kind": "malformed"},
    )
    errors = []
    for _ in range(5):
        with pytest.raises(TransientError) as caught:
            read()
        errors.append(caught.value)
    assert errors[0].response.startswith("HTTP 500") and errors[0].retry_after is None
    assert errors[1].response.startswith("HTTP 429") and errors[1].retry_after == 7
    assert "connection failed" in errors[2].reason
    assert "no answer within" in errors[3].reason
    assert "malformed" in errors[4].reason
    assert read() == []  # queue drained: served normally

    prestashop_twin.sql("UPDATE ps_configuration SET value = '0' WHERE name = 'PS_WEBSERVICE'")
    with pytest.raises(TransientError) as disabled:
        read()
    assert disabled.value.response.startswith("HTTP 503") and "webservice is disabled" in disabled.value.reason


def test_write_with_a_garbled_answer_is_transient_and_the_retry_does_not_duplicate(ps_sink, prestashop_twin) -> None:
    inject(prestashop_twin, {"kind": "malformed"})  # the twin runs the POST, then garbles its answer
    with pytest.raises(TransientError, match="malformed"):
        ps_sink.client.create(
            "products", "product", {"reference": "DUP", "price": Decimal(1), "name": {1: "d"}, "link_rewrite": {1: "d"}}
        )
    applied = ps_sink.handlers()[type(product("X"))](product("DUP"), meta())  # the retry of that command
    rows = prestashop_twin.sql("SELECT id_product FROM ps_product WHERE reference = 'DUP'")
    assert len(rows) == 1 and applied.target_ids == {"products": str(rows[0]["id_product"])}


def test_retries_honour_retry_after_and_apply_once(ps_sink, prestashop_twin) -> None:
    handlers = ps_sink.handlers()
    handlers[type(product("X"))](product("MUG"), meta())
    inject(prestashop_twin, {"kind": "429", "retry_after": 1}, {"kind": "500"}, {"kind": "malformed"})
    waits: list[float] = []
    started = time.monotonic()
    applied = call_with_retries(
        lambda: handlers[type(stock("X", "0"))](stock("MUG", "4"), meta()),
        RetryPolicy(max_attempts=5, base_delay=0.05),
        threading.Event(),
        on_retry=lambda exc, wait: waits.append(wait),
    )
    assert waits[0] == 1.0 and len(waits) == 3
    assert time.monotonic() - started >= 1.0
    assert applied.written == {"available": "4"}
    assert prestashop_twin.sql("SELECT quantity FROM ps_stock_available") == [{"quantity": 4}]
