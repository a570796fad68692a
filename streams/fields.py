"""Synced fields of a canonical record, rendered as text the loop guard can compare.

The guard never compares values across systems (each side keeps its own shadow), only a system
with itself and with what a sink says it wrote (``SinkAck.written``), so the rendering only has to
be deterministic. Origin ids are each system's own row ids, never synced, so they are left out.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from schemas.order import OrderState, OrderStatus
from schemas.records import Canonical

SHOP = "prestashop"
ERP = "odoo"
SYSTEMS = (SHOP, ERP)


def other_system(system: str) -> str:
    if system not in SYSTEMS:
        raise ValueError(f"unknown system {system!r}")
    return ERP if system == SHOP else SHOP


def render_value(value: Any) -> str:
    """One value as text: decimals without exponent or trailing zeros, booleans lower-case,
    None empty, containers as sorted JSON. Sinks use the same rendering for ``written``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, OrderState):
        return value.code or f"origin:{value.origin_state}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return render_value(dataclasses.asdict(value))
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, sort_keys=True, default=render_value, separators=(",", ":"))
    return str(value)


def _synced(name: str) -> bool:
    return name != "envelope" and not name.endswith("origin_id") and not name.endswith("origin_ids")


def synced_fields(record: Canonical) -> dict[str, str]:
    """Every synced field of ``record`` (all but the envelope and origin ids), rendered."""
    return {f.name: render_value(getattr(record, f.name)) for f in dataclasses.fields(record) if _synced(f.name)}


def with_values(record: Canonical, values: dict[str, str]) -> Canonical:
    """``record`` holding the values the guard decided to send. They are the record's own unless the
    guard learned them from a sink's read (a stale command's ack) before the record's CDC event came:
    an order status is rebuilt with that state code; other records are sent as they are."""
    current = synced_fields(record)
    differing = {n: v for n, v in values.items() if current.get(n) != v}
    if isinstance(record, OrderStatus) and set(differing) == {"state"}:
        state = OrderState(code=differing["state"], origin_state="")  # learned as a code: no origin state
        return dataclasses.replace(record, state=state).sealed()
    return record


def entity_key(entity: str, canonical_key: str) -> str:
    """The key of one entity in the streams' tables (and of command records): ``<entity>:<key>``."""
    return f"{entity}:{canonical_key}"
