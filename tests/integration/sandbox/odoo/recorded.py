"""What real Odoo answered in the recordings the twin is held to: the version, the call shapes it accepted."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tests.real.recorder import load_fixtures, shape_key

VERSION = "18.0"


def recorded_shapes() -> set[str]:
    """Shapes real Odoo answered without an error (the refusals scenario records the refused forms)."""
    return {
        shape_key(e["call_shape"])
        for e in load_fixtures("odoo", VERSION)
        if not (isinstance(e["response"]["json"], dict) and "error" in e["response"]["json"])
    }


def unrecorded(sent: Iterable[dict[str, Any]]) -> list[str]:
    """The call shapes in ``sent`` no real recording has (sorted, printable)."""
    known = recorded_shapes()
    return sorted({shape_key(s) for s in sent} - known)
