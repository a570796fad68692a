"""What the twin renders: format-independent views of entities, lists and errors."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.prestashop.resource_types import Association


@dataclass
class FieldView:
    name: str
    value: str | dict[int, str]  # a dict for multilingual fields: id_lang -> text
    xlink: str | None = None  # resource the value links to
    not_filterable: bool = False  # computed fields (a getter in PrestaShop)
    required: bool = False  # only rendered with schema=synopsis
    read_only: bool = False
    number: bool = False  # an ObjectModel TYPE_INT field: a JSON number (PHP int), not a string
    language_links: bool = True  # multilingual: xlink:href on each <language> (not on a POST's unset fields)
    json_empty: tuple[object] | None = None  # (what JSON prints for an empty value,) when not the default


@dataclass
class AssociationView:
    association: Association
    rows: list[list[tuple[str, str]]]
    numbers: frozenset[str] = frozenset()  # fields read from integer columns: JSON numbers


@dataclass
class EntityView:
    node: str
    entity_id: int | None
    fields: list[FieldView]
    associations: list[AssociationView] = field(default_factory=list)


@dataclass
class ListView:
    resource: str  # plural node, e.g. "customers"
    node: str
    entities: list[EntityView]
    full: bool  # display=... given: render fields, not id stubs


@dataclass
class ResourcesView:
    """``GET /api/``: what the key may do on each resource."""

    permissions: dict[str, list[str]]


@dataclass
class WsError(Exception):
    """A PrestaShop webservice error: HTTP status, PS error code, message."""

    status: int
    code: int
    message: str

    def __str__(self) -> str:
        return f"{self.status} [{self.code}] {self.message}"
