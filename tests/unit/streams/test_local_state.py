"""The local table store is kept only for the changelog topics it was built from (by topic id)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.settings import Settings, StreamsSettings
from streams.app import StreamsApp
from streams.local_state import changelog_topics, data_dir, keep_or_reset
from streams.topology import stream_topics

pytestmark = pytest.mark.unit


def _tables(root: Path) -> Path:
    tables = root / "v1" / "tables"
    (tables / "guard-0.db").mkdir(parents=True)
    (tables / "guard-0.db" / "CURRENT").write_text("MANIFEST-000001\n")
    return tables


def test_tables_of_the_same_changelogs_are_kept(tmp_path: Path) -> None:
    tables = tmp_path / "v1" / "tables"
    ids = {"app-guard-changelog": "id-1"}
    assert keep_or_reset(tables, ids)  # first run: no tables yet, the ids are recorded
    _tables(tmp_path)  # the run builds them
    assert keep_or_reset(tables, ids)  # the restart keeps them
    assert (tables / "guard-0.db" / "CURRENT").is_file()


def test_tables_of_a_recreated_changelog_are_removed(tmp_path: Path) -> None:
    tables = tmp_path / "v1" / "tables"
    assert keep_or_reset(tables, {"app-guard-changelog": "id-1"})  # nothing there yet: recorded
    _tables(tmp_path)
    assert not keep_or_reset(tables, {"app-guard-changelog": "id-2"})  # deleted and created again
    assert not tables.exists()
    _tables(tmp_path)
    assert keep_or_reset(tables, {"app-guard-changelog": "id-2"})  # now recorded as built from id-2


def test_tables_without_a_record_are_removed(tmp_path: Path) -> None:
    tables = _tables(tmp_path)  # e.g. left by a version that wrote no record
    assert not keep_or_reset(tables, {"app-guard-changelog": "id-1"})
    assert not tables.exists()


def test_state_dir_and_changelogs_are_per_app_id(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, streams=StreamsSettings(topic_suffix=".unit"))
    app = StreamsApp(settings)
    assert Path(app.app.conf.datadir) == data_dir(tmp_path, "prestasync-streams.unit")
    assert Path(app.app.conf.tabledir).is_relative_to(tmp_path / "streams" / "prestasync-streams.unit-data")
    names = {t.changelog_topic.get_topic_name() for t in app.app.tables.values()}
    assert names == set(changelog_topics("prestasync-streams.unit")) == set(stream_topics(settings).changelogs)
    assert app.app.conf.consumer_group_instance_id.startswith("prestasync-streams.unit@")


def test_rocksdb_is_sized_for_a_small_worker(tmp_path: Path) -> None:
    app = StreamsApp(Settings(home=tmp_path, streams=StreamsSettings(topic_suffix=".unit", store="rocksdb://")))
    for table in (app.tables.guard, app.tables.identity, app.tables.open_orders):
        options = table.data.rocksdb_options  # type: ignore[attr-defined]
        assert options.write_buffer_size == 8 * 2**20 and options.block_cache_size == 16 * 2**20
