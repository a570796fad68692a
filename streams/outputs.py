"""What the streams' stateful steps read and produce: their tables and the records to send."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

H_KIND = "prestasync-kind"
H_SYSTEM = "prestasync-system"
H_INTEGRATION = "prestasync-integration-write"
Headers = list[tuple[str, bytes]]
Table = MutableMapping[str, Any]


@dataclass(frozen=True)
class Out:
    topic: str
    key: bytes | None
    value: bytes | None
    headers: Headers


@dataclass
class Tables:
    guard: Table  # obs key -> guard state (JSON)
    latest: Table  # "<entity>:<key>@<system>" -> latest record (hex)
    assembly: Table  # asm key -> {"first": seen at, "parts": [hex...]}
    quants: Table  # quant key -> {quant id: hex}
    stock: Table  # stock key -> SkuStock (JSON)
    identity: Table  # "<system>:<table>:<origin id>" -> canonical key
    counters: Table  # counter name -> int
    # asm key -> first seen, for the orders still being assembled only: the timeout sweep reads this,
    # not ``assembly``, which keeps every order's rows (a later row re-assembles it) and grows for ever
    open_orders: Table = field(default_factory=dict)
    # tmpl key -> {"mark": the template's TemplateMark, "variants": {variant id: its record}}
    templates: Table = field(default_factory=dict)
