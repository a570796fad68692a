"""The shop's own resources the twin serves: customers, their addresses and groups, the configuration
(sources: ``resources.py``)."""

from __future__ import annotations

from sandbox.prestashop.resource_types import Association, Resource

SHOP_RESOURCES: tuple[Resource, ...] = (
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
    Resource(  # Configuration: the sink reads PS_TIMEZONE at start (shop DATETIMEs are its wall clock)
        "configurations",
        "configuration",
        "configuration",
        "id_configuration",
        required=frozenset({"name"}),
        xlinks={"id_shop_group": "shop_groups", "id_shop": "shops"},
    ),
)
