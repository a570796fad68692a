"""Odoo's side of the recorder: the call shape of a request, and the id/date normaliser.

Call shape: ``{"model", "method", "args_form", "context"}`` where ``args_form`` spells the argument
*form* the server sees, e.g. ``"positional:[list[dict]] keyword:context"`` for a batch create and
``"positional:[] keyword:context,vals_list"`` for the keyword form real Odoo 18 refuses. ``context``
lists the context keys other than ``lang`` (``inventory_mode``, ``skip_backorder`` change what a
method does). Service calls (``common.login``) get ``model`` ``"<common>"``; plain routes
(``/web/webclient/version_info``) ``"<route>"``.

Normaliser: every record id becomes ``$id:<model>:<n>`` (n = order of first appearance of that id
of that model in the run), ``db``/``uid`` become ``$db``/``$uid``, dates and sequence names
(``S00012``, ``WH/OUT/00007``) become placeholders in answers. :func:`fill` turns a normalised
request back into a sendable one with another server's ids (the replay binds them from that
server's own answers, in the same order).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from tests.real.recorder import Normaliser, normalise_dates, walk_strings

SYSTEM = "odoo"

# relational fields the sink reads or writes -> their comodel (others use the field name as namespace)
RELATIONS = {
    "partner_id": "res.partner",
    "parent_id": "res.partner",
    "partner_invoice_id": "res.partner",
    "partner_shipping_id": "res.partner",
    "commercial_partner_id": "res.partner",
    "child_ids": "res.partner",
    "product_id": "product.product",
    "product_tmpl_id": "product.template",
    "product_variant_ids": "product.product",
    "location_id": "stock.location",
    "location_dest_id": "stock.location",
    "lot_stock_id": "stock.location",
    "country_id": "res.country",
    "state_id": "res.country.state",
    "currency_id": "res.currency",
    "company_id": "res.company",
    "user_id": "res.users",
    "picking_id": "stock.picking",
    "picking_ids": "stock.picking",
    "button_validate_picking_ids": "stock.picking",
    "pick_ids": "stock.picking",
    "picking_ids_not_to_backorder": "stock.picking",
    "sale_id": "sale.order",
    "order_id": "sale.order",
    "order_ids": "sale.order",
    "move_ids": "stock.move",
    "move_line_ids": "stock.move.line",
    "order_line": "sale.order.line",
    "tax_id": "account.tax",
    "taxes_id": "account.tax",
    "tax_ids": "account.tax",
    "product_uom": "uom.uom",
    "uom_id": "uom.uom",
    "uom_po_id": "uom.uom",
    "picking_type_id": "stock.picking.type",
    "pricelist_id": "product.pricelist",
    "team_id": "crm.team",
    "warehouse_id": "stock.warehouse",
    "carrier_id": "delivery.carrier",
    "categ_id": "product.category",
    "quant_ids": "stock.quant",
    "sale_line_id": "sale.order.line",
    "invoice_ids": "account.move",
    "fiscal_position_id": "account.fiscal.position",
    "payment_term_id": "account.payment.term",
    "journal_id": "account.journal",
    "property_product_pricelist": "product.pricelist",
    "category_id": "res.partner.category",
}
# many2many fields named like a many2one (``*_id``): their values are id lists and x2many commands
X2M_NAMED_ID = frozenset({"category_id"})
_RECORDSET = re.compile(r"\b([a-z_]+(?:\.[a-z_]+)+)\(((?:\d+,? ?)+)\)")
_PLACEHOLDER = re.compile(r"^\$id:([^:]+):(\d+)$")
_SEQUENCES = [(re.compile(r"\bS\d{5}\b"), "S#####"), (re.compile(r"\b([A-Z]{2,5}/[A-Z]{2,5}/)\d{5}\b"), r"\1#####")]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list):
        items = sorted({_kind(v) for v in value})
        return f"list[{'|'.join(items)}]" if items else "list"
    return type(value).__name__


def _form(positional: list[Any] | None, keywords: Mapping[str, Any] | None, prefix: str = "") -> str:
    words = ",".join(sorted(keywords or {}))
    if positional is None:
        return f"{prefix}keyword:{words}"
    return f"{prefix}positional:[{','.join(_kind(v) for v in positional)}] keyword:{words}"


def _context_keys(keywords: Mapping[str, Any] | None) -> list[str]:
    context = (keywords or {}).get("context")
    return sorted(k for k in context if k != "lang") if isinstance(context, dict) else []


def call_shape(request: Mapping[str, Any]) -> dict[str, Any]:
    """The (model, method, argument form) of one request to Odoo, as the server dispatches it."""
    path = str(request.get("path") or "")
    body = request.get("json") if isinstance(request.get("json"), dict) else {}
    if path.startswith("/json/2/"):
        model, _, method = path[len("/json/2/") :].partition("/")
        return {
            "model": model,
            "method": method,
            "args_form": _form(None, body, "json2 "),
            "context": _context_keys(body),
        }
    params = body.get("params") if isinstance(body.get("params"), dict) else {}
    if path == "/jsonrpc" and params.get("service") == "object":
        args = list(params.get("args") or [])
        model = str(args[3]) if len(args) > 3 else "?"
        method = str(args[4]) if len(args) > 4 else "?"
        positional = args[5] if len(args) > 5 and isinstance(args[5], list) else []
        keywords = args[6] if len(args) > 6 and isinstance(args[6], dict) else {}
        return {
            "model": model,
            "method": f"{params.get('method')}:{method}",
            "args_form": _form(positional, keywords),
            "context": _context_keys(keywords),
        }
    if path == "/jsonrpc":
        args = params.get("args") if isinstance(params.get("args"), list) else []
        return {
            "model": f"<{params.get('service')}>",
            "method": str(params.get("method")),
            "args_form": _form(args, None),
            "context": [],
        }
    return {
        "model": "<route>",
        "method": f"{request.get('method')} {path}",
        "args_form": _form(None, params),
        "context": [],
    }


def slug(shape: Mapping[str, Any]) -> str:
    method = str(shape["method"]).split(":")[-1].strip("/").replace("/", "_").replace(" ", "_")
    model = str(shape["model"]).strip("<>")
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"{model}_{method}" if model != "route" else method)


class OdooIds:
    """Real id <-> ``$id:<model>:<n>``, numbered by first appearance per model."""

    def __init__(self) -> None:
        self.to_placeholder: dict[tuple[str, int], str] = {}
        self.to_value: dict[str, int] = {}
        self.count: dict[str, int] = {}

    def __call__(self, value: Any, model: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return value
        key = (model, value)
        if key not in self.to_placeholder:
            self.count[model] = self.count.get(model, 0) + 1
            placeholder = f"$id:{model}:{self.count[model]}"
            self.to_placeholder[key] = placeholder
            self.to_value[placeholder] = value
        return self.to_placeholder[key]


def _field_model(field: str) -> str:
    return RELATIONS.get(field, field)


class OdooNormaliser(Normaliser):
    def __init__(self) -> None:
        self.ids = OdooIds()

    # -- walkers (ids by position: a record's "id", relational fields, x2many commands, domains) --
    def _ids(self, value: Any, model: str) -> Any:
        if isinstance(value, list):
            return [self.ids(v, model) for v in value]
        return self.ids(value, model)

    def _m2o(self, value: Any, model: str) -> Any:
        if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
            return [self.ids(value[0], model), value[1]]
        return self.ids(value, model)

    def _x2m(self, value: Any, model: str) -> Any:
        if not isinstance(value, list):
            return value
        out: list[Any] = []
        for item in value:
            if isinstance(item, list) and item and isinstance(item[0], int) and not isinstance(item[0], bool):
                command = list(item)
                if command[0] in (1, 2, 3, 4) and len(command) > 1:
                    command[1] = self.ids(command[1], model)
                if command[0] in (0, 1) and len(command) > 2:
                    command[2] = self.record(command[2], model)
                if command[0] == 6 and len(command) > 2:
                    command[2] = self._ids(command[2], model)
                out.append(command)
            else:
                out.append(self.ids(item, model))
        return out

    def record(self, value: Any, model: str | None) -> Any:
        if isinstance(value, list):
            return [self.record(v, model) for v in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "id" and model:
                out[key] = self.ids(item, model)
            elif key == "res_id" and isinstance(value.get("res_model"), str):
                out[key] = self.ids(item, value["res_model"])
            elif key == "context" and isinstance(item, dict):
                out[key] = self.context(item)
            elif key == "domain" and isinstance(item, list):
                out[key] = self.domain(item, value.get("res_model") or model)
            elif key in X2M_NAMED_ID:
                out[key] = self._x2m(item, _field_model(key))
            elif key.endswith("_id") or key in ("product_uom",):
                out[key] = self._m2o(item, _field_model(key))
            elif key.endswith("_ids") or key == "order_line":
                out[key] = self._x2m(item, _field_model(key))
            else:
                out[key] = self.record(item, None) if isinstance(item, dict | list) else item
        return out

    def context(self, value: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in value.items():
            field = key[len("default_") :] if key.startswith("default_") else key
            if key in ("active_id", "active_ids") and isinstance(value.get("active_model"), str):
                out[key] = self._ids(item, value["active_model"])
            elif field.endswith("_id"):
                out[key] = self._m2o(item, _field_model(field))
            elif field.endswith("_ids") or field in RELATIONS:
                out[key] = self._x2m(item, _field_model(field))
            else:
                out[key] = item
        return out

    def domain(self, value: list[Any], model: str | None) -> list[Any]:
        out: list[Any] = []
        for term in value:
            if isinstance(term, list) and len(term) == 3 and isinstance(term[0], str):
                field = term[0].split(".")[-1]
                target = model if field == "id" else _field_model(field) if field.endswith(("_id", "_ids")) else None
                out.append([term[0], term[1], self._ids(term[2], target) if target else term[2]])
            else:
                out.append(term)
        return out

    # -- requests and answers -----------------------------------------------------------------
    def _execute(self, request: Mapping[str, Any]) -> tuple[str | None, str | None]:
        params = (request.get("json") or {}).get("params") or {}
        args = params.get("args") or []
        if params.get("service") == "object" and len(args) > 4:
            return str(args[3]), str(args[4])
        path = str(request.get("path") or "")
        if path.startswith("/json/2/"):
            model, _, method = path[len("/json/2/") :].partition("/")
            return model, method
        return None, None

    def request(self, request: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(request)
        body = out.get("json")
        if not isinstance(body, dict):
            return out
        model, _method = self._execute(request)
        params = body.get("params") if isinstance(body.get("params"), dict) else None
        if params is not None and params.get("service") in ("object", "common") and params.get("args"):
            args = params["args"]
            args[0] = "$db"
            if params["service"] == "object" and len(args) > 1:
                args[1] = "$uid"
            if params["service"] == "object" and len(args) > 5 and model:
                args[5] = [
                    self._ids(a, model)
                    if isinstance(a, list) and all(isinstance(i, int) for i in a)
                    else self.record(a, model)
                    for a in args[5]
                ]
            if params["service"] == "object" and len(args) > 6 and isinstance(args[6], dict) and model:
                args[6] = self.keywords(args[6], model)
        elif model and str(request.get("path", "")).startswith("/json/2/"):
            out["json"] = self.keywords(body, model)
        return out

    def keywords(self, value: dict[str, Any], model: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "domain" and isinstance(item, list):
                out[key] = self.domain(item, model)
            elif key == "ids":
                out[key] = self._ids(item, model)
            elif key in ("vals", "vals_list"):
                out[key] = self.record(item, model)
            elif key == "context" and isinstance(item, dict):
                out[key] = self.context(item)
            else:
                out[key] = item
        return out

    def response(self, request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(response)
        body = out.get("json")
        if not isinstance(body, dict):
            return out
        model, method = self._execute(request)
        service = ((request.get("json") or {}).get("params") or {}).get("service")
        if "result" in body:
            body["result"] = self.result(body["result"], model, method, service)
        elif "error" in body and isinstance(body["error"], dict):
            data = body["error"].get("data")
            if isinstance(data, dict) and isinstance(data.get("debug"), str):
                lines = [line for line in data["debug"].splitlines() if line.strip()]
                data["debug"] = lines[-1] if lines else ""
            if isinstance(data, dict):
                for key in ("message", "debug", "arguments"):
                    if key in data:
                        data[key] = walk_strings(data[key], self.records_in_text)
        elif model and str(request.get("path", "")).startswith("/json/2/"):
            out["json"] = self.result(body, model, method, None)
        return out

    def records_in_text(self, text: str) -> str:
        """Ids inside a message's recordset repr (``sale.order(31, 32)``) -> placeholders."""

        def repl(match: re.Match[str]) -> str:
            model = match.group(1)
            ids = [self.ids(int(i), model) for i in re.findall(r"\d+", match.group(2))]
            return f"{model}({', '.join(str(i) for i in ids)})"

        return _RECORDSET.sub(repl, text)

    def result(self, value: Any, model: str | None, method: str | None, service: str | None) -> Any:
        if service == "common" and isinstance(value, int) and not isinstance(value, bool):
            return "$uid"
        if model and method == "name_create" and isinstance(value, list):
            return self._m2o(value, model)
        all_ids = (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        )
        if model and (method in ("create", "search") or all_ids):
            return self._ids(value, model)
        value = self.record(value, model if method in ("read", "search_read", "web_read") else None)
        value = normalise_dates(value)
        return _sequences(value)


def _sequences(value: Any) -> Any:
    if isinstance(value, str):
        for pattern, replacement in _SEQUENCES:
            value = pattern.sub(replacement, value)
        return value
    if isinstance(value, list):
        return [_sequences(v) for v in value]
    if isinstance(value, dict):
        return {k: _sequences(v) for k, v in value.items()}
    return value


def fill(value: Any, ids: Mapping[str, int], fixed: Mapping[str, Any]) -> Any:
    """A normalised request made sendable: ``$id:...`` from ``ids``, ``$db``/``$uid``/``$key`` from ``fixed``."""
    if isinstance(value, str):
        if _PLACEHOLDER.match(value):
            if value not in ids:
                raise KeyError(f"{value} is used before any answer named it")
            return ids[value]
        return fixed.get(value, value)
    if isinstance(value, list):
        return [fill(v, ids, fixed) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids, fixed) for k, v in value.items()}
    return value


class OdooProfile:
    system = SYSTEM

    def call_shape(self, request: Mapping[str, Any]) -> dict[str, Any]:
        return call_shape(request)

    def slug(self, shape: Mapping[str, Any]) -> str:
        return slug(shape)

    def normaliser(self) -> OdooNormaliser:
        return OdooNormaliser()
