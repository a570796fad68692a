"""Kafka Connect (distributed mode) with the Debezium plugins, and the connectors in ``connect/``.

Connector JSON files are the same for the embedded stack and docker-compose: every value that
depends on the deployment (hosts, database names, table prefix, passwords) is a Kafka Connect
config-provider reference ``${env:PRESTASYNC_...}``, resolved inside the Connect worker, so no
secret is ever written in a connector file or visible through Connect's REST API. How a deployment's
settings render those files (names, prefixes, attach mode) is ``connectors``.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from kernel.errors import StackError
from kernel.procs import ManagedProcess, port_open, wait_until
from kernel.settings import REPO_ROOT, Settings
from prestasync.stack.kafka import check_java, classpath, plugins_dir

CONNECTOR_FILES = (REPO_ROOT / "connect" / "prestashop-mariadb.json", REPO_ROOT / "connect" / "odoo-postgres.json")
HTTP_TIMEOUT = 10


def connector_env(settings: Settings) -> dict[str, str]:
    """The variables the connector JSON files reference, for the Connect worker's environment."""
    m, p = settings.mariadb, settings.postgres
    return {
        "PRESTASYNC_KAFKA__BOOTSTRAP": settings.kafka.bootstrap,
        "PRESTASYNC_MARIADB__HOST": m.host,
        "PRESTASYNC_MARIADB__PORT": str(m.port),
        "PRESTASYNC_MARIADB__DATABASE": m.database,
        "PRESTASYNC_MARIADB__TABLE_PREFIX": m.table_prefix,
        "PRESTASYNC_MARIADB__CAPTURE_USER": m.capture_user,
        "PRESTASYNC_MARIADB__CAPTURE_PASSWORD": settings.capture_password("mariadb").get_secret_value(),
        "PRESTASYNC_MARIADB__SERVER_ID": str(m.server_id),
        "PRESTASYNC_POSTGRES__HOST": p.host,
        "PRESTASYNC_POSTGRES__PORT": str(p.port),
        "PRESTASYNC_POSTGRES__DATABASE": p.database,
        "PRESTASYNC_POSTGRES__CAPTURE_USER": p.capture_user,
        "PRESTASYNC_POSTGRES__CAPTURE_PASSWORD": settings.capture_password("postgres").get_secret_value(),
        "PRESTASYNC_POSTGRES__PUBLICATION": p.publication,
        "PRESTASYNC_POSTGRES__SLOT": p.slot,
    }


def worker_properties(settings: Settings) -> str:
    port = settings.kafka.connect_url.rsplit(":", 1)[1].rstrip("/")
    return (
        f"bootstrap.servers={settings.kafka.bootstrap}\n"
        "group.id=prestasync-connect\n"
        "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
        "value.converter=org.apache.kafka.connect.json.JsonConverter\n"
        "key.converter.schemas.enable=true\n"
        "value.converter.schemas.enable=true\n"
        "config.storage.topic=prestasync-connect-configs\n"
        "offset.storage.topic=prestasync-connect-offsets\n"
        "status.storage.topic=prestasync-connect-status\n"
        "config.storage.replication.factor=1\n"
        "offset.storage.replication.factor=1\n"
        "status.storage.replication.factor=1\n"
        # flush source offsets often: a restart then re-reads seconds, not minutes, of binlog/WAL
        "offset.flush.interval.ms=1000\n"
        f"listeners=http://127.0.0.1:{port}\n"
        f"plugin.path={plugins_dir(settings)}\n"
        "plugin.discovery=hybrid_warn\n"
        "config.providers=env,file\n"
        "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n"
        "config.providers.env.param.allowlist.pattern=^PRESTASYNC_.*\n"
        "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n"
    )


def connect_process(settings: Settings) -> ManagedProcess:
    return ManagedProcess("connect", settings.home / "run", settings.logs_dir)


def _connect_port(settings: Settings) -> int:
    return int(settings.kafka.connect_url.rsplit(":", 1)[1].rstrip("/"))


def _env_digest(env: dict[str, str]) -> str:
    """A fingerprint of the worker's environment (it holds passwords: only a digest is kept)."""
    return hashlib.sha256(json.dumps(env, sort_keys=True).encode()).hexdigest()


