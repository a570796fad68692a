"""schemas.codec: single-object framing, fingerprints, round trips, old-version decoding."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from fastavro import parse_schema, schemaless_writer
from hypothesis import given, settings

from schemas.catalogue import CLASS_BY_ENTITY, crc64_fingerprint, default_catalogue
from schemas.codec import SINGLE_OBJECT_MARKER, SingleObjectCodec
from schemas.errors import CodecError
from schemas.model import to_datum
from schemas.records import Envelope, Product
from tests.unit.schemas.strategies import orders, products, stock_levels

pytestmark = pytest.mark.unit
CODEC = SingleObjectCodec()


def crc64_avro(data: bytes) -> int:
    """CRC-64-AVRO written from the Avro specification's reference code, independent of fastavro."""
    empty = 0xC15D213AA4D7A795
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (empty & -(fp & 1))
        table.append(fp & 0xFFFFFFFFFFFFFFFF)
    fp = empty
    for byte in data:
        fp = (fp >> 8) ^ table[(fp ^ byte) & 0xFF]
    return fp


def test_fingerprint_is_little_endian_crc64_of_the_canonical_form():
    assert crc64_fingerprint({"type": "record", "name": "X", "fields": []}) == crc64_avro(
        b'{"name":"X","type":"record","fields":[]}'
    ).to_bytes(8, "little")


@settings(max_examples=60, deadline=None)
@given(products)
def test_product_round_trip(product):
    data = CODEC.encode(product)
    assert data[:2] == SINGLE_OBJECT_MARKER
    assert data[2:10] == default_catalogue().latest("product").fingerprint
    decoded = CODEC.decode(data)
    assert decoded == product
    assert isinstance(decoded, Product) and isinstance(decoded.list_price, Decimal)


@settings(max_examples=40, deadline=None)
@given(stock_levels)
def test_stock_level_round_trip(level):
    assert CODEC.decode(CODEC.encode(level)) == level


@settings(max_examples=40, deadline=None)
@given(orders)
def test_order_round_trip(order):
    assert CODEC.decode(CODEC.encode(order)) == order


def envelope() -> Envelope:
    return Envelope(
        "SKU-1",
        "odoo",
        "product_template",
        "1",
        datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "lsn:1",
        False,
        False,
        "",
    )


def test_a_v1_message_decodes_with_the_v2_reader():
    v1 = default_catalogue().versions("product")[0]
    assert v1.version == 1 and "ean13" not in {f["name"] for f in v1.schema["fields"]}
    datum = to_datum(
        Product(envelope(), "SKU-1", {"en_US": "Shirt"}, Decimal("19.9"), None, None, True, False, ean13="ignored")
    )
    del datum["ean13"]
    body = io.BytesIO()
    schemaless_writer(body, parse_schema(v1.schema), datum)
    decoded = CODEC.decode(SINGLE_OBJECT_MARKER + v1.fingerprint + body.getvalue())
    assert isinstance(decoded, Product)
    assert decoded.ean13 is None and decoded.sku == "SKU-1" and decoded.list_price == Decimal("19.900000")


def test_every_published_version_is_distinct_and_resolvable():
    catalogue = default_catalogue()
    for entity in CLASS_BY_ENTITY:
        for published in catalogue.versions(entity):
            assert catalogue.by_fingerprint(published.fingerprint) == published


@pytest.mark.parametrize("data", [b"", b"\xc3", b"\x00\x01" + bytes(8), b"\xc3\x01" + bytes(8) + b"\x02"])
def test_garbage_is_a_codec_error(data):
    with pytest.raises(CodecError):
        CODEC.decode(data)


def test_truncated_body_is_a_codec_error():
    data = CODEC.encode(Product(envelope(), "SKU-1", {}, Decimal(1), None, None, True, False))
    with pytest.raises(CodecError):
        CODEC.decode(data[:-3])


def test_money_that_does_not_fit_is_refused():
    product = Product(envelope(), "SKU-1", {}, Decimal("1e20"), None, None, True, False)
    with pytest.raises(ValueError, match="does not fit"):
        CODEC.encode(product)


def test_naive_datetimes_are_refused():
    bad = Envelope(None, "odoo", "t", "1", datetime(2026, 1, 1), "", False, False, "")
    with pytest.raises(ValueError, match="timezone-aware"):
        CODEC.encode(Product(bad, None, {}, Decimal(1), None, None, True, False))


def test_content_hash_covers_synced_fields_only():
    base = Product(envelope(), "SKU-1", {"en_US": "A"}, Decimal("19.9"), None, None, True, False).sealed()
    same_value = Product(envelope(), "SKU-1", {"en_US": "A"}, Decimal("19.900000"), None, None, True, False).sealed()
    moved = Product(
        Envelope("SKU-1", "prestashop", "product", "9", datetime(2020, 1, 1, tzinfo=UTC), "x", True, False, ""),
        "SKU-1",
        {"en_US": "A"},
        Decimal("19.9"),
        None,
        None,
        True,
        False,
    ).sealed()
    changed = Product(envelope(), "SKU-1", {"en_US": "A"}, Decimal("19.91"), None, None, True, False).sealed()
    assert base.envelope.content_hash == same_value.envelope.content_hash == moved.envelope.content_hash
    assert base.envelope.content_hash != changed.envelope.content_hash
    assert len(base.envelope.content_hash) == 64
