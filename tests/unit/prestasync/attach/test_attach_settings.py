"""Attach mode's settings: one env grammar, connectors of their own on a shared Connect cluster, no
admin connection, no database step in `stack up | provision` but the read-only check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kernel import dbadmin
from kernel.errors import StackError
from kernel.settings import Settings
from prestasync.stack import connect, connectors, lifecycle

pytestmark = pytest.mark.unit


def test_mode_and_sections_from_the_one_env_grammar(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PRESTASYNC_MODE", "attach")
    monkeypatch.setenv("PRESTASYNC_KAFKA__LOCAL", "false")
    monkeypatch.setenv("PRESTASYNC_MARIADB__SIGNAL_TABLE", "prestasync_signal")
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(tmp_path / "absent.yaml"))
    settings = Settings()
    assert settings.attach and not settings.kafka.local and settings.mariadb.signal_table == "prestasync_signal"


def test_mode_from_yaml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("mode: attach\npostgres: {capture_password_file: /run/secrets/pg}\n")
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(tmp_path / "p.yaml"))
    settings = Settings(home=tmp_path)
    assert settings.mode == "attach"
    assert settings.capture_password_path("postgres") == Path("/run/secrets/pg")
    with pytest.raises(ValueError):
        Settings(home=tmp_path, mode="both")  # type: ignore[arg-type]


def test_embedded_connectors_are_the_files_unchanged(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    for path in connect.CONNECTOR_FILES:
        assert connectors.render(settings, path) == connect.load_connector(path)
    assert connect.connector_names(settings) == ["prestashop-mariadb", "odoo-postgres"]


def test_another_topic_prefix_is_another_connector(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, kafka={"topic_prefix_shop": "acme", "topic_prefix_erp": "acmeerp"})
    shop, erp = (connectors.render(settings, p) for p in connect.CONNECTOR_FILES)
    assert shop["name"] == "prestashop-mariadb-acme" and shop["config"]["topic.prefix"] == "acme"
    assert shop["config"]["schema.history.internal.kafka.topic"] == "prestasync.schema-history.acme"
    assert erp["name"] == "odoo-postgres-acmeerp" and erp["config"]["topic.prefix"] == "acmeerp"
    assert connect.connector_names(settings) == [shop["name"], erp["name"]]


def test_attach_connectors_need_nothing_from_the_workers_environment(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, mode="attach", mariadb={"port": 3307, "signal_table": "ps_signal"})
    for path in connect.CONNECTOR_FILES:
        spec = connectors.render(settings, path)
        text = json.dumps(spec)
        assert "${env:" not in text  # someone else's Connect worker was not started with prestasync's env
        for key, value in spec["config"].items():
            if "password" in key:
                assert re.fullmatch(r"\$\{file:[^:]+/secrets/connect\.properties:PRESTASYNC_\w+_PASSWORD\}", value)
    shop = connectors.render(settings, connect.CONNECTOR_FILES[0])["config"]
    assert shop["database.port"] == "3307" and shop["signal.data.collection"] == "prestashop.ps_signal"
    secrets = tmp_path / "secrets" / "connect.properties"
    assert secrets.stat().st_mode & 0o777 == 0o600
    password = settings.capture_password("mariadb").get_secret_value()
    assert f"PRESTASYNC_MARIADB__CAPTURE_PASSWORD={password}" in secrets.read_text()
    assert password not in json.dumps([connectors.render(settings, p) for p in connect.CONNECTOR_FILES])


def test_properties_escaping_round_trips() -> None:
    assert connectors._properties_escape("a=b:c\\d #é") == "a\\=b\\:c\\\\d\\ \\#\\u00e9"


def test_no_admin_connection_in_attach_mode(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, mode="attach")
    for admin in (dbadmin.mariadb_admin, dbadmin.postgres_admin):
        with pytest.raises(StackError, match="attach mode"):
            admin(settings=settings)


def test_a_missing_admin_password_is_an_error_not_a_new_password(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, mariadb={"host": "db.example", "socket": str(tmp_path / "none.sock")})
    with pytest.raises(StackError, match="no admin password file"):
        dbadmin.mariadb_admin(settings=settings)
    assert not (tmp_path / "secrets" / "mariadb_admin.password").exists()


def test_attach_up_and_provision_touch_the_databases_only_through_the_check(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, mode="attach", kafka={"local": False})
    for steps in (lifecycle.up_steps(settings), lifecycle.provision_steps(settings)):
        titles = [s.title for s in steps]
        assert titles[:2] == [
            "shop MariaDB ready for capture (read-only check)",
            "ERP PostgreSQL ready for capture (read-only check)",
        ]
        rest = " ".join(titles[2:])
        assert "MariaDB" not in rest and "PostgreSQL" not in rest and "users" not in rest
        assert "Kafka broker" not in rest  # an existing cluster: nothing started here
    local = [s.title for s in lifecycle.up_steps(Settings(home=tmp_path, mode="attach"))]
    assert "Kafka broker (KRaft)" in local and "MariaDB installed" not in local
