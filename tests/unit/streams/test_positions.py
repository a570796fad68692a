"""Source positions made comparable: replays are older, a restored database is not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.positions import is_older, log_order, position_key

pytestmark = pytest.mark.unit


def test_positions_compare_as_numbers_within_one_log() -> None:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    assert log_order(at, "binlog:mariadb-bin.000001:1000:0") > log_order(at, "binlog:mariadb-bin.000001:999:0")
    assert log_order(at, "binlog:mariadb-bin.000002:4:0") > log_order(at, "binlog:mariadb-bin.000001:999:3")
    assert log_order(at, "lsn:10") > log_order(at, "lsn:9")
    assert position_key("0") is None and position_key("binlog:x") is None


def test_older_needs_both_a_lower_position_and_no_later_commit_time() -> None:
    assert is_older("lsn:9", 100.0, "lsn:10", 100.0)  # a replay (same second, earlier in the log)
    assert not is_older("lsn:10", 100.0, "lsn:10", 100.0)  # the very change applied last
    assert not is_older("lsn:9", 101.0, "lsn:10", 100.0)  # a restored database starts lower, later
    assert not is_older("binlog:f.000001:9:0", 99.0, "lsn:10", 100.0)  # another log: no order known