def ensure_worker(settings: Settings) -> None:
    java = check_java()
    proc = connect_process(settings)
    env = connector_env(settings)
    digest_file = settings.home / "connect" / "worker.env.sha256"
    known = digest_file.read_text().strip() if digest_file.is_file() else None
    if proc.running() and known != _env_digest(env):
        # the connectors resolve ${env:...} in the worker: one started with other values (or other names,
        # before the one env grammar) would leave them unresolved; it is ours, so restart it
        proc.stop(timeout=60)
    if not proc.running():
        if port_open(_connect_port(settings)):
            raise StackError(
                f"port {_connect_port(settings)} is already taken by another process",
                "stop it or change kafka.connect_url in the config",
            )
        from prestasync.stack.kafka import _log4j_config

        props = settings.home / "connect" / "worker.properties"
        props.parent.mkdir(parents=True, exist_ok=True)
        props.write_text(worker_properties(settings))
        proc.start(
            [
                java,
                f"-Xms{settings.kafka.connect_heap}",
                f"-Xmx{settings.kafka.connect_heap}",
                "-XX:+UseG1GC",
                f"-Dlog4j2.configurationFile={_log4j_config(settings, 'connect')}",
                "-cp",
                classpath(settings),
                "org.apache.kafka.connect.cli.ConnectDistributed",
                str(props),
            ],
            env=env,
        )
        digest_file.write_text(_env_digest(env) + "\n")
    try:
        wait_until(lambda: rest_ready(settings) or not proc.running(), 180, "Kafka Connect REST API")
    except StackError as exc:
        raise StackError(f"{exc}\n--- {proc.log_file} ---\n{proc.log_tail()}") from exc
    if not proc.running():
        raise StackError(f"Kafka Connect exited at start\n--- {proc.log_file} ---\n{proc.log_tail()}")


def rest_ready(settings: Settings) -> bool:
    try:
        return requests.get(f"{settings.kafka.connect_url}/connectors", timeout=2).status_code == 200
    except requests.RequestException:
        return False


@dataclass(frozen=True)
class ConnectorState:
    name: str
    connector: str
    tasks: tuple[str, ...]
    error: str = ""

    @property
    def healthy(self) -> bool:
        return self.connector == "RUNNING" and bool(self.tasks) and all(t == "RUNNING" for t in self.tasks)


def load_connector(path: Path) -> dict[str, Any]:
    spec = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(spec, dict) or "name" not in spec or "config" not in spec:
        raise StackError(f"{path}: a connector file needs a name and a config")
    return spec


def deploy(settings: Settings, path: Path) -> str:
    """Create or update the connector of a ``connect/*.json`` file, as these settings render it."""
    from prestasync.stack.connectors import render

    return deploy_spec(settings, render(settings, path))


def deploy_spec(settings: Settings, spec: dict[str, Any]) -> str:
    """Create or update a connector (PUT is idempotent in Connect's REST API)."""
    # Stopped by an attach-mode `stack down` (a PAUSE is an operator's). Read before the PUT: a config
    # update restarts the connector, and for a moment it reports another state while its target stays
    # STOPPED, so a state read after the PUT can miss it (seen: the connector never resumed).
    stopped = state(settings, spec["name"]).connector == "STOPPED"
    if stopped:
        # resumed before the PUT too: with `prestasync serve` on the real pair (Connect 4.1.1) a resume
        # sent right after the config update of a STOPPED connector was lost, it stayed STOPPED
        resume(settings, spec["name"])
    url = f"{settings.kafka.connect_url}/connectors/{spec['name']}/config"
    reply = requests.put(url, json=spec["config"], timeout=60)
    if reply.status_code >= 400:
        raise StackError(f"Kafka Connect refused connector {spec['name']}: {_error_text(reply)}")
    current = state(settings, spec["name"])
    if stopped:
        resume(settings, spec["name"])
    elif current.connector == "FAILED" or "FAILED" in current.tasks:
        # a new config does not revive failed tasks; restart them so the new config is tried
        restart(settings, spec["name"])
    return str(spec["name"])


