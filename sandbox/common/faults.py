"""Fault injection for the API twins: added latency and a queue of failures, one per request.

Tests and the simulator configure it through ``/__admin/faults`` to exercise the sinks' retry,
back-off and dead-letter paths against realistic failures (5xx, throttling, hung or dropped
connections, garbage bodies).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

# "late": held like "timeout", then served: the write happens after the client gave up on it.
# "pass": served normally (places a fault on a later request of a handler's sequence).
FaultKind = Literal["500", "429", "timeout", "late", "drop", "malformed", "pass"]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_RETRY_AFTER = 1


@dataclass(frozen=True)
class Fault:
    """One failure to apply to one request."""

    kind: FaultKind
    retry_after: int = DEFAULT_RETRY_AFTER


@dataclass
class _QueuedFault:
    fault: Fault
    remaining: int


def _int_field(entry: dict[str, Any], key: str, default: int, minimum: int) -> int:
    value = entry.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{key} must be an integer >= {minimum}, got {value!r}")
    return value


def parse_queue(entries: Any) -> list[_QueuedFault]:
    """Validate the ``queue`` part of a spec (a list of {kind, count, retry_after})."""
    if not isinstance(entries, list):
        raise ValueError("queue must be a list")
    queue: list[_QueuedFault] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ValueError(f"queue entries must be objects, got {entry!r}")
        unknown = set(entry) - {"kind", "count", "retry_after"}
        if unknown:
            raise ValueError(f"unknown queue entry keys: {sorted(unknown)}")
        kind = str(entry.get("kind"))
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}, got {entry.get('kind')!r}")
        count = _int_field(entry, "count", 1, 1)
        retry_after = _int_field(entry, "retry_after", DEFAULT_RETRY_AFTER, 0)
        queue.append(_QueuedFault(Fault(cast(FaultKind, kind), retry_after), count))
    return queue


class FaultInjector:
    """Thread-safe latency + fault queue; faults are consumed in order, one per request."""

    def __init__(self, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._lock = threading.Lock()
        self._latency_ms = 0
        self._timeout_s = timeout_s
        self._queue: list[_QueuedFault] = []
        self._injected: Counter[str] = Counter()

    def configure(self, spec: dict[str, Any]) -> None:
        """Replace the configuration: ``{"latency_ms": int, "queue": [...], "timeout_s": float}``.

        Keys left out keep their current value. Raises ValueError (and changes nothing) on a bad spec.
        """
        if not isinstance(spec, dict):
            raise ValueError("fault spec must be an object")
        unknown = set(spec) - {"latency_ms", "queue", "timeout_s"}
        if unknown:
            raise ValueError(f"unknown fault spec keys: {sorted(unknown)}")
        latency = _int_field(spec, "latency_ms", self.latency_ms, 0) if "latency_ms" in spec else None
        queue = parse_queue(spec["queue"]) if "queue" in spec else None
        timeout_s = spec.get("timeout_s")
        if timeout_s is not None and (
            isinstance(timeout_s, bool) or not isinstance(timeout_s, int | float) or timeout_s <= 0
        ):
            raise ValueError(f"timeout_s must be a positive number, got {timeout_s!r}")
        with self._lock:
            if latency is not None:
                self._latency_ms = latency
            if queue is not None:
                self._queue = queue
            if timeout_s is not None:
                self._timeout_s = float(timeout_s)

    def clear(self) -> None:
        """No latency, empty queue (the hang duration and the injected counters are kept)."""
        with self._lock:
            self._latency_ms = 0
            self._queue = []

    def next_fault(self) -> Fault | None:
        """Take the next fault off the queue, or None when the request should be served normally."""
        with self._lock:
            if not self._queue:
                return None
            head = self._queue[0]
            head.remaining -= 1
            if head.remaining == 0:
                self._queue.pop(0)
            self._injected[head.fault.kind] += 1
            return head.fault

    @property
    def latency_ms(self) -> int:
        with self._lock:
            return self._latency_ms

    @property
    def timeout_s(self) -> float:
        """How long a ``timeout`` fault holds the connection before closing it (a ``late`` one, before serving)."""
        with self._lock:
            return self._timeout_s

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "latency_ms": self._latency_ms,
                "timeout_s": self._timeout_s,
                "queue": [
                    {"kind": q.fault.kind, "count": q.remaining, "retry_after": q.fault.retry_after}
                    for q in self._queue
                ],
                "injected": dict(self._injected),
            }
