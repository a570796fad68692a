"""The model methods the twin answers over RPC, with Odoo 18's parameter names.

``call(env, model, method, args, kwargs)`` follows ``odoo.api.call_kw``: for a record method the first
positional argument is the id list; ``create`` returns one id for a dict and a list of ids for a list
of dicts (``@api.model_create_multi``). Parameters are bound with :mod:`inspect`, so a missing argument
raises ``TypeError("missing a required argument: 'domain'")`` -- the text Odoo's JSON-2 returns in its 422.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.odoo import reservation, sales, stock, wizards
from sandbox.odoo.errors import AccessError
from sandbox.odoo.fields import Model
from sandbox.odoo.orm import Env


class BindError(TypeError):
    """The call's arguments do not fit the method's signature (JSON-2 answers 422)."""


@dataclass(frozen=True)
class Method:
    func: Callable[..., Any]
    on_records: bool  # False for @api.model methods

    def bind(self, args: list[Any], kwargs: dict[str, Any]) -> inspect.BoundArguments:
        params = list(inspect.signature(self.func).parameters.values())[3 if self.on_records else 2 :]
        names = {p.name for p in params}
        unexpected = [k for k in kwargs if k not in names]
        if unexpected:  # what a Python call checks first (inspect would report a missing one first)
            raise BindError(f"got an unexpected keyword argument '{unexpected[0]}'")
        try:
            return inspect.Signature(params).bind(*args, **kwargs)
        except TypeError as exc:
            raise BindError(str(exc)) from exc


def _ids(value: Any) -> list[int]:
    if isinstance(value, bool):
        raise ValueError(f"Invalid record ids {value!r}")
    if isinstance(value, int):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(i, int) and not isinstance(i, bool) for i in value):
        return list(value)
    raise ValueError(f"Invalid record ids {value!r}")


# -- generic methods (parameter names as in odoo/models.py 18.0) -------------------------------
def search(
    env: Env, model: Model, domain: list[Any], offset: int = 0, limit: int | None = None, order: str | None = None
) -> list[int]:
    return env.search(model, domain, offset, limit, order)


def search_count(env: Env, model: Model, domain: list[Any], limit: int | None = None) -> int:
    return env.search_count(model, domain, limit)


def search_read(
    env: Env,
    model: Model,
    domain: list[Any] | None = None,
    fields: list[str] | None = None,
    offset: int = 0,
    limit: int | None = None,
    order: str | None = None,
    load: str = "_classic_read",
) -> list[dict[str, Any]]:
    return env.read(model, env.search(model, domain, offset, limit, order), fields, load)


def read(
    env: Env, model: Model, ids: list[int], fields: list[str] | None = None, load: str = "_classic_read"
) -> list[dict[str, Any]]:
    return env.read(model, ids, fields, load)


def create(env: Env, model: Model, vals_list: Any) -> Any:
    single = isinstance(vals_list, dict)
    values = [vals_list] if single else list(vals_list)
    ids = stock.quant_create(env, model, values) if model.name == "stock.quant" else env.create(model, values)
    return ids[0] if single else ids


def write(env: Env, model: Model, ids: list[int], vals: dict[str, Any]) -> bool:
    if model.name == "stock.quant":
        env.ensure_exist(model, ids)
        return stock.quant_write(env, model, ids, vals)
    written = env.write(model, ids, vals)
    if model.name == "stock.move" and "quantity" in vals:
        reservation.moves_quantity_set(env, ids)
    return written


def sale_order_write(env: Env, model: Model, ids: list[int], values: dict[str, Any]) -> bool:
    """sale_stock's ``SaleOrder.write(self, values)`` (17/18): ``vals=`` is a TypeError there."""
    return write(env, model, ids, values)


def unlink(env: Env, model: Model, ids: list[int]) -> bool:
    return env.unlink(model, ids)


def fields_get(
    env: Env, model: Model, allfields: list[str] | None = None, attributes: list[str] | None = None
) -> dict[str, Any]:
    return env.fields_get(model, allfields, attributes)


