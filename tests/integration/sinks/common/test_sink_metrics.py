"""A running sink serves /metrics and /health; applied commands and latency show up there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
import requests

from kernel.procs import free_port
from tests.support.polling import wait_until
from tests.support.sink_topics import sink_topics

pytestmark = pytest.mark.integration


def test_sink_process_serves_health_and_metrics() -> None:
    port = free_port()
    env = {**os.environ, "PRESTASYNC_SINKS__ODOO__METRICS_PORT": str(port)}
    with sink_topics(partitions=1) as topics:
        cmd = [
            sys.executable,
            "-m",
            "prestasync.cli",
            "run",
            "sink",
            "odoo",
            *topics.cli_args(),
        ]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:

            def answered() -> requests.Response:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else "the sink exited"
                return requests.get(f"http://127.0.0.1:{port}/health", timeout=2)

            health = wait_until(answered, "the sink's /health", 60, 0.5, ignoring=(requests.ConnectionError,))
            assert health.status_code == 200 and health.json()["status"] == "ok"
            assert health.json()["applied"] == 0
            text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
            assert "prestasync_commands_applied_total" in text and "prestasync_end_to_end_latency_seconds" in text
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        assert proc.returncode == 0
