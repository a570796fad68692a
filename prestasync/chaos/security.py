"""Security checks of the chaos run: no secret of the deployment in any log the run wrote."""

from __future__ import annotations

from pathlib import Path

from kernel.settings import Settings

MIN_SECRET_LEN = 8  # shorter values (a port, "root") would match by chance
# the processes' logs, the twins' call records (each request the twins got), the run's reports
LOG_PATTERNS = ("*.log", "*.jsonl", "report-*.json")


def log_files(roots: list[Path]) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
        elif root.is_dir():
            found += [p for pattern in LOG_PATTERNS for p in root.rglob(pattern) if p.is_file()]
    return sorted(set(found))


def _secret_values(settings: Settings) -> dict[bytes, str]:
    secrets = {}
    for path in settings.secret_files():
        value = path.read_text(encoding="utf-8", errors="replace").strip()
        for line in value.splitlines() or [value]:
            candidate = line.split("=", 1)[1] if path.suffix == ".properties" and "=" in line else line
            if len(candidate.strip()) >= MIN_SECRET_LEN:
                secrets[candidate.strip().encode()] = path.name
    return secrets


def secrets_in_logs(settings: Settings, roots: list[Path]) -> list[str]:
    """``<log file>: <secret file>`` for every secret value found in a log (empty: none leaked)."""
    secrets = _secret_values(settings)
    leaks = []
    for log in log_files(roots):
        data = log.read_bytes()
        leaks += [f"{log}: {name}" for secret, name in secrets.items() if secret in data]
    return leaks


CONNECT_CONFIGS = "prestasync-connect-configs"  # prestasync.stack.connect.worker_properties


def secrets_in_connector_configs(settings: Settings) -> list[str]:
    """Secrets in Connect's config topic (what Connect stores of the connectors sent to it): passwords
    must be ``${file:...}`` / ``${env:...}`` references there, never values."""
    from kernel.kafka_clients import consumer

    secrets = _secret_values(settings)
    reader = consumer(settings, CONNECT_CONFIGS, auto_offset_reset="earliest", consumer_timeout_ms=5000)
    try:
        return sorted(
            {
                f"{CONNECT_CONFIGS}: {name}"
                for record in reader
                for secret, name in secrets.items()
                if secret in (record.value or b"")
            }
        )
    finally:
        reader.close()


def capture_privileges(settings: Settings) -> list[str]:
    """`prestasync check`'s verdict on the capture users (grants, least privilege, the role's attributes):
    every finding that is not ok, as ``system check: detail`` (empty: least-privileged)."""
    from prestasync.attach.check import run_checks

    watched = ("capture grants", "least privilege", "capture role", "reachable")
    return [
        f"{f.system} {f.check}: {f.detail}"
        for f in run_checks(settings, ["mariadb", "postgres"])
        if f.check in watched and f.status not in ("ok", "info")
    ]
