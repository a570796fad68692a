"""What every model's create defaults share: the company, the cent, the server's clock, one value of a
query, Odoo's defaults for the fields a create leaves out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.odoo.fields import Model

if TYPE_CHECKING:
    from sandbox.odoo.orm import Env

COMPANY_ID = 1
CENT = Decimal("0.01")


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def scalar(env: Env, sql: str, params: Any = ()) -> Any:
    rows = env.fetch(sql, params)
    return rows[0][0] if rows else None


def set_defaults(model: Model, vals: dict[str, Any], defaults: dict[str, Any]) -> None:
    for name, value in defaults.items():
        if name in model.fields and name not in vals:
            vals[name] = value
