"""A record of every API call a twin answered, for tests and the drift/debug tooling."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, TypedDict


class CallRecord(TypedDict):
    ts: float  # epoch seconds (UTC) when the request arrived
    method: str
    path: str
    status: int  # 0 when the twin answered nothing (drop / timeout faults)
    duration_ms: float
    resource: str | None
    ids: list[int]
    fault: str | None


class CallRecorder:
    """Bounded in-memory log of calls, mirrored as JSON lines to ``path`` when one is given."""

    def __init__(self, maxlen: int = 10_000, path: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._calls: deque[CallRecord] = deque(maxlen=maxlen)
        self._path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def record(
        self,
        *,
        ts: float,
        method: str,
        path: str,
        status: int,
        duration_ms: float,
        resource: str | None = None,
        ids: list[int] | None = None,
        fault: str | None = None,
    ) -> CallRecord:
        call: CallRecord = {
            "ts": ts,
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round(duration_ms, 3),
            "resource": resource,
            "ids": list(ids or []),
            "fault": fault,
        }
        with self._lock:
            self._calls.append(call)
            if self._path is not None:
                with self._path.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps(call) + "\n")
        return call

    def list(self, since: float | None = None) -> list[CallRecord]:
        """Calls in arrival order; with ``since``, only those that arrived at or after it."""
        with self._lock:
            calls = list(self._calls)
        if since is None:
            return calls
        return [c for c in calls if c["ts"] >= since]

    def clear(self) -> None:
        """Forget the in-memory calls (the JSON-lines file is an append-only log and is kept)."""
        with self._lock:
            self._calls.clear()

    @staticmethod
    def now() -> float:
        return time.time()

    def as_json(self, since: float | None = None) -> dict[str, Any]:
        return {"calls": self.list(since)}
