"""Where the tables live between two runs of a worker, and the changelogs that back them.

With ``streams.store = rocksdb://`` (faust.stores.rocksdb over ``rocksdict``) each table partition
is a RocksDB database under ``<home>/streams/<app id>-data/v1/tables/``, and Faust stores in it the
offset of the last changelog record it holds (``Store.set_persisted_offset``, written when the
broker acknowledges the record). A restarted worker opens them and reads only the changelog records
after that offset (``faust/tables/recovery.py``, ``Recovery._add``), instead of replaying the whole
changelog into memory as ``memory://`` does (the issue #20 run: 171,303 records, ~47 s).

A local store is valid only for the changelog topics it was built from: a changelog deleted and
created again (a test's clean-up, an operator's reset) starts its offsets at 0 again, and the store
would either be taken as ahead of it (Faust's ``ConsistencyError``) or, worse, skip its records. So
the topic ids the store was built from are written beside it (``changelogs.json``); when a changelog
is not the same topic any more, the local tables are removed and rebuilt from the changelogs.

The changelogs are created here, before Faust would, with compaction that actually runs: Kafka never
compacts a log's active segment, so with the default ``segment.ms`` (7 days) a changelog holds
every record of the week; ``segment.ms`` of an hour lets the cleaner keep about one record per key.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)

TABLES = ("guard", "latest", "assembly", "quants", "stock", "counters", "open_orders", "templates")
GLOBAL_TABLES = ("identity",)
MARKER = "changelogs.json"
CHANGELOG_CONFIG: Mapping[str, str] = {
    "cleanup.policy": "compact",
    "segment.ms": str(3600 * 1000),  # roll hourly: only closed segments are compacted
    "min.cleanable.dirty.ratio": "0.2",
}


def store_options() -> dict[str, int]:
    """RocksDB options per table partition (a fresh dict each: faust's Store pops keys from it).
    Faust's defaults are sized for big servers: 3 x 64 MiB memtables and a 2 GiB block cache per
    database, and the worker opens one per table partition (8 here)."""
    return {"write_buffer_size": 8 * 2**20, "max_write_buffer_number": 2, "block_cache_size": 16 * 2**20}


def changelog_topics(app_id: str) -> tuple[str, ...]:
    """Faust's changelog names (``faust.tables.base.Collection._changelog_topic_name``)."""
    return tuple(f"{app_id}-{table}-changelog" for table in (*TABLES, *GLOBAL_TABLES))


def data_dir(home: Path, app_id: str) -> Path:
    """The worker's Faust data dir: per app id (so per ``topic_suffix``) under the stack home."""
    return home / "streams" / f"{app_id}-data"


def keep_or_reset(tables_dir: Path, topic_ids: Mapping[str, str]) -> bool:
    """Keep the local tables if they were built from these changelog topics (by id), else remove
    them; then record the ids. Returns whether the local tables were kept."""
    marker = tables_dir.parent / MARKER
    recorded: dict[str, str] = {}
    if marker.is_file():
        try:
            recorded = dict(json.loads(marker.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            recorded = {}
    has_tables = tables_dir.is_dir() and any(tables_dir.iterdir())
    kept = not has_tables or (bool(recorded) and all(topic_ids.get(t) == i for t, i in recorded.items()))
    if not kept:
        changed = sorted(t for t, i in recorded.items() if topic_ids.get(t) != i) or ["(no record of them)"]
        log.warning(
            "streams: local tables in %s were built from other changelogs (%s): removed, rebuilt from the changelogs",
            tables_dir,
            ", ".join(changed),
        )
        shutil.rmtree(tables_dir, ignore_errors=True)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(dict(sorted(topic_ids.items())), indent=1), encoding="utf-8")
    return kept
