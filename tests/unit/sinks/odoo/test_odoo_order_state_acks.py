"""An order state is acked from what Odoo holds afterwards, not from what the action answered:
real Odoo 18 answers wizards (tests/fixtures/real/odoo-18.0/sink/057_sale.order_action_cancel.json)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kernel.settings import get_settings
from sandbox.sample.commands import status_change
from sinks.common.errors import TerminalError
from sinks.common.handlers import Applied, CommandMeta
from sinks.odoo.client import OdooClient
from sinks.odoo.config import load_config
from sinks.odoo.orders import OrderWriter

pytestmark = pytest.mark.unit

META = CommandMeta("c", frozenset(), frozenset(), None, None)
CANCEL_WIZARD = {
    "type": "ir.actions.act_window",
    "res_model": "sale.order.cancel",
    "context": {"default_order_id": 7, "mark_so_as_canceled": True},
}


class ScriptedOdoo(OdooClient):
    """One confirmed sale.order (id 7); ``answers`` maps (model, method) to what Odoo answers, and
    ``cancels`` to whether that call really cancels."""

    def __init__(self, tmp_path: Path, answers: dict[tuple[str, str], Any], cancels: set[tuple[str, str]]) -> None:
        key = tmp_path / "key"
        key.write_text("k")
        super().__init__(load_config(get_settings(), url="http://odoo.invalid", database="d", api_key_file=key))
        self.state, self.answers, self.cancels = "sale", answers, cancels
        self.calls: list[tuple[str, str, Any]] = []

    def call(
        self,
        model: str,
        method: str,
        ids: list[int] | None = None,
        *,
        context: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        self.calls.append((model, method, context))
        if method == "search_read":
            return [{"id": 7, "client_order_ref": "XKBKNABJK", "state": self.state, "partner_id": [3, "Ada"]}]
        if (model, method) in self.cancels:
            self.state = "cancel"
        return self.answers.get((model, method), True)

    def create(
        self, model: str, vals_list: list[dict[str, Any]], *, context: dict[str, Any] | None = None
    ) -> list[int]:
        self.calls.append((model, "create", context))
        return [41]


def _writer(odoo: ScriptedOdoo) -> OrderWriter:
    return OrderWriter(odoo, odoo.config)


def test_a_confirmed_order_is_cancelled_through_the_cancel_wizard(tmp_path: Path) -> None:
    odoo = ScriptedOdoo(
        tmp_path, {("sale.order", "action_cancel"): CANCEL_WIZARD}, cancels={("sale.order.cancel", "action_cancel")}
    )
    applied = _writer(odoo).set_status(status_change("XKBKNABJK", "cancelled"), META)
    assert isinstance(applied, Applied) and applied.target_ids == {"sale.order": "7"}
    assert [(m, n) for m, n, _ in odoo.calls] == [
        ("sale.order", "fields_get"),  # once per writer: has sale_stock's delivery_status?
        ("sale.order", "search_read"),
        ("sale.order", "action_cancel"),
        ("sale.order.cancel", "create"),
        ("sale.order.cancel", "action_cancel"),
        ("sale.order", "search_read"),
    ]
    assert odoo.calls[3][2] == {"default_order_id": 7, "mark_so_as_canceled": True}  # the wizard's own context


def test_a_wizard_the_sink_does_not_know_is_a_dead_letter_naming_it(tmp_path: Path) -> None:
    other = {"type": "ir.actions.act_window", "res_model": "sale.order.cancel.reason"}
    odoo = ScriptedOdoo(tmp_path, {("sale.order", "action_cancel"): other}, cancels=set())
    with pytest.raises(
        TerminalError,
        match=r"is 'sale', not 'cancel': action_cancel answered the "
        r"sale.order.cancel.reason wizard",
    ):
        _writer(odoo).set_status(status_change("XKBKNABJK", "cancelled"), META)


def test_an_answer_without_error_that_changed_nothing_is_not_acked(tmp_path: Path) -> None:
    odoo = ScriptedOdoo(tmp_path, {}, cancels=set())  # True, yet the order still reads 'sale'
    with pytest.raises(TerminalError, match=r"is 'sale', not 'cancel': action_cancel answered without error"):
        _writer(odoo).set_status(status_change("XKBKNABJK", "cancelled"), META)
