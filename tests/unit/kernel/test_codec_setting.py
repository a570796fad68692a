"""kafka.schema_registry_url picks the wire format of canonical records (kernel.codec.canonical_codec)."""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest

from kernel.codec import canonical_codec
from kernel.settings import Settings
from schemas.codec import SINGLE_OBJECT_MARKER, SingleObjectCodec
from schemas.registry import ConfluentCodec
from tests.unit.streams.mapping.captured import captured

pytestmark = pytest.mark.unit
URL = "http://registry.example:8081/apis/ccompat/v7/"


@pytest.fixture(autouse=True)
def no_outside_config(monkeypatch, tmp_path):
    monkeypatch.delenv("PRESTASYNC_KAFKA__SCHEMA_REGISTRY_URL", raising=False)
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(tmp_path / "absent.yaml"))


def record() -> Any:
    (mapped,) = captured("prestashop", "order_payment_update").map()
    return mapped


def test_without_a_registry_records_use_single_object_encoding():
    settings = Settings()
    assert settings.kafka.schema_registry_url is None
    codec = canonical_codec(settings)
    assert isinstance(codec, SingleObjectCodec)
    data = codec.encode(record())
    assert data.startswith(SINGLE_OBJECT_MARKER) and codec.decode(data) == record()


class FakeResponse:
    status_code = 200

    def json(self) -> dict[str, Any]:
        return {"id": 7}


class FakeSession:
    """Stands in for requests.Session: answers every lookup with schema id 7, records the calls."""

    def __init__(self) -> None:
        self.posted: list[tuple[str, dict[str, Any]]] = []

    def post(self, url: str, data: str, **_: Any) -> FakeResponse:
        self.posted.append((url, json.loads(data)))
        return FakeResponse()


def test_registry_url_from_the_environment_selects_the_confluent_wire_format(monkeypatch):
    monkeypatch.setenv("PRESTASYNC_KAFKA__SCHEMA_REGISTRY_URL", URL)
    settings = Settings()
    assert settings.kafka.schema_registry_url == URL
    codec = canonical_codec(settings)
    assert isinstance(codec, ConfluentCodec)
    assert codec.registry.url == URL.rstrip("/")
    session = FakeSession()
    codec.registry.session = session  # type: ignore[assignment]
    data = codec.encode(record())
    assert data[:5] == b"\x00\x00\x00\x00\x07"  # magic 0 + schema id 7, big-endian
    ((url, body),) = session.posted
    assert url == f"{URL.rstrip('/')}/subjects/prestasync.canonical.PaymentCapture"
    assert json.loads(body["schema"])["name"] == "PaymentCapture"


def test_registry_url_from_the_yaml_file_and_settings_stay_frozen(monkeypatch, tmp_path):
    config = tmp_path / "prestasync.yaml"
    config.write_text(f"kafka:\n  schema_registry_url: {URL}\n", encoding="utf-8")
    monkeypatch.setenv("PRESTASYNC_CONFIG", str(config))
    settings = Settings()
    assert isinstance(canonical_codec(settings), ConfluentCodec)
    with pytest.raises(pydantic.ValidationError):
        settings.kafka.schema_registry_url = None
    assert (
        canonical_codec(
            settings.model_copy(update={"kafka": settings.kafka.model_copy(update={"schema_registry_url": None})})
        )
        .encode(record())
        .startswith(SINGLE_OBJECT_MARKER)
    )
