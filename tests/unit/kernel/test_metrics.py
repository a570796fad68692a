"""The metrics endpoint serves the shared metrics; the health endpoint follows its check.

Metrics are process-wide (other tests may have counted before): assert on increments.
"""

from __future__ import annotations

import pytest
import requests

from kernel.metrics import API_ERRORS, ECHOES_DROPPED, END_TO_END_LATENCY, REGISTRY, MetricsServer

pytestmark = pytest.mark.unit


def _scraped(text: str, name: str, labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(f"{name}{{{labels}}} "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name}{{{labels}}} not in the scrape")


def test_metrics_and_health_endpoints() -> None:
    healthy = {"ok": True}
    server = MetricsServer(0, lambda: (healthy["ok"], {"lag": 3})).start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        echoes = REGISTRY.get_sample_value("prestasync_echoes_dropped_total", {"entity": "customer"}) or 0.0
        errors = REGISTRY.get_sample_value("prestasync_api_errors_total", {"kind": "transient", "system": "odoo"}) or 0
        fast = (
            REGISTRY.get_sample_value(
                "prestasync_end_to_end_latency_seconds_bucket", {"direction": "shop_to_erp", "le": "1.0"}
            )
            or 0.0
        )
        ECHOES_DROPPED.labels(entity="customer").inc(2)
        API_ERRORS.labels(system="odoo", kind="transient").inc()
        END_TO_END_LATENCY.labels(direction="shop_to_erp").observe(0.7)
        text = requests.get(f"{base}/metrics", timeout=5).text
        assert _scraped(text, "prestasync_echoes_dropped_total", 'entity="customer"') == echoes + 2
        assert _scraped(text, "prestasync_api_errors_total", 'kind="transient",system="odoo"') == errors + 1
        assert _scraped(text, "prestasync_end_to_end_latency_seconds_bucket", 'direction="shop_to_erp",le="1.0"') == (
            fast + 1
        )
        ok = requests.get(f"{base}/health", timeout=5)
        assert ok.status_code == 200 and ok.json() == {"status": "ok", "lag": 3}
        healthy["ok"] = False
        failing = requests.get(f"{base}/health", timeout=5)
        assert failing.status_code == 503 and failing.json()["status"] == "failing"
        assert requests.get(f"{base}/nope", timeout=5).status_code == 404
    finally:
        server.stop()
