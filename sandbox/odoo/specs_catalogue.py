"""The catalogue models the twin serves: product categories, templates, variants, pricelists and their items."""

from __future__ import annotations

from sandbox.odoo.spec_types import ModelSpec

CATALOGUE_SPECS: tuple[ModelSpec, ...] = (
    ModelSpec(
        "product.category",
        "product_category",
        "Product Category",
        {"parent_id": "product.category"},
        rec_name="complete_name",
        order="complete_name",
    ),
    ModelSpec(
        "product.template",
        "product_template",
        "Product",
        {"categ_id": "product.category", "uom_id": "uom.uom", "uom_po_id": "uom.uom"},
        {
            "type": (("consu", "Goods"), ("service", "Service"), ("combo", "Combo"), ("product", "Storable")),
            "detailed_type": (("consu", "Consumable"), ("service", "Service"), ("product", "Storable")),
            "tracking": (("serial", "By Unique Serial Number"), ("lot", "By Lots"), ("none", "By Quantity")),
        },
        translated=frozenset(
            {
                "name",
                "description",
                "description_purchase",
                "description_sale",
                "description_picking",
                "description_pickingin",
                "description_pickingout",
            }
        ),
        monetary=frozenset({"list_price"}),
        one2many={"product_variant_ids": ("product.product", "product_tmpl_id")},
        order="name, id",
    ),
    ModelSpec(
        "product.product",
        "product_product",
        "Product Variant",
        {"product_tmpl_id": "product.template"},
        order="default_code, id",
        inherits=("product.template", "product_tmpl_id"),
    ),
    ModelSpec(
        "product.pricelist",
        "product_pricelist",
        "Pricelist",
        translated=frozenset({"name"}),
        order="sequence, id",
    ),
    ModelSpec(
        "product.pricelist.item",
        "product_pricelist_item",
        "Pricelist Rule",
        {
            "pricelist_id": "product.pricelist",
            "categ_id": "product.category",
            "product_tmpl_id": "product.template",
            "product_id": "product.product",
            "base_pricelist_id": "product.pricelist",
        },
        {
            "applied_on": (
                ("3_global", "All Products"),
                ("2_product_category", "Product Category"),
                ("1_product", "Product"),
                ("0_product_variant", "Product Variant"),
            ),
            "compute_price": (("fixed", "Fixed Price"), ("percentage", "Discount"), ("formula", "Formula")),
            "base": (
                ("list_price", "Sales Price"),
                ("standard_price", "Cost"),
                ("pricelist", "Other Pricelist"),
            ),
        },
        monetary=frozenset({"fixed_price"}),
        rec_name=None,
        order="applied_on, min_quantity desc, categ_id desc, id desc",
    ),
)
