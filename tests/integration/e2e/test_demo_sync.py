"""The README's first command, end to end on the real stack: `prestasync demo` for a short trade.

Debezium -> Kafka -> streams -> sinks -> twins, all real processes. Every shop order the simulator
placed during the run must be in the ERP exactly once, with the shop's untaxed total (lines,
shipping line, vouchers), and no customer may be duplicated in the ERP.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from prestasync.config import get_settings
from prestasync.stack.dbadmin import mariadb_admin, postgres_admin

pytestmark = pytest.mark.integration


def test_demo_brings_every_shop_order_into_the_erp_exactly_once_with_its_total() -> None:
    settings = get_settings()
    started = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1)
    done = subprocess.run(
        [sys.executable, "-m", "prestasync.cli", "demo", "--duration", "30", "--orders-per-minute", "24",
         # a fresh seed: order references must not repeat those of an earlier run in the same databases
         "--stock-moves-per-minute", "12", "--seed", str(secrets.randbelow(2**31))],
        capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "workers stopped" in done.stdout

    with mariadb_admin(settings.mariadb.database) as shop, shop.cursor() as cur:
        cur.execute(f"SELECT reference, total_paid_tax_excl, id_customer FROM {settings.mariadb.table_prefix}orders"
                    " WHERE date_add >= %s AND current_state <> 0", (started,))  # fmt: skip
        placed = {row["reference"]: (Decimal(row["total_paid_tax_excl"]), row["id_customer"]) for row in cur}
    assert len(placed) >= 5, "the simulator placed too few orders to say anything"

    erp = postgres_admin(settings.postgres.database)
    try:
        with erp.cursor() as cur:
            cur.execute("SELECT client_order_ref, count(*), max(amount_untaxed) FROM sale_order"
                        " WHERE client_order_ref = ANY(%s) GROUP BY 1", (list(placed),))  # fmt: skip
            imported = {ref: (int(n), Decimal(total)) for ref, n, total in cur.fetchall()}
            refs = sorted({f"PS-{customer}" for _, customer in placed.values()})
            cur.execute("SELECT ref, count(*) FROM res_partner WHERE ref = ANY(%s) GROUP BY 1", (refs,))
            partners = dict(cur.fetchall())
    finally:
        erp.close()
    missing = sorted(set(placed) - set(imported))
    assert not missing, f"orders not in the ERP: {missing}"
    duplicated = {ref: n for ref, (n, _) in imported.items() if n != 1}
    assert not duplicated
    wrong = {ref: (placed[ref][0], total) for ref, (_, total) in imported.items()
             if abs(total - placed[ref][0]) > Decimal("0.01")}  # fmt: skip
    assert not wrong, f"untaxed totals differ (shop, ERP): {wrong}"
    assert partners == {ref: 1 for ref in refs}, "a customer is missing or duplicated in the ERP"
