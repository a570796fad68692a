"""prestasync as the attach tests run it: the CLI in a merchant's environment, `check --json`'s findings and
the problems among them."""

from __future__ import annotations

import json

from tests.support.cli import run_cli


def check_json(env: dict[str, str], *only: str) -> tuple[int, list[dict[str, str]]]:
    """The databases' checks (these servers have no shop or ERP API in front of them)."""
    done = run_cli("check", "--json", *(f"--only={o}" for o in only or ("mariadb", "postgres")), env=env, timeout=400)
    return done.returncode, json.loads(done.stdout)["findings"]


def problems(findings: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(f["system"], f["check"]) for f in findings if f["status"] == "problem"}
