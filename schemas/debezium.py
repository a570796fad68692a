"""Decode Debezium change events (Kafka Connect JsonConverter) — their envelope and rows (the
conversions of decimals and times: ``schemas.debezium_values``, the one place).

Accepted record values: JsonConverter with ``schemas.enable=true`` (``{"schema": ..., "payload":
{before, after, source, op, ts_ms}}``), without (the envelope itself), and tombstones (a null
value, or ``{"schema": null, "payload": null}``). Connector settings assumed:
``decimal.handling.mode=string`` (decimals are JSON strings; the older ``precise`` bytes and
``VariableScaleDecimal`` structs are decoded too), MariaDB ``time.precision.mode=
adaptive_time_microseconds`` and PostgreSQL ``adaptive``:

* ``io.debezium.time.Date``: days since the epoch; ``Timestamp``: ms; ``MicroTimestamp``: µs;
  ``NanoTimestamp``: ns — all wall-clock values without zone; ``ZonedTimestamp``: ISO-8601 text.
* Without a schema the logical type is unknown, so an integer time is read in the connector's
  default unit: ms for MariaDB/MySQL ``DATETIME(0)``, µs for PostgreSQL ``timestamp(6)``.
* MySQL-family zero dates (``0000-00-00 00:00:00``): Debezium emits null for a nullable column and
  the epoch (0) for a NOT NULL one; both read back as None here.

Mappers never convert raw values themselves: they call the typed accessors of :class:`Row`, which
raise :class:`schemas.errors.MappingError` (with the original event) on missing or bad values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from schemas.debezium_values import FieldType, field_types, to_date, to_datetime, to_decimal
from schemas.errors import MappingError

DATA_OPS = {"c", "u", "d", "r", "t"}
TOMBSTONE = "tombstone"


class Row:
    """One row image (before or after) with typed accessors."""

    def __init__(self, values: Mapping[str, Any], types: Mapping[str, FieldType], event: ChangeEvent) -> None:
        self.values = values
        self.types = types
        self.event = event

    def _fail(self, column: str, reason: str) -> MappingError:
        return MappingError(f"column {column!r}: {reason}", table=self.event.table, event=self.event.raw)

    def has(self, column: str) -> bool:
        return column in self.values

    def _raw(self, column: str) -> Any:
        if column not in self.values:
            raise self._fail(column, "missing from the row image")
        return self.values[column]

    def _required(self, column: str, value: Any) -> Any:
        if value is None:
            raise self._fail(column, "is null")
        return value

    # -- scalars ---------------------------------------------------------------------------------
    def opt_integer(self, column: str) -> int | None:
        value = self._raw(column)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self._fail(column, f"not an integer: {value!r}")
        try:
            return int(value)
        except ValueError:
            raise self._fail(column, f"not an integer: {value!r}") from None

    def integer(self, column: str) -> int:
        return int(self._required(column, self.opt_integer(column)))

    def opt_text(self, column: str) -> str | None:
        value = self._raw(column)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise self._fail(column, f"not text: {value!r}")

    def text(self, column: str) -> str:
        return str(self._required(column, self.opt_text(column)))

    def clean_text(self, column: str) -> str | None:
        """Text with surrounding blanks removed; empty text reads as None."""
        value = self.opt_text(column)
        return value.strip() or None if value is not None else None

    def flag(self, column: str, null_as: bool | None = None) -> bool:
        """``null_as``: the value a NULL stands for (Odoo's ORM reads a NULL boolean as False)."""
        raw = self._raw(column)
        if raw is None and null_as is not None:
            return null_as
        value = self._required(column, raw)
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):  # MariaDB TINYINT(1) arrives as int16
            return bool(value)
        raise self._fail(column, f"not a boolean: {value!r}")

    # -- decimals ----------------------------------------------------------------------------------
    def opt_decimal(self, column: str) -> Decimal | None:
        value = self._raw(column)
        if value is None:
            return None
        try:
            return to_decimal(value, self.types.get(column))
        except (InvalidOperation, ValueError, TypeError) as exc:
            raise self._fail(column, f"not a decimal: {value!r} ({exc})") from None

    def decimal(self, column: str, null_as: Decimal | None = None) -> Decimal:
        """``null_as``: the value a NULL stands for (Odoo's ORM reads a NULL float/monetary as 0.0)."""
        value = self.opt_decimal(column)
        if value is None and null_as is not None:
            return null_as
        return Decimal(self._required(column, value))

    # -- times -----------------------------------------------------------------------------------
    def timestamp(self, column: str, wall_clock_tz: tzinfo = UTC) -> datetime | None:
        """The column as an aware UTC datetime; None for null and zero dates.

        Debezium sends DATETIME / timestamp-without-zone columns as wall-clock values;
        ``wall_clock_tz`` says which zone that wall clock is in (PrestaShop: the shop's zone;
        Odoo: UTC by convention).
        """
        value = self._raw(column)
        if value is None:
            return None
        try:
            return to_datetime(value, self.types.get(column), self.event.connector, wall_clock_tz)
        except (ValueError, TypeError, OverflowError) as exc:
            raise self._fail(column, f"not a timestamp: {value!r} ({exc})") from None

    def calendar_date(self, column: str) -> date | None:
        value = self._raw(column)
        if value is None:
            return None
        try:
            return to_date(value, self.types.get(column), self.event.connector)
        except (ValueError, TypeError, OverflowError) as exc:
            raise self._fail(column, f"not a date: {value!r} ({exc})") from None

    # -- json ------------------------------------------------------------------------------------
    def json_value(self, column: str) -> Any:
        """A json/jsonb column (``io.debezium.data.Json`` text) parsed; None stays None."""
        value = self._raw(column)
        if value is None or not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise self._fail(column, "invalid JSON text") from None


