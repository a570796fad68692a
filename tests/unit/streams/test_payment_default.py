"""Shop payments are not synced by default (#13): the Odoo sink has no PaymentCapture handler, so each
command would stand in the DLQ as "NoHandler: odoo has no handler for PaymentCapture commands"."""

from __future__ import annotations

import pytest

from kernel.settings import EntityOwnership, Settings, StreamsSettings
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


def test_a_shop_payment_makes_no_command_by_default() -> None:
    step = observe(EntityState(), PAYMENT, guard_policy(Settings().streams))
    assert step.commands == ()


def test_payments_sync_once_opted_in() -> None:
    ownership = {**Settings().streams.ownership, "payment_capture": EntityOwnership(creator="prestashop")}
    step = observe(EntityState(), PAYMENT, guard_policy(StreamsSettings(ownership=ownership)))
    assert [c.target for c in step.commands] == ["odoo"]
