"""What a test needs and cannot make itself (a free port, the stack's Connect)."""

from __future__ import annotations

import os

import pytest


def unavailable(reason: str) -> None:
    """A prerequisite missing: a skip under a plain `pytest`, a failure under `make test`
    (PRESTASYNC_REQUIRE_STACK), where a missing Connect or a taken port must not pass as skipped."""
    if os.environ.get("PRESTASYNC_REQUIRE_STACK"):
        pytest.fail(reason)
    pytest.skip(reason)
