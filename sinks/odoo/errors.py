"""The Odoo error table: which answers are worth retrying and which go to the DLQ.

Two layers, one table each. The HTTP status (proxies, throttling, JSON-2's statuses) comes first;
then the Odoo exception class named in a JSON-RPC ``error.data.name`` or a JSON-2 error body.
Credentials problems (401, 403, AccessDenied, AccessError) are :class:`CredentialsRefused`, the policy of
every sink: a wrong or expired API key, or an integration user without the rights, pauses the sink with an
alert until an operator fixes it, and never dead-letters every command.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sinks.common.errors import CredentialsRefused, SinkError, TerminalError, TransientError
from sinks.common.policy import HttpStatusPolicy, Outcome, Rule

T, X, C = Outcome.TRANSIENT, Outcome.TERMINAL, Outcome.CREDENTIALS

ODOO_HTTP_POLICY = HttpStatusPolicy(
    "odoo",
    {
        301: Rule(T, "redirected (JSON-2 on a server older than 19.0, or a proxy): check the URL/protocol"),
        302: Rule(T, "redirected to a login page: check the URL/protocol"),
        303: Rule(T, "redirected to a login page (JSON-2 is served from 19.0 only)"),
        400: Rule(X, "bad request"),
        401: Rule(C, "authentication failed: check the API key"),
        403: Rule(C, "access error: check the integration user's rights"),
        404: Rule(X, "unknown model, method or record"),
        409: Rule(T, "concurrent update"),
        415: Rule(X, "unsupported media type"),
        422: Rule(X, "validation error"),
        429: Rule(T, "throttled"),
        500: Rule(T, "server error"),
        502: Rule(T, "bad gateway"),
        503: Rule(T, "unavailable"),
        504: Rule(T, "gateway timeout"),
    },
)

# Odoo exception class (as serialised by odoo.http.serialize_exception) -> outcome.
ODOO_RPC_ERRORS: Mapping[str, Rule] = {
    "odoo.exceptions.ConcurrencyError": Rule(T, "concurrent update"),
    "psycopg2.errors.SerializationFailure": Rule(T, "serialisation failure"),
    "psycopg2.errors.DeadlockDetected": Rule(T, "deadlock"),
    "psycopg2.errors.LockNotAvailable": Rule(T, "lock not available"),
    "psycopg2.OperationalError": Rule(T, "database unavailable"),
    "psycopg2.InterfaceError": Rule(T, "database connection lost"),
    "odoo.http.SessionExpiredException": Rule(T, "session expired"),
    "odoo.exceptions.AccessDenied": Rule(C, "authentication failed: check the API key"),
    "odoo.exceptions.AccessError": Rule(C, "access error: check the integration user's rights"),
    "odoo.exceptions.ValidationError": Rule(X, "validation error"),
    "odoo.exceptions.UserError": Rule(X, "user error"),
    "odoo.exceptions.MissingError": Rule(X, "unknown reference (record missing)"),
    "odoo.exceptions.RedirectWarning": Rule(X, "user error"),
    "werkzeug.exceptions.BadRequest": Rule(X, "bad request"),
    "werkzeug.exceptions.NotFound": Rule(X, "unknown model or method"),
    "werkzeug.exceptions.Unauthorized": Rule(C, "authentication failed: check the API key"),
    "builtins.ValueError": Rule(X, "invalid value"),
    "builtins.TypeError": Rule(X, "invalid arguments"),
    "builtins.KeyError": Rule(X, "unknown field"),
    "psycopg2.errors.UniqueViolation": Rule(X, "unique constraint"),
    "psycopg2.errors.NotNullViolation": Rule(X, "missing required value"),
    "psycopg2.errors.ForeignKeyViolation": Rule(X, "unknown reference"),
}


def rpc_error(data: Mapping[str, Any], *, request: str, response: str, default: SinkError | None = None) -> SinkError:
    """The error for an Odoo exception ``{"name", "message", ...}``; unknown classes are terminal
    (an exception Odoo raised about this call) unless ``default`` (the HTTP layer's verdict) is given."""
    name = str(data.get("name") or "")
    message = str(data.get("message") or "")[:500]
    rule = ODOO_RPC_ERRORS.get(name)
    if rule is None:
        if default is not None:
            default.reason = f"{default.reason}: {name}: {message}"
            return default
        rule = Rule(X, "server error")
    reason = f"odoo: {rule.reason}: {name}: {message}"
    if rule.outcome is Outcome.CREDENTIALS:
        return CredentialsRefused(reason, request=request, response=response)
    if rule.outcome is Outcome.TRANSIENT:
        return TransientError(reason, request=request, response=response)
    return TerminalError(reason, request=request, response=response)
