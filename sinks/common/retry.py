"""Bounded retries with exponential backoff that honour Retry-After and can be interrupted."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sinks.common.errors import TransientError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0  # a server asking for longer is capped (then the partition pauses)
    jitter: float = 0.2

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after the ``attempt``-th failure (1-based)."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        backoff: float = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return backoff * random.uniform(1 - self.jitter, 1 + self.jitter)  # jitter, not crypto


class RetriesExhausted(Exception):
    def __init__(self, last: TransientError, attempts: int) -> None:
        super().__init__(f"{attempts} attempts failed; last: {last.reason}")
        self.last = last
        self.attempts = attempts


class Stopped(Exception):
    """The worker is stopping: the call was abandoned between attempts."""


def call_with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    stop: threading.Event,
    on_retry: Callable[[TransientError, float], None] | None = None,
) -> T:
    """``call()``; on TransientError wait and try again, up to ``policy.max_attempts`` calls.

    TerminalError (and anything else) propagates at once. Raises RetriesExhausted after the last
    attempt, Stopped if ``stop`` is set while waiting.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            return call()
        except TransientError as exc:
            if attempt >= policy.max_attempts:
                raise RetriesExhausted(exc, attempt) from exc
            wait = policy.delay(attempt, exc.retry_after)
            if on_retry is not None:
                on_retry(exc, wait)
            if stop.wait(wait):
                raise Stopped() from exc
