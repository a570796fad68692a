"""Derive Avro schemas from the typed records, and convert records to and from Avro datums.

The typed dataclasses in :mod:`schemas.records` are the single source: the Avro schema of an
entity is computed from its type hints here, and :mod:`schemas.compat` checks that this computed
schema equals the newest published ``schemas/avro/<entity>/vN.avsc``. So the Python records and the
published contract cannot drift apart without a failing check.

Type mapping: ``str`` -> string, ``int`` -> long, ``bool`` -> boolean, ``datetime`` -> long
timestamp-micros (UTC), ``date`` -> int date, ``Annotated[Decimal, DecimalSpec]`` -> bytes decimal,
``X | None`` -> ``["null", X]``, ``list[X]`` -> array, ``dict[str, X]`` -> map, nested dataclass ->
named record (defined once per schema, then referenced by name).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin, get_type_hints

NAMESPACE = "prestasync.canonical"


@dataclass(frozen=True)
class DecimalSpec:
    """Precision and scale of an Avro decimal (money is never a float)."""

    precision: int
    scale: int

    def quantize(self, value: Decimal) -> Decimal:
        """Round to this scale (half-even) and check the precision; raise ValueError if too big."""
        try:
            quantized = value.quantize(Decimal(1).scaleb(-self.scale), rounding=ROUND_HALF_EVEN)
        except InvalidOperation as exc:
            raise ValueError(f"{value!r} does not fit decimal({self.precision},{self.scale})") from exc
        if len(quantized.as_tuple().digits) > self.precision:
            raise ValueError(f"{value!r} does not fit decimal({self.precision},{self.scale})")
        return quantized


# PrestaShop stores prices as DECIMAL(20,6); Odoo's unscaled numeric is rounded to that scale.
MONEY = DecimalSpec(20, 6)
QUANTITY = DecimalSpec(20, 6)
PERCENT = DecimalSpec(12, 6)
Money = Annotated[Decimal, MONEY]
Quantity = Annotated[Decimal, QUANTITY]
Percent = Annotated[Decimal, PERCENT]

T = TypeVar("T")


def _is_dataclass_type(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _optional_inner(tp: Any) -> Any | None:
    """The X of ``X | None``, or None when ``tp`` is not an optional."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return args[0]
        raise TypeError(f"only X | None unions are supported, got {tp!r}")
    return None


_HINTS: dict[type, dict[str, Any]] = {}


def hints(cls: type) -> dict[str, Any]:
    """Resolved type hints of a record class (cached: records are immutable classes)."""
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls, include_extras=True)
    return _HINTS[cls]


def _avro_type(tp: Any, defined: set[str]) -> Any:
    inner = _optional_inner(tp)
    if inner is not None:
        return ["null", _avro_type(inner, defined)]
    origin = get_origin(tp)
    if origin is Annotated:
        base, *meta = get_args(tp)
        spec = next((m for m in meta if isinstance(m, DecimalSpec)), None)
        if base is Decimal and spec is not None:
            return {"type": "bytes", "logicalType": "decimal", "precision": spec.precision, "scale": spec.scale}
        return _avro_type(base, defined)
    if origin is list:
        return {"type": "array", "items": _avro_type(get_args(tp)[0], defined)}
    if origin is dict:
        key, value = get_args(tp)
        if key is not str:
            raise TypeError("Avro maps need str keys")
        return {"type": "map", "values": _avro_type(value, defined)}
    if tp is str:
        return "string"
    if tp is bool:
        return "boolean"
    if tp is int:
        return "long"
    if tp is datetime:
        return {"type": "long", "logicalType": "timestamp-micros"}
    if tp is date:
        return {"type": "int", "logicalType": "date"}
    if tp is Decimal:
        raise TypeError("a bare Decimal needs a DecimalSpec (use Money, Quantity or Percent)")
    if _is_dataclass_type(tp):
        return _record_schema(tp, defined)
    raise TypeError(f"no Avro mapping for {tp!r}")


