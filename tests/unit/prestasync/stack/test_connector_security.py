"""kafka.security_protocol reaches the MariaDB connector's schema-history clients too (they write to the
same cluster); the SASL password only as a reference into connect.properties."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kernel.settings import Settings
from prestasync.stack import connect, connectors

pytestmark = pytest.mark.unit


def test_a_secured_cluster_secures_the_history_clients(tmp_path: Path) -> None:
    (tmp_path / "sasl.pw").write_text('Zq9"wX7\n')
    settings = Settings(
        home=tmp_path / "home",
        mode="attach",
        kafka={
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_username": "sync",
            "sasl_password_file": tmp_path / "sasl.pw",
            "ssl_cafile": tmp_path / "ca.pem",
        },
    )
    shop, erp = (connectors.render(settings, p) for p in connect.CONNECTOR_FILES)
    config = shop["config"]
    secrets = settings.secrets_dir / "connect.properties"
    for side in ("producer", "consumer"):
        prefix = f"schema.history.internal.{side}."
        assert config[prefix + "security.protocol"] == "SASL_SSL"
        assert config[prefix + "sasl.mechanism"] == "SCRAM-SHA-512"
        assert config[prefix + "sasl.jaas.config"] == f"${{file:{secrets}:PRESTASYNC_KAFKA__SASL_JAAS_CONFIG}}"
        assert config[prefix + "ssl.truststore.location"] == str(tmp_path / "ca.pem")
    text = json.dumps([shop, erp])
    assert "Zq9" not in text and "wX7" not in text
    assert not any(k.startswith("schema.history") for k in erp["config"])  # pgoutput keeps no history
    line = next(x for x in secrets.read_text().splitlines() if x.startswith("PRESTASYNC_KAFKA__SASL_JAAS_CONFIG="))
    assert "ScramLoginModule" in line and 'username\\="sync"' in line and 'password\\="Zq9\\\\"wX7"' in line


def test_a_plaintext_cluster_leaves_the_files_unchanged(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert connectors.render(settings, connect.CONNECTOR_FILES[0]) == connect.load_connector(connect.CONNECTOR_FILES[0])
