"""The one place that converts Debezium's column values: decimals (``decimal.handling.mode=string``, the
older ``precise`` bytes, ``VariableScaleDecimal``), timestamps and dates in their Connect logical types
(see ``schemas.debezium`` for the connector settings assumed), MySQL-family zero dates as None.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

EPOCH = datetime(1970, 1, 1)
_MYSQL_FAMILY = {"mysql", "mariadb"}
_WALL_CLOCK_UNITS = {
    "io.debezium.time.Timestamp": 1_000,
    "org.apache.kafka.connect.data.Timestamp": 1_000,
    "io.debezium.time.MicroTimestamp": 1_000_000,
    "io.debezium.time.NanoTimestamp": 1_000_000_000,
}
_DATE_NAMES = {"io.debezium.time.Date", "org.apache.kafka.connect.data.Date"}


@dataclass(frozen=True)
class FieldType:
    """The Connect schema of one column, when the converter sent schemas."""

    type: str
    name: str | None
    optional: bool
    parameters: Mapping[str, str]


def field_types(envelope_schema: Any, part: str) -> dict[str, FieldType]:
    if not isinstance(envelope_schema, dict):
        return {}
    for struct in envelope_schema.get("fields") or []:
        if struct.get("field") == part:
            return {
                f["field"]: FieldType(
                    f.get("type", ""), f.get("name"), bool(f.get("optional")), f.get("parameters") or {}
                )
                for f in struct.get("fields") or []
            }
    return {}


def to_decimal(value: Any, field: FieldType | None = None) -> Decimal:
    """Decimal from ``decimal.handling.mode=string`` text, or the precise/variable-scale encodings."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a decimal")
    if isinstance(value, str):
        if field is not None and field.type == "bytes":  # precise mode: base64 unscaled integer
            return _unscaled(base64.b64decode(value), int(field.parameters.get("scale", "0")))
        return Decimal(value.strip())
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):  # only Odoo float8 columns; repr is the shortest exact text
        return Decimal(repr(value))
    if isinstance(value, dict) and {"scale", "value"} <= value.keys():  # VariableScaleDecimal
        return _unscaled(base64.b64decode(value["value"]), int(value["scale"]))
    raise TypeError(f"unsupported decimal encoding {type(value).__name__}")


def _unscaled(raw: bytes, scale: int) -> Decimal:
    return Decimal(int.from_bytes(raw, "big", signed=True)).scaleb(-scale)


def _is_zero_text(value: str) -> bool:
    return value.startswith("0000-00-00")


def to_datetime(value: Any, field: FieldType | None, connector: str, wall_clock_tz: tzinfo = UTC) -> datetime | None:
    name = field.name if field else None
    if isinstance(value, str):
        if _is_zero_text(value):
            return None
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=wall_clock_tz)
        return parsed.astimezone(UTC)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"unsupported timestamp encoding {type(value).__name__}")
    if name in _DATE_NAMES:
        day = to_date(value, field, connector)
        return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)
    if value == 0 and connector in _MYSQL_FAMILY:
        return None  # NOT NULL zero date, emitted as the epoch
    per_second = _WALL_CLOCK_UNITS.get(name or "") or (1_000 if connector in _MYSQL_FAMILY else 1_000_000)
    seconds, fraction = divmod(value, per_second)
    wall = EPOCH + timedelta(seconds=seconds, microseconds=fraction * 1_000_000 // per_second)
    return wall.replace(tzinfo=wall_clock_tz).astimezone(UTC)


def to_date(value: Any, field: FieldType | None, connector: str) -> date | None:
    if isinstance(value, str):
        return None if _is_zero_text(value) else date.fromisoformat(value[:10])
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"unsupported date encoding {type(value).__name__}")
    if value == 0 and connector in _MYSQL_FAMILY:
        return None
    return (EPOCH + timedelta(days=value)).date()
