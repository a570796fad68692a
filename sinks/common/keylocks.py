"""Locks per natural key, for rows that commands of *different* canonical keys may both create.

Per-key ordering keeps one key's commands apart, but an Order and a Customer command (two keys)
can both need the customer's partner: without a lock, both search, find nothing, and create two.
Locks are taken in sorted order, so two holders of overlapping sets cannot deadlock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


class KeyLocks:
    def __init__(self, stripes: int = 64) -> None:
        self._stripes = [threading.Lock() for _ in range(stripes)]

    @contextmanager
    def hold(self, keys: Iterable[str]) -> Iterator[None]:
        indexes = sorted({hash(key) % len(self._stripes) for key in keys})
        for index in indexes:
            self._stripes[index].acquire()
        try:
            yield
        finally:
            for index in reversed(indexes):
                self._stripes[index].release()
