"""The Odoo sink's start-up check, the same as the PrestaShop sink's: a key the ERP refuses stops the
process at start (KeyRejected) instead of blocking every command; a good key starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.settings import get_settings
from sinks.common.errors import KeyRejected
from sinks.odoo.sink import build_sink
from tests.integration.sandbox.odoo.twin import RunningTwin

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("version", ["18.0", "19.0"])
def test_a_refused_key_stops_the_sink_at_start(request: pytest.FixtureRequest, tmp_path: Path, version: str) -> None:
    running: RunningTwin = request.getfixturevalue("twin" if version == "18.0" else "twin19")
    key_file = tmp_path / "odoo_api.key"
    key_file.write_text(running.key)
    sink = build_sink(get_settings(), url=running.url, database=running.database, api_key_file=key_file)
    assert sink.client.protocol == ("jsonrpc" if version == "18.0" else "json2")
    sink.close()
    key_file.write_text("0" * 40)
    with pytest.raises(KeyRejected, match="odoo refused the API key"):
        build_sink(get_settings(), url=running.url, database=running.database, api_key_file=key_file)
