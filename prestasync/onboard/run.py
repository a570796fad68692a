"""`prestasync onboard`: read both systems, match what they already share, report it (and, with
``--execute``, record the links). The commands' bodies, without click."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kernel.errors import StackError
from kernel.settings import Settings
from prestasync.onboard import match, read
from prestasync.onboard.model import ENTITIES, Match, summary


def matches(settings: Settings, entities: Sequence[str] = ENTITIES) -> list[Match]:
    unknown = set(entities) - set(ENTITIES)
    if unknown:
        raise StackError(f"unknown entity {', '.join(sorted(unknown))}; one of {', '.join(ENTITIES)}")
    steps: dict[str, Callable[[], list[Match]]] = {
        "customers": lambda: match.customers(read.shop_customers(settings), read.erp_partners(settings)),
        "orders": lambda: match.orders(read.shop_orders(settings), read.erp_orders(settings)),
    }
    out: list[Match] = []
    for entity in entities:
        if entity in steps:
            out += steps[entity]()
    if "products" in entities or "combinations" in entities:
        products, combinations = read.shop_products(settings)
        variants, unpublished = read.erp_variants(settings)
        if "products" in entities:
            out += match.sellables("products", products, variants, unpublished)
        if "combinations" in entities:
            # a variant a shop product matched is not a combination's candidate, and the other way round
            taken = {m.erp.id for m in out if m.entity == "products" and m.erp and m.status != "only_in_erp"}
            out += match.sellables("combinations", combinations, [v for v in variants if v.id not in taken])
            linked = {m.erp.id for m in out if m.entity == "combinations" and m.erp}
            out = [m for m in out if not (m.status == "only_in_erp" and m.erp and m.erp.id in linked)]
    return out


def needs_a_person(found: Sequence[Match]) -> list[Match]:
    """Conflicts --execute does not link: two candidates, a key field holding another value."""
    return [m for m in found if m.status == "conflicting" and m.link is None]


def report(found: Sequence[Match], settings: Settings, executed: Any = None) -> dict[str, Any]:
    return {
        "mode": settings.mode,
        "summary": summary(found),
        "links": sum(1 for m in found if m.link is not None),
        "needs_a_person": len(needs_a_person(found)),
        "matches": [m.as_dict() for m in found],
        **({"executed": executed} if executed is not None else {}),
    }
