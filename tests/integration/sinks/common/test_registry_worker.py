"""A deployment with kafka.schema_registry_url, on the real broker: the sink worker decodes the
Confluent-framed commands the streams write and acks them in the same framing (it dead-lettered every
one as Undecodable when it built its own codec)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pytest

from kernel.codec import canonical_codec
from kernel.kafka_clients import producer
from kernel.settings import get_settings
from sandbox.sample import commands as samples
from schemas.acks import SinkAck
from schemas.records import Canonical, Customer
from sinks.common.commands import command_headers
from sinks.common.handlers import Applied, CommandMeta
from sinks.common.worker import WorkerStats, run_sink
from tests.support.polling import wait_until
from tests.support.schema_registry import running_registry
from tests.support.sink_topics import read_all, sink_topics

pytestmark = pytest.mark.integration


class Sink:
    system = "odoo"

    def __init__(self) -> None:
        self.applied: list[int] = []

    def handlers(self) -> Mapping[type[Canonical], Any]:
        def apply(record: Canonical, meta: CommandMeta) -> Applied:
            assert isinstance(record, Customer)
            self.applied.append(record.shop_customer_id)
            return Applied({"res.partner": str(record.shop_customer_id)})

        return {Customer: apply}

    def close(self) -> None:
        pass


def test_the_worker_uses_the_registry_the_settings_name() -> None:
    with running_registry() as (_, url):
        run_against(url)


def run_against(url: str) -> None:
    base = get_settings()
    settings = base.model_copy(update={"kafka": base.kafka.model_copy(update={"schema_registry_url": url})})
    codec = canonical_codec(settings)
    with sink_topics(partitions=1) as topics:
        out = producer(settings)
        for cid in (11, 12):
            record = samples.customer(cid)
            out.send(
                topics.commands,
                key=(record.envelope.canonical_key or "").encode(),
                value=codec.encode(record),
                headers=command_headers(f"reg-{cid}"),
            )
        out.flush()
        out.close()
        sink, stop, stats = Sink(), threading.Event(), WorkerStats()
        worker = threading.Thread(
            target=run_sink, args=(settings, sink, stop, topics.options()), kwargs={"stats": stats}, daemon=True
        )
        worker.start()
        try:
            wait_until(lambda: stats.settled >= 2, "both commands settled", 60)
        finally:
            stop.set()
            worker.join(timeout=60)
        assert (sorted(sink.applied), stats.dead) == ([11, 12], 0)
        acks = read_all(topics.acks)
        assert len(acks) == 2 and all(value is not None and value[0] == 0 for _, value, _ in acks)  # Confluent
        decoded = [canonical_codec(settings).decode(value) for _, value, _ in acks if value is not None]
        assert all(isinstance(a, SinkAck) and a.status == "applied" for a in decoded)
        assert read_all(topics.dlq) == []
