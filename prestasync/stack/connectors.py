"""A deployment's connectors: the ``connect/*.json`` files as these settings render them, their names,
what they capture, and how they leave a Connect cluster (stopped, or removed with their offsets)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import requests

from kernel.errors import StackError
from kernel.kafka_clients import sasl_login as _sasl_login
from kernel.procs import wait_until
from kernel.settings import Settings
from prestasync.stack.connect import _error_text, connector_env, delete, load_connector, state

# which settings field holds each connector's topic prefix (the file's own value is the embedded default)
_PREFIX_FIELD = {"prestashop-mariadb.json": "topic_prefix_shop", "odoo-postgres.json": "topic_prefix_erp"}
_SECRET_REFERENCE = re.compile(r"\$\{env:(PRESTASYNC_\w+_PASSWORD)\}")
_ENV_REFERENCE = re.compile(r"\$\{env:(PRESTASYNC_\w+)\}")


def render(settings: Settings, path: Path) -> dict[str, Any]:
    """The connector a ``connect/*.json`` file becomes under these settings.

    A topic prefix other than the file's renames the connector and its schema-history topic too
    (``prestashop-mariadb-<prefix>``), so a second deployment on the same Connect cluster (a merchant's
    pair beside the sandbox, an integrator's shops) never takes over another one's connector, offsets
    or topics. In attach mode the Connect worker may be someone else's, started without prestasync's
    environment: deployment values are written into the config, and passwords become references to
    ``<home>/secrets/connect.properties`` (FileConfigProvider), still never inline.
    """
    spec = load_connector(path)
    config = dict(spec["config"])
    name = render_name(settings, path)
    if name != spec["name"]:
        prefix = str(getattr(settings.kafka, _PREFIX_FIELD[path.name]))
        config["topic.prefix"] = prefix
        history = "schema.history.internal.kafka.topic"
        if history in config:
            config[history] = f"{config[history].rsplit('.', 1)[0]}.{prefix}"
    signal = (settings.mariadb if path.name == "prestashop-mariadb.json" else settings.postgres).signal_table
    for key in ("table.include.list", "signal.data.collection"):
        config[key] = re.sub(r"\bdebezium_signal\b", signal, str(config[key]))
    if settings.kafka.initial_snapshot == "incremental":  # rows already there: `onboard snapshot`, resumable
        config["snapshot.mode"] = "no_data"
    secured = settings.kafka.security_protocol != "PLAINTEXT" and _HISTORY_BOOTSTRAP in config
    if settings.attach or secured:
        env = connector_env(settings)
        secrets_file = write_connect_secrets(settings, env)
        if settings.attach:
            for key, value in config.items():
                value = _SECRET_REFERENCE.sub(lambda m: f"${{file:{secrets_file}:{m.group(1)}}}", str(value))
                config[key] = _ENV_REFERENCE.sub(lambda m: env[m.group(1)], value)
        if secured:
            config.update(history_client_security(settings, secrets_file))
    return {"name": name, "config": config}


_HISTORY_BOOTSTRAP = "schema.history.internal.kafka.bootstrap.servers"
_JAAS = "PRESTASYNC_KAFKA__SASL_JAAS_CONFIG"
_LOGIN_MODULES = {
    "PLAIN": "org.apache.kafka.common.security.plain.PlainLoginModule",
    "SCRAM-SHA-256": "org.apache.kafka.common.security.scram.ScramLoginModule",
    "SCRAM-SHA-512": "org.apache.kafka.common.security.scram.ScramLoginModule",
}


def history_client_security(settings: Settings, secrets_file: Path) -> dict[str, str]:
    """The Debezium schema-history producer's and consumer's TLS / SASL settings (``kafka.*``), so the
    MariaDB connector reaches a secured cluster like prestasync's own clients; the JAAS line (it holds
    the SASL password) is a reference into ``connect.properties``, never inline."""
    kafka = settings.kafka
    options: dict[str, str] = {"security.protocol": kafka.security_protocol}
    if kafka.security_protocol.startswith("SASL_"):
        options["sasl.mechanism"] = kafka.sasl_mechanism
        options["sasl.jaas.config"] = f"${{file:{secrets_file}:{_JAAS}}}"
    if kafka.security_protocol in ("SSL", "SASL_SSL"):
        if kafka.ssl_cafile is not None:
            options.update({"ssl.truststore.type": "PEM", "ssl.truststore.location": str(kafka.ssl_cafile)})
        if not kafka.ssl_check_hostname:
            options["ssl.endpoint.identification.algorithm"] = ""
    return {
        f"schema.history.internal.{side}.{key}": value
        for side in ("producer", "consumer")
        for key, value in options.items()
    }


def _jaas_line(settings: Settings) -> str | None:
    kafka = settings.kafka
    if not kafka.security_protocol.startswith("SASL_"):
        return None
    username, password = _sasl_login(kafka)
    return (
        f'{_LOGIN_MODULES[kafka.sasl_mechanism]} required username="{_jaas_quote(username)}" '
        f'password="{_jaas_quote(password)}";'
    )


def _jaas_quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def write_connect_secrets(settings: Settings, env: dict[str, str]) -> Path:
    """The capture passwords as a Java properties file (0600) for Connect's FileConfigProvider.

    A Connect cluster on other machines needs this file at the same path on every worker.
    """
    path = settings.secrets_dir / "connect.properties"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lines = [f"{k}={_properties_escape(v)}" for k, v in env.items() if k.endswith("_PASSWORD")]
    jaas = _jaas_line(settings)
    if jaas is not None:
        lines.append(f"{_JAAS}={_properties_escape(jaas)}")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def _properties_escape(value: str) -> str:
    out = []
    for ch in value:
        if ch in "\\=:#! ":
            out.append("\\" + ch)
        elif not (0x20 <= ord(ch) < 0x7F):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def render_name(settings: Settings, path: Path) -> str:
    spec = load_connector(path)
    prefix = str(getattr(settings.kafka, _PREFIX_FIELD[path.name]))
    return str(spec["name"]) if prefix == spec["config"]["topic.prefix"] else f"{spec['name']}-{prefix}"


def captured_tables(path: Path) -> tuple[str, ...]:
    """The tables a connector file captures: the alternatives of its ``table.include.list`` group
    (without the shop's table prefix), the signal table apart."""
    include = str(load_connector(path)["config"]["table.include.list"])
    match = re.search(r"\(([^)]*)\)", include)
    if match is None:
        raise StackError(f"{path}: table.include.list has no (a|b|...) group of table names")
    return tuple(t for t in match.group(1).split("|") if t != "debezium_signal")


def stop(settings: Settings, name: str) -> bool:
    """Stop a connector on a cluster prestasync does not run (its tasks shut down, offsets kept;
    ``deploy`` resumes it). False if there is no such connector."""
    try:
        reply = requests.put(f"{settings.kafka.connect_url}/connectors/{name}/stop", timeout=60)
    except requests.RequestException as exc:
        raise StackError(f"Kafka Connect unreachable at {settings.kafka.connect_url}: {exc}") from exc
    if reply.status_code == 404:
        return False
    if reply.status_code >= 400:
        raise StackError(f"Kafka Connect could not stop connector {name}: {_error_text(reply)}")
    wait_until(lambda: state(settings, name).connector == "STOPPED", 60, f"connector {name} to stop")
    return True


def remove(settings: Settings, name: str, config: dict[str, Any] | None = None) -> None:
    """Delete a connector *and its source offsets* (stop, DELETE offsets, delete: KIP-875).

    Deleting a connector alone leaves its offsets in Connect's offsets topic: a later connector of the
    same name resumes from them, and fails when what they point at is gone (Debezium: "The db history
    topic is missing"; a dropped slot). ``config``: recreate a connector already deleted, stopped, to
    forget its offsets.
    """
    base = f"{settings.kafka.connect_url}/connectors"
    if config is not None and state(settings, name).connector == "MISSING":
        reply = requests.post(base, json={"name": name, "config": config, "initial_state": "STOPPED"}, timeout=60)
        if reply.status_code >= 400:
            raise StackError(f"Kafka Connect refused to recreate {name} stopped: {_error_text(reply)}")
    if not stop(settings, name):
        return
    reply = requests.delete(f"{base}/{name}/offsets", timeout=60)
    if reply.status_code >= 400:
        raise StackError(f"Kafka Connect could not reset the offsets of {name}: {_error_text(reply)}")
    delete(settings, name)
