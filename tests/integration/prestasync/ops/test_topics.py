"""`topics list | tail` on the real Kafka: decoding Debezium JSON and prestasync Avro, filters, lag."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata

from kernel.codec import canonical_codec
from kernel.settings import get_settings
from prestasync.ops.topics import list_topics, parse_since, tail
from schemas.acks import SinkAck
from schemas.records import Envelope
from tests.support.kafka_topics import own_topic

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _ack(key: str) -> SinkAck:
    env = Envelope(key, "prestashop", "customer", "7", NOW, "binlog:f:1:0", False, False, "")
    return SinkAck(env, "cmd-1", "odoo", "customer", "applied", {"res.partner": "42"}, {"email": "a@b.c"}, NOW)


def _debezium(op: str, before: dict[str, object] | None, after: dict[str, object] | None) -> bytes:
    payload = {"op": op, "before": before, "after": after, "source": {"table": "ps_customer"}}
    return json.dumps({"schema": {}, "payload": payload}).encode()


def _fill(topic: str) -> None:
    out = KafkaProducer(bootstrap_servers=get_settings().kafka.bootstrap)
    key = b'{"payload": {"id_customer": 7}}'
    out.send(topic, key=key, value=_debezium("c", None, {"id_customer": 7, "email": "x"}))
    out.send(topic, key=key, value=_debezium("u", {"id_customer": 7, "email": "x"}, {"id_customer": 7, "email": "y"}))
    out.send(topic, key=b"PS-7", value=canonical_codec().encode(_ack("PS-7")))
    out.send(topic, key=b'{"payload": {"id_customer": 7}}', value=None)
    out.send(topic, key=b"junk", value=b"\xc3\x01not-avro-at-all")
    out.flush()
    out.close()


def test_tail_decodes_each_kind_and_never_stops_on_poison() -> None:
    with own_topic() as topic:
        _fill(topic)
        records = list(tail(get_settings(), topic, from_beginning=True))
    assert [r.kind for r in records] == ["debezium", "debezium", "avro", "tombstone", "bytes"]
    assert records[0].key == {"id_customer": 7}  # the JsonConverter key schema is stripped
    assert records[1].value["after"]["email"] == "y"
    assert records[2].value["type"] == "SinkAck" and records[2].value["target_ids"] == {"res.partner": "42"}
    assert "undecodable" in records[4].value


def test_tail_filters_by_field_key_and_time_through_the_cli() -> None:
    with own_topic() as topic:
        _fill(topic)
        cmd = [sys.executable, "-m", "prestasync.cli", "topics", "tail", topic, "--from-beginning", "--json"]
        by_field = subprocess.run([*cmd, "--field", "email=y"], capture_output=True, text=True, timeout=60, check=True)
        lines = [json.loads(line) for line in by_field.stdout.splitlines()]
        assert len(lines) == 1 and lines[0]["value"]["op"] == "u"
        by_key = subprocess.run([*cmd, "--key", "PS-7"], capture_output=True, text=True, timeout=60, check=True)
        assert [json.loads(line)["kind"] for line in by_key.stdout.splitlines()] == ["avro"]
        future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
        none_yet = subprocess.run(
            [*cmd[:-2], "--since", future, "--json"], capture_output=True, text=True, timeout=60, check=True
        )
        assert none_yet.stdout.strip() == ""


def test_parse_since_forms() -> None:
    assert abs((datetime.now(UTC) - parse_since("10m")) - timedelta(minutes=10)) < timedelta(seconds=5)
    assert parse_since("2026-11-27T10:00:00+00:00") == datetime(2026, 11, 27, 10, tzinfo=UTC)


def test_list_shows_end_offsets_and_group_lag() -> None:
    settings = get_settings()
    group = f"test-group-{uuid.uuid4().hex[:8]}"
    with own_topic() as topic:
        _fill(topic)
        reader = KafkaConsumer(bootstrap_servers=settings.kafka.bootstrap, group_id=group, enable_auto_commit=False)
        reader.commit({TopicPartition(topic, 0): OffsetAndMetadata(2, "", -1)})
        reader.close()
        (row,) = [r for r in list_topics(settings) if r.topic == topic]
    assert (row.partitions, row.end_offset, row.lag) == (1, 5, {group: 3})
