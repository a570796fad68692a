"""Writing entities the way ``WebserviceRequest::saveEntityFromXml`` does (POST, PUT, PATCH, DELETE).

POST and PUT: a non-required field missing from the body is null, so ObjectModel stores its type's zero
value (not the column default);
PATCH (8.x) only touches the fields present. Required fields (code 41), read-only fields (93) and
value validation (84/85) answer 400 like PrestaShop.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sandbox.prestashop import effects
from sandbox.prestashop.db import Column, ShopDatabase
from sandbox.prestashop.model import DEFAULT_SHOP, ResourceModel
from sandbox.prestashop.views import WsError
from sandbox.prestashop.xml_input import EntityInput

_INT = re.compile(r"^\s*[+-]?\d*\s*$")
_DECIMAL = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)?([eE][+-]?\d+)?\s*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _now(cur: Any) -> str:
    """The shop's wall clock (the session runs in PS_TIMEZONE: ShopDatabase.cursor)."""
    cur.execute("SELECT NOW() AS now")
    now: dt.datetime = cur.fetchone()["now"]
    return now.strftime("%Y-%m-%d %H:%M:%S")


def _coerce(model: ResourceModel, name: str, column: Column, raw: str) -> Any:
    # ObjectModel's messages go through trans(), which HTML-escapes the "Class->field" parameter.
    invalid = WsError(400, 85, f'Validation error: "Property {model.class_name}-&gt;{name} is not valid"')
    if column.is_int:
        if not _INT.match(raw):
            raise invalid
        return int(raw) if raw.strip() else 0
    if column.is_decimal:
        if not _DECIMAL.match(raw):
            raise invalid
        return raw.strip() or "0"
    if column.is_date and raw.strip() == "":
        return column.zero()
    if name == "email" and model.spec.name == "customers" and not _EMAIL.match(raw):
        raise invalid
    return raw


