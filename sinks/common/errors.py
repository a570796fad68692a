"""The only two errors a sink handler may raise; the worker decides what to do from the class.

Clients classify at the edge (HTTP status, RPC error kind, network failure) and raise one of these,
so the worker never has to understand a system's API to know whether to retry or dead-letter.
``request`` / ``response`` are what the DLQ keeps for an operator: secrets must be removed before
they are put here (see :func:`redact`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

log = logging.getLogger(__name__)
_MAX_TEXT = 4000
_SECRET_KEYS = re.compile(
    r'("?(?:password|passwd|api_?key|token|secret|authorization)"?\s*[:=]\s*)("[^"]*"|[^\s,&}]+)', re.IGNORECASE
)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` without the given secret values nor values of secret-looking keys, truncated."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _SECRET_KEYS.sub(lambda m: m.group(1) + '"***"', text)
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + f"... ({len(text) - _MAX_TEXT} more chars)"


class SinkError(Exception):
    """Base of the two classes below; carries the API exchange for logs and the DLQ."""

    def __init__(self, reason: str, *, request: str = "", response: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.request = request
        self.response = response


class TransientError(SinkError):
    """Worth retrying: timeouts, connection errors, 429, 5xx, transient RPC errors (serialisation
    failures, concurrent updates). ``retry_after`` is the server's Retry-After in seconds, if any."""

    def __init__(self, reason: str, *, retry_after: float | None = None, request: str = "", response: str = "") -> None:
        super().__init__(reason, request=request, response=response)
        self.retry_after = retry_after


class CredentialsRefused(TransientError):
    """The target refused the integration's key or rights (401, 403, Odoo's AccessDenied / AccessError).

    The same for every sink: never a dead letter (a revoked key would dead-letter every command), but
    a blocked partition, paused and retried, with an alert (an error log line, the
    ``prestasync_sink_credentials_refused_total`` counter, and ``/health`` failing) until an operator
    fixes the key or grants the rights; then the commands go through, none lost."""


class KeyRejected(RuntimeError):
    """At start (``build_sink``), the target refused the configured key: starting would block every
    command; the process stops with this message instead."""


def check_key_at_start(system: str, what: str, probe: Callable[[], object], close: Callable[[], None]) -> None:
    """Every sink's start-up check: ``probe`` (one authenticated call) refused -> :class:`KeyRejected`;
    unreachable, or refused for another reason -> a warning (each command's own outcome decides)."""
    try:
        probe()
    except CredentialsRefused as exc:
        close()
        raise KeyRejected(f"{system} refused {what}: {exc.reason}") from exc
    except SinkError as exc:
        log.warning("%s: start-up check: %s", system, exc.reason)


class TerminalError(SinkError):
    """Retrying cannot help (validation error, access error, unknown reference): dead-letter it."""
