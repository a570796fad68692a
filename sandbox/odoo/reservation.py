"""Reservations and the states they give moves and pickings (Odoo 18 semantics, simplified).

At confirmation (picking type ``reservation_method`` at_confirm, the default) each open move
reserves what its source quant can give; the move's ``quantity`` is what it holds (18.0: its move
lines) and its state follows; a picking is Ready or Waiting from its moves (``_compute_state``).
Recorded from a real Odoo 18.0: tests/fixtures/real/odoo-18.0/sink/.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.odoo.fields import Model
    from sandbox.odoo.orm import Env


def reserve(env: Env, product_id: int, location_id: int, wanted: Decimal) -> Decimal:
    """Reservation at confirmation (picking type ``reservation_method`` at_confirm, the default): the
    source quant's ``reserved_quantity`` grows by what it can give (never beyond its quantity), and a
    negative ``wanted`` releases. Kept per quant, not per move line: the twin has no move lines."""
    rows = env.fetch(
        "SELECT q.id, COALESCE(q.quantity, 0), COALESCE(q.reserved_quantity, 0) FROM stock_quant q "
        "JOIN stock_location l ON l.id = q.location_id AND l.usage IN ('internal', 'transit') "
        "WHERE q.product_id = %s AND q.location_id = %s AND q.lot_id IS NULL AND q.package_id IS NULL "
        "AND q.owner_id IS NULL ORDER BY q.id LIMIT 1",
        (product_id, location_id),
    )
    if not rows:
        return Decimal(0)
    quant_id, quantity, reserved = rows[0][0], Decimal(rows[0][1]), Decimal(rows[0][2])
    change = min(wanted, max(quantity - reserved, Decimal(0))) if wanted > 0 else max(wanted, -reserved)
    if change:
        env.cr.execute(
            "UPDATE stock_quant SET reserved_quantity = COALESCE(reserved_quantity, 0) + %s, write_uid = %s, "
            "write_date = now() AT TIME ZONE 'utc' WHERE id = %s",
            (change, env.uid, quant_id),
        )
    return change


def open_moves(env: Env, ids: list[int], states: tuple[str, ...]) -> list[tuple[Any, ...]]:
    return env.fetch(
        "SELECT product_id, location_id, product_uom_qty FROM stock_move WHERE picking_id = ANY(%s) "
        "AND state = ANY(%s)",
        (ids, list(states)),
    )


WAITING = ("draft", "confirmed", "waiting", "partially_available")
RESERVED = ("assigned", "partially_available")


def picking_confirm(env: Env, model: Model, ids: list[int]) -> bool:
    """``action_confirm``/``action_assign``: each open move reserves what its source quant can give;
    its ``quantity`` (18.0: the reserved quantity) and state follow (``assigned``, ``partially_available``,
    ``confirmed`` = Waiting); a source outside stock (supplier, customer) bypasses reservation."""
    env.ensure_exist(model, ids)
    for move_id, product_id, location_id, demand, quantity, usage in env.fetch(
        "SELECT m.id, m.product_id, m.location_id, m.product_uom_qty, COALESCE(m.quantity, 0), l.usage "
        "FROM stock_move m JOIN stock_location l ON l.id = m.location_id "
        "WHERE m.picking_id = ANY(%s) AND m.state = ANY(%s) ORDER BY m.id",
        (ids, list(WAITING)),
    ):
        demand, held = Decimal(demand), Decimal(quantity)
        if usage not in ("internal", "transit"):
            held = demand
        elif held < demand:
            held += reserve(env, product_id, location_id, demand - held)
        state = "assigned" if held >= demand else "partially_available" if held > 0 else "confirmed"
        env.cr.execute(
            "UPDATE stock_move SET state = %s, quantity = %s, write_uid = %s, write_date = now() AT TIME ZONE 'utc' "
            "WHERE id = %s",
            (state, held, env.uid, move_id),
        )
    picking_states(env, ids)
    return True


def moves_quantity_set(env: Env, move_ids: list[int]) -> None:
    """A ``quantity`` written on open moves (move lines made by hand in 18.0) moves them to
    ``assigned`` once it covers the demand, and their pickings with them (recorded from real 18.0)."""
    pickings: set[int] = set()
    for move_id, picking_id, demand, quantity in env.fetch(
        "SELECT id, picking_id, product_uom_qty, COALESCE(quantity, 0) FROM stock_move "
        "WHERE id = ANY(%s) AND state = ANY(%s)",
        (move_ids, [*WAITING, "assigned"]),
    ):
        held = Decimal(quantity)
        state = "assigned" if held >= Decimal(demand) else "partially_available" if held > 0 else "confirmed"
        env.cr.execute("UPDATE stock_move SET state = %s WHERE id = %s AND state != 'draft'", (state, move_id))
        if picking_id:
            pickings.add(int(picking_id))
    picking_states(env, sorted(pickings))


def picking_states(env: Env, ids: list[int]) -> None:
    """stock.picking ``_compute_state`` for open pickings: Ready when every move is reserved, or some
    are and the shipping policy is "as soon as possible" (``direct``); Waiting otherwise."""
    for picking_id, move_type in env.fetch(
        "SELECT id, move_type FROM stock_picking WHERE id = ANY(%s) AND state NOT IN ('done', 'cancel')", (ids,)
    ):
        states = [
            str(r[0])
            for r in env.fetch(
                "SELECT state FROM stock_move WHERE picking_id = %s AND state != 'cancel'", (picking_id,)
            )
        ]
        ready = bool(states) and (
            all(st == "assigned" for st in states) or (move_type == "direct" and any(st in RESERVED for st in states))
        )
        env.cr.execute(
            "UPDATE stock_picking SET state = %s, write_uid = %s, write_date = now() AT TIME ZONE 'utc' "
            "WHERE id = %s AND state IS DISTINCT FROM %s",
            ("assigned" if ready else "confirmed", env.uid, picking_id, "assigned" if ready else "confirmed"),
        )
