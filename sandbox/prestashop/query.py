"""List parameters (filter, sort, limit, display, date) -> parameterised SQL, with PrestaShop's errors.

Filter grammar from ``SQLUtils::getSQLRetrieveFilter``: ``[v]`` equal, ``[a|b]`` any of,
``[a,b]`` between (numbers/dates), ``%[v]``/``[v]%``/``%[v]%`` LIKE, ``>[v]``, ``<[v]``, ``![a|b]``
not equal; a value without brackets is an equality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sandbox.prestashop.model import ResourceModel
from sandbox.prestashop.views import WsError

_FILTER_KEY = re.compile(r"^filter\[([^\]]*)\](.*)$")
_BRACKETED = re.compile(r"^(.*)\[(.*)\](.*)$", re.S)
_INTERVAL = re.compile(r"^([\d.:\-\s]+),([\d.:\-\s]+)$")
_LIST_PARAM = re.compile(r"^\[(.*)\]$", re.S)


@dataclass
class ListQuery:
    joins: str = ""
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    order: str = ""
    limit: str = ""
    display: str | set[str] | None = None  # None: id stubs; "full"; or a set of field names


def _condition(column: str, raw: str) -> tuple[str, list[Any]]:
    match = _BRACKETED.match(raw)
    if not match:
        return f"{column} = %s", [raw]
    before, inner, after = match.groups()
    if before == "%" or after == "%":
        return f"{column} LIKE %s", [before + inner + after]
    if before == "" and after == "":
        if inner.find("|") > 0:
            values = inner.split("|")
            return "(" + " OR ".join(f"{column} = %s" for _ in values) + ")", values
        interval = _INTERVAL.match(inner)
        if interval:
            low, high = sorted([interval.group(1), interval.group(2)])
            return f"{column} BETWEEN %s AND %s", [low, high]
        return f"{column} = %s", [inner]
    if before == ">":
        return f"{column} > %s", [inner]
    if before == "<":
        return f"{column} < %s", [inner]
    if before == "!":
        values = inner.split("|")
        return " AND ".join(f"{column} != %s" for _ in values), values
    return "1 = 1", []  # PrestaShop ignores other prefixes


def _last(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[-1] if values else None


def _display(model: ResourceModel, raw: str | None) -> str | set[str] | None:
    if raw is None:
        return None
    if raw in ("full", "minimum"):
        return raw
    available = ", ".join(model.field_names())
    match = _LIST_PARAM.match(raw)
    if not match:
        raise WsError(
            400,
            36,
            "The 'display' syntax is wrong. You can set 'full' or "
            f"'[field_1,field_2,field_3,...]'. These are available: {available}",
        )
    wanted = {p.split("[")[0].strip() for p in re.split(r",(?![^\[]*\])", match.group(1)) if p}
    known = set(model.field_names()) | {a.name for a in model.spec.associations}
    for name in wanted - known:
        raise WsError(400, 35, f'Unable to display this field "{name}". However, these are available: {available}')
    return wanted


def build_list_query(model: ResourceModel, query: dict[str, list[str]], table_prefix: str) -> ListQuery:
    spec = model.spec
    out = ListQuery(display=_display(model, _last(query, "display")))
    with_dates = bool(_last(query, "date"))
    plain = {n: c for n, c in model.plain if with_dates or c not in ("date_add", "date_upd")}
    lang_join = (
        f"LEFT JOIN `{table_prefix}{spec.table}_lang` AS main_i18n "
        f"ON (main.`{spec.id_column}` = main_i18n.`{spec.id_column}`)"
    )
    for key in query:
        key_match = _FILTER_KEY.match(key)
        if not key_match:
            continue
        name, rest = key_match.groups()
        raw = _last(query, key) or ""
        if rest:
            raise WsError(400, 31, "There is no existing linked table for this resource")
        if name in spec.computed:
            raise WsError(
                400, 34, f'The field "{name}" is dynamic. It is not possible to filter GET query with this field.'
            )
        if name in spec.lang_fields:
            out.joins = lang_join
            condition, params = _condition(f"main_i18n.`{name}`", raw)
        elif name in plain:
            if raw == "":
                raise WsError(400, 33, f'The filter "{name}" is malformed.')
            condition, params = _condition(f"main.`{plain[name]}`", raw)
        else:
            raise WsError(
                400, 32, f'This filter does not exist. Did you mean: "{name}"? The full list is: "{", ".join(plain)}"'
            )
        out.where.append(condition)
        out.params.extend(params)

    sort = _last(query, "sort")
    if sort is not None:
        match = _LIST_PARAM.match(sort)
        orders = []
        for item in match.group(1).split(",") if match else [sort]:
            name, _, direction = item.rpartition("_")
            if not name or direction.upper() not in ("ASC", "DESC"):
                raise WsError(
                    400,
                    37,
                    'The "sort" value has to be formed as this example: "field_ASC" or '
                    "'[field_1_DESC,field_2_ASC,field_3_ASC,...]' (\"field\" has to be an available field)",
                )
            if name in spec.lang_fields:
                out.joins = lang_join
                orders.append(f"main_i18n.`{name}` {direction.upper()}")
            elif name in plain:
                orders.append(f"main.`{plain[name]}` {direction.upper()}")
            else:
                raise WsError(
                    400, 38, "Unable to filter by this field. However, these are available: " + ", ".join(plain)
                )
        out.order = " ORDER BY " + ", ".join(orders)
    limit = _last(query, "limit")
    if limit is not None:
        parts = limit.split(",")
        if len(parts) > 2:
            raise WsError(400, 39, 'The "limit" value has to be formed as this example: "5,25" or "10"')
        numbers = [_php_int(p) for p in parts]
        out.limit = " LIMIT " + ", ".join(str(n) for n in numbers)
    return out


def _php_int(text: str) -> int:
    """PHP's (int) cast: leading digits, else 0."""
    match = re.match(r"\s*([+-]?\d+)", text)
    return int(match.group(1)) if match else 0