def _default_of(field: dataclasses.Field[Any]) -> tuple[bool, Any]:
    if field.default is not dataclasses.MISSING:
        value = field.default
    elif field.default_factory is not dataclasses.MISSING:
        value = field.default_factory()
    else:
        return False, None
    if isinstance(value, Decimal | datetime | date) or dataclasses.is_dataclass(value):
        raise TypeError(f"field {field.name}: only null, scalars, [] and {{}} are usable defaults")
    return True, value


def _record_schema(cls: type, defined: set[str]) -> Any:
    name = f"{NAMESPACE}.{cls.__name__}"
    if name in defined:
        return name
    defined.add(name)
    fields = []
    type_hints = hints(cls)
    for field in dataclasses.fields(cls):
        entry: dict[str, Any] = {"name": field.name, "type": _avro_type(type_hints[field.name], defined)}
        has_default, default = _default_of(field)
        if has_default:
            entry["default"] = default
        fields.append(entry)
    # No "doc": it is not part of the parsing canonical form, so a doc-only change would publish
    # a new version with the same fingerprint as the old one.
    return {"type": "record", "name": cls.__name__, "namespace": NAMESPACE, "fields": fields}


def avro_schema(cls: type) -> dict[str, Any]:
    """The Avro schema (as JSON-ready dict) that the record class ``cls`` stands for."""
    schema = _record_schema(cls, set())
    assert isinstance(schema, dict)
    return schema


# -- datums --------------------------------------------------------------------------------------


def _to_datum(value: Any, tp: Any) -> Any:
    if value is None:
        if _optional_inner(tp) is None:
            raise ValueError(f"None is not allowed for {tp!r}")
        return None
    inner = _optional_inner(tp)
    if inner is not None:
        return _to_datum(value, inner)
    origin = get_origin(tp)
    if origin is Annotated:
        base, *meta = get_args(tp)
        spec = next((m for m in meta if isinstance(m, DecimalSpec)), None)
        if spec is not None:
            if not isinstance(value, Decimal):
                raise ValueError(f"expected Decimal, got {type(value).__name__}")
            return spec.quantize(value)
        return _to_datum(value, base)
    if origin is list:
        item = get_args(tp)[0]
        return [_to_datum(v, item) for v in value]
    if origin is dict:
        item = get_args(tp)[1]
        return {k: _to_datum(v, item) for k, v in value.items()}
    if tp is datetime:
        if value.tzinfo is None:
            raise ValueError("datetimes in canonical records must be timezone-aware (UTC)")
        return value.astimezone(UTC)
    if _is_dataclass_type(tp):
        return to_datum(value)
    return value


def to_datum(record: Any) -> dict[str, Any]:
    """The Avro datum (plain dict) of a record, decimals quantized to their schema scale."""
    cls = type(record)
    type_hints = hints(cls)
    return {f.name: _to_datum(getattr(record, f.name), type_hints[f.name]) for f in dataclasses.fields(cls)}


def _from_datum(value: Any, tp: Any) -> Any:
    if value is None:
        return None
    inner = _optional_inner(tp)
    if inner is not None:
        return _from_datum(value, inner)
    origin = get_origin(tp)
    if origin is Annotated:
        return _from_datum(value, get_args(tp)[0])
    if origin is list:
        return [_from_datum(v, get_args(tp)[0]) for v in value]
    if origin is dict:
        return {k: _from_datum(v, get_args(tp)[1]) for k, v in value.items()}
    if _is_dataclass_type(tp):
        return from_datum(tp, value)
    return value


def from_datum(cls: type[T], datum: dict[str, Any]) -> T:
    """Build a record of ``cls`` from an Avro datum (as fastavro's reader returns it)."""
    type_hints = hints(cls)
    kwargs = {
        f.name: _from_datum(datum[f.name], type_hints[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in datum
    }
    return cls(**kwargs)


# -- content hash --------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def content_hash(record: Any, *, exclude: tuple[str, ...] = ("envelope",)) -> str:
    """SHA-256 over the synced fields (everything but the envelope), stable across processes.

    Decimals are hashed at their schema scale, so ``12.5`` and ``12.500000`` hash the same.
    """
    datum = {k: v for k, v in to_datum(record).items() if k not in exclude}
    text = json.dumps(_jsonable(datum), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
