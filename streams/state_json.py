"""JSON forms of the pure states, for Faust tables (changelogged as JSON)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from streams.guard_model import EntityState, Pending
from streams.stock import InFlight, SkuStock


def guard_to_json(state: EntityState) -> dict[str, Any]:
    return {
        "shadow": {s: dict(v) for s, v in state.shadow.items()},
        "pending": {
            s: {n: vars(p) | {"deferred": list(p.deferred)} for n, p in v.items()} for s, v in state.pending.items()
        },
        "seen_on": sorted(state.seen_on),
        "flips": list(state.flips),
        "tripped": state.tripped,
        "drift": sorted([s, n] for s, n in state.unresolved_drift),
        "seen_at": {s: list(v) for s, v in state.seen_at.items()},
        "ahead": {s: {n: list(r) for n, r in v.items()} for s, v in state.ahead.items()},
        "guessed": {s: dict(v) for s, v in state.guessed.items()},
    }


def guard_from_json(data: dict[str, Any] | None) -> EntityState:
    if not data:
        return EntityState()
    return EntityState(
        shadow={s: dict(v) for s, v in data["shadow"].items()},
        pending={
            s: {n: Pending(**(p | {"deferred": tuple(p["deferred"])})) for n, p in v.items()}
            for s, v in data["pending"].items()
        },
        seen_on=frozenset(data["seen_on"]),
        flips=tuple(data["flips"]),
        tripped=data["tripped"],
        unresolved_drift=frozenset((s, n) for s, n in data["drift"]),
        seen_at={s: (float(ts), str(pos)) for s, (ts, pos) in data.get("seen_at", {}).items()},
        ahead={
            s: {n: (str(value), float(at)) for n, (value, at) in v.items()} for s, v in data.get("ahead", {}).items()
        },
        guessed={s: dict(v) for s, v in data.get("guessed", {}).items()},
    )


def stock_to_json(stock: SkuStock) -> dict[str, Any]:
    return {
        "erp": {k: str(v) for k, v in stock.erp_available.items()},
        "erp_ts": stock.erp_ts,
        # [quantity, acked at] (+ true once the ERP's reservation showed it; older states have two items)
        "inflight": {
            k: [str(o.quantity), o.acked_ts, *([True] if o.reserved_seen else [])] for k, o in stock.inflight.items()
        },
        "erp_reserved": {k: str(v) for k, v in stock.erp_reserved.items()},
        "settled": dict(stock.settled),
        "shop": stock.shop_quantity,
        "sent": stock.last_sent,
        "shop_change": [stock.shop_change_ts, stock.shop_change_dir],
        **({"unclaimed": [str(stock.unclaimed), stock.unclaimed_ts]} if stock.unclaimed_ts is not None else {}),
    }


def stock_from_json(data: dict[str, Any] | None) -> SkuStock:
    if not data:
        return SkuStock()
    return SkuStock(
        erp_available={k: Decimal(v) for k, v in data["erp"].items()},
        erp_ts=data["erp_ts"],
        inflight={k: InFlight(Decimal(v[0]), v[1], bool(v[2:] and v[2])) for k, v in data["inflight"].items()},
        erp_reserved={k: Decimal(v) for k, v in data.get("erp_reserved", {}).items()},
        settled=dict(data["settled"]),
        shop_quantity=data["shop"],
        last_sent=data["sent"],
        shop_change_ts=data.get("shop_change", [None, 0])[0],
        shop_change_dir=int(data.get("shop_change", [None, 0])[1]),
        unclaimed=Decimal(data.get("unclaimed", ["0", None])[0]),
        unclaimed_ts=data.get("unclaimed", ["0", None])[1],
    )
