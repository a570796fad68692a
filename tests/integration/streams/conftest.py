"""The live streams tests' fixtures: a streams worker of the test's own (topics, group, tables) on the
real stack, and the shop's and the ERP's rows it writes (removed afterwards)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel.settings import get_settings
from tests.integration.streams.harness import StreamsWorker
from tests.integration.streams.rows import ErpRows, ShopRows
from tests.support.prerequisites import require_capture


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[StreamsWorker]:
    require_capture()
    streams = StreamsWorker(tmp_path)
    try:
        streams.start()
        yield streams
    finally:
        streams.cleanup()


@pytest.fixture
def shop_rows() -> Iterator[ShopRows]:
    rows = ShopRows(get_settings())
    yield rows
    rows.cleanup()


@pytest.fixture
def erp_rows() -> Iterator[ErpRows]:
    rows = ErpRows(get_settings())
    yield rows
    rows.cleanup()
