"""What serve runs: the CLI's own commands, env names the settings read, the suffixed topics, the ports."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.settings import Settings
from tests.support.wiring import env_names_read, parse_cli

pytestmark = pytest.mark.unit


def test_the_children_get_env_names_the_settings_read_and_the_suffixed_topics(tmp_path: Path) -> None:
    from prestasync.serve.children import child_specs

    settings = Settings(home=tmp_path, streams={"topic_suffix": ".x"}, serve={"ports": {"sink-odoo": 0}})
    specs = {spec.name: spec for spec in child_specs(settings)}
    known = env_names_read()
    for spec in specs.values():
        assert set(spec.env) <= known, f"{spec.name}: {spec.env} holds a variable nothing reads"
        parse_cli(list(spec.argv[3:]))  # after `python -m prestasync.cli`
    odoo = specs["sink-odoo"]
    assert odoo.port > 0  # 0: a free port, fixed for the child
    assert odoo.env == {"PRESTASYNC_SINKS__ODOO__METRICS_PORT": str(odoo.port)}
    assert list(odoo.argv[3:]) == [
        "run",
        "sink",
        "odoo",
        "--topic",
        "prestasync.commands.odoo.x",
        "--group",
        "prestasync-sink-odoo.x",
        "--dlq-topic",
        "prestasync.dlq.sink.odoo.x",
        "--acks-topic",
        "prestasync.acks.x",
    ]
    assert specs["streams"].env == {"PRESTASYNC_STREAMS__METRICS_PORT": "9301"}
    assert (
        specs["sink-prestashop"].port == 9310
        and specs["sink-prestashop"].pid_file == tmp_path / "run" / "worker-sink-prestashop.pid"
    )
    assert [s.name for s in child_specs(settings, ("sink-prestashop", "streams"))] == ["streams", "sink-prestashop"]
