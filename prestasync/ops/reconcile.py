"""`reconcile ENTITY [--fix]`: compare the shop and the ERP directly, report drift by owner.

Reads both databases (``reconcile_read``), never the pipeline's own state, so it also catches what
the pipeline got wrong. ``--fix`` does not write to either system itself: it asks Debezium to re-read
the owner's rows (an incremental snapshot limited to those rows), so the correction flows through the
normal pipeline — mapping, loop guard, idempotent sinks — like any other change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kernel.errors import StackError
from kernel.settings import Settings
from prestasync.ops import reconcile_read as read
from prestasync.ops.snapshot import request_snapshot

ENTITIES = ("customers", "addresses", "orders", "products", "stock")


@dataclass(frozen=True)
class Drift:
    entity: str
    key: str
    kind: str  # missing_in_erp | missing_in_shop | extra_in_erp | extra_in_shop | different
    owner: str  # the system whose value should win: "shop" or "erp"
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # name -> (shop value, erp value)
    fix: tuple[str, str, str] | None = None  # (system, table, origin id) to re-read, None: needs a person


def _compare(
    entity: str,
    owner: str,
    shop: dict[str, read.Row],
    erp: dict[str, read.Row],
    fix_table: str,
    report_extra: bool = True,
) -> list[Drift]:
    owned, other = (shop, erp) if owner == "shop" else (erp, shop)
    theirs = "erp" if owner == "shop" else "shop"
    drifts = []
    for key in sorted(owned):
        row = owned[key]
        if key not in other:
            drifts.append(Drift(entity, key, f"missing_in_{theirs}", owner, {}, (owner, fix_table, row.origin_id)))
            continue
        s, e = shop[key].fields, erp[key].fields
        diff = {name: (s.get(name), e.get(name)) for name in s if s.get(name) != e.get(name)}
        if diff:
            drifts.append(Drift(entity, key, "different", owner, diff, (owner, fix_table, row.origin_id)))
    if report_extra:
        # rows only the non-owner has: never deleted automatically, a person decides
        drifts += [Drift(entity, key, f"extra_in_{theirs}", owner) for key in sorted(set(other) - set(owned))]
    return drifts


def _archived_elsewhere(rows: dict[str, read.Row], kept: dict[str, read.Row]) -> dict[str, read.Row]:
    """``rows`` without the archived ones that ``kept`` has no row for: deleted there, archived here,
    both agree (the sinks archive, never delete)."""
    return {k: r for k, r in rows.items() if r.fields.get("active", True) or k in kept}


def customers(settings: Settings) -> list[Drift]:
    """Guests included (each guest checkout is a customer), deactivated customers compared with their
    archived partners; a deleted shop customer's archived partner is no drift."""
    shop = read.shop_customers(settings)
    return _compare("customers", "shop", shop, _archived_elsewhere(read.erp_customers(settings), shop), "customer")


def addresses(settings: Settings) -> list[Drift]:
    """Postcode, city and whether the address is in use; a deleted shop address's archived partner is
    no drift, nor is a guest's repeated address (an archived alias of the one it repeats)."""
    shop = read.shop_addresses(settings)
    return _compare("addresses", "shop", shop, _archived_elsewhere(read.erp_addresses(settings), shop), "address")


def orders(settings: Settings) -> list[Drift]:
    """Both totals (with and without tax), cancellation and confirmation (a shop order paid or shipped
    is confirmed in the ERP), cancelled orders included; an order not in the ERP names the products the
    ERP lacks for its lines."""
    found = _compare("orders", "shop", read.shop_orders(settings), read.erp_orders(settings), "orders")
    lacking = read.missing_products(settings, [d.fix[2] for d in found if d.kind == "missing_in_erp" and d.fix])
    out = []
    for d in found:
        if d.kind == "different":  # money or a cancellation on an imported order: a person decides
            d = Drift(d.entity, d.key, d.kind, d.owner, d.fields, None)
        elif d.kind == "missing_in_erp" and d.fix and d.fix[2] in lacking:
            d = Drift(d.entity, d.key, d.kind, d.owner, {"missing_products": (lacking[d.fix[2]], [])}, d.fix)
        out.append(d)
    return out


def products(settings: Settings) -> list[Drift]:
    """Archived ERP products compared with their (deactivated) shop copies; an archived product the
    shop does not have is no drift."""
    shop = read.shop_products(settings)
    return _compare("products", "erp", shop, _archived_elsewhere(read.erp_products(settings), shop), "product_template")


def stock(settings: Settings, web_locations: list[int]) -> list[Drift]:
    """Shop sellable quantity must equal ERP available on the web locations minus in-flight orders
    (shop orders the ERP has not confirmed or cancelled: missing there, or only a quotation)."""
    available = read.erp_available(settings, web_locations)
    in_flight = read.shop_in_flight(settings, read.erp_decided_orders(settings))
    known = read.erp_skus(settings)  # a product the ERP lacks has no stock rule: `reconcile products` says so
    drifts = []
    for sku, row in sorted(read.shop_stock(settings).items()):
        if sku not in known:
            continue
        erp_qty, quant_ids = available.get(sku, (Decimal(0), []))
        expected = max(int(erp_qty) - in_flight.get(sku, 0), 0)
        actual = row.fields["quantity"]
        if actual != expected:
            fix = ("erp", "stock_quant", ",".join(quant_ids)) if quant_ids else None
            drifts.append(Drift("stock", sku, "different", "erp", {"quantity": (actual, expected)}, fix))
    return drifts


def run(settings: Settings, entity: str, web_locations: list[int]) -> list[Drift]:
    checks: dict[str, Callable[[], list[Drift]]] = {
        "customers": lambda: customers(settings),
        "addresses": lambda: addresses(settings),
        "orders": lambda: orders(settings),
        "products": lambda: products(settings),
        "stock": lambda: stock(settings, web_locations),
    }
    if entity not in checks:
        raise StackError(f"unknown entity {entity!r}; one of {', '.join(ENTITIES)}")
    return checks[entity]()


_KEY_COLUMNS = {
    ("shop", "customer"): "id_customer",
    ("shop", "address"): "id_address",
    ("shop", "orders"): "id_order",
    ("erp", "product_template"): "id",
    ("erp", "stock_quant"): "id",
}


def fix(settings: Settings, drifts: list[Drift], on_progress: Callable[[int], None] = lambda n: None) -> list[str]:
    """Request one limited incremental snapshot per (system, table) covering every fixable drift."""
    batches: dict[tuple[str, str], list[str]] = {}
    for d in drifts:
        if d.fix is not None:
            system, table, origin_ids = d.fix
            batches.setdefault((system, table), []).extend(i for i in origin_ids.split(",") if i.isdigit())
    signals = []
    for (system, table), ids in batches.items():
        for start in range(0, len(ids), 100):  # the signal's data column is VARCHAR(2048)
            chunk = ids[start : start + 100]
            where = f"{_KEY_COLUMNS[(system, table)]} IN ({', '.join(chunk)})"
            tables = [table, "order_detail"] if (system, table) == ("shop", "orders") else [table]
            signals.append(request_snapshot(settings, system, tables, where=where))
            on_progress(len(chunk))
    return signals
