"""The initial snapshot's progress (pure): rows against events since the baseline, rate, time left."""

from __future__ import annotations

from pathlib import Path

import pytest

from prestasync.onboard.progress import Sample, load, progress, save, total

pytestmark = pytest.mark.unit

T = "shop.prestashop.ps_orders"


def test_events_since_the_baseline_count_rows_read_and_two_samples_give_rate_and_time_left() -> None:
    before = Sample(100.0, {T: 10_000}, {T: 700})
    now = Sample(110.0, {T: 10_000}, {T: 2_700})
    [t] = progress({T: 200}, before, now)
    assert (t.read, t.rate, t.eta_s, t.done) == (2_500, 200.0, 37.5, False)


def test_no_rate_without_a_previous_sample_and_streamed_changes_never_exceed_the_rows() -> None:
    [first] = progress({}, None, Sample(0.0, {T: 5}, {T: 3}))
    assert (first.read, first.rate, first.eta_s) == (3, None, None)
    [over] = progress({}, None, Sample(0.0, {T: 5}, {T: 9}))  # the snapshot plus 4 streamed changes
    assert (over.read, over.done, over.eta_s) == (5, True, 0.0)


def test_a_stalled_table_has_no_time_left_and_the_total_adds_rates() -> None:
    a, b = "erp.public.res_partner", T
    before, now = Sample(0.0, {a: 10, b: 10}, {a: 0, b: 0}), Sample(5.0, {a: 10, b: 10}, {a: 5, b: 0})
    tables = progress({}, before, now)
    assert [(t.read, t.rate, t.eta_s) for t in tables] == [(5, 1.0, 5.0), (0, 0.0, None)]
    overall = total(tables)
    assert (overall.rows, overall.read, overall.rate, overall.eta_s) == (20, 5, 1.0, 15.0)


def test_the_state_file_keeps_the_baseline_and_the_last_sample(tmp_path: Path) -> None:
    path = tmp_path / "onboard" / "progress.json"
    assert load(path) == ({}, None)
    sample = Sample(3.0, {T: 1}, {T: 2}, {"prestasync-streams": 4})
    save(path, {T: 1}, sample)
    assert load(path) == ({T: 1}, sample)


def test_an_incremental_initial_snapshot_deploys_connectors_that_read_no_existing_row(tmp_path: Path) -> None:
    from kernel.settings import Settings
    from prestasync.stack import connect, connectors

    blocking = Settings(home=tmp_path)
    assert {connectors.render(blocking, p)["config"]["snapshot.mode"] for p in connect.CONNECTOR_FILES} == {
        "when_needed"
    }
    incremental = Settings(home=tmp_path, kafka={"initial_snapshot": "incremental"})
    assert {connectors.render(incremental, p)["config"]["snapshot.mode"] for p in connect.CONNECTOR_FILES} == {
        "no_data"
    }
