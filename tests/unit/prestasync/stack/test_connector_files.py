"""The connector JSON files: no inline secrets, every reference resolvable, capture lists match the DDL."""

from __future__ import annotations

import re

import pytest

from kernel.settings import Settings
from prestasync.stack import connect
from schemas.ddl import prestashop_tables
from schemas.ddl.odoo import ODOO_CAPTURED_TABLES

pytestmark = pytest.mark.unit

REFERENCE = re.compile(r"\$\{(\w+):([^}]*)\}")


@pytest.fixture(params=connect.CONNECTOR_FILES, ids=lambda p: p.name)
def spec(request: pytest.FixtureRequest) -> dict[str, object]:
    return connect.load_connector(request.param)


def test_no_secret_is_written_inline(spec: dict[str, dict[str, str]]) -> None:
    for key, value in spec["config"].items():
        if "password" in key or "secret" in key:
            assert REFERENCE.fullmatch(value), f"{key} must be a config-provider reference, not a literal"


def test_every_env_reference_is_provided_to_the_worker(spec: dict[str, dict[str, str]], tmp_path) -> None:
    provided = connect.connector_env(Settings(home=tmp_path))
    for value in spec["config"].values():
        for provider, name in REFERENCE.findall(value):
            assert provider == "env", f"unexpected provider {provider}"
            assert name in provided, f"{name} is referenced but the Connect worker is not given it"


def test_decimals_as_strings_everywhere(spec: dict[str, dict[str, str]]) -> None:
    assert spec["config"]["decimal.handling.mode"] == "string"


def test_worker_env_holds_the_secret_but_connector_json_does_not(tmp_path) -> None:
    settings = Settings(home=tmp_path)
    password = connect.connector_env(settings)["PRESTASYNC_MARIADB__CAPTURE_PASSWORD"]
    assert len(password) >= 24
    for path in connect.CONNECTOR_FILES:
        assert password not in path.read_text()
    assert password not in connect.worker_properties(settings)


def _resolve(value: str, env: dict[str, str]) -> str:
    return REFERENCE.sub(lambda m: env[m.group(2)], value)


def test_prestashop_capture_list_names_existing_tables(tmp_path) -> None:
    settings = Settings(home=tmp_path)
    env = connect.connector_env(settings)
    config = connect.load_connector(connect.CONNECTOR_FILES[0])["config"]
    patterns = [re.compile(p) for p in _resolve(config["table.include.list"], env).split(",")]
    db, prefix = settings.mariadb.database, settings.mariadb.table_prefix
    existing = {f"{db}.{t}" for t in prestashop_tables(prefix)}
    captured = {t for t in existing if any(p.fullmatch(t) for p in patterns)}
    for must in ("customer", "address", "orders", "order_detail", "order_history", "stock_available", "product"):
        assert f"{db}.{prefix}{must}" in captured
    assert f"{db}.debezium_signal" in captured
    # every alternative in the regex names a real table (a typo would silently capture nothing)
    names = re.search(r"\(([^)]*)\)", config["table.include.list"])
    assert names is not None
    for name in names.group(1).split("|"):
        assert f"{db}.{prefix}{name}" in existing, f"{name} is not a table of the PrestaShop DDL"


def test_odoo_capture_list_equals_the_publication_tables() -> None:
    config = connect.load_connector(connect.CONNECTOR_FILES[1])["config"]
    names = re.fullmatch(r"public\\\.\(([^)]*)\)", config["table.include.list"])
    assert names is not None
    assert set(names.group(1).split("|")) == {*ODOO_CAPTURED_TABLES, "debezium_signal"}
    assert config["plugin.name"] == "pgoutput"
    assert config["publication.autocreate.mode"] == "disabled"


def test_broker_properties_single_node_replication_factors(tmp_path) -> None:
    props = dict(
        line.split("=", 1) for line in connect.worker_properties(Settings(home=tmp_path)).splitlines() if "=" in line
    )
    for key in (
        "config.storage.replication.factor",
        "offset.storage.replication.factor",
        "status.storage.replication.factor",
    ):
        assert props[key] == "1"
    from prestasync.stack.kafka import broker_properties

    broker = dict(line.split("=", 1) for line in broker_properties(Settings(home=tmp_path)).splitlines())
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "share.coordinator.state.topic.replication.factor",
    ):
        assert broker[key] == "1"
    assert "controller.quorum.voters" not in broker  # dynamic quorum (format --standalone), never both
    assert broker["listeners"].startswith("PLAINTEXT://127.0.0.1:")


def test_connector_names_are_unique() -> None:
    names = connect.connector_names()
    assert len(names) == len(set(names)) == 2
