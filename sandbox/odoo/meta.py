"""``ir.model`` and ``ir.model.data``: the two metadata models API clients call before anything else.

OdooRPC checks a model exists with ``ir.model.search([('model', '=', name)])`` and resolves XML ids
with ``ir.model.data.check_object_reference(module, name, True)``. The twin serves both from its registry
and from the seed's well-known records, with no table behind them.
"""

from __future__ import annotations

from typing import Any

from sandbox.odoo.errors import UserError
from sandbox.odoo.orm import Env

# XML ids of the seed rows (schemas/ddl/odoo_seed.sql), as Odoo names them.
XMLIDS: dict[str, tuple[str, int]] = {
    "base.main_company": ("res.company", 1),
    "base.main_partner": ("res.partner", 1),
    "base.partner_root": ("res.partner", 2),
    "base.partner_admin": ("res.partner", 3),
    "base.user_root": ("res.users", 1),
    "base.user_admin": ("res.users", 2),
    "base.EUR": ("res.currency", 1),
    "base.USD": ("res.currency", 2),
    "uom.product_uom_unit": ("uom.uom", 1),
    "product.product_category_all": ("product.category", 1),
    "product.list0": ("product.pricelist", 1),
    "stock.stock_location_locations": ("stock.location", 1),
    "stock.stock_location_locations_partner": ("stock.location", 2),
    "stock.stock_location_locations_virtual": ("stock.location", 3),
    "stock.stock_location_suppliers": ("stock.location", 4),
    "stock.stock_location_customers": ("stock.location", 5),
    "stock.warehouse0": ("stock.warehouse", 1),
    "stock.stock_location_stock": ("stock.location", 8),
    "stock.picking_type_in": ("stock.picking.type", 1),
    "stock.picking_type_out": ("stock.picking.type", 2),
}


def _ir_model_rows(env: Env) -> list[dict[str, Any]]:
    names = sorted(env.registry.models)
    return [{"id": i, "model": n, "name": env.registry[n].description} for i, n in enumerate(names, start=1)]


def _matches(row: dict[str, Any], domain: list[Any]) -> bool:
    for term in domain:
        if not isinstance(term, list | tuple):
            if term == "&":
                continue
            raise UserError(f"ir.model: only AND-ed conditions are supported by the twin, got {term!r}")
        field, op, value = term
        if field not in row:
            raise ValueError(f"Invalid field ir.model.{field} in condition {tuple(term)!r}")
        if op == "=" and row[field] != value:
            return False
        if op == "in" and row[field] not in value:
            return False
        if op == "ilike" and str(value).lower() not in str(row[field]).lower():
            return False
        if op not in ("=", "in", "ilike"):
            raise UserError(f"ir.model: operator {op!r} is not supported by the twin")
    return True


def ir_model(env: Env, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    rows = _ir_model_rows(env)
    if method in ("search", "search_read", "search_count"):
        domain = args[0] if args else kwargs.get("domain", [])
        found = [r for r in rows if _matches(r, domain or [])]
        if method == "search":
            return [r["id"] for r in found]
        if method == "search_count":
            return len(found)
        fields = kwargs.get("fields") or (args[1] if len(args) > 1 else None)
        return [{k: v for k, v in r.items() if not fields or k in fields or k == "id"} for r in found]
    if method == "read":
        ids = args[0] if args else kwargs.get("ids", [])
        ids = [ids] if isinstance(ids, int) else ids
        return [r for r in rows if r["id"] in ids]
    if method == "fields_get":
        return {
            "id": {"type": "integer", "string": "ID"},
            "model": {"type": "char", "string": "Model"},
            "name": {"type": "char", "string": "Model Description"},
        }
    raise AttributeError(f"The method 'ir.model.{method}' does not exist")


def ir_model_data(env: Env, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    if method != "check_object_reference":
        raise AttributeError(f"The method 'ir.model.data.{method}' does not exist")
    module = args[0] if args else kwargs.get("module")
    name = args[1] if len(args) > 1 else kwargs.get("xml_id")
    xmlid = f"{module}.{name}"
    if xmlid not in XMLIDS:
        raise ValueError(f"External ID not found in the system: {xmlid}")
    model, record_id = XMLIDS[xmlid]
    return [model, record_id]
