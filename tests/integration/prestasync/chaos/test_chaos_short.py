"""CI's short fault matrix (issue #20): `prestasync bench chaos --short` on a private stack of the test's
own (its MariaDB, PostgreSQL, Kafka, Connect and twins, under a temporary home, on the chaos port block;
never the shared servers): one run of one fault of each class, then every column of the matrix zero and
no secret in any log of the run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from kernel.procs import port_open
from kernel.settings import get_settings
from prestasync.chaos.run import SHORT
from tests.support.prerequisites import unavailable

pytestmark = [pytest.mark.integration, pytest.mark.chaos]

PORTS = {"mariadb": 3326, "postgres": 5452, "kafka": 49092, "controller": 49093, "connect": 48083, "serve": 49300}
CONFIG = """mode: embedded
home: {home}
cache: {cache}
mariadb: {{port: 3326, socket: {home}/chaos/mariadb/mysqld.sock, server_id: 5326}}
postgres: {{port: 5452}}
kafka: {{local: true, bootstrap: "127.0.0.1:49092", controller_port: 49093, connect_url: "http://127.0.0.1:48083",
        broker_heap: 384m, connect_heap: 384m}}
sandbox: {{prestashop_port: 8804, odoo_port: 8073}}
streams: {{metrics_port: 49301, session_timeout_s: 10, inflight_hold_s: 5, shop_change_wait_s: 5}}
sinks: {{odoo: {{metrics_port: 49309}}, prestashop: {{metrics_port: 49310}}}}
serve: {{port: 49300, connectors: "off"}}
"""


@pytest.mark.timeout(1500)  # the private stack's start and six minutes of runs, on a loaded machine
def test_the_short_matrix_is_all_zero() -> None:
    taken = [f"{name} {port}" for name, port in PORTS.items() if port_open(port)]
    if taken:
        unavailable(f"the chaos port block is taken ({', '.join(taken)})")
    stack = get_settings()
    # not under pytest's tmp_path: its parents are root's alone, and PostgreSQL runs as the postgres user
    tmp_path = Path(tempfile.mkdtemp(prefix="prestasync-chaos-"))
    tmp_path.chmod(0o755)
    home = tmp_path / "home"
    for part in ("lib", "plugins"):  # the stack's jars: no Maven run for the private stack
        if (stack.home / part).is_dir():
            shutil.copytree(stack.home / part, home / part)
    config = tmp_path / "prestasync.yaml"
    config.write_text(CONFIG.format(home=home, cache=stack.cache))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESTASYNC_")}
    env["PRESTASYNC_CONFIG"] = str(config)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "prestasync.cli",
            "bench",
            "chaos",
            "--short",
            "--orders-per-minute",
            "30",
            "--stock-moves-per-minute",
            "20",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    out = done.stdout + done.stderr
    shutil.rmtree(tmp_path, ignore_errors=True)
    for name in SHORT:
        row = re.search(rf"^\| {re.escape(name)} \| (.*)$", out, re.MULTILINE)
        assert row is not None, out[-4000:]
        cells = [c.strip() for c in row.group(1).split("|")]
        assert cells[:6] == ["1", "0", "0", "0", "0", "0"], f"{name}: {row.group(0)}\n{out[-4000:]}"
        assert cells[6] == "0", f"{name}: echoes in {row.group(0)}"
    assert "secrets found in the run's logs and connector configs: 0" in out
    assert done.returncode == 0, out[-4000:]
