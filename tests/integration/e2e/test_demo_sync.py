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

import pytest

from prestasync.config import get_settings
from tests.integration.e2e.checks import (
    assert_one_partner_per_customer,
    assert_orders_in_erp_once_with_their_totals,
    shop_rows,
)

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

    placed = shop_rows(settings, "SELECT reference, id_customer FROM {p}orders WHERE date_add >= %s"
                                 " AND current_state <> 0", (started,))  # fmt: skip
    assert len(placed) >= 5, "the simulator placed too few orders to say anything"
    assert_orders_in_erp_once_with_their_totals(settings, [row["reference"] for row in placed])
    assert_one_partner_per_customer(settings, {int(row["id_customer"]) for row in placed})
