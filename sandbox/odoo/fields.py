"""Field and model metadata of the twin, and conversions between PostgreSQL values and Odoo's wire values.

Pure: no IO. Conversions follow Odoo's ``convert_to_read`` rules: NULL reads as ``False`` except for
integers (0) and floats (0.0); numerics travel as JSON numbers; dates as ``YYYY-MM-DD`` and datetimes
as ``YYYY-MM-DD HH:MM:SS`` (UTC, no zone); a many2one as ``[id, display name]`` (``load='_classic_read'``)
or the bare id (``load='_classic_write'``, what OdooRPC asks for).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

# PostgreSQL udt_name -> Odoo field type (before per-model overrides such as many2one or selection).
PG_TO_ODOO_TYPE = {
    "int4": "integer",
    "varchar": "char",
    "text": "text",
    "numeric": "float",
    "float8": "float",
    "bool": "boolean",
    "date": "date",
    "timestamp": "datetime",
    "jsonb": "json",
}
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"
DEFAULT_LANG = "en_US"


@dataclass(frozen=True)
class Field:
    """One field of a model. ``column`` is None for fields with no column (one2many, computed)."""

    name: str
    type: str
    string: str
    column: str | None
    relation: str | None = None
    inverse_name: str | None = None
    translate: bool = False
    required: bool = False
    readonly: bool = False
    selection: tuple[tuple[str, str], ...] | None = None
    company_dependent: bool = False
    numeric: bool = False  # stored as numeric (exact): write Decimals
    delegate_to: str | None = None  # set on product.product fields that live on the template
    relation_table: str | None = None  # many2many: (table, column of this model, column of the comodel)
    column1: str | None = None
    column2: str | None = None

    @property
    def stored(self) -> bool:
        return self.column is not None

    def describe(self) -> dict[str, Any]:
        """The ``fields_get`` entry (the attributes OdooRPC and odoo-client-lib read)."""
        info: dict[str, Any] = {
            "type": self.type,
            "string": self.string,
            "required": self.required,
            "readonly": self.readonly,
            "store": self.stored,
            "searchable": self.stored or self.name == "display_name",
            "sortable": self.stored,
            "translate": self.translate,
            "company_dependent": self.company_dependent,
            "name": self.name,
        }
        if self.relation:
            info["relation"] = self.relation
        if self.inverse_name:
            info["relation_field"] = self.inverse_name
        if self.selection is not None:
            info["selection"] = [list(pair) for pair in self.selection]
        return info


@dataclass
class Model:
    """A model: its table, its fields and the few ORM attributes the twin honours."""

    name: str
    table: str
    description: str
    fields: dict[str, Field] = field(default_factory=dict)
    rec_name: str | None = "name"
    order: str = "id"
    inherits: tuple[str, str] | None = None  # (parent model, link field), Odoo's _inherits

    def field(self, name: str) -> Field:
        try:
            return self.fields[name]
        except KeyError:
            raise ValueError(f"Invalid field {name!r} on model {self.name!r}") from None


def label(name: str) -> str:
    """A readable field label from its technical name, as Odoo derives missing ``string``s."""
    base = name[:-3] if name.endswith("_id") else name[:-4] if name.endswith("_ids") else name
    return base.replace("_", " ").title()


def to_decimal(value: Any, fname: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"Wrong value for {fname}: {value!r}") from None


def to_column_value(f: Field, value: Any) -> Any:
    """A wire value (JSON) -> the value stored in the column (translated fields are handled by the ORM)."""
    if value is False and f.type != "boolean":
        return None
    if value is None:
        return None
    if f.type == "many2one":
        if isinstance(value, list | tuple):  # [id, name] as read returns it
            value = value[0] if value else None
        return int(value) if value is not None else None
    if f.type == "integer":
        return int(value)
    if f.type in ("float", "monetary"):
        return to_decimal(value, f.name) if f.numeric else float(value)
    if f.type == "boolean":
        return bool(value)
    if f.type in ("char", "text", "html", "selection"):
        if f.selection is not None and value not in {key for key, _ in f.selection}:
            raise ValueError(f"Wrong value for {f.name}: {value!r}")
        return str(value)
    if f.type == "date":
        return dt.date.fromisoformat(str(value)[:10])
    if f.type == "datetime":
        return dt.datetime.strptime(str(value)[:19], DATETIME_FORMAT)
    return value


def to_read_value(f: Field, value: Any) -> Any:
    """A column value -> what ``read`` returns (many2one pairs are built by the ORM)."""
    if f.type == "integer":
        return int(value) if value is not None else 0
    if f.type in ("float", "monetary"):
        return float(value) if value is not None else 0.0
    if value is None:
        return False
    if f.type == "boolean":
        return bool(value)
    if f.type == "datetime" and isinstance(value, dt.datetime):
        return value.strftime(DATETIME_FORMAT)
    if f.type == "date" and isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, Decimal):
        return float(value)
    return value


def translated_value(stored: dict[str, str] | None, lang: str) -> str | bool:
    """The text of a translated (jsonb) field in ``lang``, falling back to en_US, as Odoo reads it."""
    if not stored:
        return False
    value = stored.get(lang)
    if value is None:
        value = stored.get(DEFAULT_LANG)
    return value if value is not None else False
