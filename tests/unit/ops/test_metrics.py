"""The metrics endpoint serves the shared metrics; the health endpoint follows its check."""

from __future__ import annotations

import pytest
import requests

from prestasync.metrics import API_ERRORS, ECHOES_DROPPED, END_TO_END_LATENCY, MetricsServer

pytestmark = pytest.mark.unit


def test_metrics_and_health_endpoints() -> None:
    healthy = {"ok": True}
    server = MetricsServer(0, lambda: (healthy["ok"], {"lag": 3})).start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        ECHOES_DROPPED.labels(entity="customer").inc(2)
        API_ERRORS.labels(system="odoo", kind="transient").inc()
        END_TO_END_LATENCY.labels(direction="shop_to_erp").observe(0.7)
        text = requests.get(f"{base}/metrics", timeout=5).text
        assert 'prestasync_echoes_dropped_total{entity="customer"} 2.0' in text
        assert 'prestasync_api_errors_total{kind="transient",system="odoo"} 1.0' in text
        assert 'prestasync_end_to_end_latency_seconds_bucket{direction="shop_to_erp",le="1.0"} 1.0' in text
        ok = requests.get(f"{base}/health", timeout=5)
        assert ok.status_code == 200 and ok.json() == {"status": "ok", "lag": 3}
        healthy["ok"] = False
        failing = requests.get(f"{base}/health", timeout=5)
        assert failing.status_code == 503 and failing.json()["status"] == "failing"
        assert requests.get(f"{base}/nope", timeout=5).status_code == 404
    finally:
        server.stop()
