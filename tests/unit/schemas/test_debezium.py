"""schemas.debezium: envelope variants, time modes, decimals, zero dates, bad input."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from schemas.debezium import decode_change_event
from schemas.errors import MappingError

pytestmark = pytest.mark.unit

SOURCE_MARIADB = {
    "connector": "mariadb",
    "ts_ms": 1795805880000,
    "snapshot": "false",
    "db": "prestashop",
    "table": "ps_orders",
    "file": "mariadb-bin.000001",
    "pos": 315747,
    "row": 0,
}
SOURCE_PG = {
    "connector": "postgresql",
    "ts_ms": 1795805882544,
    "ts_us": 1795805882544405,
    "snapshot": "false",
    "schema": "public",
    "table": "res_partner",
    "lsn": 93994808,
}


def with_schema(after: dict[str, Any], fields: list[dict[str, Any]], source: dict[str, Any], op: str = "c") -> str:
    """A schemas.enable=true record value (JsonConverter) around one after image."""
    row_schema = {"type": "struct", "optional": True, "fields": fields, "field": "after"}
    schema = {"type": "struct", "fields": [dict(row_schema, field="before"), row_schema], "optional": False}
    payload = {"before": None, "after": after, "source": source, "op": op, "ts_ms": 1}
    return json.dumps({"schema": schema, "payload": payload})


def test_time_modes_follow_the_logical_type():
    fields = [
        {"type": "int32", "optional": True, "name": "io.debezium.time.Date", "field": "d"},
        {"type": "int64", "optional": True, "name": "io.debezium.time.Timestamp", "field": "ms"},
        {"type": "int64", "optional": True, "name": "io.debezium.time.MicroTimestamp", "field": "us"},
        {"type": "int64", "optional": True, "name": "io.debezium.time.NanoTimestamp", "field": "ns"},
        {"type": "string", "optional": True, "name": "io.debezium.time.ZonedTimestamp", "field": "z"},
    ]
    after = {
        "d": 19754,
        "ms": 1706745600123,
        "us": 1706745600123456,
        "ns": 1706745600123456789,
        "z": "2024-02-01T00:00:00.5+01:00",
    }
    row = decode_change_event(with_schema(after, fields, SOURCE_PG)).after
    assert row is not None
    assert row.calendar_date("d") == date(2024, 2, 1)  # 1706745600 s / 86400
    assert row.timestamp("ms") == datetime(2024, 2, 1, 0, 0, 0, 123000, tzinfo=UTC)
    assert row.timestamp("us") == datetime(2024, 2, 1, 0, 0, 0, 123456, tzinfo=UTC)
    assert row.timestamp("ns") == datetime(2024, 2, 1, 0, 0, 0, 123456, tzinfo=UTC)
    assert row.timestamp("z") == datetime(2024, 1, 31, 23, 0, 0, 500000, tzinfo=UTC)


def test_wall_clock_is_read_in_the_given_zone():
    fields = [{"type": "int64", "optional": False, "name": "io.debezium.time.Timestamp", "field": "date_add"}]
    # 2024-07-01 12:00:00 wall clock, as Debezium encodes a DATETIME (no zone conversion)
    row = decode_change_event(with_schema({"date_add": 1719835200000}, fields, SOURCE_MARIADB)).after
    assert row is not None
    assert row.timestamp("date_add", ZoneInfo("Europe/Paris")) == datetime(2024, 7, 1, 10, 0, tzinfo=UTC)


def test_without_schema_integer_times_use_the_connector_default_unit():
    shop = decode_change_event(
        {"before": None, "after": {"t": 1719835200000}, "source": SOURCE_MARIADB, "op": "c"}
    ).after
    erp = decode_change_event({"before": None, "after": {"t": 1719835200000000}, "source": SOURCE_PG, "op": "c"}).after
    assert shop is not None and erp is not None
    assert shop.timestamp("t") == erp.timestamp("t") == datetime(2024, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", [0, "0000-00-00 00:00:00", "0000-00-00", None])
def test_zero_dates_read_as_none(value):
    fields = [
        {"type": "int64", "optional": False, "name": "io.debezium.time.Timestamp", "field": "t"},
        {"type": "int32", "optional": False, "name": "io.debezium.time.Date", "field": "d"},
    ]
    if isinstance(value, str):
        fields = [dict(f, type="string", name=None) for f in fields]
    row = decode_change_event(with_schema({"t": value, "d": value}, fields, SOURCE_MARIADB)).after
    assert row is not None
    assert row.timestamp("t") is None
    assert row.calendar_date("d") is None


def test_postgres_epoch_zero_is_a_real_time():
    row = decode_change_event({"after": {"t": 0}, "before": None, "source": SOURCE_PG, "op": "c"}).after
    assert row is not None and row.timestamp("t") == datetime(1970, 1, 1, tzinfo=UTC)


def test_decimals_string_precise_and_variable_scale():
    precise = base64.b64encode((-1234567).to_bytes(4, "big", signed=True)).decode()
    fields = [
        {"type": "string", "optional": False, "field": "s"},
        {
            "type": "bytes",
            "optional": False,
            "name": "org.apache.kafka.connect.data.Decimal",
            "parameters": {"scale": "6"},
            "field": "p",
        },
        {"type": "struct", "optional": False, "name": "io.debezium.data.VariableScaleDecimal", "field": "v"},
        {"type": "float64", "optional": True, "field": "f"},
    ]
    after = {
        "s": "20.123456",
        "p": precise,
        "v": {"scale": 2, "value": base64.b64encode((1999).to_bytes(2, "big")).decode()},
        "f": 0.1,
    }
    row = decode_change_event(with_schema(after, fields, SOURCE_PG)).after
    assert row is not None
    assert row.decimal("s") == Decimal("20.123456")
    assert row.decimal("p") == Decimal("-1.234567")
    assert row.decimal("v") == Decimal("19.99")
    assert row.decimal("f") == Decimal("0.1")  # not 0.1000000000000000055511...


def test_tombstones_and_deletes():
    for value in (None, b"null", json.dumps({"schema": None, "payload": None})):
        event = decode_change_event(value, topic="shop.prestashop.ps_customer")
        assert event.is_tombstone and event.row is None
    delete = decode_change_event({"before": {"id": 7}, "after": None, "source": SOURCE_PG, "op": "d"})
    assert delete.is_delete and delete.row is not None and delete.row.integer("id") == 7
    assert delete.position == "lsn:93994808"
    assert delete.source_ts == datetime(2026, 11, 27, 18, 58, 2, 544405, tzinfo=UTC)


@pytest.mark.parametrize(
    ("op", "snapshot", "expected"),
    [
        ("r", "true", True),
        ("r", "last", True),
        ("r", "first", True),
        ("c", "incremental", True),
        ("c", "false", False),
        ("u", None, False),
    ],
)
def test_snapshot_flags(op, snapshot, expected):
    event = decode_change_event(
        {"before": None, "after": {"id": 1}, "op": op, "source": dict(SOURCE_MARIADB, snapshot=snapshot)}
    )
    assert event.is_snapshot is expected
    assert event.position == "binlog:mariadb-bin.000001:315747:0"


@pytest.mark.parametrize(
    "value",
    [
        b"{not json",
        b"[1,2]",
        json.dumps({"source": {}, "ts_ms": 1}),
        json.dumps({"schema": {}, "payload": {"op": "x"}}),
    ],
)
def test_bad_input_is_a_mapping_error_carrying_the_event(value):
    with pytest.raises(MappingError) as caught:
        decode_change_event(value, topic="shop.prestashop.ps_orders")
    assert caught.value.event == value


def test_missing_and_bad_columns_are_mapping_errors():
    row = decode_change_event(
        {"before": None, "after": {"n": "abc", "x": None}, "source": SOURCE_MARIADB, "op": "c"}
    ).after
    assert row is not None
    for call in (
        lambda: row.integer("missing"),
        lambda: row.decimal("n"),
        lambda: row.integer("x"),
        lambda: row.flag("n"),
    ):
        with pytest.raises(MappingError) as caught:
            call()
        assert caught.value.table == "ps_orders"