def default_get(env: Env, model: Model, fields_list: list[str]) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "active": True,
        "type": "contact" if model.name == "res.partner" else None,
        "company_id": 1,
        "lang": env.lang if model.name == "res.partner" else None,
    }
    return {
        name: value
        for name, value in defaults.items()
        if name in fields_list and value is not None and name in model.fields
    }


def name_search(
    env: Env, model: Model, name: str = "", domain: list[Any] | None = None, operator: str = "ilike", limit: int = 100
) -> list[list[Any]]:
    extra = [(model.rec_name or "id", operator, name)] if name and model.rec_name else []
    ids = env.search(model, [*(domain or []), *extra], limit=limit)
    names = env.display_names(model, ids)
    return [[i, names.get(i, "")] for i in ids]


def context_get(env: Env, model: Model) -> dict[str, Any]:
    rows = env.fetch(
        "SELECT p.lang, p.tz FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.id = %s", (env.uid,)
    )
    lang, tz = rows[0] if rows else (None, None)
    return {"lang": lang or "en_US", "tz": tz or False, "uid": env.uid}


def _action(func: Callable[[Env, Model, list[int]], Any]) -> Method:
    def bound(env: Env, model: Model, ids: list[int]) -> Any:
        return func(env, model, ids)

    return Method(bound, on_records=True)


GENERIC: dict[str, Method] = {
    "search": Method(search, False),
    "search_count": Method(search_count, False),
    "search_read": Method(search_read, False),
    "read": Method(read, True),
    "create": Method(create, False),
    "write": Method(write, True),
    "unlink": Method(unlink, True),
    "fields_get": Method(fields_get, False),
    "default_get": Method(default_get, False),
    "name_search": Method(name_search, False),
}
SPECIFIC: dict[tuple[str, str], Method] = {
    ("res.users", "context_get"): Method(context_get, False),
    ("stock.quant", "action_apply_inventory"): _action(lambda env, m, ids: stock.apply_inventory(env, m, ids)),
    ("stock.picking", "button_validate"): _action(stock.button_validate),
    ("stock.picking", "action_confirm"): _action(reservation.picking_confirm),
    ("stock.picking", "action_assign"): _action(reservation.picking_confirm),
    ("stock.picking", "action_cancel"): _action(stock.picking_cancel),
    ("sale.order", "action_confirm"): _action(sales.order_confirm),
    ("sale.order", "action_cancel"): _action(sales.order_cancel),
    ("sale.order", "action_draft"): _action(sales.order_draft),
    ("sale.order", "action_lock"): _action(sales.order_lock),
    ("sale.order", "action_unlock"): _action(sales.order_unlock),
    ("sale.order.cancel", "action_cancel"): _action(wizards.cancel_wizard_cancel),
    ("confirm.stock.sms", "send_sms"): _action(wizards.sms_send),
    ("confirm.stock.sms", "dont_send_sms"): _action(wizards.sms_dont_send),
    ("account.move", "action_post"): _action(sales.move_post),
    ("account.payment", "action_post"): _action(sales.payment_post),
    ("account.move", "button_draft"): _action(sales.move_draft),
    ("account.move", "button_cancel"): _action(sales.move_cancel),
}


def resolve(model: str, method: str) -> Method:
    if method.startswith("_"):
        raise AccessError(f"Private methods (such as '{model}.{method}') cannot be called remotely.")
    found = SPECIFIC.get((model, method)) or GENERIC.get(method)
    if found is None:
        raise AttributeError(f"The method '{model}.{method}' does not exist")
    return found


def call(env: Env, model_name: str, method_name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """``execute_kw`` semantics: ``args`` positional (ids first for record methods), ``kwargs`` named."""
    model = env.model(model_name)
    method = resolve(model_name, method_name)
    if (model_name, method_name) == ("sale.order", "write") and int(env.registry.version.split(".")[0]) < 19:
        method = Method(sale_order_write, True)
    if method.on_records:
        if not args:
            raise TypeError(f"{model_name}.{method_name}() missing the record ids")
        ids, rest = _ids(args[0]), list(args[1:])
        bound = method.bind(rest, kwargs)
        return method.func(env, model, ids, *bound.args, **bound.kwargs)
    bound = method.bind(list(args), kwargs)
    return method.func(env, model, *bound.args, **bound.kwargs)
