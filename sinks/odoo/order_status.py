"""Order states in Odoo: confirmation, cancellation through Odoo's wizard, and the state read back.

The state a shop order asks for is applied only if Odoo's differs (``mapping.target_order_state``), so a
replay after a crash between create and confirm completes the confirmation; every ack carries the state
Odoo holds afterwards, read back, never what an action call answered (a wizard answer changes nothing).
"""

from __future__ import annotations

from typing import Any

from schemas.order import OrderStatus, OrderStatusChange
from schemas.records import Canonical
from sinks.common.errors import TerminalError
from sinks.common.handlers import Applied, CommandMeta
from sinks.odoo import mapping
from sinks.odoo.client import OdooClient, wizard_model
from sinks.odoo.config import ResolvedOdooConfig
from sinks.odoo.partners import batch_or_each

SALE_ORDER = "sale.order"
ORDER_FIELDS = ["id", "client_order_ref", "state", "partner_id", "date_order"]
_ACTIONS = {"confirm": "action_confirm", "cancel": "action_cancel"}
_REACHED = {"confirm": "sale", "cancel": "cancel"}
CANCEL_WIZARD = "sale.order.cancel"


class OrderStatusWriter:
    def __init__(self, client: OdooClient, config: ResolvedOdooConfig) -> None:
        self.client = client
        self.config = config
        self._delivery_status: bool | None = None  # sale_stock's field exists (asked once)
        self.confirm_codes = frozenset(config.options.confirm_states)
        self.cancel_codes = frozenset(config.options.cancel_states)

    def apply(self, rows: list[tuple[dict[str, Any], str | None]]) -> list[Applied | TerminalError]:
        """Bring each order to the state its code asks for, then read the states back: an ack says
        what Odoo holds, not what an action call answered (a wizard answer changes nothing)."""
        actions = [
            mapping.target_order_state(code, str(row["state"]), self.confirm_codes, self.cancel_codes)
            for row, code in rows
        ]
        refused: dict[int, str] = {}
        confirm = [int(row["id"]) for (row, _), wanted in zip(rows, actions, strict=True) if wanted == "confirm"]
        confirmed: set[int] = set()
        # one order Odoo refuses (cancelled meanwhile, say) fails the batch call: then one call per order
        for order_id, answer in zip(confirm, self._confirm_each(confirm), strict=True):
            wizard = None if isinstance(answer, TerminalError) else wizard_model(answer)
            if isinstance(answer, TerminalError):
                refused[order_id] = answer.reason
            elif wizard:
                refused[order_id] = f"action_confirm answered the {wizard} wizard"
            else:
                confirmed.add(order_id)
        if confirmed:
            self._keep_dates([row for row, _ in rows if int(row["id"]) in confirmed])
        for (row, _), wanted in zip(rows, actions, strict=True):
            if wanted == "cancel":
                try:
                    reason = self._cancel(int(row["id"]))
                except TerminalError as exc:  # this order only (a locked order, say), not the batch
                    reason = exc.reason
                if reason:
                    refused[int(row["id"])] = reason
        acted = [int(row["id"]) for (row, _), wanted in zip(rows, actions, strict=True) if wanted]
        held = (
            {
                int(r["id"]): str(r["state"])
                for r in self.client.search_read(SALE_ORDER, [("id", "in", acted)], ["id", "state"])
            }
            if acted
            else {}
        )
        results: list[Applied | TerminalError] = []
        for (row, _), action in zip(rows, actions, strict=True):
            order_id = int(row["id"])
            state = held.get(order_id, str(row["state"]))
            if action and state != _REACHED[action]:
                why = refused.get(order_id, f"{_ACTIONS[action]} answered without error")
                results.append(
                    TerminalError(
                        f"odoo: sale.order {order_id} ({row.get('client_order_ref')}) is "
                        f"{state!r}, not {_REACHED[action]!r}: {why}"
                    )
                )
                continue
            # written as the streams will read it back (order_states.erp), or the echo looks new
            code = self.config.order_states.erp_code(state, None) or f"origin:{state}"
            results.append(
                Applied(
                    {SALE_ORDER: str(order_id)}, {"state": code}, changed=action is not None or bool(row.get("created"))
                )
            )
        return results

    def _confirm_each(self, ids: list[int]) -> list[Any | TerminalError]:
        """``action_confirm``'s answer per order: one call for all, else one per order (``batch_or_each``)."""

        def confirm(batch: list[int]) -> list[Any]:
            return [self.client.call(SALE_ORDER, "action_confirm", batch)] * len(batch)

        try:
            return batch_or_each(confirm, ids)
        except TerminalError as exc:  # a batch of one: this order only
            return [exc]

    def _keep_dates(self, rows: list[dict[str, Any]]) -> None:
        """``action_confirm`` sets ``date_order`` to the confirmation time (``_prepare_confirmation_values``);
        the order keeps the date the customer placed it in the shop, as the quotation held it."""
        by_date: dict[str, list[int]] = {}
        for row in rows:
            if row.get("date_order"):
                by_date.setdefault(str(row["date_order"]), []).append(int(row["id"]))
        for date_order, ids in sorted(by_date.items()):
            self.client.write(SALE_ORDER, ids, {"date_order": date_order})

    def _cancel(self, order_id: int) -> str | None:
        """Cancel one order as Odoo's UI does; the reason it did not, or None.

        On a confirmed order ``action_cancel`` answers the ``sale.order.cancel`` wizard (it needs
        one order: ``ensure_one``); its "Cancel" button is the wizard's ``action_cancel``, which
        cancels with ``disable_cancel_warning`` and sends no e-mail."""
        answer = self.client.call(SALE_ORDER, "action_cancel", [order_id])
        wizard = wizard_model(answer)
        if wizard == CANCEL_WIZARD:
            assert isinstance(answer, dict)
            context = {k: v for k, v in dict(answer.get("context") or {}).items() if k != "lang"}
            wizard_id = self.client.create(CANCEL_WIZARD, [{"order_id": order_id}], context=context)[0]
            answer = self.client.call(CANCEL_WIZARD, "action_cancel", [wizard_id], context=context)
            wizard = wizard_model(answer)
        return f"action_cancel answered the {wizard} wizard" if wizard else None

    def set_status(self, record: Canonical, meta: CommandMeta) -> Applied:
        assert isinstance(record, OrderStatus | OrderStatusChange)
        ref = record.envelope.canonical_key or meta.key
        fields = [*ORDER_FIELDS, "delivery_status"] if self.has_delivery_status() else ORDER_FIELDS
        rows = self.client.search_read(SALE_ORDER, [("client_order_ref", "=", ref)], fields, limit=1)
        if not ref or not rows:
            raise TerminalError(f"odoo: unknown reference: no sale.order with client_order_ref {ref!r}")
        row = rows[0]
        state = str(row["state"])
        current = self.config.order_states.erp_code(state, row.get("delivery_status") or None) or f"origin:{state}"
        action = mapping.target_order_state(record.state.code, state, self.confirm_codes, self.cancel_codes)
        if action is not None and meta.outdated("state", current):
            # the ERP moved on since the shop's request was made (e.g. shipped it): the ERP decides,
            # its state goes back to the shop
            return Applied.refused({SALE_ORDER: str(row["id"])}, {"state": current})
        result = self.apply([(row, record.state.code)])[0]
        if isinstance(result, TerminalError):
            raise result
        return result

    def has_delivery_status(self) -> bool:
        """Whether sale.order has sale_stock's ``delivery_status`` (the streams read ``sale/full`` as shipped)."""
        if self._delivery_status is None:
            answer = self.client.call(SALE_ORDER, "fields_get", allfields=["delivery_status"], attributes=["type"])
            self._delivery_status = isinstance(answer, dict) and "delivery_status" in answer
        return self._delivery_status
