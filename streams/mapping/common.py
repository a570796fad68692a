"""What every mapper shares: table-name resolution, envelopes, and the dispatch loop."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from schemas.debezium import ChangeEvent, Row
from schemas.errors import MappingError
from schemas.records import Canonical, Envelope

PRESTASHOP = "prestashop"
ODOO = "odoo"

C = TypeVar("C")


def unprefixed_table(event: ChangeEvent, prefix: str) -> str:
    """The table name without the configured prefix (``ps_orders`` -> ``orders``).

    The name comes from the Debezium ``source.table`` block, else from the topic's last segment
    (``shop.<db>.<prefix><table>`` / ``erp.public.<table>``).
    """
    table = event.table
    if not table:
        raise MappingError("no table name in source block or topic", table=None, event=event.raw)
    if prefix:
        if not table.startswith(prefix):
            raise MappingError(f"table does not carry the configured prefix {prefix!r}", table=table, event=event.raw)
        table = table[len(prefix) :]
    return table


@dataclass(frozen=True)
class Observed:
    """The event a row came from, able to stamp envelopes for records built from that row."""

    event: ChangeEvent
    system: str
    table: str
    row: Row

    def envelope(self, origin_id: str, canonical_key: str | None, *, soft_deleted: bool = False) -> Envelope:
        return Envelope(
            canonical_key=canonical_key,
            origin_system=self.system,
            origin_table=self.table,
            origin_id=origin_id,
            source_ts=self.event.source_ts,
            source_position=self.event.position,
            snapshot=self.event.is_snapshot,
            deleted=self.event.is_delete or soft_deleted,
            content_hash="",
        )

    def fail(self, reason: str) -> MappingError:
        return MappingError(reason, table=self.table, event=self.event.raw)


RowMapper = Callable[[Observed, C], list[Canonical]]


def map_event(
    event: ChangeEvent,
    *,
    system: str,
    prefix: str,
    context: C,
    mappers: Mapping[str, RowMapper[C]],
    ignored: frozenset[str],
) -> list[Canonical]:
    """Map one decoded event with the mapper of its table; sealed records (hash filled in).

    Tombstones and truncates map to nothing (the delete event before a tombstone already
    produced the deletion). A table with no mapper raises MappingError unless it is ignored.
    """
    if event.is_tombstone or event.op == "t":
        return []
    table = unprefixed_table(event, prefix)
    mapper = mappers.get(table)
    if mapper is None:
        if table in ignored:
            return []
        raise MappingError("no mapper for this table", table=table, event=event.raw)
    row = event.row
    if row is None:
        raise MappingError(f"op {event.op!r} without a row image", table=table, event=event.raw)
    try:
        records = mapper(Observed(event, system, table, row), context)
    except MappingError as exc:
        if exc.table is None or exc.table != table:
            raise MappingError(exc.reason, table=table, event=event.raw) from exc
        raise
    except ValueError as exc:  # decimal out of range, bad key, ...
        raise MappingError(str(exc), table=table, event=event.raw) from exc
    try:
        return [record.sealed() for record in records]
    except ValueError as exc:  # a value that does not fit the schema (decimal precision, ...)
        raise MappingError(str(exc), table=table, event=event.raw) from exc
