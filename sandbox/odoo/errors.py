"""Odoo's exceptions as the twin raises them, and their two wire shapes (JSON-RPC and JSON-2).

JSON-RPC (``/jsonrpc``, ``/web/...``): HTTP 200 and ``{"jsonrpc": "2.0", "id": ..., "error": {"code": 200,
"message": "Odoo Server Error", "data": {"name", "debug", "message", "arguments", "context"}}}`` -- the
``data`` of Odoo's ``serialize_exception`` (odoo/http.py, ``JsonRPCDispatcher.handle_error``).
JSON-2 (19.0, ``/json/2/...``): a 4xx/5xx status whose body is exactly ``{"name", "message", "arguments",
"context", "debug"}`` in that order (``Json2Dispatcher.handle_error``; key order asserted by Odoo's
``test_webjson2.py``).
"""

from __future__ import annotations

import traceback
from typing import Any


class OdooError(Exception):
    """Base of the twin's Odoo-shaped exceptions; ``name`` is the dotted class path Odoo reports."""

    name = "odoo.exceptions.UserError"
    http_status = 422  # JSON-2 status (odoo.exceptions.UserError.http_status in 19.0)

    def __init__(self, message: str, *extra_args: Any) -> None:
        super().__init__(message, *extra_args)
        self.message = message


class UserError(OdooError):
    name = "odoo.exceptions.UserError"


class ValidationError(UserError):
    name = "odoo.exceptions.ValidationError"


class AccessError(UserError):
    name = "odoo.exceptions.AccessError"
    http_status = 403


class AccessDenied(UserError):
    name = "odoo.exceptions.AccessDenied"
    http_status = 403

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)


class MissingError(UserError):
    name = "odoo.exceptions.MissingError"
    http_status = 404


class HttpError(OdooError):
    """A werkzeug HTTP exception as JSON-2 reports it (arguments carry the status, as in Odoo)."""

    def __init__(self, status: int, name: str, message: str) -> None:
        super().__init__(message, status)
        self.name = f"werkzeug.exceptions.{name}"
        self.http_status = status


def missing_error(model: str, ids: list[int], uid: int) -> MissingError:
    records = ", ".join(str(i) for i in ids)
    return MissingError(f"Record does not exist or has been deleted.\n(Record: {model}({records},), User: {uid})")


def _name(exc: BaseException) -> str:
    if isinstance(exc, OdooError):
        return exc.name
    cls = type(exc)
    return f"{cls.__module__}.{cls.__qualname__}"


def _message(exc: BaseException) -> str:
    if isinstance(exc, OdooError):
        return exc.message
    return str(exc.args[0]) if len(exc.args) == 1 else str(exc)


def serialize_exception(exc: BaseException, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``data`` member of Odoo's JSON-RPC error (and the JSON-2 error body, same keys)."""
    # AccessDenied carries no traceback in Odoo (it hides where authentication failed).
    debug = "" if isinstance(exc, AccessDenied) else "".join(traceback.format_exception(exc))
    return {
        "name": _name(exc),
        "message": _message(exc),
        "arguments": list(exc.args),
        "context": context or {},
        "debug": debug,
    }


def jsonrpc_error(request_id: Any, exc: BaseException) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "error": {"code": 200, "message": "Odoo Server Error", "data": serialize_exception(exc)},
    }


def json2_error(exc: BaseException) -> tuple[int, dict[str, Any]]:
    """(status, body) for JSON-2. Non-Odoo exceptions (ValueError, TypeError...) are 500, as in Odoo."""
    data = serialize_exception(exc)
    body = {key: data[key] for key in ("name", "message", "arguments", "context", "debug")}
    status = exc.http_status if isinstance(exc, OdooError) else 500
    return status, body
