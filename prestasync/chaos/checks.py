"""After quiescence: what a merchant would compare, read from both databases (not the pipeline's state).

Each check returns the keys that are wrong now; the run attributes to a fault run only the keys that
were not wrong before it (``Findings.new_since``), so one defect is counted once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kernel.settings import Settings
from prestasync.ops import reconcile
from prestasync.ops import reconcile_read as read

STATE_CANCELLED = 6


@dataclass
class Findings:
    lost: set[str] = field(default_factory=set)  # shop orders / customers the ERP does not have
    duplicated: set[str] = field(default_factory=set)  # ERP orders / partners more than once
    stale: set[str] = field(default_factory=set)  # a shop cancellation overwritten by our later write
    drift: set[str] = field(default_factory=set)  # both have it, values differ (totals, state, stock...)
    dead_letters: int = 0  # records on the dead-letter topics
    lag: int = 0

    def new_since(self, before: Findings) -> Findings:
        return Findings(
            self.lost - before.lost,
            self.duplicated - before.duplicated,
            self.stale - before.stale,
            self.drift - before.drift,
            self.dead_letters - before.dead_letters,
            self.lag,
        )


def _lost_and_drift(settings: Settings) -> tuple[set[str], set[str]]:
    lost, drift = set(), set()
    for entity in ("customers", "addresses", "orders", "stock"):
        for d in reconcile.run(settings, entity, list(settings.streams.web_locations)):
            if d.kind == "missing_in_erp":
                lost.add(f"{entity}:{d.key}")
            else:
                drift.add(f"{entity}:{d.key}:{d.kind}:{sorted(d.fields)}")
    return lost, drift


def _duplicated(settings: Settings) -> set[str]:
    orders = read._erp(
        settings,
        "SELECT client_order_ref AS k FROM sale_order WHERE client_order_ref IS NOT NULL"
        " GROUP BY client_order_ref HAVING count(*) > 1",
    )
    partners = read._erp(
        settings, "SELECT ref AS k FROM res_partner WHERE ref LIKE 'PS-%%' GROUP BY ref HAVING count(*) > 1"
    )
    return {f"order:{r['k']}" for r in orders} | {f"partner:{r['k']}" for r in partners}


def _stale_overwrites(settings: Settings) -> set[str]:
    """Orders the merchant cancelled (a back-office history row) that a webservice write (no employee:
    ours) later moved to another state and left there: the issue's lost cancellation, seen in the shop's
    history. Rows in insertion order (their ids): ``date_add`` has one-second precision and a back-office
    change dates its rows when it starts. A cancellation written again after our row (the sink's put-back
    when a cancellation crossed its write) is the merchant's state restored, not lost."""
    rows = read.shop_rows(
        settings,
        "SELECT h.id_order, o.reference, h.id_order_state AS state, h.id_employee AS employee"
        " FROM {p}order_history h JOIN {p}orders o ON o.id_order = h.id_order"
        " ORDER BY h.id_order, h.id_order_history",
    )
    cancelled: set[int] = set()
    overwritten: dict[int, str] = {}
    for r in rows:  # by id_order: a reference is not unique in PrestaShop
        order, state, employee = int(r["id_order"]), int(r["state"]), int(r["employee"])
        if state == STATE_CANCELLED:
            overwritten.pop(order, None)
            if employee != 0:
                cancelled.add(order)
        elif order in cancelled and employee == 0:
            overwritten[order] = f"order:{r['reference']}"
    return set(overwritten.values())


def dead_letter_count(settings: Settings) -> int:
    from kafka import TopicPartition

    from kernel.kafka_clients import consumer
    from schemas import topics

    names = [topics.STREAMS_DLQ, *(topics.sink_dlq_topic(t) for t in topics.TARGET_SYSTEMS)]
    reader = consumer(settings)
    try:
        existing = reader.topics()
        parts = [
            TopicPartition(n, p) for n in names if n in existing for p in sorted(reader.partitions_for_topic(n) or ())
        ]
        if not parts:
            return 0
        ends = reader.end_offsets(parts)
        starts = reader.beginning_offsets(parts)
        return sum(ends[p] - starts[p] for p in parts)
    finally:
        reader.close()


def collect(settings: Settings) -> Findings:
    from prestasync.workers import pipeline_lag

    lost, drift = _lost_and_drift(settings)
    return Findings(
        lost,
        _duplicated(settings),
        _stale_overwrites(settings),
        drift,
        dead_letter_count(settings),
        pipeline_lag(settings),
    )


# The newest row of one table per side that every simulated event writes (each order and cancellation
# adds an order_history row, each ERP move a stock_move): captured once it is on its raw topic.
WATERMARKS = {"shop": ("order_history", "id_order_history"), "erp": ("stock_move", "id")}


def _newest_captured(settings: Settings, topic: str, column: str) -> int:
    import json

    from kafka import TopicPartition

    from kernel.kafka_clients import consumer

    reader = consumer(settings)
    try:
        parts = [TopicPartition(topic, p) for p in sorted(reader.partitions_for_topic(topic) or ())]
        if not parts:
            return 0
        reader.assign(parts)
        for part, end in reader.end_offsets(parts).items():
            reader.seek(part, max(end - 50, 0))
        newest = 0
        for records in reader.poll(timeout_ms=3000, max_records=500).values():
            for record in records:
                value = json.loads(record.value) if record.value else {}
                row = (value.get("payload", value) or {}).get("after") or {}
                newest = max(newest, int(row.get(column) or 0))
        return newest
    finally:
        reader.close()


def capture_lag(settings: Settings) -> dict[str, int]:
    """Per side, how many rows of its watermark table the database holds beyond the newest one on the
    raw topic: a restarted server's connector can take a minute to reconnect, and meanwhile the pipeline
    has nothing to process and looks quiet (the first server-kill runs counted those orders as lost)."""
    lags = {}
    for side, (table, column) in WATERMARKS.items():
        if side == "shop":
            found = read.shop_rows(settings, f"SELECT max({column}) AS m FROM {{p}}{table}")
            topic = (
                f"{settings.kafka.topic_prefix_shop}.{settings.mariadb.database}.{settings.mariadb.table_prefix}{table}"
            )
        else:
            found = read._erp(settings, f"SELECT max({column}) AS m FROM {table}")
            topic = f"{settings.kafka.topic_prefix_erp}.public.{table}"  # captured, not mapped
        newest = int(found[0]["m"] or 0) if found else 0
        lags[side] = max(newest - _newest_captured(settings, topic, column), 0)
    return lags
