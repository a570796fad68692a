"""docker-compose.yml's wiring, without a Docker engine: images and the build, commands the CLI has, env
names the settings read, mounted files that exist, health checks on the ports the workers serve, and
the connector files' variables given to Connect."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from kernel.settings import REPO_ROOT, Settings
from prestasync.stack import connect
from prestasync.stack.lifecycle import write_secrets
from tests.support.wiring import env_names_read, parse_cli

pytestmark = pytest.mark.unit

PRESTASYNC_SERVICES = ("provision", "twin-prestashop", "twin-odoo", "streams", "sink-odoo", "sink-prestashop")
WORKERS = {
    "streams": ["run", "streams"],
    "sink-odoo": ["run", "sink", "odoo"],
    "sink-prestashop": ["run", "sink", "prestashop"],
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def settings_of(service: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The settings a container of this service gets: its mounted YAML and its environment."""
    env = dict(service.get("environment") or {})
    config = env.pop("PRESTASYNC_CONFIG")
    mounts = dict(v.split(":")[1::-1][:2] for v in service["volumes"])  # container path -> host path
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(REPO_ROOT / mounts[config]))
    for key, value in env.items():
        monkeypatch.setenv(key, str(value))
    return Settings()


def test_servers_are_the_embedded_topology(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"mariadb", "postgres", "kafka", "connect", "provision"} <= set(services)
    assert services["mariadb"]["image"].startswith("mariadb:10.11")
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["kafka"]["image"].startswith("apache/kafka:4.")
    assert services["connect"]["image"].startswith("quay.io/debezium/connect:3.")
    assert "--binlog-format=ROW" in services["mariadb"]["command"]
    assert "wal_level=logical" in services["postgres"]["command"]


def test_the_workers_are_the_ones_serve_runs_with_the_same_commands(compose: dict[str, Any]) -> None:
    from prestasync.serve.children import child_specs

    specs = {s.name: list(s.argv[3:]) for s in child_specs(Settings())}  # after `python -m prestasync.cli`
    assert specs == WORKERS
    for name, args in WORKERS.items():
        service = compose["services"][name]
        assert service["command"] == args
        assert service["restart"] == "unless-stopped"
        grace = int(service["stop_grace_period"].rstrip("s"))
        assert grace > Settings().serve.stop_timeout_s, f"{name}: Docker would SIGKILL it before it drains"


def test_every_image_is_pinned_and_the_build_is_the_dockerfile(compose: dict[str, Any]) -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    for name, service in compose["services"].items():
        image = service["image"]
        assert ":" in image and not image.endswith(":latest"), f"{name}: unpinned image {image}"
        if name in PRESTASYNC_SERVICES:
            assert service["build"] == "." and image == "prestasync:local", name
    for line in dockerfile.splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (REPO_ROOT / source).exists(), f"Dockerfile copies {source}, which is not in the repo"
    entrypoint = yaml.safe_load(dockerfile.split("ENTRYPOINT", 1)[1].splitlines()[0])
    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    assert entrypoint == ["prestasync"] and 'prestasync = "prestasync.cli:main"' in pyproject


def test_every_command_exists_in_the_cli(compose: dict[str, Any]) -> None:
    from sandbox.lifecycle import TWINS

    for name in PRESTASYNC_SERVICES:
        service = compose["services"][name]
        command = service["command"]
        if "entrypoint" in service:  # the twins: python -m sandbox.run <system>
            assert service["entrypoint"] == ["python", "-m", "sandbox.run"], name
            assert (REPO_ROOT / "sandbox" / "run.py").is_file() and command[0] in TWINS, name
        else:
            parse_cli(command)
    with pytest.raises(click.UsageError):
        parse_cli(["run", "sink", "dolibarr"])  # the check itself fails on what the CLI does not have
    with pytest.raises(AssertionError):
        parse_cli(["run", "stream"])


def test_every_env_name_is_one_the_settings_read(compose: dict[str, Any]) -> None:
    known = env_names_read()
    assert "PRESTASYNC_NOT_A_SETTING" not in known and "PRESTASYNC_SERVE__PORT" in known
    for name in PRESTASYNC_SERVICES:
        for key in compose["services"][name].get("environment") or {}:
            assert key in known, f"{name}: {key} is read by nothing"


def test_mounted_files_exist_and_the_config_is_valid_settings(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in PRESTASYNC_SERVICES:
        service = compose["services"][name]
        for volume in service["volumes"]:
            host = volume.split(":")[0]
            assert host.startswith("./"), volume
            assert host == "./.stack" or (REPO_ROOT / host).exists(), f"{name} mounts {host}, which does not exist"
        with monkeypatch.context() as patch:
            settings = settings_of(service, patch)
        assert settings.home == Path("/app/.stack")
        assert settings.kafka.bootstrap == "kafka:9092" and settings.kafka.connect_url == "http://connect:8083"
        assert (settings.mariadb.host, settings.postgres.host) == ("mariadb", "postgres")


def test_health_checks_ask_the_port_each_worker_serves(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in WORKERS:
        service = compose["services"][name]
        check = " ".join(service["healthcheck"]["test"])
        port = int(re.search(r"127\.0\.0\.1:(\d+)/health", check).group(1))  # type: ignore[union-attr]
        with monkeypatch.context() as patch:
            settings = settings_of(service, patch)
        serves = (
            settings.streams.metrics_port
            if name == "streams"
            else settings.sinks.worker(name.removeprefix("sink-")).metrics_port
        )
        assert port == serves, f"{name} serves /health on {serves}, its health check asks {port}"


def test_sinks_reach_the_twin_services(compose: dict[str, Any]) -> None:
    services = compose["services"]
    odoo = services["sink-odoo"]["environment"]["PRESTASYNC_ERP__URL"]
    shop = services["sink-prestashop"]["environment"]["PRESTASYNC_SHOP__API_URL"]
    assert odoo == "http://twin-odoo:8069" and "8069:8069" in services["twin-odoo"]["ports"][0]
    assert shop == "http://twin-prestashop:8800/api" and "8800:8800" in services["twin-prestashop"]["ports"][0]
    for name, service in services.items():
        for needed in service.get("depends_on") or {}:
            assert needed in services, f"{name} depends on {needed}, which is no service"


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
    parse_cli(["stack", "secrets"])  # the command that generates them


def test_the_connect_variables_are_the_settings_own(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """One env grammar: the variables the connector files reference configure prestasync itself too."""
    env = {k: str(v) for k, v in compose["x-prestasync-env"].items()}
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(tmp_path / "absent.yaml"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    rendered = connect.connector_env(Settings().model_copy(update={"home": tmp_path}))
    assert {name: rendered[name] for name in env} == env  # each variable set the key it names
