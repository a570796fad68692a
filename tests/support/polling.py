"""The one way tests wait for something the system does on its own time (a worker, a broker, a server)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    check: Callable[[], T],
    what: str,
    timeout: float = 60.0,
    every: float = 0.3,
    *,
    ignoring: tuple[type[Exception], ...] = (AssertionError,),
    details: Callable[[], str] | None = None,
) -> T:
    """Call ``check`` every ``every`` seconds until it holds, and return what it returned.

    ``check`` is a predicate (``False`` means not yet) or an assertion (raising AssertionError means not
    yet; what it returns is the result). ``ignoring`` widens what counts as not yet (a server still
    coming up refuses connections). When ``timeout`` passes: an AssertionError naming ``what``, with the
    last failure and ``details()`` (a log tail, say)."""
    deadline = time.monotonic() + timeout
    while True:
        failure = ""
        try:
            result = check()
            if result is not False:
                return result
        except ignoring as exc:
            failure = f": {type(exc).__name__}: {exc}"
        if time.monotonic() > deadline:
            tail = f"\n{details()}" if details else ""
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}{failure}{tail}")
        time.sleep(every)
