"""The PrestaShop sink on the test's own twin (``prestashop_twin``, tests/integration/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.sink import PrestaShopSink
from tests.integration.sinks.prestashop.commands import sink_config
from tests.support.twins import PrestaShopTwin


@pytest.fixture
def ps_sink(prestashop_twin: PrestaShopTwin) -> Iterator[PrestaShopSink]:
    sink = PrestaShopSink(sink_config(prestashop_twin))
    yield sink
    sink.close()


@pytest.fixture
def ps_client(ps_sink: PrestaShopSink) -> PrestaShopClient:
    return ps_sink.client
