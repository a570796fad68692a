"""What the twin knows about each Odoo model beyond its table's columns.

Columns (and NOT NULL -> required) come from the database itself, so the same twin serves the 17.0, 18.0
and 19.0 layouts of ``schemas/ddl/odoo.sql``. This module adds what a column cannot say: which integers
are many2one (and to what), selections, translated jsonb fields, monetary amounts, one2many fields,
Odoo's ``_inherits`` and the model's default order. Selection keys are Odoo 17/18's.
"""

from __future__ import annotations

from sandbox.odoo.spec_types import ModelSpec
from sandbox.odoo.specs_catalogue import CATALOGUE_SPECS
from sandbox.odoo.specs_partners import PARTNERS_SPECS
from sandbox.odoo.specs_sales import SALES_SPECS
from sandbox.odoo.specs_stock import STOCK_SPECS

_COMMON_RELATIONS = {
    "create_uid": "res.users",
    "write_uid": "res.users",
    "company_id": "res.company",
    "currency_id": "res.currency",
    "partner_id": "res.partner",
    "user_id": "res.users",
}

MODEL_SPECS: dict[str, ModelSpec] = {
    spec.name: spec for spec in (*PARTNERS_SPECS, *CATALOGUE_SPECS, *STOCK_SPECS, *SALES_SPECS)
}


def relation_of(spec: ModelSpec, column: str) -> str | None:
    """The comodel of an int4 column, or None when it is a plain integer."""
    return spec.relations.get(column) or _COMMON_RELATIONS.get(column)
