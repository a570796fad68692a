"""What every end-to-end run must end with, read from the two databases (never from the pipeline)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from prestasync.config import Settings
from prestasync.stack.dbadmin import mariadb_admin, postgres_admin

T = TypeVar("T")


def shop_rows(settings: Settings, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """``{p}`` in ``sql`` is the shop's table prefix."""
    with mariadb_admin(settings.mariadb.database, settings=settings) as shop, shop.cursor() as cur:
        cur.execute(sql.replace("{p}", settings.mariadb.table_prefix), args)
        return list(cur.fetchall())


def erp_rows(settings: Settings, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    erp = postgres_admin(settings.postgres.database, settings=settings)
    try:
        with erp.cursor() as cur:
            cur.execute(sql, args)
            return list(cur.fetchall())
    finally:
        erp.close()


def eventually(check: Callable[[], T], what: str, timeout_s: float = 90.0, every_s: float = 1.0) -> T:
    """``check()`` once it stops raising AssertionError (its last failure when time is up)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return check()
        except AssertionError as exc:
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: still not true after {timeout_s:.0f}s: {exc}") from exc
        time.sleep(every_s)


def assert_orders_in_erp_once_with_their_totals(settings: Settings, references: Iterable[str]) -> dict[str, int]:
    """Each shop order is one sale.order (client reference = shop reference) whose untaxed amount is
    the shop's (lines + shipping line + vouchers); returns the ERP order ids by reference."""
    refs = sorted(set(references))
    placed = {row["reference"]: Decimal(row["total_paid_tax_excl"]) for row in shop_rows(
        settings, "SELECT reference, total_paid_tax_excl FROM {p}orders WHERE reference IN %s", (refs,))}
    assert sorted(placed) == refs, f"orders missing in the shop itself: {sorted(set(refs) - set(placed))}"
    found = erp_rows(settings, "SELECT client_order_ref, count(*), max(id), max(amount_untaxed) FROM sale_order"
                               " WHERE client_order_ref = ANY(%s) GROUP BY 1", (refs,))  # fmt: skip
    imported = {ref: (int(n), int(order_id), Decimal(total)) for ref, n, order_id, total in found}
    assert not sorted(set(refs) - set(imported)), f"orders not in the ERP: {sorted(set(refs) - set(imported))}"
    assert {ref: n for ref, (n, _, _) in imported.items() if n != 1} == {}, "an order is in the ERP twice"
    wrong = {ref: (placed[ref], total) for ref, (_, _, total) in imported.items()
             if abs(total - placed[ref]) > Decimal("0.01")}  # fmt: skip
    assert not wrong, f"untaxed totals differ (shop, ERP): {wrong}"
    return {ref: order_id for ref, (_, order_id, _) in imported.items()}


def assert_one_partner_per_customer(settings: Settings, customer_ids: Iterable[int]) -> dict[int, int]:
    """Each shop customer is exactly one ERP partner (ref ``PS-<id>``); returns partner ids by customer."""
    refs = sorted({f"PS-{customer}" for customer in customer_ids})
    partners = erp_rows(settings, "SELECT ref, count(*), max(id) FROM res_partner WHERE ref = ANY(%s) GROUP BY 1",
                        (refs,))
    counts = {ref: int(n) for ref, n, _ in partners}
    assert counts == {ref: 1 for ref in refs}, f"customers missing or duplicated in the ERP: {counts}"
    return {int(ref.removeprefix("PS-")): int(partner_id) for ref, _, partner_id in partners}
