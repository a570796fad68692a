"""An Odoo twin (18.0) over a throwaway database holding the sample catalogue, and a sink on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg2.extensions
import pytest

from kernel.settings import get_settings
from sandbox.sample import load_erp_catalogue
from sinks.odoo.config import ResolvedOdooConfig, load_config
from sinks.odoo.sink import OdooSink
from tests.integration.sandbox.odoo.conftest import postgres_conn, postgres_database, twin, twin19
from tests.integration.sandbox.odoo.twin import RunningTwin

__all__ = ["postgres_conn", "postgres_database", "twin", "twin19"]


def sink_config(running: RunningTwin, key_dir: Path, **overrides: object) -> ResolvedOdooConfig:
    key_file = key_dir / "odoo_api.key"
    key_file.write_text(running.key)
    options: dict[str, object] = {"read_timeout": 3.0, **overrides}
    return load_config(get_settings(), url=running.url, database=running.database, api_key_file=key_file, **options)


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
