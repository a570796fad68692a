"""prestasync as the attach tests run it: the CLI in a merchant's environment, `check --json`'s findings and
the problems among them."""

from __future__ import annotations

import json
import subprocess
import sys


def prestasync(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prestasync.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )


def check_json(env: dict[str, str], *only: str) -> tuple[int, list[dict[str, str]]]:
    """The databases' checks (these servers have no shop or ERP API in front of them)."""
    done = prestasync(env, "check", "--json", *(f"--only={o}" for o in only or ("mariadb", "postgres")))
    return done.returncode, json.loads(done.stdout)["findings"]


def problems(findings: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(f["system"], f["check"]) for f in findings if f["status"] == "problem"}
