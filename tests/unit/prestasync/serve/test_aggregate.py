"""The aggregated port: /health is 200 only when every child is, with each child's state; /metrics
holds every child's metrics once per name, labelled by worker, plus serve's own per-child gauges."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from prestasync.serve.aggregate import AggregateServer, merge_metrics
from prestasync.serve.supervisor import Supervisor
from tests.support.polling import wait_until
from tests.unit.prestasync.serve.children import fast, serving, serving_lines

pytestmark = pytest.mark.unit

SINK_TEXT = """# HELP prestasync_commands_applied_total Commands a sink confirmed, by outcome
# TYPE prestasync_commands_applied_total counter
prestasync_commands_applied_total{system="odoo",status="applied"} 3.0
prestasync_commands_applied_created{system="odoo",status="applied"} 1.7e9
# HELP prestasync_consumer_lag Records not yet processed by a consumer group
# TYPE prestasync_consumer_lag gauge
prestasync_consumer_lag{group="g",topic="t",partition="0"} 4.0
"""


def test_families_of_several_children_are_merged_once_each_with_a_worker_label() -> None:
    other = SINK_TEXT.replace("odoo", "prestashop").replace("3.0", "5.0")
    from prometheus_client import generate_latest

    class Families:
        def collect(self):  # type: ignore[no-untyped-def]
            return iter(merge_metrics([("sink-odoo", SINK_TEXT), ("sink-prestashop", other)]))

    text = generate_latest(Families()).decode()  # type: ignore[arg-type]
    assert text.count("# TYPE prestasync_commands_applied_total counter") == 1
    assert text.count("# TYPE prestasync_consumer_lag gauge") == 1
    families = {f.name: f for f in text_string_to_metric_families(text)}
    samples = families["prestasync_commands_applied"].samples
    applied = {(s.labels["worker"], s.labels["system"]): s.value for s in samples if s.name.endswith("_total")}
    assert applied == {("sink-odoo", "odoo"): 3.0, ("sink-prestashop", "prestashop"): 5.0}
    assert [s.labels["worker"] for s in families["prestasync_consumer_lag"].samples] == ["sink-odoo", "sink-prestashop"]


@pytest.fixture
def two_children(tmp_path: Path) -> Iterator[tuple[Supervisor, AggregateServer, Path]]:
    specs = [serving(tmp_path, "streams"), serving(tmp_path, "sink-odoo", status=503)]
    supervisor = Supervisor(specs, fast())
    thread = threading.Thread(target=supervisor.run, daemon=True)
    thread.start()
    server = AggregateServer(supervisor, "127.0.0.1", 0).start()
    wait_until(lambda: all(serving_lines(s) == 1 for s in specs), "both children", 20.0, 0.05)
    yield supervisor, server, tmp_path
    server.stop()
    supervisor.stopping.set()
    thread.join(30)


def test_health_is_503_while_one_child_is_unhealthy_and_shows_each_child(two_children) -> None:
    supervisor, server, _ = two_children
    reply = requests.get(f"http://127.0.0.1:{server.port}/health", timeout=10)
    body = reply.json()
    assert reply.status_code == 503 and body["status"] == "failing"
    streams, sink = body["children"]["streams"], body["children"]["sink-odoo"]
    assert streams["healthy"] is True and streams["state"] == "running" and streams["pid"] == supervisor.children[0].pid
    assert sink["healthy"] is False and sink["health"] == {"status": "failing"} and sink["restarts"] == 0
    assert sink["log_file"].endswith("worker-sink-odoo.log")


def test_health_is_200_when_every_child_is_and_503_once_stopping(tmp_path: Path) -> None:
    specs = [serving(tmp_path, "streams"), serving(tmp_path, "sink-odoo")]
    supervisor = Supervisor(specs, fast())
    thread = threading.Thread(target=supervisor.run, daemon=True)
    thread.start()
    server = AggregateServer(supervisor, "127.0.0.1", 0).start()
    try:
        wait_until(lambda: all(serving_lines(s) == 1 for s in specs), "both children", 20.0, 0.05)
        url = f"http://127.0.0.1:{server.port}/health"
        assert requests.get(url, timeout=10).status_code == 200
        supervisor.children[1].proc.kill()  # type: ignore[union-attr]
        wait_until(lambda: requests.get(url, timeout=10).status_code == 503, "the dead child to show", 20.0, 0.05)
        wait_until(lambda: requests.get(url, timeout=10).status_code == 200, "its restart to be healthy", 20.0, 0.05)
        assert requests.get(url, timeout=10).json()["children"]["sink-odoo"]["restarts"] == 1
        supervisor.stopping.set()
        time.sleep(0.1)
        assert requests.get(url, timeout=10).status_code == 503
    finally:
        server.stop()
        supervisor.stopping.set()
        thread.join(30)


def test_metrics_carry_every_childs_metrics_and_serves_own(two_children) -> None:
    _, server, _ = two_children
    text = requests.get(f"http://127.0.0.1:{server.port}/metrics", timeout=10).text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    workers = {s.labels["worker"] for s in families["prestasync_commands_applied"].samples}
    assert workers == {"streams", "sink-odoo"}
    up = {s.labels["worker"]: s.value for s in families["prestasync_serve_child_up"].samples}
    assert up == {"streams": 1.0, "sink-odoo": 1.0}
    restarts = {s.labels["worker"]: s.value for s in families["prestasync_serve_child_restarts"].samples}
    assert restarts == {"streams": 0.0, "sink-odoo": 0.0}
    assert requests.get(f"http://127.0.0.1:{server.port}/nope", timeout=10).status_code == 404
