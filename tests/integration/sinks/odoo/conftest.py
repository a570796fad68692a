"""An Odoo twin (18.0) over a throwaway database holding the sample catalogue, and a sink on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg2.extensions
import pytest

from sandbox.sample import load_erp_catalogue
from sinks.odoo.sink import OdooSink
from tests.integration.sinks.odoo.sink_config import sink_config
from tests.support.twins import RunningTwin


@pytest.fixture
def catalogue(twin: RunningTwin, postgres_conn: psycopg2.extensions.connection) -> RunningTwin:
    load_erp_catalogue(postgres_conn)
    return twin


@pytest.fixture
def odoo_sink(catalogue: RunningTwin, tmp_path: Path) -> Iterator[OdooSink]:
    sink = OdooSink(sink_config(catalogue, tmp_path))
    try:
        yield sink
    finally:
        sink.close()
