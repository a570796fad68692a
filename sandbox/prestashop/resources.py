"""Declarative description of the Webservice resources the twin serves.

Each resource maps to a PrestaShop table; its plain fields are that table's columns (read from the
live schema, in column order), adjusted here where PrestaShop's ``webserviceParameters`` differ:
required fields, ``xlink`` targets, read-only (``setter => false``) and computed fields,
multilingual fields kept in ``<table>_lang``, multistore copies in ``<table>_shop``, associations.
Sources: PrestaShop 8.x ``classes/*.php`` ``$definition``/``$webserviceParameters`` and
``WebserviceRequest::getResources()`` (see docs/TWINS.md).
"""

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


def _none_kept(name: str, node: str, api: str) -> Association:
    """An association the real shop lists (empty for the products the twin makes) and the twin keeps no
    table for: always rendered empty, ignored on write."""
    return Association(name, node, api, "", "", (("id", ""),))


_PRODUCT_GETTERS = (
    "id_default_image",
    "id_default_combination",
    "position_in_category",
    "manufacturer_name",
    "quantity",
    "type",
)
_PRODUCT_LANG = (
    "meta_description",
    "meta_keywords",
    "meta_title",
    "link_rewrite",
    "name",
    "description",
    "description_short",
    "available_now",
    "available_later",
    "delivery_in_stock",
    "delivery_out_stock",
)

RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in (
        Resource(
            "customers",
            "customer",
            "customer",
            "id_customer",
            required=frozenset({"lastname", "firstname", "email", "passwd"}),
            # Customer::$webserviceParameters links only these two (id_shop, id_gender... are plain).
            xlinks={"id_default_group": "groups", "id_lang": "languages"},
            associations=(
                Association(
                    "groups", "group", "groups", "customer_group", "id_customer", (("id", "id_group"),), writable=True
                ),
            ),
        ),
        Resource(
            "addresses",
            "address",
            "address",
            "id_address",
            required=frozenset({"id_country", "alias", "lastname", "firstname", "address1", "city"}),
            xlinks={
                "id_customer": "customers",
                "id_country": "countries",
                "id_state": "states",
                "id_manufacturer": "manufacturers",
                "id_supplier": "suppliers",
                "id_warehouse": "warehouses",
            },
        ),
        Resource(
            "groups",
            "group",
            "group",
            "id_group",
            required=frozenset({"price_display_method"}),
            lang_fields=("name",),
            lang_required=frozenset({"name"}),
        ),
        Resource(
            "orders",
            "order",
            "orders",
            "id_order",
            required=frozenset(
                {
                    "id_address_delivery",
                    "id_address_invoice",
                    "id_cart",
                    "id_currency",
                    "id_lang",
                    "id_customer",
                    "id_carrier",
                    "module",
                    "payment",
                    "total_paid",
                    "total_paid_real",
                    "total_products",
                    "total_products_wt",
                    "conversion_rate",
                }
            ),
            xlinks={
                "id_address_delivery": "addresses",
                "id_address_invoice": "addresses",
                "id_cart": "carts",
                "id_currency": "currencies",
                "id_lang": "languages",
                "id_customer": "customers",
                "id_carrier": "carriers",
                "current_state": "order_states",
            },
            computed=("shipping_number",),
            int_fields=frozenset({"round_mode", "round_type"}),
            bool_fields=frozenset({"valid"}),
            associations=(
                Association(
                    "order_rows",
                    "order_row",
                    "order_rows",
                    "order_detail",
                    "id_order",
                    (
                        ("id", "id_order_detail"),
                        ("product_id", "product_id"),
                        ("product_attribute_id", "product_attribute_id"),
                        ("product_quantity", "product_quantity"),
                        ("product_name", "product_name"),
                        ("product_reference", "product_reference"),
                        ("product_ean13", "product_ean13"),
                        ("product_isbn", "product_isbn"),
                        ("product_upc", "product_upc"),
                        ("product_price", "product_price"),
                        ("id_customization", "id_customization"),
                        ("unit_price_tax_incl", "unit_price_tax_incl"),
                        ("unit_price_tax_excl", "unit_price_tax_excl"),
                    ),
                    virtual=True,
                    field_xlinks=(("product_id", "products"), ("id_customization", "customizations")),
                ),
            ),
        ),
        Resource(
            "order_details",
            "order_detail",
            "order_detail",
            "id_order_detail",
            required=frozenset({"id_order", "product_name", "product_quantity", "product_price"}),
            xlinks={
                "id_order": "orders",
                "product_id": "products",
                "product_attribute_id": "combinations",
                "id_order_invoice": "order_invoices",
                "id_shop": "shops",
                "id_warehouse": "warehouses",
            },
            int_fields=frozenset({"tax_computation_method"}),
            auto_dates=False,
        ),
        Resource(
            "order_histories",
            "order_history",
            "order_history",
            "id_order_history",
            required=frozenset({"id_order_state", "id_order"}),
            xlinks={"id_order": "orders", "id_order_state": "order_states", "id_employee": "employees"},
        ),
        Resource(
            "order_states",
            "order_state",
            "order_state",
            "id_order_state",
            lang_fields=("name", "template"),
            lang_required=frozenset({"name"}),
            auto_dates=False,
        ),
        Resource(
            "order_carriers",
            "order_carrier",
            "order_carrier",
            "id_order_carrier",
            required=frozenset({"id_order", "id_carrier"}),
            # OrderCarrier::$webserviceParameters links id_order and id_carrier only (seen on a real 8.1.2)
            xlinks={"id_order": "orders", "id_carrier": "carriers"},
        ),
        Resource(  # Configuration: the sink reads PS_TIMEZONE at start (shop DATETIMEs are its wall clock)
            "configurations",
            "configuration",
            "configuration",
            "id_configuration",
            required=frozenset({"name"}),
            xlinks={"id_shop_group": "shop_groups", "id_shop": "shops"},
        ),
        Resource(
            "order_invoices",
            "order_invoice",
            "order_invoice",
            "id_order_invoice",
            required=frozenset({"id_order", "number"}),
            xlinks={"id_order": "orders"},
        ),
        Resource(
            "order_payments",
            "order_payment",
            "order_payment",
            "id_order_payment",
            required=frozenset({"amount", "payment_method", "id_currency"}),
            xlinks={"id_currency": "currencies"},
        ),
        Resource(
            "products",
            "product",
            "product",
            "id_product",
            required=frozenset({"price"}),
            xlinks={
                "id_manufacturer": "manufacturers",
                "id_supplier": "suppliers",
                "id_category_default": "categories",
                "id_tax_rules_group": "tax_rule_groups",
            },
            # out_of_stock lives in stock_available since 1.7: the product column is not a webservice field.
            hidden=frozenset({"quantity", "out_of_stock"}),
            lang_fields=_PRODUCT_LANG,
            lang_required=frozenset({"name", "link_rewrite"}),
            shop_table="product_shop",
            read_only=frozenset({"manufacturer_name", "quantity"}),
            computed=_PRODUCT_GETTERS,
            unstored=("new",),
            defaults={"condition": "new", "visibility": "both"},
            int_fields=frozenset(
                {"additional_delivery_times", "quantity", "id_default_combination", "position_in_category"}
            ),
            allow_null=frozenset({"low_stock_threshold"}),
            # as a real 8.1.2 prints them (tests/fixtures/real/prestashop-8.1.2/catalog)
            json_empty={"new": None, "manufacturer_name": False, "position_in_category": ""},
            associations=(
                Association(
                    "categories",
                    "category",
                    "categories",
                    "category_product",
                    "id_product",
                    (("id", "id_category"),),
                    writable=True,
                    order_by="position",
                ),
                Association(
                    "images", "image", "images", "image", "id_product", (("id", "id_image"),), order_by="position"
                ),
                Association(
                    "combinations",
                    "combination",
                    "combinations",
                    "product_attribute",
                    "id_product",
                    (("id", "id_product_attribute"),),
                ),
                Association(
                    "product_option_values",
                    "product_option_value",
                    "product_option_values",
                    "product_attribute_combination",
                    "id_product",
                    (("id", "id_attribute"),),
                    join=("product_attribute", "id_product_attribute"),
                ),
                Association(
                    "product_features",
                    "product_feature",
                    "product_features",
                    "feature_product",
                    "id_product",
                    (("id", "id_feature"), ("id_feature_value", "id_feature_value")),
                    writable=True,
                ),
                _none_kept("tags", "tag", "tags"),
                Association(
                    "stock_availables",
                    "stock_available",
                    "stock_availables",
                    "stock_available",
                    "id_product",
                    (("id", "id_stock_available"), ("id_product_attribute", "id_product_attribute")),
                ),
                _none_kept("attachments", "attachment", "attachments"),
                _none_kept("accessories", "product", "products"),
                _none_kept("product_bundle", "product", "products"),
            ),
        ),
        Resource(
            "combinations",
            "combination",
            "product_attribute",
            "id_product_attribute",
            required=frozenset({"id_product", "minimal_quantity"}),
            xlinks={"id_product": "products"},
            shop_table="product_attribute_shop",
            allow_null=frozenset({"low_stock_threshold", "default_on"}),  # Combination::$definition
            associations=(
                Association(
                    "product_option_values",
                    "product_option_value",
                    "product_option_values",
                    "product_attribute_combination",
                    "id_product_attribute",
                    (("id", "id_attribute"),),
                    writable=True,
                ),
                _none_kept("images", "image", "images"),
            ),
            auto_dates=False,
        ),
        Resource(
            "product_options",
            "product_option",
            "attribute_group",
            "id_attribute_group",
            required=frozenset({"group_type"}),
            lang_fields=("name", "public_name"),
            lang_required=frozenset({"name", "public_name"}),
            associations=(
                Association(
                    "product_option_values",
                    "product_option_value",
                    "product_option_values",
                    "attribute",
                    "id_attribute_group",
                    (("id", "id_attribute"),),
                    order_by="position",
                ),
            ),
            auto_dates=False,
        ),
        Resource(
            "product_option_values",
            "product_option_value",
            "attribute",
            "id_attribute",
            required=frozenset({"id_attribute_group"}),
            xlinks={"id_attribute_group": "product_options"},
            lang_fields=("name",),
            lang_required=frozenset({"name"}),
            auto_dates=False,
        ),
        Resource(
            "product_features",
            "product_feature",
            "feature",
            "id_feature",
            lang_fields=("name",),
            lang_required=frozenset({"name"}),
            auto_dates=False,
        ),
        Resource(
            "product_feature_values",
            "product_feature_value",
            "feature_value",
            "id_feature_value",
            required=frozenset({"id_feature"}),
            xlinks={"id_feature": "product_features"},
            lang_fields=("value",),
            lang_required=frozenset({"value"}),
            auto_dates=False,
        ),
        Resource(
            "categories",
            "category",
            "category",
            "id_category",
            required=frozenset({"active"}),
            xlinks={"id_parent": "categories", "id_shop_default": "shops"},
            lang_fields=(
                "name",
                "link_rewrite",
                "description",
                "additional_description",
                "meta_title",
                "meta_description",
                "meta_keywords",
            ),
            lang_required=frozenset({"name", "link_rewrite"}),
            associations=(
                Association(
                    "categories",
                    "category",
                    "categories",
                    "category",
                    "id_parent",
                    (("id", "id_category"),),
                    order_by="position",
                ),
                Association(
                    "products",
                    "product",
                    "products",
                    "category_product",
                    "id_category",
                    (("id", "id_product"),),
                    order_by="position",
                ),
            ),
        ),
        Resource(
            "stock_availables",
            "stock_available",
            "stock_available",
            "id_stock_available",
            required=frozenset({"id_product", "id_product_attribute", "quantity", "depends_on_stock", "out_of_stock"}),
            xlinks={
                "id_product": "products",
                "id_product_attribute": "combinations",
                "id_shop": "shops",
                "id_shop_group": "shop_groups",
            },
            hidden=frozenset({"physical_quantity", "reserved_quantity"}),
            forbidden_methods=frozenset({"POST", "DELETE"}),
            int_fields=frozenset({"out_of_stock"}),
            auto_dates=False,
        ),
        Resource(
            "specific_prices",
            "specific_price",
            "specific_price",
            "id_specific_price",
            required=frozenset(
                {
                    "id_shop",
                    "id_cart",
                    "id_product",
                    "id_currency",
                    "id_country",
                    "id_group",
                    "id_customer",
                    "price",
                    "from_quantity",
                    "reduction",
                    "reduction_tax",
                    "reduction_type",
                    "from",
                    "to",
                }
            ),
            xlinks={
                "id_shop_group": "shop_groups",
                "id_shop": "shops",
                "id_cart": "carts",
                "id_product": "products",
                "id_product_attribute": "combinations",
                "id_currency": "currencies",
                "id_country": "countries",
                "id_group": "groups",
                "id_customer": "customers",
            },
            int_fields=frozenset({"reduction_tax"}),
            auto_dates=False,
        ),
    )
}

# Resources served by a specific management class in PrestaShop, not the generic entity engine.
SPECIFIC_RESOURCES = frozenset({"images"})
ALL_RESOURCE_NAMES = frozenset(RESOURCES) | SPECIFIC_RESOURCES