class EntityWriter:
    def __init__(self, db: ShopDatabase, model: ResourceModel, languages: list[int]) -> None:
        self.db = db
        self.model = model
        self.languages = languages

    def save(self, cur: Any, method: str, entity: EntityInput) -> int:
        """Validate and store one entity; returns its id."""
        spec, model = self.model.spec, self.model
        raw_id = entity.values.get("id", "").strip()
        entity_id = int(raw_id) if raw_id.isdigit() else 0
        previous: dict[str, Any] | None = None
        if method in ("PUT", "PATCH"):
            cur.execute(f"SELECT * FROM {self.db.table(spec.table)} WHERE `{spec.id_column}` = %s", (entity_id,))
            previous = cur.fetchone()
            if previous is None:
                raise WsError(404, 92, "Invalid ID")
        row: dict[str, Any] = {}
        for name, column_name in model.plain:
            if name == "id":
                continue
            column = model.columns[column_name]
            if method == "PATCH" and name not in entity.values:
                continue
            if name in entity.values:
                row[column_name] = _coerce(model, name, column, entity.values[name])
            elif name in spec.required:
                raise WsError(400, 41, f'parameter "{name}" required')
            else:
                # saveEntityFromXml sets every missing non-required field to null (POST and PUT alike);
                # ObjectModel then stores the type's zero, not the column's default.
                row[column_name] = column.zero(allow_null=name in spec.allow_null)
            if name in spec.defaults and not row.get(column_name):
                row[column_name] = spec.defaults[name]
        for name in spec.read_only:
            if name in entity.values:
                raise WsError(400, 93, f'parameter "{name}" not writable. Please remove this attribute of this XML')
        if (
            spec.name == "products"
            and method in ("PUT", "PATCH")
            and entity.values.get("position_in_category", "").strip() not in ("", "0")
        ):
            # Product::setWsPositionInCategory on 8.1.2 prepends null to the category's rows, then reads
            # ['id_product'] of it: the PHP warning fails every write of a valid position (recorded:
            # tests/fixtures/real/prestashop-8.1.2/refusals/007_put_products_id.json); nothing is saved.
            raise WsError(
                500,
                3,
                "[PHP Warning #2] Trying to access array offset on value of type null "
                "(<ps_root>/classes/Product.php, line 7245)",
            )
        translations = self._translations(entity, method)
        if spec.auto_dates:
            now = _now(cur)
            if "date_upd" in model.columns:
                row["date_upd"] = now
            if "date_add" in model.columns and (method == "POST" or not row.get("date_add", True)):
                row["date_add"] = now if method == "POST" else (previous or {}).get("date_add") or now
        effects.before_save(cur, self.db, spec.name, method, row, previous)
        stored = {c: v for c, v in row.items() if not c.startswith("_")}  # "_x": notes for after_save
        table = self.db.table(spec.table)
        if method == "POST":
            columns = ", ".join(f"`{c}`" for c in stored)
            cur.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(stored))})", list(stored.values())
            )
            entity_id = int(cur.lastrowid)
        elif stored:
            assignments = ", ".join(f"`{c}` = %s" for c in stored)
            cur.execute(
                f"UPDATE {table} SET {assignments} WHERE `{spec.id_column}` = %s", [*stored.values(), entity_id]
            )
        self._save_shop_copy(cur, entity_id, stored, method)
        self._save_translations(cur, entity_id, translations, method)
        self._save_associations(cur, entity_id, entity)
        effects.after_save(cur, self.db, spec.name, method, entity_id, row, previous, entity)
        return entity_id

    def _translations(self, entity: EntityInput, method: str) -> dict[str, dict[int, str]]:
        spec = self.model.spec
        out: dict[str, dict[int, str]] = {}
        for name in spec.lang_fields:
            if name in entity.lang_values:
                out[name] = {lang: v for lang, v in entity.lang_values[name].items() if lang in self.languages}
            elif name in entity.values:  # a plain value sets every language
                out[name] = dict.fromkeys(self.languages, entity.values[name])
            elif method != "PATCH":
                out[name] = dict.fromkeys(self.languages, "")
        for name in spec.lang_required:
            if method != "PATCH" or name in out:
                default_lang = self.languages[0] if self.languages else 1
                if not out.get(name, {}).get(default_lang, "").strip():
                    raise WsError(400, 84, f'Validation error: "Property {self.model.class_name}-&gt;{name} is empty."')
        return out

    def _save_shop_copy(self, cur: Any, entity_id: int, row: dict[str, Any], method: str) -> None:
        spec = self.model.spec
        if not spec.shop_table:
            return
        values = {c: v for c, v in row.items() if c in self.model.shop_columns}
        keys = {spec.id_column: entity_id, "id_shop": DEFAULT_SHOP}
        if spec.name == "combinations":
            keys["id_product"] = row.get("id_product") or self._product_of(cur, entity_id)
        merged = {**keys, **values}
        columns = ", ".join(f"`{c}`" for c in merged)
        updates = ", ".join(f"`{c}` = VALUES(`{c}`)" for c in values) or f"`{spec.id_column}` = `{spec.id_column}`"
        cur.execute(
            f"INSERT INTO {self.db.table(spec.shop_table)} ({columns}) VALUES ({', '.join(['%s'] * len(merged))}) "
            f"ON DUPLICATE KEY UPDATE {updates}",
            list(merged.values()),
        )

    def _product_of(self, cur: Any, id_product_attribute: int) -> int:
        cur.execute(
            f"SELECT id_product FROM {self.db.table('product_attribute')} WHERE id_product_attribute = %s",
            (id_product_attribute,),
        )
        found = cur.fetchone()
        return int(found["id_product"]) if found else 0

    def _save_translations(
        self, cur: Any, entity_id: int, translations: dict[str, dict[int, str]], method: str
    ) -> None:
        spec = self.model.spec
        if not spec.lang_fields:
            return
        has_shop = "id_shop" in self.model.lang_columns
        for lang in self.languages:
            values = {name: per_lang[lang] for name, per_lang in translations.items() if lang in per_lang}
            if not values and method == "PATCH":
                continue
            keys: dict[str, Any] = {spec.id_column: entity_id, "id_lang": lang}
            if has_shop:
                keys["id_shop"] = DEFAULT_SHOP
            merged = {**keys, **values}
            columns = ", ".join(f"`{c}`" for c in merged)
            updates = ", ".join(f"`{c}` = VALUES(`{c}`)" for c in values) or "`id_lang` = `id_lang`"
            cur.execute(
                f"INSERT INTO {self.db.table(spec.table + '_lang')} ({columns}) "
                f"VALUES ({', '.join(['%s'] * len(merged))}) ON DUPLICATE KEY UPDATE {updates}",
                list(merged.values()),
            )

    def _save_associations(self, cur: Any, entity_id: int, entity: EntityInput) -> None:
        for assoc in self.model.spec.associations:
            if not assoc.writable or assoc.name not in entity.associations:
                continue
            # The setters (setWsCategories, setWsGroups, ...) replace the whole set.
            cur.execute(f"DELETE FROM {self.db.table(assoc.table)} WHERE `{assoc.owner_column}` = %s", (entity_id,))
            items = [i for i in entity.associations[assoc.name] if i.get(assoc.fields[0][0], "").strip()]
            for position, item in enumerate(items):  # blank-schema items carry no id: nothing to link
                values = {assoc.owner_column: entity_id}
                for name, column in assoc.fields:
                    raw = item.get(name, "").strip()
                    if not raw.lstrip("-").isdigit():
                        raise WsError(400, 86, f'The association "{assoc.name}" has an invalid "{name}"')
                    values[column] = int(raw)
                if assoc.order_by == "position":
                    values["position"] = position
                columns = ", ".join(f"`{c}`" for c in values)
                cur.execute(
                    f"INSERT IGNORE INTO {self.db.table(assoc.table)} ({columns}) "
                    f"VALUES ({', '.join(['%s'] * len(values))})",
                    list(values.values()),
                )

    def delete(self, cur: Any, entity_id: int) -> None:
        spec = self.model.spec
        effects.before_delete(cur, self.db, spec.name, entity_id)
        cur.execute(f"DELETE FROM {self.db.table(spec.table)} WHERE `{spec.id_column}` = %s", (entity_id,))
        if spec.lang_fields:
            cur.execute(
                f"DELETE FROM {self.db.table(spec.table + '_lang')} WHERE `{spec.id_column}` = %s", (entity_id,)
            )
        if spec.shop_table:
            cur.execute(f"DELETE FROM {self.db.table(spec.shop_table)} WHERE `{spec.id_column}` = %s", (entity_id,))
        for assoc in spec.associations:
            if assoc.writable:
                cur.execute(f"DELETE FROM {self.db.table(assoc.table)} WHERE `{assoc.owner_column}` = %s", (entity_id,))
