"""Reading entities: resource fields resolved against the live schema, rows turned into views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sandbox.prestashop.db import Column, ShopDatabase
from sandbox.prestashop.getters import product_getter
from sandbox.prestashop.resource_types import Association, Resource
from sandbox.prestashop.views import AssociationView, EntityView, FieldView

DEFAULT_SHOP = 1

CLASS_NAMES = {
    "customers": "Customer",
    "addresses": "Address",
    "groups": "Group",
    "orders": "Order",
    "order_details": "OrderDetail",
    "order_histories": "OrderHistory",
    "order_states": "OrderState",
    "order_carriers": "OrderCarrier",
    "order_invoices": "OrderInvoice",
    "order_payments": "OrderPayment",
    "products": "Product",
    "combinations": "Combination",
    "product_options": "AttributeGroup",
    "product_option_values": "Attribute",
    "product_features": "Feature",
    "product_feature_values": "FeatureValue",
    "categories": "Category",
    "stock_availables": "StockAvailable",
    "specific_prices": "SpecificPrice",
}


def fmt(value: Any) -> str:
    """A DB value as PrestaShop prints it (PHP strings; NULL -> empty)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


@dataclass(frozen=True)
class ResourceModel:
    """A resource's fields as they exist in this database."""

    spec: Resource
    columns: dict[str, Column]  # main table
    plain: tuple[tuple[str, str], ...]  # (field name, column), "id" first
    lang_columns: dict[str, Column]
    shop_columns: frozenset[str]  # columns also stored per shop

    @classmethod
    def load(cls, db: ShopDatabase, spec: Resource) -> ResourceModel:
        columns = db.column_map(spec.table)
        plain = [("id", spec.id_column)]
        plain += [(c, c) for c in columns if c != spec.id_column and c not in spec.hidden]
        plain += [(name, column) for name, column in spec.renamed.items()]
        lang = db.column_map(spec.table + "_lang") if spec.lang_fields else {}
        shop: frozenset[str] = frozenset()
        if spec.shop_table:
            shop = frozenset(set(db.column_map(spec.shop_table)) & set(columns)) - {spec.id_column}
        return cls(spec, columns, tuple(plain), lang, shop)

    @property
    def class_name(self) -> str:
        return CLASS_NAMES.get(self.spec.name, self.spec.node.title().replace("_", ""))

    def field_names(self) -> list[str]:
        spec = self.spec
        return [n for n, _ in self.plain] + list(spec.unstored) + list(spec.computed) + list(spec.lang_fields)

    def column_of(self, field_name: str) -> str | None:
        return dict(self.plain).get(field_name)

    def is_number(self, field_name: str, column: str) -> bool:
        """TYPE_INT fields print as JSON numbers; TYPE_BOOL (tinyint(1)) and the rest as strings."""
        if field_name == "id":
            return True
        if field_name in self.spec.bool_fields:
            return False
        found = self.columns.get(column)
        if found is None or not found.is_int:
            return False
        return not found.is_flag or field_name in self.spec.int_fields

    def blank(self, languages: list[int], synopsis: bool = False) -> EntityView:
        spec = self.spec
        fields = [
            FieldView(name, "", spec.xlinks.get(name), required=name in spec.required, number=self.is_number(name, c))
            for name, c in self.plain
        ]
        fields += [FieldView(n, "") for n in spec.unstored]
        fields += [FieldView(n, "", not_filterable=True, read_only=n in spec.read_only) for n in spec.computed]
        fields += [
            FieldView(n, dict.fromkeys(languages, ""), required=n in spec.lang_required) for n in spec.lang_fields
        ]
        associations = [AssociationView(a, [[(name, "") for name, _ in a.fields]]) for a in spec.associations]
        return EntityView(spec.node, None, fields, associations)


def _json_empty(spec: Resource, name: str) -> tuple[object] | None:
    return (spec.json_empty[name],) if name in spec.json_empty else None


