"""``validate_picking`` on the answers the twin never gives: Odoo 18's ``button_validate`` returns an
action dict both when it stopped at a wizard (nothing validated) and when it validated and wants a
report printed (``do_multi_print``, reception report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from prestasync.config import get_settings
from sinks.common.errors import TerminalError
from sinks.odoo.client import OdooClient
from sinks.odoo.config import load_config
from sinks.odoo.stock import validate_picking

pytestmark = pytest.mark.unit

PRINT_ACTION = {"type": "ir.actions.client", "tag": "do_multi_print", "params": {"reports": []}}
WIZARD_ACTION = {"type": "ir.actions.act_window", "res_model": "stock.immediate.transfer"}


class ScriptedOdoo(OdooClient):
    """Answers ``call`` from a picking state and a ``button_validate`` answer; records the calls."""

    def __init__(self, tmp_path: Path, validate_answer: Any, state_after: str) -> None:
        key = tmp_path / "key"
        key.write_text("k")
        super().__init__(load_config(get_settings(), url="http://odoo.invalid", database="d", api_key_file=key))
        self.state = "assigned"
        self.validate_answer, self.state_after = validate_answer, state_after
        self.calls: list[tuple[str, str, Any]] = []

    def call(self, model: str, method: str, ids: list[int] | None = None, *,
             context: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        self.calls.append((model, method, kwargs.get("vals")))
        if (model, method) == ("stock.picking", "search_read"):
            return [{"id": 5, "state": self.state}]
        if (model, method) == ("stock.move", "search_read"):
            return [{"id": 9, "product_uom_qty": 2.0, "quantity": 0.0, "picked": False}]
        if (model, method) == ("stock.picking", "button_validate"):
            self.state = self.state_after
            return self.validate_answer
        return True

    def write(self, model: str, ids: list[int], vals: dict[str, Any], *,
              context: dict[str, Any] | None = None) -> bool:
        self.calls.append((model, "write", vals))  # the client sends vals positionally (not via call)
        return True


def test_a_report_action_after_validation_counts_as_validated(tmp_path: Path) -> None:
    odoo = ScriptedOdoo(tmp_path, PRINT_ACTION, state_after="done")
    assert validate_picking(odoo, 5) is True
    assert ("stock.move", "write", {"quantity": 2.0, "picked": True}) in odoo.calls


def test_a_wizard_action_with_the_picking_still_open_is_terminal(tmp_path: Path) -> None:
    odoo = ScriptedOdoo(tmp_path, WIZARD_ACTION, state_after="assigned")
    with pytest.raises(TerminalError, match="was not validated"):
        validate_picking(odoo, 5)
