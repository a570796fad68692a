"""The initial snapshot's progress: per captured table, rows in the source against change events on its
raw topic since the snapshot began, the rate between two samples and the time left; then what the
streams and the sinks still have to process.

``measure`` reads (row counts as the capture users, topic end offsets, consumer-group offsets);
``progress`` is pure. Samples are kept in ``<home>/onboard/progress.json`` so each run of
`onboard progress` has a rate from the one before (``--watch`` samples in a loop), and the baseline
(the end offsets when `onboard snapshot` asked for the snapshot; none: the topics' start) survives a
restart of everything.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kernel.settings import Settings


@dataclass(frozen=True)
class Sample:
    at: float
    rows: dict[str, int]  # raw topic -> rows of its source table
    events: dict[str, int]  # raw topic -> end offset (summed over partitions)
    lag: dict[str, int] = field(default_factory=dict)  # consumer group -> records not processed yet


@dataclass(frozen=True)
class TableProgress:
    topic: str
    rows: int
    read: int  # rows of the snapshot on the topic (events since the baseline, at most ``rows``)
    rate: float | None  # events per second since the previous sample
    eta_s: float | None  # None: no rate yet (or nothing moves)

    @property
    def done(self) -> bool:
        return self.read >= self.rows


def progress(baseline: dict[str, int], previous: Sample | None, now: Sample) -> list[TableProgress]:
    out = []
    for topic in sorted(now.rows):
        rows = now.rows[topic]
        read = min(max(now.events.get(topic, 0) - baseline.get(topic, 0), 0), rows)
        rate = None
        if previous is not None and now.at > previous.at and topic in previous.events:
            rate = max(now.events.get(topic, 0) - previous.events[topic], 0) / (now.at - previous.at)
        left = rows - read
        eta = 0.0 if left == 0 else (left / rate if rate else None)
        out.append(TableProgress(topic, rows, read, rate, eta))
    return out


def total(tables: list[TableProgress]) -> TableProgress:
    rows, read = sum(t.rows for t in tables), sum(t.read for t in tables)
    rates = [t.rate for t in tables if t.rate is not None]
    rate = sum(rates) if rates else None
    left = rows - read
    return TableProgress("total", rows, read, rate, 0.0 if left == 0 else (left / rate if rate else None))


# -- reading ---------------------------------------------------------------------------------------


def _source_table(settings: Settings, topic: str) -> tuple[str, str]:
    """(system, table) of a raw topic: ``<prefix>.<db>.<table>`` / ``<prefix>.public.<table>``."""
    system = "shop" if topic.startswith(settings.kafka.topic_prefix_shop + ".") else "erp"
    return system, topic.rsplit(".", 1)[1]


def _counts(settings: Settings, topics: list[str]) -> dict[str, int]:
    from prestasync.ops.reconcile_read import _erp, shop_rows

    out = {}
    for topic in topics:
        system, table = _source_table(settings, topic)
        if system == "shop":  # the table name carries the prefix already: no {p} substitution needed
            rows = shop_rows(settings, f"SELECT COUNT(*) AS n FROM `{table}`")
        else:
            rows = _erp(settings, f'SELECT COUNT(*) AS n FROM "{table}"')
        out[topic] = int(rows[0]["n"])
    return out


def _lags(settings: Settings, raw: list[str], commands: dict[str, str], streams_group: str) -> dict[str, int]:
    from kafka.structs import TopicPartition

    from kernel.kafka_admin import admin, committed_offsets, end_offsets
    from schemas import topics

    groups = {
        streams_group: raw,
        **{topics.sink_group(s) + settings.streams.topic_suffix: [t] for s, t in commands.items()},
    }
    out = {}
    with admin(settings) as client:
        for group, names in groups.items():
            committed = committed_offsets(client, group)
            ends: dict[TopicPartition, int] = end_offsets(settings, *names)
            out[group] = sum(end - committed.get(tp, 0) for tp, end in ends.items())
    return out


def measure(settings: Settings) -> Sample:
    from kernel.kafka_admin import end_offsets
    from streams.topology import stream_topics

    wanted = stream_topics(settings)
    existing = set(_existing_topics(settings))
    raw = [t for t in wanted.raw if t in existing]
    events: dict[str, int] = {}
    for tp, end in end_offsets(settings, *raw).items():
        events[tp.topic] = events.get(tp.topic, 0) + end
    group = settings.streams.app_id + settings.streams.topic_suffix
    commands = {s: t for s, t in wanted.commands.items() if t in existing}
    return Sample(
        time.time(),
        _counts(settings, list(wanted.raw)),
        events,
        _lags(settings, raw, commands, group),
    )


def _existing_topics(settings: Settings) -> list[str]:
    from kernel.kafka_admin import admin

    with admin(settings) as client:
        return list(client.list_topics())


# -- the state file --------------------------------------------------------------------------------


def state_path(settings: Settings) -> Path:
    return settings.home / "onboard" / "progress.json"


def load(path: Path) -> tuple[dict[str, int], Sample | None]:
    if not path.is_file():
        return {}, None
    data = json.loads(path.read_text(encoding="utf-8"))
    last = data.get("last")
    return dict(data.get("baseline") or {}), Sample(**last) if last else None


def save(path: Path, baseline: dict[str, int], last: Sample | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {"baseline": baseline, "last": asdict(last) if last else None}
    path.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