# -- the envelope -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeEvent:
    """One decoded Kafka record of a Debezium data topic."""

    topic: str | None
    key: Any
    raw: Any
    op: str
    payload: Mapping[str, Any]
    schema: Any

    @property
    def source(self) -> Mapping[str, Any]:
        source = self.payload.get("source")
        return source if isinstance(source, dict) else {}

    @property
    def connector(self) -> str:
        return str(self.source.get("connector") or "")

    @property
    def table(self) -> str | None:
        """The captured table as the database names it (prefix included)."""
        table = self.source.get("table")
        if isinstance(table, str) and table:
            return table
        return self.topic.rsplit(".", 1)[-1] if self.topic else None

    @property
    def is_tombstone(self) -> bool:
        return self.op == TOMBSTONE

    @property
    def is_delete(self) -> bool:
        return self.op == "d"

    @property
    def is_snapshot(self) -> bool:
        snapshot = self.source.get("snapshot")
        return self.op == "r" or snapshot not in (None, False, "false")

    def _row(self, part: str) -> Row | None:
        values = self.payload.get(part)
        if values is None:
            return None
        if not isinstance(values, dict):
            raise MappingError(f"'{part}' is not an object", table=self.table, event=self.raw)
        return Row(values, field_types(self.schema, part), self)

    @property
    def before(self) -> Row | None:
        return self._row("before")

    @property
    def after(self) -> Row | None:
        return self._row("after")

    @property
    def row(self) -> Row | None:
        """The row state this event leaves behind: ``after``, or ``before`` for a delete."""
        return self.before if self.is_delete else self.after

    @property
    def source_ts(self) -> datetime:
        """Commit time at the source (``source.ts_us``/``ts_ms``), falling back to ``ts_ms``."""
        source = self.source
        if isinstance(source.get("ts_us"), int):
            return datetime.fromtimestamp(0, UTC) + timedelta(microseconds=source["ts_us"])
        for millis in (source.get("ts_ms"), self.payload.get("ts_ms")):
            if isinstance(millis, int):
                return datetime.fromtimestamp(0, UTC) + timedelta(milliseconds=millis)
        raise MappingError("no source.ts_ms", table=self.table, event=self.raw)

    @property
    def position(self) -> str:
        """Where in the log the change sits: ``binlog:<file>:<pos>:<row>`` or ``lsn:<lsn>``."""
        source = self.source
        if source.get("lsn") is not None:
            return f"lsn:{source['lsn']}"
        if source.get("file") is not None:
            return f"binlog:{source['file']}:{source.get('pos', 0)}:{source.get('row', 0)}"
        return ""


def decode_change_event(
    value: bytes | str | Mapping[str, Any] | None, *, topic: str | None = None, key: Any = None
) -> ChangeEvent:
    """Parse one record value; raise MappingError for anything that is not a data change event."""
    if value is None:
        return ChangeEvent(topic, key, value, TOMBSTONE, {}, None)
    document: Any = value
    if isinstance(value, bytes | bytearray | str):
        try:
            document = json.loads(value)
        except ValueError as exc:
            raise MappingError(f"not JSON: {exc}", table=None, event=value) from None
    if document is None:
        return ChangeEvent(topic, key, value, TOMBSTONE, {}, None)
    if not isinstance(document, dict):
        raise MappingError("the record value is not a JSON object", table=None, event=value)
    schema = None
    if "payload" in document and "schema" in document:
        schema, document = document["schema"], document["payload"]
        if document is None:
            return ChangeEvent(topic, key, value, TOMBSTONE, {}, schema)
        if not isinstance(document, dict):
            raise MappingError("payload is not a JSON object", table=None, event=value)
    op = document.get("op")
    event = ChangeEvent(topic, key, value, str(op), document, schema)
    if op not in DATA_OPS:
        raise MappingError(f"not a data change event (op={op!r})", table=event.table, event=value)
    return event