def restart(settings: Settings, name: str) -> None:
    url = f"{settings.kafka.connect_url}/connectors/{name}/restart?includeTasks=true&onlyFailed=true"
    reply = requests.post(url, timeout=60)
    if reply.status_code >= 400:
        raise StackError(f"Kafka Connect could not restart connector {name}: {_error_text(reply)}")


def _error_text(reply: requests.Response) -> str:
    try:
        body = reply.json()
    except ValueError:
        return reply.text[:500]
    if isinstance(body, dict) and "configs" in body:  # validation answer: list each field's errors
        errs = [
            f"{c['value']['name']}: {'; '.join(c['value']['errors'])}"
            for c in body["configs"]
            if c["value"].get("errors")
        ]
        return "; ".join(errs) or json.dumps(body)[:500]
    return str(body.get("message", body)) if isinstance(body, dict) else str(body)[:500]


def state(settings: Settings, name: str) -> ConnectorState:
    try:
        reply = requests.get(f"{settings.kafka.connect_url}/connectors/{name}/status", timeout=HTTP_TIMEOUT)
    except requests.RequestException as exc:
        return ConnectorState(name, "UNREACHABLE", (), str(exc))
    if reply.status_code == 404:
        return ConnectorState(name, "MISSING", ())
    body = reply.json()
    tasks = tuple(t["state"] for t in body.get("tasks", []))
    traces = [body["connector"].get("trace", "")] + [t.get("trace", "") for t in body.get("tasks", [])]
    error = next((_first_cause(t) for t in traces if t), "")
    return ConnectorState(name, body["connector"]["state"], tasks, error)


def _first_cause(trace: str) -> str:
    """The most specific 'Caused by' line of a Java trace is what a person needs to read."""
    lines = trace.splitlines()
    causes = [ln.strip() for ln in lines if ln.strip().startswith("Caused by:")]
    return causes[-1] if causes else (lines[0] if lines else "")


def wait_running(settings: Settings, name: str, timeout: float = 120) -> ConnectorState:
    deadline = time.monotonic() + timeout
    current = state(settings, name)
    while time.monotonic() < deadline:
        current = state(settings, name)
        if current.healthy:
            return current
        if current.connector == "FAILED" or "FAILED" in current.tasks:
            raise StackError(
                f"connector {name} FAILED: {current.error}",
                f"full trace: curl {settings.kafka.connect_url}/connectors/{name}/status",
            )
        time.sleep(1)
    raise StackError(
        f"connector {name} not RUNNING after {timeout:.0f}s (state {current.connector}, "
        f"tasks {list(current.tasks)}) {current.error}"
    )


def pause(settings: Settings, name: str) -> None:
    _lifecycle_call(settings, "PUT", f"/connectors/{name}/pause", name)


def resume(settings: Settings, name: str) -> None:
    _lifecycle_call(settings, "PUT", f"/connectors/{name}/resume", name)


def restart_all(settings: Settings, name: str) -> None:
    """Restart the connector and all its tasks (not only failed ones)."""
    _lifecycle_call(settings, "POST", f"/connectors/{name}/restart?includeTasks=true&onlyFailed=false", name)


def _lifecycle_call(settings: Settings, method: str, path: str, name: str) -> None:
    try:
        reply = requests.request(method, f"{settings.kafka.connect_url}{path}", timeout=60)
    except requests.RequestException as exc:
        raise StackError(f"Kafka Connect unreachable at {settings.kafka.connect_url}: {exc}") from exc
    if reply.status_code == 404:
        raise StackError(f"no connector named {name!r}", f"known: {', '.join(connector_names())}")
    if reply.status_code >= 400:
        raise StackError(f"Kafka Connect refused {method} {path}: {_error_text(reply)}")


def delete(settings: Settings, name: str) -> None:
    requests.delete(f"{settings.kafka.connect_url}/connectors/{name}", timeout=HTTP_TIMEOUT)


def connector_names(settings: Settings | None = None) -> list[str]:
    """The connectors these settings deploy (named after their topic prefixes, see ``render``)."""
    from kernel.settings import get_settings
    from prestasync.stack.connectors import render_name

    s = settings or get_settings()
    return [render_name(s, p) for p in CONNECTOR_FILES]
