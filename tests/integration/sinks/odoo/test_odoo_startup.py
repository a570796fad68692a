"""The Odoo sink's start-up check, the same as the PrestaShop sink's: a key the ERP refuses stops the
process at start (KeyRejected) instead of blocking every command; a good key starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.settings import get_settings
from sinks.common.errors import KeyRejected
from sinks.odoo.sink import build_sink
from tests.support.twins import RunningTwin

pytestmark = pytest.mark.integration


def test_a_refused_key_stops_the_sink_at_start(twin: RunningTwin, tmp_path: Path) -> None:
    key_file = tmp_path / "odoo_api.key"
    key_file.write_text(twin.key)
    sink = build_sink(get_settings(), url=twin.url, database=twin.database, api_key_file=key_file)
    assert sink.client.protocol == "jsonrpc" and sink.client.uid is not None  # logged in at start
    sink.close()
    key_file.write_text("0" * 40)
    with pytest.raises(KeyRejected, match="odoo refused the API key"):
        build_sink(get_settings(), url=twin.url, database=twin.database, api_key_file=key_file)
