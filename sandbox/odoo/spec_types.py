"""What the twin knows about an Odoo model beyond its table's columns (the models: ``specs.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

Selection = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ModelSpec:
    name: str
    table: str
    description: str
    relations: dict[str, str] = field(default_factory=dict)
    selections: dict[str, Selection] = field(default_factory=dict)
    translated: frozenset[str] = frozenset()
    monetary: frozenset[str] = frozenset()
    readonly: frozenset[str] = frozenset()
    one2many: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (comodel, inverse)
    # field -> (comodel, relation table, column of this model, column of the comodel)
    many2many: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    rec_name: str | None = "name"
    order: str = "id"
    inherits: tuple[str, str] | None = None
