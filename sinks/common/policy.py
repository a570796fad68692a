"""HTTP status -> transient / terminal, one declarative table per system (Airbyte-CDK style).

A system's ``client.py`` declares its table as an :class:`HttpStatusPolicy`; the client calls
:meth:`HttpStatusPolicy.classify` on every answer and raises what it returns. Statuses missing
from the table fall back on their class: 2xx/3xx succeed, 401/403 refuse the credentials (the same
policy for every sink: pause and alert), 408/425/429 and 5xx are transient, other 4xx are terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import Enum

from sinks.common.errors import CredentialsRefused, SinkError, TerminalError, TransientError


class Outcome(Enum):
    SUCCESS = "success"
    TRANSIENT = "transient"
    TERMINAL = "terminal"
    CREDENTIALS = "credentials"  # 401 / 403: pause and alert (errors.CredentialsRefused), never dead-letter


@dataclass(frozen=True)
class Rule:
    outcome: Outcome
    reason: str


_DEFAULT_TRANSIENT_4XX = frozenset({408, 425, 429})


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header as seconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class HttpStatusPolicy:
    """The status table of one system: explicit rules first, then the class defaults."""

    system: str
    rules: Mapping[int, Rule] = field(default_factory=dict)

    def outcome(self, status: int) -> Rule:
        if status in self.rules:
            return self.rules[status]
        if status < 400:
            return Rule(Outcome.SUCCESS, "ok")
        if status in (401, 403):
            return Rule(Outcome.CREDENTIALS, "the key or its rights were refused")
        if status >= 500 or status in _DEFAULT_TRANSIENT_4XX:
            return Rule(Outcome.TRANSIENT, f"HTTP {status}")
        return Rule(Outcome.TERMINAL, f"HTTP {status}")

    def classify(self, status: int, headers: Mapping[str, str], body: str, *, request: str = "") -> SinkError | None:
        """None when the answer is a success, else the error to raise (not raised here)."""
        rule = self.outcome(status)
        response = f"HTTP {status}\n{body}"
        reason = f"{self.system}: {rule.reason}"
        if rule.outcome is Outcome.SUCCESS:
            return None
        retry_after = retry_after_seconds(_header(headers, "Retry-After"))
        if rule.outcome is Outcome.CREDENTIALS:
            return CredentialsRefused(reason, retry_after=retry_after, request=request, response=response)
        if rule.outcome is Outcome.TRANSIENT:
            return TransientError(reason, retry_after=retry_after, request=request, response=response)
        return TerminalError(reason, request=request, response=response)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None
