"""docker-compose.yml parses, uses the same connector files' variables, and names files that exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from kernel.settings import REPO_ROOT, Settings
from prestasync.stack import connect
from prestasync.stack.lifecycle import write_secrets

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_services_are_the_embedded_topology(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"mariadb", "postgres", "kafka", "connect", "provision"} <= set(services)
    assert services["mariadb"]["image"].startswith("mariadb:10.11")
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["kafka"]["image"].startswith("apache/kafka:4.")
    assert services["connect"]["image"].startswith("quay.io/debezium/connect:3.")
    assert "--binlog-format=ROW" in services["mariadb"]["command"]
    assert "wal_level=logical" in services["postgres"]["command"]


def test_connect_env_resolves_every_connector_reference(compose: dict[str, Any], tmp_path: Path) -> None:
    env = dict(compose["services"]["connect"]["environment"])
    write_secrets(Settings(home=tmp_path))
    for line in (tmp_path / "secrets" / "compose.env").read_text().splitlines():
        key, _, _ = line.partition("=")
        env[key] = "(from compose.env)"
    for path in connect.CONNECTOR_FILES:
        for value in connect.load_connector(path)["config"].values():
            for name in re.findall(r"\$\{env:([^}]*)\}", value):
                assert name in env, f"{path.name} needs {name}, docker-compose does not provide it"


def test_referenced_files_exist_or_are_generated_by_stack_secrets(compose: dict[str, Any], tmp_path: Path) -> None:
    generated = {f"secrets/{n}" for n in write_secrets(Settings(home=tmp_path))}
    referenced = [s["file"] for s in compose["secrets"].values()]
    referenced += compose["services"]["connect"]["env_file"]
    for file in referenced:
        relative = file.removeprefix(".stack/")
        assert file.startswith(".stack/secrets/") and relative in generated, file
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            host = volume.split(":")[0]
            if host.startswith("."):
                assert (REPO_ROOT / host).exists(), volume


def test_the_connect_variables_are_the_settings_own(compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    """One env grammar: the variables the connector files reference configure prestasync itself too."""
    env = {k: str(v) for k, v in compose["x-prestasync-env"].items()}
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(tmp_path / "absent.yaml"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    rendered = connect.connector_env(Settings().model_copy(update={"home": tmp_path}))
    assert {name: rendered[name] for name in env} == env  # each variable set the key it names
