"""Kafka cluster ids: ``StorageTool format`` reads one starting with "-" as an option and fails."""

from __future__ import annotations

import uuid

import pytest

from prestasync.stack import kafka

pytestmark = pytest.mark.unit


def test_kafka_cluster_ids_never_start_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    dash_first = uuid.UUID(bytes=bytes([0xF8]) + bytes(15))  # base64url "-A..."
    draws = iter([dash_first, uuid.UUID(int=1)])
    monkeypatch.setattr(kafka.uuid, "uuid4", lambda: next(draws))
    assert kafka.new_cluster_id() == "AAAAAAAAAAAAAAAAAAAAAQ"
