"""The order resources the twin serves: orders, their lines, history and states, carriers, invoices,
payments.

Sources as for every resource: PrestaShop 8.x ``classes/*.php`` ``$definition``/``$webserviceParameters``
(see docs/TWINS.md)."""

from __future__ import annotations

from sandbox.prestashop.resource_types import Association, Resource

ORDERS_RESOURCES: tuple[Resource, ...] = (
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
)
