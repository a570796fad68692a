"""What every end-to-end run must end with, read from the two databases (never from the pipeline)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.settings import Settings
from kernel.shop_time import shop_timezone

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


def assert_orders_in_erp_once_with_their_totals(settings: Settings, references: Iterable[str]) -> dict[str, int]:
    """Each shop order is one sale.order (client reference = shop reference) whose totals with and
    without tax are the shop's to the cent (lines + shipping line + vouchers, each with its tax), and
    whose date is the shop's (``assert_order_dates_in_shop_zone``); returns the ERP order ids."""
    refs = sorted(set(references))
    placed = {
        row["reference"]: (Decimal(row["total_paid_tax_excl"]), Decimal(row["total_paid_tax_incl"]))
        for row in shop_rows(
            settings,
            "SELECT reference, total_paid_tax_excl, total_paid_tax_incl FROM {p}orders WHERE reference IN %s",
            (refs,),
        )
    }
    assert sorted(placed) == refs, f"orders missing in the shop itself: {sorted(set(refs) - set(placed))}"
    found = erp_rows(
        settings,
        "SELECT client_order_ref, count(*), max(id), max(amount_untaxed), max(amount_total)"
        " FROM sale_order WHERE client_order_ref = ANY(%s) GROUP BY 1",
        (refs,),
    )
    imported = {
        ref: (int(n), int(order_id), (Decimal(untaxed), Decimal(total))) for ref, n, order_id, untaxed, total in found
    }
    assert not sorted(set(refs) - set(imported)), f"orders not in the ERP: {sorted(set(refs) - set(imported))}"
    assert {ref: n for ref, (n, _, _) in imported.items() if n != 1} == {}, "an order is in the ERP twice"
    cent = Decimal("0.01")
    wrong = {
        ref: (placed[ref], totals)
        for ref, (_, _, totals) in imported.items()
        if tuple(v.quantize(cent) for v in totals) != tuple(v.quantize(cent) for v in placed[ref])
    }
    assert not wrong, f"totals (untaxed, with tax) differ (shop, ERP): {wrong}"
    assert_order_dates_in_shop_zone(settings, refs)
    return {ref: order_id for ref, (_, order_id, _) in imported.items()}


def assert_order_dates_in_shop_zone(settings: Settings, references: Iterable[str]) -> None:
    """Odoo's ``date_order`` (UTC) is the shop's ``date_add`` read in the shop's zone (PS_TIMEZONE):
    the same instant for a quotation; for a confirmed order Odoo's confirmation time (action_confirm
    sets it), so at or after the shop's and within minutes — never an hour off."""
    zone = shop_timezone(settings)
    refs = sorted(set(references))
    placed = {
        row["reference"]: row["date_add"].replace(tzinfo=zone).astimezone(UTC)
        for row in shop_rows(settings, "SELECT reference, date_add FROM {p}orders WHERE reference IN %s", (refs,))
    }
    wrong = {}
    for ref, state, date_order in erp_rows(
        settings, "SELECT client_order_ref, state, date_order FROM sale_order WHERE client_order_ref = ANY(%s)", (refs,)
    ):
        erp = date_order.replace(tzinfo=UTC)
        shop = placed[ref]
        late = erp - shop
        if (state in ("draft", "sent") and late != timedelta(0)) or not timedelta(0) <= late <= timedelta(minutes=15):
            wrong[ref] = (shop.isoformat(), erp.isoformat(), state)
    assert not wrong, f"Odoo date_order is not the shop's date_add in {zone} (shop UTC, ERP UTC, state): {wrong}"


def assert_one_partner_per_customer(settings: Settings, customer_ids: Iterable[int]) -> dict[int, int]:
    """Each shop customer is exactly one ERP partner (ref ``PS-<id>``); returns partner ids by customer."""
    refs = sorted({f"PS-{customer}" for customer in customer_ids})
    partners = erp_rows(
        settings, "SELECT ref, count(*), max(id) FROM res_partner WHERE ref = ANY(%s) GROUP BY 1", (refs,)
    )
    counts = {ref: int(n) for ref, n, _ in partners}
    assert counts == {ref: 1 for ref in refs}, f"customers missing or duplicated in the ERP: {counts}"
    return {int(ref.removeprefix("PS-")): int(partner_id) for ref, _, partner_id in partners}
