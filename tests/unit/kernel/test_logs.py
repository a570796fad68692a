"""Logs are JSON lines and never carry a secret, whatever path it takes into the message."""

from __future__ import annotations

import io
import json
import logging

import pytest

from kernel.logs import MASK, setup_logging
from kernel.settings import Settings

pytestmark = pytest.mark.unit


@pytest.fixture
def logged(tmp_path):
    settings = Settings(home=tmp_path)
    db_password = settings.secret("mariadb_capture.password").get_secret_value()
    api_key = settings.secret("odoo_api.key").get_secret_value()
    stream = io.StringIO()
    setup_logging(settings, stream=stream)
    yield stream, db_password, api_key
    logging.getLogger().handlers = []


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_known_secret_values_are_masked_everywhere(logged) -> None:
    stream, db_password, api_key = logged
    log = logging.getLogger("prestasync.test")
    log.info("connecting with %s", db_password)
    log.warning("odoo answered", extra={"fields": {"request": {"params": ["odoo", "prestasync", api_key]}}})
    try:
        raise RuntimeError(f"login failed for key {api_key}")
    except RuntimeError:
        log.exception("boom")
    text = stream.getvalue()
    assert db_password not in text and api_key not in text
    lines = _lines(stream)
    assert lines[0]["msg"] == f"connecting with {MASK}"
    assert lines[1]["request"] == {"params": ["odoo", "prestasync", MASK]}
    assert MASK in str(lines[2]["exc"])


def test_credential_shapes_are_masked_even_when_unknown(logged) -> None:
    stream, _, _ = logged
    log = logging.getLogger("prestasync.test")
    log.info("GET http://ABCDEF0123456789ABCDEF0123456789:@127.0.0.1:8800/api/customers?ws_key=XYZ123456789")
    log.info("headers {'Authorization': 'Bearer abcdef123456', 'X': 1} password=hunter2222")
    first, second = (str(line["msg"]) for line in _lines(stream))
    assert "ABCDEF0123456789ABCDEF0123456789" not in first and "XYZ123456789" not in first
    assert "abcdef123456" not in second and "hunter2222" not in second
    assert first.count(MASK) == 2 and second.count(MASK) == 2


def test_lines_are_structured(logged) -> None:
    stream, _, _ = logged
    logging.getLogger("prestasync.sink").info("applied", extra={"fields": {"key": "PS-1", "ms": 12}})
    (line,) = _lines(stream)
    assert line["level"] == "info" and line["logger"] == "prestasync.sink" and line["key"] == "PS-1"


def test_streams_worker_logs_through_the_masking_json_handler(tmp_path) -> None:
    from streams.app import _redacting_handler

    settings = Settings(home=tmp_path)
    secret = settings.secret("postgres_capture.password").get_secret_value()
    handler = _redacting_handler(settings)
    record = logging.LogRecord("faust.worker", logging.INFO, __file__, 1, "dsn with %s", (secret,), None)
    line = json.loads(handler.format(record))
    assert line["logger"] == "faust.worker" and line["msg"] == f"dsn with {MASK}"


def test_a_configured_key_file_in_pem_is_masked_line_by_line(tmp_path) -> None:
    pem = tmp_path / "client.key"
    body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC=="
    pem.write_text(f"-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n")
    settings = Settings(home=tmp_path / "home", kafka={"security_protocol": "SSL", "ssl_keyfile": pem})
    stream = io.StringIO()
    setup_logging(settings, stream=stream)
    try:
        logging.getLogger("t").error("tls handshake with %s", body)
    finally:
        logging.getLogger().handlers = []
    assert body not in stream.getvalue() and MASK in stream.getvalue()
