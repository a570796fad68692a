"""`prestasync serve --workers store-stock` on the live Kafka, with a store-figure topic of the test's
own: a figure produced on the topic is answered through the served child, a record that is no figure
is counted and skipped (the service carries on), serve's /health is the child's, SIGTERM stops it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from kafka import KafkaProducer

from kernel.kafka_admin import admin as kafka_admin
from kernel.kafka_admin import create_missing, delete_topics
from kernel.procs import free_port
from kernel.settings import REPO_ROOT, get_settings
from schemas import topics
from schemas.store_stock import StoreFigure
from streams.local_state import CHANGELOG_CONFIG
from tests.support.polling import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


def test_a_figure_on_the_topic_is_served_by_the_serve_child(tmp_path: Path) -> None:
    settings = get_settings()
    suffix = f".t{uuid.uuid4().hex[:12]}"
    topic = topics.STORE_STOCK + suffix
    serve_port, child_port = free_port(), free_port()
    with kafka_admin(settings) as client:
        create_missing(client, {topic: 1}, {topic: CHANGELOG_CONFIG})
    producer = KafkaProducer(bootstrap_servers=settings.kafka.bootstrap)
    figure = StoreFigure("SERVE-REF", "10", Decimal("2"), datetime.now(UTC))
    producer.send(topic, key=b"poison", value=b"\xff not a figure")
    producer.send(topic, key=figure.key(), value=figure.encode())
    producer.flush()
    env = {
        **os.environ,
        "PRESTASYNC_STREAMS__TOPIC_SUFFIX": suffix,
        "PRESTASYNC_SERVE__PORT": str(serve_port),
        "PRESTASYNC_SERVE__PORTS": json.dumps({"store-stock": child_port}),
        "PRESTASYNC_SERVE__RUN_DIR": str(tmp_path / "run"),
        "PRESTASYNC_SERVE__LOG_DIR": str(tmp_path / "logs"),
        "PRESTASYNC_SERVE__CONNECTORS": "off",
        "PRESTASYNC_STORE_STOCK__STORES": json.dumps({"paris": 10}),
    }
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [sys.executable, "-m", "prestasync.cli", "serve", "--workers", "store-stock"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:

        def healthy() -> bool:
            assert serve.poll() is None, f"serve exited {serve.returncode}; see {tmp_path}"
            try:
                return requests.get(f"http://127.0.0.1:{serve_port}/health", timeout=2).status_code == 200
            except requests.ConnectionError:
                return False

        wait_until(healthy, "serve's /health", 60)
        child = requests.get(f"http://127.0.0.1:{serve_port}/health", timeout=5).json()["children"]["store-stock"]
        assert child["port"] == child_port and child["health"]["skus"] == 1
        reply = requests.get(f"http://127.0.0.1:{child_port}/store-stock/SERVE-REF", timeout=5)
        assert reply.status_code == 200 and reply.json()["stores"][0]["quantity"] == "2"
        metrics = requests.get(f"http://127.0.0.1:{serve_port}/metrics", timeout=5).text
        assert 'prestasync_store_stock_bad_records_total{worker="store-stock"} 1.0' in metrics
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(60) == 0
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait(10)
        producer.close()
        delete_topics(settings, [topic])
