"""The twin's ORM: search/read/create/write/unlink on the PostgreSQL tables, one request = one transaction.

Every INSERT sets create_uid/create_date/write_uid/write_date and every UPDATE write_uid/write_date, with
the authenticated user and the transaction's UTC time (Odoo's ``cr.now()``), so Debezium sees the same
log columns a real Odoo writes. Model-specific defaults, computed columns and side effects live in
``sandbox.odoo.hooks``; this module is the generic part.
"""

from __future__ import annotations

from typing import Any

from psycopg2.extras import Json

from sandbox.odoo import hooks
from sandbox.odoo.domain import DomainCompiler
from sandbox.odoo.errors import UserError, missing_error
from sandbox.odoo.fields import DEFAULT_LANG, Field, Model, to_column_value, to_read_value, translated_value
from sandbox.odoo.registry import LOG_FIELDS, Registry

NOW = "(now() AT TIME ZONE 'utc')"


class Env:
    """One call's environment: cursor, registry, authenticated uid and context (lang, active_test...)."""

    def __init__(self, cur: Any, registry: Registry, uid: int, context: dict[str, Any] | None = None) -> None:
        self.cr = cur
        self.registry = registry
        self.uid = uid
        self.context: dict[str, Any] = dict(context or {})
        lang = self.context.get("lang")
        self.lang = lang if isinstance(lang, str) and lang else DEFAULT_LANG

    def with_context(self, **updates: Any) -> Env:
        return Env(self.cr, self.registry, self.uid, {**self.context, **updates})

    def model(self, name: str) -> Model:
        if name not in self.registry:
            raise UserError(f"Object {name} doesn't exist")
        return self.registry[name]

    def compiler(self) -> DomainCompiler:
        return DomainCompiler(self.registry.models, self.lang, self.registry.version)

    def fetch(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        self.cr.execute(sql, params)
        return list(self.cr.fetchall())

    # -- search ------------------------------------------------------------------------
    def search(
        self,
        model: Model,
        domain: list[Any] | None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[int]:
        compiler = self.compiler()
        where, params = compiler.where(model, domain or [], "t", self.context.get("active_test", True) is not False)
        sql = f'SELECT "t".id FROM {compiler.from_clause(model, "t")} WHERE {where}'
        sql += f" ORDER BY {compiler.order_by(model, order, 't')}"
        if limit:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f" OFFSET {int(offset)}"
        return [row[0] for row in self.fetch(sql, params)]

    def search_count(self, model: Model, domain: list[Any] | None, limit: int | None = None) -> int:
        return len(self.search(model, domain, limit=limit))

    def existing(self, model: Model, ids: list[int]) -> list[int]:
        rows = self.fetch(f'SELECT id FROM "{model.table}" WHERE id = ANY(%s)', (list(ids),))
        found = {row[0] for row in rows}
        return [i for i in ids if i in found]

    def ensure_exist(self, model: Model, ids: list[int]) -> None:
        missing = [i for i in ids if i not in set(self.existing(model, ids))]
        if missing:
            raise missing_error(model.name, missing, self.uid)

    # -- read --------------------------------------------------------------------------
    def read(
        self, model: Model, ids: list[int], fields: list[str] | None = None, load: str | None = "_classic_read"
    ) -> list[dict[str, Any]]:
        names = [n for n in (fields or list(model.fields)) if n != "id"]
        wanted = [model.field(n) for n in names]
        stored = [f for f in wanted if f.column]
        compiler = self.compiler()
        columns = ", ".join(['"t".id', *(_raw_column(f) for f in stored)])
        rows = self.fetch(
            f'SELECT {columns} FROM {compiler.from_clause(model, "t")} WHERE "t".id = ANY(%s)', (list(ids),)
        )
        by_id = {row[0]: dict(zip([f.name for f in stored], row[1:], strict=True)) for row in rows}
        records = [(i, by_id[i]) for i in dict.fromkeys(ids) if i in by_id]
        result = [{"id": i} for i, _ in records]
        for f in wanted:
            if f.column:
                values = [raw[f.name] for _, raw in records]
            else:
                values = hooks.computed_values(self, model, f, [i for i, _ in records])
            for out, value in zip(result, self._read_values(f, values, load), strict=True):
                out[f.name] = value
        return result

    def _read_values(self, f: Field, values: list[Any], load: str | None) -> list[Any]:
        if f.translate:
            return [translated_value(v, self.lang) for v in values]
        if f.type == "many2one":
            ids = [v for v in values if v]
            if load != "_classic_read" or not ids:
                return [v or False for v in values]
            names = self.display_names(self.registry[f.relation or ""], ids)
            return [[v, names.get(v, "")] if v else False for v in values]
        if f.type in ("one2many", "many2many") or f.name == "display_name":
            return values
        return [to_read_value(f, v) for v in values]

    def display_names(self, model: Model, ids: list[int]) -> dict[int, str]:
        special = hooks.display_names(self, model, ids)
        if special is not None:
            return special
        if not model.rec_name or model.rec_name not in model.fields:
            return {i: f"{model.name},{i}" for i in ids}
        rows = self.read(model, ids, [model.rec_name], load="_classic_write")
        return {row["id"]: row[model.rec_name] or "" for row in rows}

    # -- create / write / unlink ---------------------------------------------------------
    def create(self, model: Model, vals_list: list[dict[str, Any]]) -> list[int]:
        ids: list[int] = []
        for raw_vals in vals_list:
            if not isinstance(raw_vals, dict):
                raise ValueError(f"create() expects dicts of values, got {raw_vals!r}")
            for name in raw_vals:
                model.field(name)
            new_id = self.fetch("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", (model.table,))[0][0]
            vals = hooks.prepare_create(self, model, new_id, dict(raw_vals))
            own, parent, o2m = self._split(model, vals)
            if model.inherits and parent:
                parent_model = self.registry[model.inherits[0]]
                own[model.inherits[1]] = self.with_context(**_variant_flag(model)).create(parent_model, [parent])[0]
            columns = ["id", *own, "create_uid", "create_date", "write_uid", "write_date"]
            values = [new_id, *(self._column_value(model.fields[n], v, None) for n, v in own.items())]
            placeholders = ", ".join(["%s"] * (len(values)) + ["%s", NOW, "%s", NOW])
            self.cr.execute(
                f'INSERT INTO "{model.table}" ({", ".join(columns)}) VALUES ({placeholders})',
                (*values, self.uid, self.uid),
            )
            self._one2many(model, [new_id], o2m)
            ids.append(new_id)
            hooks.after_create(self, model, new_id, vals)
        return ids

    def write(self, model: Model, ids: list[int], vals: dict[str, Any]) -> bool:
        for name in vals:
            model.field(name)
        self.ensure_exist(model, ids)
        vals = hooks.prepare_write(self, model, ids, dict(vals))
        own, parent, o2m = self._split(model, vals)
        assignments: list[str] = []
        params: list[Any] = []
        for name, value in own.items():
            f = model.fields[name]
            if f.translate and value not in (False, None):
                # An empty field gets the en_US value too, so every language falls back to something.
                assignments.append(f'"{f.column}" = COALESCE("{f.column}", %s) || %s')
                params += [Json({DEFAULT_LANG: str(value)}), Json(_translations(self.lang, str(value), creating=False))]
            else:
                assignments.append(f'"{f.column}" = %s')
                params.append(self._column_value(f, value, None))
        assignments += ["write_uid = %s", f"write_date = {NOW}"]
        self.cr.execute(
            f'UPDATE "{model.table}" SET {", ".join(assignments)} WHERE id = ANY(%s)',
            (*params, self.uid, list(ids)),
        )
        if model.inherits and parent:
            link = model.inherits[1]
            parent_ids = [
                r[0]
                for r in self.fetch(f'SELECT DISTINCT "{link}" FROM "{model.table}" WHERE id = ANY(%s)', (list(ids),))
            ]
            self.write(self.registry[model.inherits[0]], parent_ids, parent)
        self._one2many(model, ids, o2m)
        hooks.after_write(self, model, ids, vals)
        return True

    def unlink(self, model: Model, ids: list[int]) -> bool:
        self.ensure_exist(model, ids)
        hooks.before_unlink(self, model, ids)
        self.cr.execute(f'DELETE FROM "{model.table}" WHERE id = ANY(%s)', (list(ids),))
        hooks.after_unlink(self, model, ids)
        return True

    def _split(self, model: Model, vals: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        own: dict[str, Any] = {}
        parent: dict[str, Any] = {}
        o2m: dict[str, Any] = {}
        for name, value in vals.items():
            f = model.fields[name]
            if f.type in ("one2many", "many2many"):
                o2m[name] = value
            elif f.delegate_to:
                parent[name] = value
            elif f.column and name not in LOG_FIELDS and name != "id":
                own[name] = value
        return own, parent, o2m

    def _column_value(self, f: Field, value: Any, _: Any) -> Any:
        if f.translate:
            return None if value in (False, None) else Json(_translations(self.lang, str(value), creating=True))
        if f.type == "json":
            return None if value is False else Json(value)
        return to_column_value(f, value)

    def _one2many(self, model: Model, ids: list[int], commands: dict[str, Any]) -> None:
        """Apply Odoo's x2many commands: (0,0,vals) (1,id,vals) (2,id) (3,id) (4,id) (5,) (6,0,ids)."""
        for name, value in commands.items():
            f = model.fields[name]
            if f.type == "many2many":
                for record_id in ids:
                    self._many2many(f, record_id, value)
                continue
            comodel, inverse = self.registry[f.relation or ""], f.inverse_name or ""
            for record_id in ids:
                for command in value or []:
                    self._x2many_command(comodel, inverse, record_id, command)

    def _x2many_command(self, comodel: Model, inverse: str, record_id: int, command: Any) -> None:
        if not isinstance(command, list | tuple) or not command:
            raise ValueError(f"Invalid one2many command {command!r}")
        code = command[0]
        if code == 0:
            self.create(comodel, [{**command[2], inverse: record_id}])
        elif code == 1:
            self.write(comodel, [command[1]], command[2])
        elif code == 2:
            self.unlink(comodel, [command[1]])
        elif code == 3:
            self.write(comodel, [command[1]], {inverse: False})
        elif code == 4:
            self.write(comodel, [command[1]], {inverse: record_id})
        elif code in (5, 6):
            current = [
                r[0] for r in self.fetch(f'SELECT id FROM "{comodel.table}" WHERE "{inverse}" = %s', (record_id,))
            ]
            keep = list(command[2]) if code == 6 else []
            dropped = [i for i in current if i not in keep]
            if dropped:
                self.unlink(comodel, dropped)
            if keep:
                self.write(comodel, keep, {inverse: record_id})
        else:
            raise ValueError(f"Invalid one2many command {command!r}")

    def _many2many(self, f: Field, record_id: int, value: Any) -> None:
        """Odoo's many2many commands on the relation table: (3,id) (4,id) (5,) (6,0,ids), or a list of ids."""
        table, own, other = f.relation_table, f.column1, f.column2
        current = [r[0] for r in self.fetch(f'SELECT "{other}" FROM "{table}" WHERE "{own}" = %s', (record_id,))]
        wanted = list(current)
        for command in value or []:
            if isinstance(command, int):
                wanted.append(command)
                continue
            if not isinstance(command, list | tuple) or not command:
                raise ValueError(f"Invalid many2many command {command!r}")
            code = command[0]
            if code == 6:
                wanted = [int(i) for i in command[2]]
            elif code == 5:
                wanted = []
            elif code == 4:
                wanted.append(int(command[1]))
            elif code == 3:
                wanted = [i for i in wanted if i != int(command[1])]
            else:
                raise ValueError(f"Invalid many2many command {command!r}")
        wanted = list(dict.fromkeys(wanted))
        self.ensure_exist(self.registry[f.relation or ""], wanted)
        self.cr.execute(f'DELETE FROM "{table}" WHERE "{own}" = %s', (record_id,))
        for other_id in wanted:
            self.cr.execute(f'INSERT INTO "{table}" ("{own}", "{other}") VALUES (%s, %s)', (record_id, other_id))

    # -- metadata ------------------------------------------------------------------------
    def fields_get(
        self, model: Model, allfields: list[str] | None = None, attributes: list[str] | None = None
    ) -> dict[str, Any]:
        result: dict[str, Any] = {
            "id": {"type": "integer", "string": "ID", "readonly": True, "required": False, "store": True, "name": "id"}
        }
        for name, f in model.fields.items():
            result[name] = f.describe()
        if allfields:
            result = {name: info for name, info in result.items() if name in allfields}
        if attributes:
            result = {name: {k: v for k, v in info.items() if k in attributes} for name, info in result.items()}
        return result


def _raw_column(f: Field) -> str:
    return f'"{"t__p" if f.delegate_to else "t"}"."{f.column}"'


def _translations(lang: str, value: str, creating: bool) -> dict[str, str]:
    """Odoo 16+: a create stores the value for en_US and the context language; a write only for the latter."""
    if creating or lang == DEFAULT_LANG:
        return {DEFAULT_LANG: value, lang: value}
    return {lang: value}


def _variant_flag(model: Model) -> dict[str, Any]:
    # Odoo's own context key: a template created for a new variant must not create a variant itself.
    return {"create_product_product": True} if model.name == "product.product" else {}
