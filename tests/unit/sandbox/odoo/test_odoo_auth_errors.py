"""Credential hashing (passlib's pbkdf2_sha512 format, as Odoo stores it) and Odoo's error shapes."""

from __future__ import annotations

import base64
import hashlib

import pytest

from sandbox.odoo.auth import hash_secret, verify_secret
from sandbox.odoo.errors import AccessDenied, HttpError, json2_error, jsonrpc_error, missing_error

pytestmark = pytest.mark.unit


def test_hash_has_passlib_pbkdf2_sha512_layout_and_verifies() -> None:
    hashed = hash_secret("0123456789abcdef0123456789abcdef01234567", rounds=6000, salt=b"saltsaltsaltsalt")
    scheme, rounds, salt, checksum = hashed.split("$")[1:]
    assert (scheme, rounds) == ("pbkdf2-sha512", "6000")
    assert "+" not in salt + checksum and "=" not in salt + checksum  # passlib's adapted base64
    raw = base64.b64decode(checksum.replace(".", "+") + "=" * (-len(checksum) % 4))
    expected = hashlib.pbkdf2_hmac("sha512", b"0123456789abcdef0123456789abcdef01234567", b"saltsaltsaltsalt", 6000)
    assert raw == expected
    assert verify_secret("0123456789abcdef0123456789abcdef01234567", hashed)
    assert not verify_secret("0123456789abcdef0123456789abcdef01234568", hashed)


def test_verify_rejects_missing_or_foreign_hashes() -> None:
    assert not verify_secret("x", None)
    assert not verify_secret("x", "plain-text")
    assert not verify_secret("x", "$pbkdf2-sha512$notanumber$abc$def")
    assert hash_secret("same") != hash_secret("same")  # random salt


def test_jsonrpc_error_shape_for_access_denied() -> None:
    payload = jsonrpc_error(7, AccessDenied())
    assert payload["jsonrpc"] == "2.0" and payload["id"] == 7
    error = payload["error"]
    assert (error["code"], error["message"]) == (200, "Odoo Server Error")
    assert error["data"] == {
        "name": "odoo.exceptions.AccessDenied",
        "message": "Access Denied",
        "arguments": ["Access Denied"],
        "context": {},
        "debug": "",
    }


def test_json2_error_keys_order_and_statuses() -> None:
    status, body = json2_error(missing_error("res.partner", [5], 2))
    assert status == 404 and list(body) == ["name", "message", "arguments", "context", "debug"]
    assert body["message"] == "Record does not exist or has been deleted.\n(Record: res.partner(5,), User: 2)"
    status, body = json2_error(HttpError(422, "UnprocessableEntity", "missing a required argument: 'domain'"))
    assert status == 422 and body["arguments"] == ["missing a required argument: 'domain'", 422]
    assert body["name"] == "werkzeug.exceptions.UnprocessableEntity"
    status, body = json2_error(ValueError("Invalid field"))
    assert status == 500 and body["name"] == "builtins.ValueError" and "Traceback" not in body["message"]
