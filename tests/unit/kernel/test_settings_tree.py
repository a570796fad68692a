"""The one settings tree: the sinks, the shop's ids and languages, Kafka security and the registry are
set from the YAML or the one env grammar; secrets only from files, never shown; old names refused."""

from __future__ import annotations

import io
import logging
import os
import re
from pathlib import Path

import faust
import pydantic
import pytest

from kernel.codec import registry_session
from kernel.kafka_clients import client_options, faust_broker
from kernel.logs import MASK, setup_logging
from kernel.settings import KafkaSettings, Settings
from sinks.odoo.config import load_config
from sinks.prestashop.config import MissingKey, config_from_settings

pytestmark = pytest.mark.unit

YAML = """
shop:
  api_url: https://shop.example/api
  api_key_file: {keys}/ps.key
  shop_id: 3
  shop_group_id: 2
  languages: {{1: en_US, 4: fr_FR}}
  timezone: Europe/Paris
erp:
  url: https://erp.example
  database: prod
  login: sync@example.com
  api_key_file: {keys}/odoo.key
  pricelist_groups: {{7: 3}}
  tax_ids: {{"20": 41}}
sinks:
  odoo: {{concurrency: 4}}
"""


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Settings:
    for name in list(os.environ):
        if name.startswith("PRESTASYNC_"):
            monkeypatch.delenv(name)
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "ps.key").write_text("PSKEY0123456789ABCDEFGHIJKLMNOPQ\n")
    (keys / "odoo.key").write_text("odoo-api-key-0123456789\n")
    (tmp_path / "prestasync.yaml").write_text(YAML.format(keys=keys))
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(tmp_path / "prestasync.yaml"))
    return Settings(home=tmp_path / "home")


def test_the_sinks_are_configured_from_the_yaml(configured: Settings) -> None:
    odoo = load_config(configured)
    assert (odoo.url, odoo.database, odoo.login) == ("https://erp.example", "prod", "sync@example.com")
    assert odoo.api_key.get_secret_value() == "odoo-api-key-0123456789" and odoo.options.tax_ids == {"20": 41}
    shop = config_from_settings(configured)
    assert (shop.api_url, shop.api_key, shop.shop_id) == (
        "https://shop.example/api",
        "PSKEY0123456789ABCDEFGHIJKLMNOPQ",
        3,
    )
    assert dict(shop.language_ids) == {"en_US": 1, "fr_FR": 4} and str(shop.shop_timezone) == "Europe/Paris"
    # a partial section keeps the other defaults of its worker (the Odoo sink's port is its own)
    assert configured.sinks.odoo.concurrency == 4 and configured.sinks.odoo.metrics_port == 9309
    assert configured.sinks.prestashop.metrics_port == 9310 and configured.erp.pricelist_groups == {7: 3}


def test_the_environment_overrides_the_yaml(configured: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESTASYNC_ERP__URL", "https://erp2.example/")
    monkeypatch.setenv("PRESTASYNC_SINKS__PRESTASHOP__METRICS_PORT", "0")
    settings = Settings(home=configured.home)
    assert load_config(settings).url == "https://erp2.example" and settings.sinks.prestashop.metrics_port == 0
    assert settings.shop.shop_id == 3  # the rest of the YAML still applies


def test_secrets_are_never_shown(configured: Settings) -> None:
    odoo, shop = load_config(configured), config_from_settings(configured)
    for shown in (repr(odoo), repr(shop), repr(odoo.api_key), repr(configured), str(configured.model_dump())):
        assert "odoo-api-key-0123456789" not in shown and "PSKEY0123456789" not in shown
    stream = io.StringIO()
    setup_logging(configured, stream=stream)  # the key files are outside <home>/secrets: still masked
    try:
        logging.getLogger("t").warning("calling with %s and %s", odoo.api_key.get_secret_value(), shop.api_key)
    finally:
        logging.getLogger().handlers = []
    assert "odoo-api-key" not in stream.getvalue() and "PSKEY" not in stream.getvalue()
    assert stream.getvalue().count(MASK) == 2
    with pytest.raises(pydantic.ValidationError):
        configured.erp.url = "http://elsewhere"  # type: ignore[misc]


def test_a_missing_key_file_stops_the_sink_with_the_setting_named(configured: Settings, tmp_path: Path) -> None:
    settings = configured.model_copy(
        update={"shop": configured.shop.model_copy(update={"api_key_file": tmp_path / "nowhere.key"})}
    )
    with pytest.raises(MissingKey, match=r"shop\.api_key_file"):
        config_from_settings(settings)


@pytest.mark.parametrize(
    "old, new",
    [
        ("PRESTASYNC_ODOO_SINK_URL", "erp.url"),
        ("PRESTASYNC_SINK_PRESTASHOP_URL", "shop.api_url"),
        ("PRESTASYNC_METRICS_PORT", "sinks.<system>.metrics_port"),
    ],
)
def test_the_old_sink_variables_are_refused_not_ignored(monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    monkeypatch.setenv(old, "9999")
    with pytest.raises(pydantic.ValidationError, match=re.escape(f"{old} -> {new}")):
        Settings()


def test_kafka_security_reaches_every_client(tmp_path: Path) -> None:
    assert client_options(KafkaSettings()) == {"bootstrap_servers": "127.0.0.1:9092", "security_protocol": "PLAINTEXT"}
    (tmp_path / "sasl").write_text("s3cret-sasl\n")
    kafka = KafkaSettings(
        bootstrap="b1:9094,b2:9094",
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username="sync",
        sasl_password_file=tmp_path / "sasl",
        ssl_check_hostname=False,
    )
    options = client_options(kafka)
    assert options["sasl_plain_password"] == "s3cret-sasl"  # noqa: S105 - read from the file above
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["security_protocol"] == "SASL_SSL" and options["ssl_check_hostname"] is False
    broker = faust_broker(kafka)
    assert broker["broker"] == "kafka://b1:9094;kafka://b2:9094"
    credentials = broker["broker_credentials"]
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.password == "s3cret-sasl"  # noqa: S105 - read from the file above
    assert credentials.ssl_context is not None
    with pytest.raises(ValueError, match="sasl_password_file"):
        client_options(kafka.model_copy(update={"sasl_password_file": None}))


def test_the_registry_session_takes_its_password_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "reg").write_text("reg-pass\n")
    session = registry_session(
        KafkaSettings(
            schema_registry_url="https://r",
            schema_registry_username="u",
            schema_registry_password_file=tmp_path / "reg",
            schema_registry_cafile=tmp_path / "ca.pem",
        )
    )
    assert session.auth == ("u", "reg-pass") and session.verify == str(tmp_path / "ca.pem")


def test_worker_options_come_from_the_sinks_section_and_the_command_line_wins(configured: Settings) -> None:
    from sinks.common.worker import WorkerOptions

    options = WorkerOptions.from_settings(configured, "odoo", batch_size=None, max_attempts=9, topic="t")
    assert (options.concurrency, options.batch_size, options.retry.max_attempts, options.topic) == (4, 50, 9, "t")
    assert WorkerOptions.from_settings(configured, "prestashop").concurrency == 8
