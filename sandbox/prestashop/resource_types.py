"""What a Webservice resource of the twin is: its table, its fields where PrestaShop's
``webserviceParameters`` differ from the columns, its associations (the resources: ``resources.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Association:
    """A ``<associations>`` child: rows of ``table`` whose ``owner_column`` is the entity id."""

    name: str  # XML wrapper, e.g. "categories"
    node: str  # item node, e.g. "category"
    api: str  # resource the items link to
    table: str
    owner_column: str
    fields: tuple[tuple[str, str], ...]  # (XML name, column); the first one is the linked id
    writable: bool = False  # False: silently ignored on write, as PrestaShop does without a setter
    order_by: str | None = None
    virtual: bool = False  # ``virtual_entity``: rows are not resources (no xlink on them)
    field_xlinks: tuple[tuple[str, str], ...] = ()  # (field, resource): linked even when 0, as PrestaShop does
    join: tuple[str, str] | None = None  # (table, column): owner_column lives on this table, joined USING column


@dataclass(frozen=True)
class Resource:
    name: str  # URL segment, e.g. "customers"
    node: str  # entity node, e.g. "customer"
    table: str  # without prefix
    id_column: str
    required: frozenset[str] = frozenset()
    xlinks: dict[str, str] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()  # columns not exposed
    renamed: dict[str, str] = field(default_factory=dict)  # XML name -> column
    lang_fields: tuple[str, ...] = ()
    lang_required: frozenset[str] = frozenset()
    shop_table: str | None = None  # multistore copy of some columns, keyed (id, id_shop)
    read_only: frozenset[str] = frozenset()  # present => 400 code 93
    computed: tuple[str, ...] = ()  # virtual fields with a getter (notFilterable)
    associations: tuple[Association, ...] = ()
    forbidden_methods: frozenset[str] = frozenset()
    auto_dates: bool = True
    # JSON numbers the column type does not tell: TYPE_INT tinyint(1) columns, integer getters.
    int_fields: frozenset[str] = frozenset()
    unstored: tuple[str, ...] = ()  # webservice fields with no column and no getter: always empty
    # $definition 'default's: ObjectModel::validateField puts them in place of an empty value.
    defaults: dict[str, str] = field(default_factory=dict)
    # 'allow_null' fields: an unset value stays NULL (any other unset TYPE_INT field is stored as 0).
    allow_null: frozenset[str] = frozenset()
    # TYPE_BOOL fields kept in int(1) columns (orders.valid): JSON strings like every boolean.
    bool_fields: frozenset[str] = frozenset()
    # what JSON prints for an empty value when it is not "" (unstored ``new``: null; a getter's false)
    json_empty: dict[str, object] = field(default_factory=dict)


def none_kept(name: str, node: str, api: str) -> Association:
    """An association the real shop lists (empty for the products the twin makes) and the twin keeps no
    table for: always rendered empty, ignored on write."""
    return Association(name, node, api, "", "", (("id", ""),))
