"""The Odoo sink's configuration on a test's own twin (its API key in a file, as in production)."""

from __future__ import annotations

from pathlib import Path

from kernel.settings import get_settings
from sinks.odoo.config import ResolvedOdooConfig, load_config
from tests.support.twins import RunningTwin


def sink_config(running: RunningTwin, key_dir: Path, **overrides: object) -> ResolvedOdooConfig:
    key_file = key_dir / "odoo_api.key"
    key_file.write_text(running.key)
    options: dict[str, object] = {"read_timeout": 3.0, **overrides}
    return load_config(get_settings(), url=running.url, database=running.database, api_key_file=key_file, **options)
