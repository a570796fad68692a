"""`prestasync sandbox reset --yes` on the live stack: every part of the old run goes, together, and the
stack comes back up ready (connectors RUNNING, seed rows present), so new ids cannot meet old ones."""

from __future__ import annotations

import secrets

import pytest
from kafka import KafkaAdminClient, KafkaConsumer

from kernel.settings import get_settings
from prestasync.stack import connect
from tests.integration.prestasync.e2e.checks import erp_rows, shop_rows
from tests.support.cli import run_cli

pytestmark = [pytest.mark.integration, pytest.mark.wipes_stack]


def test_sandbox_reset_wipes_databases_topics_groups_and_state_together() -> None:
    settings = get_settings()
    token = secrets.randbelow(10**9)
    shop_rows(
        settings,
        "INSERT INTO {p}configuration (name, value, date_add, date_upd) VALUES (%s, 'old run', NOW(), NOW())",
        (f"PRESTASYNC_RESET_{token}",),
    )
    erp_rows(
        settings,
        "INSERT INTO res_partner (name, ref, active) VALUES ('Old Run', %s, true) RETURNING id",
        (f"PS-RESET-{token}",),
    )
    topic, group = f"test-reset-{token}", f"test-reset-group-{token}"
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap)
    try:
        from kafka.admin import NewTopic

        admin.create_topics([NewTopic(topic, 1, 1)])
        reader = KafkaConsumer(
            topic, bootstrap_servers=settings.kafka.bootstrap, group_id=group, auto_offset_reset="earliest"
        )
        reader.poll(timeout_ms=3000)
        reader.commit()
        reader.close()
        (settings.home / "streams" / "marker-of-an-old-run").parent.mkdir(parents=True, exist_ok=True)
        (settings.home / "streams" / "marker-of-an-old-run").write_text("old")

        refused = run_cli("sandbox", "reset", stdin="n\n", timeout=60)
        assert refused.returncode != 0 and "Aborted" in refused.stdout + refused.stderr
        assert shop_rows(settings, "SELECT 1 FROM {p}configuration WHERE name = %s", (f"PRESTASYNC_RESET_{token}",))

        done = run_cli("sandbox", "reset", "--yes")
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert "sandbox reset" in done.stdout

        assert not shop_rows(settings, "SELECT 1 FROM {p}configuration WHERE name = %s", (f"PRESTASYNC_RESET_{token}",))
        assert shop_rows(settings, "SELECT 1 FROM {p}configuration WHERE name = 'PS_LANG_DEFAULT'"), "seed rows back"
        assert erp_rows(settings, "SELECT count(*) FROM res_partner WHERE ref = %s", (f"PS-RESET-{token}",)) == [(0,)]
        assert topic not in admin.list_topics()
        assert group not in {g["group_id"] for g in admin.list_groups()}
        assert not (settings.home / "streams" / "marker-of-an-old-run").exists()
        for name in connect.connector_names():
            assert connect.state(settings, name).healthy, f"connector {name} not RUNNING after the reset"
    finally:
        admin.close()
