"""prestasync as the attach tests run it: the CLI in a merchant's environment, `check --json`'s findings and
the problems among them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.integration.prestasync.attach.servers import MARIADB_PORT, POSTGRES_PORT
from tests.support.cli import run_cli


def check_json(env: dict[str, str], *only: str) -> tuple[int, list[dict[str, str]]]:
    """The databases' checks (these servers have no shop or ERP API in front of them)."""
    done = run_cli("check", "--json", *(f"--only={o}" for o in only or ("mariadb", "postgres")), env=env, timeout=400)
    return done.returncode, json.loads(done.stdout)["findings"]


def problems(findings: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(f["system"], f["check"]) for f in findings if f["status"] == "problem"}


def attach_env(home: Path, **settings: str) -> dict[str, str]:
    """The environment of a `prestasync` run in attach mode on these servers: the test's own home and no
    YAML, nothing of the caller's ``PRESTASYNC_*`` but the jar cache; ``settings`` by variable name."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("PRESTASYNC_") or k == "PRESTASYNC_CACHE"}
    return {
        **base,
        "PRESTASYNC_MODE": "attach",
        "PRESTASYNC_HOME": str(home),
        "PRESTASYNC_CONFIG": str(home / "none.yaml"),
        "PRESTASYNC_MARIADB__PORT": str(MARIADB_PORT),
        "PRESTASYNC_POSTGRES__PORT": str(POSTGRES_PORT),
        **settings,
    }


def remove_deployment(env: dict[str, str], *prefixes: str) -> subprocess.CompletedProcess[str]:
    """Our connectors off the test stack's Connect with their offsets, and our topics off its Kafka."""
    from kafka.admin import KafkaAdminClient

    removed = run_cli("connectors", "remove", env=env, timeout=400)
    admin = KafkaAdminClient(bootstrap_servers="127.0.0.1:9092")
    try:
        ours = [t for t in admin.list_topics() if any(p in t for p in prefixes)]
        admin.delete_topics(ours) if ours else None
    finally:
        admin.close()
    return removed
