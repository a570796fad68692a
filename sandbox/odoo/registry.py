"""The twin's model registry, built from the live database's columns plus ``specs.MODEL_SPECS``.

Reading the columns at start-up means the registry always matches the schema it serves (17.0, 18.0 or
19.0 layout), and a column added to ``schemas/ddl/odoo.sql`` is served without touching the twin.
"""

from __future__ import annotations

from typing import Any

from sandbox.odoo.fields import PG_TO_ODOO_TYPE, Field, Model, label
from sandbox.odoo.spec_types import ModelSpec
from sandbox.odoo.specs import MODEL_SPECS, relation_of

LOG_FIELDS = ("create_uid", "create_date", "write_uid", "write_date")
# Fields every model exposes that have no column of their own.
_COMPUTED: dict[str, tuple[Field, ...]] = {
    "product.product": (
        Field("lst_price", "float", "Sales Price", None, readonly=True),
        Field("qty_available", "float", "Quantity On Hand", None, readonly=True),
    ),
    "account.tax": (Field("price_include", "boolean", "Price Include", None, readonly=True),),
    "stock.quant": (
        Field("available_quantity", "float", "Available Quantity", None, readonly=True),
        Field("inventory_quantity_auto_apply", "float", "Inventoried Quantity", None),
    ),
}


class Registry:
    """Model name -> :class:`Model`, for one database."""

    def __init__(self, models: dict[str, Model], version: str) -> None:
        self.models = models
        self.version = version

    def __contains__(self, name: str) -> bool:
        return name in self.models

    def __getitem__(self, name: str) -> Model:
        return self.models[name]


def _field_from_column(spec: ModelSpec, column: str, udt: str, not_null: bool) -> Field:
    ftype = PG_TO_ODOO_TYPE.get(udt, "char")
    relation = relation_of(spec, column) if udt == "int4" else None
    selection = spec.selections.get(column)
    translate = column in spec.translated
    if relation:
        ftype = "many2one"
    elif selection is not None:
        ftype = "selection"
    elif translate:
        ftype = "char" if column == "name" else "text"
    elif column in spec.monetary:
        ftype = "monetary"
    return Field(
        name=column,
        type=ftype,
        string=label(column),
        column=column,
        relation=relation,
        translate=translate,
        required=not_null and column != "id",
        readonly=column in spec.readonly or column in LOG_FIELDS or column == "id",
        selection=selection,
        company_dependent=udt == "jsonb" and not translate and column != "product_properties",
        numeric=udt == "numeric",
    )


def build_model(spec: ModelSpec, columns: list[tuple[str, str, bool]]) -> Model:
    """``columns``: (name, udt_name, NOT NULL) as information_schema reports them."""
    model = Model(spec.name, spec.table, spec.description, rec_name=spec.rec_name, order=spec.order)
    for column, udt, not_null in columns:
        model.fields[column] = _field_from_column(spec, column, udt, not_null)
    for fname, (comodel, inverse) in spec.one2many.items():
        model.fields[fname] = Field(fname, "one2many", label(fname), None, comodel, inverse)
    for fname, (comodel, table, column1, column2) in spec.many2many.items():
        model.fields[fname] = Field(
            fname, "many2many", label(fname), None, comodel, relation_table=table, column1=column1, column2=column2
        )
    for extra in _COMPUTED.get(spec.name, ()):
        model.fields[extra.name] = extra
    model.fields["display_name"] = Field("display_name", "char", "Display Name", None, readonly=True)
    model.inherits = spec.inherits
    return model


def _delegate(child: Model, parent: Model) -> None:
    """Odoo's ``_inherits``: the parent's fields readable/writable on the child unless it has its own."""
    for name, parent_field in parent.fields.items():
        if name in child.fields or name in LOG_FIELDS or name == "id":
            continue
        if parent_field.type == "one2many" and parent_field.relation == child.name:
            continue
        child.fields[name] = Field(
            **{**parent_field.__dict__, "delegate_to": parent.name},
        )


def build_registry(cursor: Any, version: str) -> Registry:
    """Introspect the connected database (``cursor``: a psycopg2 cursor) into a :class:`Registry`."""
    cursor.execute(
        "SELECT table_name, column_name, udt_name, is_nullable = 'NO' FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
    )
    by_table: dict[str, list[tuple[str, str, bool]]] = {}
    for table, column, udt, not_null in cursor.fetchall():
        by_table.setdefault(table, []).append((column, udt, bool(not_null)))
    models: dict[str, Model] = {}
    for spec in MODEL_SPECS.values():
        if spec.table in by_table:
            models[spec.name] = build_model(spec, by_table[spec.table])
    for model in models.values():
        _forget_missing_comodels(model, models)
    for model in models.values():
        if model.inherits and model.inherits[0] in models:
            _delegate(model, models[model.inherits[0]])
    return Registry(models, version)


def _forget_missing_comodels(model: Model, models: dict[str, Model]) -> None:
    """A many2one whose comodel has no table in this database (one created before the table was added to
    the DDL) is served as the plain integer it is stored as, rather than failing every read; a many2many of
    such a comodel (a partner's ``category_id`` before ``res_partner_category``) is not served."""
    for name, f in list(model.fields.items()):
        if f.type == "many2one" and f.relation not in models:
            model.fields[name] = Field(**{**f.__dict__, "type": "integer", "relation": None})
        elif f.type == "many2many" and f.relation not in models:  # its relation table is missing as well
            del model.fields[name]
