"""Shop payments become Odoo payments by default (#13: sinks/odoo/payments.py); a merchant who records
them in the ERP only takes ``payment_capture`` out of ``streams.ownership``: then no command is made (never
a standing dead letter "NoHandler")."""

from __future__ import annotations

import pytest

from kernel.settings import Settings, StreamsSettings
from streams.guard_model import EntityState, Observation
from streams.loopguard import observe
from streams.policy import guard_policy

pytestmark = pytest.mark.unit

PAYMENT = Observation(
    system="prestashop",
    entity="payment_capture",
    key="PS-P-7",
    fields={"amount": "49.000000", "state": "captured"},
    position="binlog:1:2:0",
    at=1.0,
)


def test_a_shop_payment_goes_to_the_odoo_sink_by_default() -> None:
    step = observe(EntityState(), PAYMENT, guard_policy(Settings().streams))
    assert [c.target for c in step.commands] == ["odoo"]


def test_payments_make_no_command_once_opted_out() -> None:
    ownership = {k: v for k, v in Settings().streams.ownership.items() if k != "payment_capture"}
    step = observe(EntityState(), PAYMENT, guard_policy(StreamsSettings(ownership=ownership)))
    assert step.commands == ()