class EntityReader:
    def __init__(
        self, db: ShopDatabase, model: ResourceModel, shop: int = DEFAULT_SHOP, languages: list[int] | None = None
    ) -> None:
        self.db = db
        self.model = model
        self.shop = shop
        self.languages = languages or []  # the shop's active languages: every one is rendered

    def exists(self, cur: Any, entity_id: int) -> bool:
        spec = self.model.spec
        cur.execute(f"SELECT 1 FROM {self.db.table(spec.table)} WHERE `{spec.id_column}` = %s", (entity_id,))
        return cur.fetchone() is not None

    def read(self, cur: Any, entity_id: int, only: set[str] | None = None) -> EntityView | None:
        spec, model = self.model.spec, self.model
        cur.execute(f"SELECT * FROM {self.db.table(spec.table)} WHERE `{spec.id_column}` = %s", (entity_id,))
        row = cur.fetchone()
        if row is None:
            return None
        if spec.shop_table and model.shop_columns:
            cols = ", ".join(f"`{c}`" for c in sorted(model.shop_columns))
            cur.execute(
                f"SELECT {cols} FROM {self.db.table(spec.shop_table)} WHERE `{spec.id_column}` = %s AND id_shop = %s",
                (entity_id, self.shop),
            )
            shop_row = cur.fetchone()
            if shop_row:
                row.update(shop_row)  # the shop context's values win, as in ObjectModel
        fields = [
            FieldView(name, fmt(row.get(column)), spec.xlinks.get(name), number=model.is_number(name, column))
            for name, column in model.plain
            if only is None or name in only
        ]
        fields += [
            FieldView(name, "", json_empty=_json_empty(spec, name))
            for name in spec.unstored
            if only is None or name in only
        ]
        fields += [
            FieldView(
                name,
                self._computed(cur, name, entity_id),
                not_filterable=True,
                number=name in spec.int_fields,
                json_empty=_json_empty(spec, name),
            )
            for name in spec.computed
            if only is None or name in only
        ]
        if spec.lang_fields:
            translations = self._translations(cur, entity_id)
            fields += [
                FieldView(n, translations.get(n, {}), None) for n in spec.lang_fields if only is None or n in only
            ]
        associations = [
            self._association(cur, assoc, entity_id)
            for assoc in spec.associations
            if only is None or assoc.name in only
        ]
        return EntityView(spec.node, entity_id, fields, associations)

    def _association(self, cur: Any, assoc: Association, entity_id: int) -> AssociationView:
        if not assoc.table:
            return AssociationView(assoc, [])
        cols = ", ".join(f"`{column}`" for _, column in assoc.fields)
        source = self.db.table(assoc.table)
        if assoc.join:
            source += f" JOIN {self.db.table(assoc.join[0])} USING (`{assoc.join[1]}`)"
        order = f" ORDER BY `{assoc.order_by}`" if assoc.order_by else f" ORDER BY `{assoc.fields[0][1]}`"
        distinct = "DISTINCT " if assoc.join else ""
        cur.execute(f"SELECT {distinct}{cols} FROM {source} WHERE `{assoc.owner_column}` = %s{order}", (entity_id,))
        rows = [[(name, fmt(r[column])) for name, column in assoc.fields] for r in cur.fetchall()]
        if assoc.name == "groups":  # Customer::getWsGroups joins the groups: a link to group 0 is not listed
            rows = [row for row in rows if row[0][1] != "0"]
        table_columns = self.db.column_map(assoc.table)
        numbers = frozenset(
            name for name, column in assoc.fields if column in table_columns and table_columns[column].is_int
        )
        return AssociationView(assoc, rows, numbers)

    def _translations(self, cur: Any, entity_id: int) -> dict[str, dict[int, str]]:
        spec = self.model.spec
        shop_filter = " AND id_shop = %s" if "id_shop" in self.model.lang_columns else ""
        params: tuple[Any, ...] = (entity_id, self.shop) if shop_filter else (entity_id,)
        cur.execute(
            f"SELECT * FROM {self.db.table(spec.table + '_lang')} WHERE `{spec.id_column}` = %s{shop_filter}",
            params,
        )
        # ObjectModel loads a multilingual field for every language; a missing row reads empty.
        out: dict[str, dict[int, str]] = {n: dict.fromkeys(self.languages, "") for n in spec.lang_fields}
        for r in cur.fetchall():
            for name in spec.lang_fields:
                out[name][int(r["id_lang"])] = fmt(r.get(name))
        return out

    def _computed(self, cur: Any, name: str, entity_id: int) -> str:
        if self.model.spec.name == "products" and name != "quantity":
            return product_getter(self.db, cur, name, entity_id)
        if self.model.spec.name == "products" and name == "quantity":
            cur.execute(
                f"SELECT quantity FROM {self.db.table('stock_available')} WHERE id_product = %s "
                "AND id_product_attribute = 0 AND id_shop = %s",
                (entity_id, self.shop),
            )
            row = cur.fetchone()
            return fmt(row["quantity"]) if row else "0"
        if self.model.spec.name == "orders" and name == "shipping_number":
            cur.execute(
                f"SELECT tracking_number FROM {self.db.table('order_carrier')} WHERE id_order = %s "
                "ORDER BY id_order_carrier LIMIT 1",
                (entity_id,),
            )
            row = cur.fetchone()
            return fmt(row["tracking_number"]) if row else ""
        return ""  # manufacturer_name: the twin has no manufacturer table
