"""The #13 scenario (tests/real/scenario_orders.py, recorded from a real Odoo 18) run by the sink on the
twin: every step ends as it did on the real Odoo, and a quotation that does not total as the shop is
never confirmed on a replay."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from sinks.common.errors import TerminalError
from sinks.odoo.client import OdooClient
from sinks.odoo.sink import OdooSink
from tests.real import scenario_orders
from tests.real.scenario_odoo import META, Run, customer, line, order, prepare, sink_config
from tests.support.twins import INTEGRATION_LOGIN, RunningTwin

pytestmark = pytest.mark.integration


def test_the_real_scenario_ends_the_same_on_the_twin(twin: RunningTwin) -> None:
    run = scenario_orders.run_against(twin.url, twin.database, INTEGRATION_LOGIN, twin.key, 4242425, requests.Session())
    bad = [f"{s.name}: {s.outcome}" for s in run.steps if not s.ok]
    assert not bad, "\n".join(bad)
    odoo = run.facts["odoo"]
    got = {ref[-1]: (str(v["amount_untaxed"]), str(v["amount_total"])) for ref, v in odoo.items()}
    assert got == {
        "A": ("57.0", "70.11"),
        "B": ("73.17", "90.0"),
        "C": ("10.0", "10.0"),
        "G": ("10.0", "12.3"),
        "H": ("35.95", "44.21"),
        "I": ("150.06", "172.05"),
    }  # as the real Odoo 18 (docs/REAL_ORDERS.md)


def test_a_quotation_that_does_not_total_as_the_shop_is_repriced_before_confirmation(twin: RunningTwin) -> None:
    """A quotation whose totals are not the shop's (a crash between its create and its check, or a shop
    edit) gets the shop's lines in place of its own (sinks.odoo.order_edits), and only then is confirmed."""
    run = Run(4242426)
    with tempfile.TemporaryDirectory() as tmp:
        config = sink_config(twin.url, twin.database, INTEGRATION_LOGIN, twin.key, Path(tmp), run, {})
        client = OdooClient(config)
        prepare(client, run)
        sink = OdooSink(config, client)
        sink.upsert_customers([(customer(run.n(1), "quote@example.com", "Q", "Uote"), META)])
        paid = order(f"Q{run.tag}", run.n(1), 0, [line(1, f"PSR{run.tag}-TEE", 1, "20.00")], state="paid")
        partner = client.search_read("res.partner", [("ref", "=", f"PS-{run.n(1)}")], ["id"])[0]["id"]
        # a quotation left from a crash between its create and its check, priced with Odoo's default 15 %
        client.create(
            "sale.order",
            [
                {
                    "partner_id": partner,
                    "client_order_ref": paid.order_ref,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": run.facts["products"]["TEE"],
                                "product_uom_qty": 1,
                                "price_unit": Decimal(20),
                            },
                        )
                    ],
                }
            ],
        )
        [result] = sink.orders.upsert_orders([(paid, META)])
        assert not isinstance(result, TerminalError), result.reason
        [row] = client.search_read(
            "sale.order",
            [("client_order_ref", "=", paid.order_ref)],
            ["state", "amount_untaxed", "amount_total", "order_line"],
        )
        assert (row["state"], row["amount_untaxed"], row["amount_total"]) == (
            "sale",
            Decimal("20.00"),
            Decimal("24.60"),
        )
        [only] = client.search_read("sale.order.line", [("order_id", "=", row["id"])], ["tax_id", "price_total"])
        assert only["price_total"] == Decimal("24.60")  # the 15 % line is gone, the shop's 23 % line in its place
        sink.close()
