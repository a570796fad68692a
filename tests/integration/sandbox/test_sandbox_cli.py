"""`prestasync sandbox up | status --json | down` as processes, on ports of the test's own."""

from __future__ import annotations

import json
import os
import shutil

import pytest
import requests

from kernel.procs import free_port
from kernel.settings import get_settings
from tests.support.cli import run_cli

pytestmark = pytest.mark.integration


def test_sandbox_up_status_down(tmp_path) -> None:
    ps_port, odoo_port = free_port(), free_port()
    # a home of the test's own (pid files, logs), with the stack's database secrets
    shutil.copytree(get_settings().secrets_dir, tmp_path / "secrets")
    env = {
        **os.environ,
        "PRESTASYNC_HOME": str(tmp_path),
        "PRESTASYNC_SANDBOX__PRESTASHOP_PORT": str(ps_port),
        "PRESTASYNC_SANDBOX__ODOO_PORT": str(odoo_port),
    }
    up = run_cli("sandbox", "up", env=env, timeout=120)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        status = run_cli("sandbox", "status", "--json", env=env, timeout=120)
        assert status.returncode == 0, status.stdout + status.stderr
        twins = json.loads(status.stdout)
        assert twins["prestashop"]["url"] == f"http://127.0.0.1:{ps_port}/api/"
        assert twins["odoo"]["url"] == f"http://127.0.0.1:{odoo_port}"
        key = twins["prestashop"]["credentials"]["webservice_key"]
        # the printed credentials really open the twins
        reply = requests.get(twins["prestashop"]["url"], auth=(key, ""), timeout=10)
        assert reply.status_code == 200 and reply.headers["PSWS-Version"].startswith("8.")
        odoo = twins["odoo"]["credentials"]
        args = [odoo["database"], odoo["login"], odoo["api_key"]]
        login = requests.post(
            f"{twins['odoo']['url']}/jsonrpc",
            timeout=10,
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"service": "common", "method": "login", "args": args},
            },
        ).json()
        assert login["result"] == odoo["uid"]
    finally:
        down = run_cli("sandbox", "down", env=env, timeout=120)
    assert down.returncode == 0
    after = run_cli("sandbox", "status", env=env, timeout=120)
    assert after.returncode == 1 and "DOWN" in after.stdout
