"""Odoo search domains (prefix notation) compiled to a parameterised SQL WHERE clause. Pure: no IO.

Semantics follow Odoo's ``expression.py``: consecutive terms are implicitly AND-ed; ``'!'`` is unary,
``'&'``/``'|'`` binary; ``(f, '=', False)`` is "not set"; ``!=``, ``not in`` and ``not (i)like`` also
match NULLs; ``like``/``ilike`` wrap the value in ``%``, ``=like``/``=ilike`` use it as the pattern;
a dotted path walks many2one/one2many fields through sub-selects; a many2one compared to a string
matches the comodel's display field; translated (jsonb) fields compare in the context language with an
en_US fallback; records with ``active = False`` are left out unless the domain mentions ``active`` or
the context sets ``active_test: False``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sandbox.odoo.fields import DEFAULT_LANG, Field, Model, to_decimal

SQL = tuple[str, list[Any]]
OPERATORS = frozenset(
    {
        "=",
        "!=",
        "<",
        ">",
        "<=",
        ">=",
        "in",
        "not in",
        "like",
        "ilike",
        "not like",
        "not ilike",
        "=like",
        "=ilike",
    }
)
_NEGATIVE = {"!=": "=", "not in": "in", "not like": "like", "not ilike": "ilike"}
_ARITY = {"!": 1, "&": 2, "|": 2}
_LANG_RE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?(@[a-z]+)?$")
_ORDER_RE = re.compile(r"^\s*(\w+)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$", re.I)


def normalize(domain: Sequence[Any]) -> list[Any]:
    """Add the implicit '&' operators, as ``odoo.osv.expression.normalize_domain`` does."""
    if not isinstance(domain, list | tuple):
        raise ValueError(f"Invalid domain: {domain!r}")
    result: list[Any] = []
    expected = 1
    for token in domain:
        if expected == 0:
            result.insert(0, "&")
            expected = 1
        if isinstance(token, list | tuple):
            expected -= 1
            token = tuple(token)
        elif token in _ARITY:
            expected += _ARITY[token] - 1
        else:
            raise ValueError(f"Invalid domain term {token!r}")
        result.append(token)
    if result and expected != 0:
        raise ValueError(f"Invalid domain: {list(domain)!r}")
    return result


def mentions_field(domain: Sequence[Any], name: str) -> bool:
    return any(isinstance(t, list | tuple) and t and str(t[0]).split(".")[0] == name for t in domain)


class DomainCompiler:
    """Compiles domains on one model; ``models`` resolves comodels for dotted paths."""

    def __init__(self, models: Mapping[str, Model], lang: str = DEFAULT_LANG, version: str = "18.0") -> None:
        self.models = models
        self.lang = lang if _LANG_RE.match(lang or "") else DEFAULT_LANG
        # 18.0's expression.py calls a term a "leaf"; 19.0's Domain objects call it a "condition".
        self.term_word = "leaf" if version == "18.0" else "condition"
        self._aliases = itertools.count(1)

    # -- FROM and columns ------------------------------------------------------------
    def from_clause(self, model: Model, alias: str) -> str:
        sql = f'"{model.table}" AS "{alias}"'
        if model.inherits:
            parent = self.models[model.inherits[0]]
            link = model.inherits[1]
            sql += f' JOIN "{parent.table}" AS "{alias}__p" ON "{alias}__p".id = "{alias}"."{link}"'
        return sql

    def column(self, model: Model, f: Field, alias: str) -> str:
        """The SQL expression of a stored field (translated fields read in the context language).

        The language is inlined, not bound: it matched ``_LANG_RE`` (letters, digits, ``_``, ``@``) and an
        inlined expression can be repeated inside one condition without re-ordering the parameters.
        """
        if f.name == "display_name" and model.rec_name:
            f = model.field(model.rec_name)
        if f.column is None:
            raise ValueError(f"Non-stored field {model.name}.{f.name} cannot be searched.")
        table_alias = f"{alias}__p" if f.delegate_to else alias
        expr = f'"{table_alias}"."{f.column}"'
        if f.translate:
            return f"COALESCE({expr}->>'{self.lang}', {expr}->>'{DEFAULT_LANG}')"
        return expr

    # -- WHERE -----------------------------------------------------------------------
    def where(self, model: Model, domain: Sequence[Any], alias: str, active_test: bool = True) -> SQL:
        terms = normalize(domain)
        if active_test and "active" in model.fields and not mentions_field(terms, "active"):
            terms = ["&", ("active", "=", True), *terms] if terms else [("active", "=", True)]
        if not terms:
            return "TRUE", []
        sql, params, rest = self._parse(model, terms, alias)
        assert not rest
        return sql, params

    def _parse(self, model: Model, terms: list[Any], alias: str) -> tuple[str, list[Any], list[Any]]:
        head, rest = terms[0], terms[1:]
        if head == "!":
            sql, params, rest = self._parse(model, rest, alias)
            return f"(NOT {sql})", params, rest
        if head in ("&", "|"):
            left, lparams, rest = self._parse(model, rest, alias)
            right, rparams, rest = self._parse(model, rest, alias)
            joiner = "AND" if head == "&" else "OR"
            return f"({left} {joiner} {right})", lparams + rparams, rest
        sql, params = self.leaf(model, head, alias)
        return sql, params, rest

    def leaf(self, model: Model, term: tuple[Any, ...], alias: str) -> SQL:
        if len(term) != 3:
            raise ValueError(f"Invalid leaf {term!r}")
        path, op, value = term
        if term in ((1, "=", 1), (0, "=", 1)):
            return ("TRUE" if path == 1 else "FALSE"), []
        op = "!=" if op == "<>" else str(op).lower()
        if op not in OPERATORS:
            raise ValueError(f"Invalid operator {op!r} in condition {term!r}")
        name, _, subpath = str(path).partition(".")
        if name not in model.fields:
            raise ValueError(f"Invalid field {model.name}.{name} in {self.term_word} {term!r}")
        f = model.fields[name]
        if f.type == "many2one" and not subpath and _is_text(value) and op not in ("=like", "=ilike"):
            subpath = self.models[f.relation or ""].rec_name or "id"
        if subpath or f.type == "one2many":
            return self._relational(model, f, subpath or "id", op, value, alias)
        return self._compare(f, self.column(model, f, alias), op, value)

    def _relational(self, model: Model, f: Field, subpath: str, op: str, value: Any, alias: str) -> SQL:
        comodel = self.models[f.relation or ""]
        sub = f"s{next(self._aliases)}"
        positive = _NEGATIVE.get(op, op)
        if f.type == "one2many" and subpath == "id" and value is False:
            # ('order_line', '=', False): records without lines.
            exists = f'SELECT 1 FROM "{comodel.table}" AS "{sub}" WHERE "{sub}"."{f.inverse_name}" = "{alias}".id'
            return (f"NOT EXISTS ({exists})" if op == "=" else f"EXISTS ({exists})"), []
        cond, params = self.where(comodel, [(subpath, positive, value)], sub, active_test=False)
        if f.type == "many2one":
            outer = self.column(model, f, alias)
            select = f'SELECT "{sub}".id FROM {self.from_clause(comodel, sub)} WHERE {cond}'
        else:
            outer = f'"{alias}".id'
            select = f'SELECT "{sub}"."{f.inverse_name}" FROM {self.from_clause(comodel, sub)} WHERE {cond}'
        if op in _NEGATIVE:
            return f"({outer} IS NULL OR {outer} NOT IN ({select}))", params
        return f"{outer} IN ({select})", params

    def _compare(self, f: Field, expr: str, op: str, value: Any) -> SQL:
        if f.type == "boolean" and op in ("=", "!=") and not isinstance(value, list | tuple):
            truthy = bool(value) == (op == "=")
            return (f"{expr} = TRUE", []) if truthy else (f"({expr} IS NULL OR {expr} = FALSE)", [])
        if op in ("=", "!=") and (value is False or value is None):
            empty = f" OR {expr} = ''" if f.type in ("char", "text", "selection") and not f.translate else ""
            if op == "=":
                return f"({expr} IS NULL{empty})", []
            return (f"({expr} IS NOT NULL AND {expr} != '')" if empty else f"{expr} IS NOT NULL"), []
        if op in ("in", "not in"):
            values = list(value) if isinstance(value, list | tuple) else [value]
            has_null = any(v is False or v is None for v in values)
            present = [_coerce(f, v) for v in values if v is not False and v is not None]
            if op == "in":
                parts = [f"{expr} = ANY(%s)"] if present else []
                parts += [f"{expr} IS NULL"] if has_null else []
                return (f"({' OR '.join(parts)})" if parts else "FALSE"), [present] if present else []
            if not present:
                return (f"{expr} IS NOT NULL" if has_null else "TRUE"), []
            tail = "" if has_null else f" OR {expr} IS NULL"
            return f"({expr} != ALL(%s){tail})", [present]
        if op in ("like", "ilike", "not like", "not ilike", "=like", "=ilike"):
            text_expr = expr if f.type in ("char", "text", "html", "selection") else f"{expr}::text"
            pattern = str(value) if op.startswith("=") else f"%{value}%"
            sql_op = {"like": "LIKE", "ilike": "ILIKE"}[op.split(" ")[-1].lstrip("=")]
            if op.startswith("not"):
                return f"({text_expr} NOT {sql_op} %s OR {expr} IS NULL)", [pattern]
            return f"{text_expr} {sql_op} %s", [pattern]
        if op == "!=":
            return f"({expr} != %s OR {expr} IS NULL)", [_coerce(f, value)]
        return f"{expr} {op} %s", [_coerce(f, value)]

    # -- ORDER BY ----------------------------------------------------------------------
    def order_by(self, model: Model, order: str | None, alias: str) -> str:
        """``order`` as Odoo takes it ("name desc, id"); None uses the model's ``_order``."""
        explicit = bool(order)
        parts: list[str] = []
        for item in (order or model.order).split(","):
            match = _ORDER_RE.match(item)
            if not match:
                raise ValueError(f"Invalid order {order!r}")
            name, direction, nulls = match.groups()
            f = model.fields.get(name)
            if f is None or (f.column is None and name != "display_name"):
                if explicit:
                    raise ValueError(f"Invalid field {name!r} on model {model.name!r}")
                continue
            if f.type == "many2one" and f.relation in self.models and name != "id":
                parts.extend(self._m2o_order(model, f, alias, (direction or "asc").upper()))
                continue
            expr = self.column(model, f, alias) if name != "id" else f'"{alias}".id'
            clause = f"{expr} {(direction or 'asc').upper()}"
            if nulls:
                clause += f" NULLS {nulls.upper()}"
            parts.append(clause)
        if not any(p.startswith(f'"{alias}".id ') for p in parts):
            parts.append(f'"{alias}".id ASC')
        return ", ".join(parts)

    def _m2o_order(self, model: Model, f: Field, alias: str, direction: str) -> list[str]:
        """Odoo orders by a many2one as by the comodel's own ``_order`` (``_order_field_to_sql``: sale.order.line's
        "order_id, sequence, id" groups lines by their orders' "date_order desc, id desc"), a desc flipping it."""
        comodel = self.models[f.relation or ""]
        link = f'"{alias}"."{f.column}"'
        parts = []
        for item in comodel.order.split(","):
            match = _ORDER_RE.match(item)
            if match is None:
                continue
            own = (match.group(2) or "asc").upper()
            flipped = own if direction == "ASC" else ("ASC" if own == "DESC" else "DESC")
            if match.group(1) == "id":
                parts.append(f"{link} {flipped}")
                continue
            sub = comodel.fields.get(match.group(1))
            if sub is None or sub.column is None or sub.type == "many2one":
                continue
            parts.append(f'(SELECT c."{sub.column}" FROM "{comodel.table}" c WHERE c.id = {link}) {flipped}')
        return parts or [f"{link} {direction}"]


def _is_text(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list | tuple) and bool(value) and all(isinstance(v, str) for v in value)


def _coerce(f: Field, value: Any) -> Any:
    """Bind values with the column's type so ``= ANY(%s)`` compares int4 with int[] and not text[]."""
    if f.type in ("many2one", "integer", "one2many") and not isinstance(value, bool):
        return int(value)
    if f.type in ("float", "monetary") and f.numeric and not isinstance(value, bool):
        return to_decimal(value, f.name)
    return value
