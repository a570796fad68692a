"""Shop payments -> posted Odoo customer payments (sinks.odoo.payments): the values sent, a replay that
finds its payment, an order not in Odoo yet retried. The answers are the real Odoo 18's shapes
(tests/fixtures/real/odoo-18.0/trade/: account.payment create / action_post / search_read)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

import pytest

from schemas.records import Envelope, PaymentCapture
from sinks.common.errors import TerminalError, TransientError
from sinks.common.handlers import CommandMeta
from sinks.odoo.client import OdooClient
from sinks.odoo.config import ResolvedOdooConfig
from sinks.odoo.payments import PaymentWriter

pytestmark = pytest.mark.unit
META = CommandMeta("test", frozenset(), frozenset(), None, None)


class _Odoo:
    def __init__(self, orders: list[dict[str, Any]]) -> None:
        self.orders = orders
        self.payments: dict[int, dict[str, Any]] = {}
        self.calls: list[tuple[str, str]] = []

    def search_read(self, model: str, domain: list[Any], fields: list[str], **_: Any) -> list[dict[str, Any]]:
        self.calls.append((model, "search_read"))
        if model == "sale.order":
            return [o for o in self.orders if o["client_order_ref"] == domain[0][2]]
        name, _, value = domain[0]
        return [p for p in self.payments.values() if p[name] == value]

    def create(self, model: str, values: list[dict[str, Any]], **_: Any) -> list[int]:
        self.calls.append((model, "create"))
        new = len(self.payments) + 1
        self.payments[new] = {"id": new, "state": "draft", "journal_id": [6, "Bank"], **values[0]}
        return [new]

    def call(self, model: str, method: str, *args: Any, **_: Any) -> Any:
        self.calls.append((model, method))
        for payment_id in args[0]:  # action_post on a bank journal (real 18.0): in_process
            self.payments[payment_id]["state"] = "in_process"
        return True


def _payment(amount: str = "49.00", method: str = "Bank transfer", captured_on: date | None = None) -> PaymentCapture:
    return PaymentCapture(
        envelope=cast(Envelope, None),
        order_key="XKBKNABJK",
        reference="PS-P-7",
        provider_reference=None,
        state="captured",
        amount=Decimal(amount),
        currency_origin_id=2,
        captured_at=datetime(2026, 12, 2, 3, 40, tzinfo=UTC),
        method=method,
        captured_on=captured_on,
    )


def _writer(odoo: _Odoo, journals: dict[str, int] | None = None) -> PaymentWriter:
    config = SimpleNamespace(options=SimpleNamespace(payment_journal_ids=journals or {}))
    return PaymentWriter(cast(OdooClient, odoo), cast(ResolvedOdooConfig, config))


ORDER = {"id": 3, "client_order_ref": "XKBKNABJK", "partner_id": [12, "Gus"], "currency_id": [143, "GBP"]}


def test_a_shop_payment_is_posted_once_on_the_orders_partner_and_currency() -> None:
    odoo = _Odoo([ORDER])
    applied = _writer(odoo, {"Bank transfer": 6}).upsert(_payment(), META)
    assert applied.target_ids == {"account.payment": "1"} and applied.changed
    sent = odoo.payments[1]
    assert {k: sent[k] for k in ("payment_type", "partner_type", "partner_id", "currency_id", "amount")} == {
        "payment_type": "inbound",
        "partner_type": "customer",
        "partner_id": 12,
        "currency_id": 143,
        "amount": Decimal("49.00"),
    }
    assert (sent["payment_reference"], sent["memo"], sent["date"], sent["journal_id"]) == (
        "PS-P-7",
        "XKBKNABJK",
        "2026-12-02",
        6,
    )
    assert sent["state"] == "in_process"
    odoo.calls.clear()
    again = _writer(odoo).upsert(_payment(), META)  # a replay finds it by payment_reference
    assert again.target_ids == {"account.payment": "1"} and not again.changed
    assert ("account.payment", "create") not in odoo.calls and len(odoo.payments) == 1


def test_an_unlisted_method_leaves_the_journal_to_odoo_and_a_refund_is_outbound() -> None:
    odoo = _Odoo([ORDER])
    _writer(odoo, {"Bank transfer": 6}).upsert(_payment("-5.00", "Payments by check"), META)
    made = odoo.payments[1]
    assert made["payment_type"] == "outbound" and made["amount"] == Decimal("5.00")
    assert made["journal_id"] == [6, "Bank"]  # not sent: Odoo's default journal (the fake's answer)


def test_a_payment_before_its_order_is_retried_a_non_capture_refused_nothing_paid_acked() -> None:
    with pytest.raises(TransientError, match=r"no sale\.order 'XKBKNABJK' yet"):
        _writer(_Odoo([])).upsert(_payment(), META)
    with pytest.raises(TerminalError, match="not money received"):
        _writer(_Odoo([ORDER])).upsert(dataclasses.replace(_payment(), state="authorized"), META)
    odoo = _Odoo([ORDER])
    nothing = _writer(odoo).upsert(_payment("0"), META)  # a paid state with nothing left to pay
    assert not nothing.changed and odoo.payments == {} and odoo.calls == []


def test_the_payment_is_dated_on_the_shops_calendar_day_not_the_utc_one() -> None:
    # 2026-12-02 03:40 UTC is still the 1st on a shop at UTC-5: the streams send the shop's day
    odoo = _Odoo([ORDER])
    _writer(odoo).upsert(_payment(captured_on=date(2026, 12, 1)), META)
    assert odoo.payments[1]["date"] == "2026-12-01"
