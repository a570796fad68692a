"""Every change of a group's committed offsets goes through the live-group guard (kernel.kafka_admin)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from kafka.admin import KafkaAdminClient
from kafka.structs import TopicPartition

from kernel.errors import StackError
from kernel.kafka_admin import delete_groups, reset_group_offsets

pytestmark = pytest.mark.unit


class Admin:
    def __init__(self, states: dict[str, str]) -> None:
        self.states = states
        self.reset: list[tuple[str, dict[TopicPartition, int]]] = []
        self.deleted: list[list[str]] = []

    def list_groups(self) -> list[dict[str, Any]]:
        return [{"group_id": g, "group_state": s} for g, s in self.states.items()]

    def reset_group_offsets(self, group: str, offsets: dict[TopicPartition, int]) -> None:
        self.reset.append((group, offsets))

    def delete_groups(self, groups: list[str]) -> None:
        self.deleted.append(groups)


def test_a_live_group_keeps_its_offsets() -> None:
    admin = Admin({"sink": "Stable", "old": "Empty", "gone": "Dead", "joining": "PreparingRebalance"})
    client = cast(KafkaAdminClient, admin)
    for live in ("sink", "joining"):
        with pytest.raises(StackError, match="live members"):
            reset_group_offsets(client, live, {TopicPartition("t", 0): 0})
    with pytest.raises(StackError, match="'sink' is Stable"):
        delete_groups(client, ["old", "sink"])
    assert admin.reset == [] and admin.deleted == []  # nothing changed, not even the idle group


def test_an_idle_group_is_changed() -> None:
    admin = Admin({"old": "Empty", "gone": "Dead"})
    client = cast(KafkaAdminClient, admin)
    reset_group_offsets(client, "old", {TopicPartition("t", 0): 5})
    assert delete_groups(client, ["old", "gone", "unknown"]) == ["old", "gone"]
    assert admin.reset == [("old", {TopicPartition("t", 0): 5})] and admin.deleted == [["old", "gone"]]
