"""What the twin knows about each Odoo model beyond its table's columns.

Columns (and NOT NULL -> required) come from the database itself, so the same twin serves the 17.0, 18.0
and 19.0 layouts of ``schemas/ddl/odoo.sql``. This module adds what a column cannot say: which integers
are many2one (and to what), selections, translated jsonb fields, monetary amounts, one2many fields,
Odoo's ``_inherits`` and the model's default order. Selection keys are Odoo 17/18's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Selection = tuple[tuple[str, str], ...]

PICKING_STATES: Selection = (
    ("draft", "Draft"),
    ("waiting", "Waiting Another Operation"),
    ("confirmed", "Waiting"),
    ("assigned", "Ready"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
)
INVOICE_STATUS: Selection = (
    ("upselling", "Upselling Opportunity"),
    ("invoiced", "Fully Invoiced"),
    ("to invoice", "To Invoice"),
    ("no", "Nothing to Invoice"),
)


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


_COMMON_RELATIONS = {
    "create_uid": "res.users",
    "write_uid": "res.users",
    "company_id": "res.company",
    "currency_id": "res.currency",
    "partner_id": "res.partner",
    "user_id": "res.users",
}

_SPECS = (
    ModelSpec("res.currency", "res_currency", "Currency"),
    ModelSpec("res.country", "res_country", "Country", translated=frozenset({"name"})),
    ModelSpec("res.company", "res_company", "Companies", {"parent_id": "res.company"}),
    ModelSpec(
        "res.partner",
        "res_partner",
        "Contact",
        {"parent_id": "res.partner", "commercial_partner_id": "res.partner", "country_id": "res.country"},
        {
            "type": (
                ("contact", "Contact"),
                ("invoice", "Invoice Address"),
                ("delivery", "Delivery Address"),
                ("other", "Other Address"),
            )
        },
        readonly=frozenset({"complete_name", "commercial_partner_id", "email_normalized"}),
        one2many={"child_ids": ("res.partner", "parent_id")},
        rec_name="complete_name",
        order="complete_name, id desc",
    ),
    # res.users _inherits res.partner: name, email, lang, tz... are the partner's.
    ModelSpec("res.users", "res_users", "User", rec_name="login", inherits=("res.partner", "partner_id")),
    ModelSpec("uom.uom", "uom_uom", "Product Unit of Measure", translated=frozenset({"name"})),
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
    ModelSpec(
        "stock.location",
        "stock_location",
        "Inventory Locations",
        {"location_id": "stock.location", "warehouse_id": "stock.warehouse"},
        {
            "usage": (
                ("supplier", "Vendor"),
                ("view", "Virtual"),
                ("internal", "Internal"),
                ("customer", "Customer"),
                ("inventory", "Inventory Loss"),
                ("production", "Production"),
                ("transit", "Transit"),
            )
        },
        readonly=frozenset({"complete_name", "parent_path", "warehouse_id"}),
        rec_name="complete_name",
        order="complete_name, id",
    ),
    ModelSpec(
        "stock.warehouse",
        "stock_warehouse",
        "Warehouse",
        {
            "view_location_id": "stock.location",
            "lot_stock_id": "stock.location",
            "in_type_id": "stock.picking.type",
            "out_type_id": "stock.picking.type",
            "int_type_id": "stock.picking.type",
            "pick_type_id": "stock.picking.type",
            "pack_type_id": "stock.picking.type",
        },
        order="sequence, id",
    ),
    ModelSpec(
        "stock.picking.type",
        "stock_picking_type",
        "Picking Type",
        {
            "warehouse_id": "stock.warehouse",
            "default_location_src_id": "stock.location",
            "default_location_dest_id": "stock.location",
        },
        {"code": (("incoming", "Receipt"), ("outgoing", "Delivery"), ("internal", "Internal Transfer"))},
        translated=frozenset({"name"}),
        order="sequence, id",
    ),
    ModelSpec(
        "stock.quant",
        "stock_quant",
        "Quants",
        {"product_id": "product.product", "location_id": "stock.location", "owner_id": "res.partner"},
        readonly=frozenset({"quantity", "reserved_quantity", "inventory_diff_quantity", "in_date"}),
        rec_name=None,
    ),
    ModelSpec(
        "stock.picking",
        "stock_picking",
        "Transfer",
        {
            "location_id": "stock.location",
            "location_dest_id": "stock.location",
            "picking_type_id": "stock.picking.type",
            "backorder_id": "stock.picking",
            "sale_id": "sale.order",
            "owner_id": "res.partner",
        },
        {"state": PICKING_STATES, "move_type": (("direct", "As soon as possible"), ("one", "When all"))},
        readonly=frozenset({"state", "date_done"}),
        one2many={"move_ids": ("stock.move", "picking_id")},
        order="priority desc, scheduled_date asc, id desc",
    ),
    ModelSpec(
        "stock.move",
        "stock_move",
        "Stock Move",
        {
            "product_id": "product.product",
            "product_uom": "uom.uom",
            "location_id": "stock.location",
            "location_dest_id": "stock.location",
            "location_final_id": "stock.location",
            "picking_id": "stock.picking",
            "picking_type_id": "stock.picking.type",
            "sale_line_id": "sale.order.line",
            "warehouse_id": "stock.warehouse",
        },
        {
            "state": (
                *PICKING_STATES[:3],
                ("partially_available", "Partially Available"),
                *PICKING_STATES[3:],
            ),
            "procure_method": (("make_to_stock", "Default: Take From Stock"), ("make_to_order", "Advanced")),
        },
        rec_name="reference",
        order="sequence, id",
    ),
    ModelSpec(
        "sale.order",
        "sale_order",
        "Sales Order",
        {
            "partner_invoice_id": "res.partner",
            "partner_shipping_id": "res.partner",
            "pricelist_id": "product.pricelist",
            "warehouse_id": "stock.warehouse",
        },
        {
            "state": (
                ("draft", "Quotation"),
                ("sent", "Quotation Sent"),
                ("sale", "Sales Order"),
                ("cancel", "Cancelled"),
            ),
            "invoice_status": INVOICE_STATUS,
            "picking_policy": (("direct", "As soon as possible"), ("one", "When all products are ready")),
            # sale_stock (odoo/addons/sale_stock/models/sale_order.py, 18.0): a stored selection
            "delivery_status": (
                ("pending", "Not Delivered"),
                ("started", "Started"),
                ("partial", "Partially Delivered"),
                ("full", "Fully Delivered"),
            ),
        },
        monetary=frozenset({"amount_untaxed", "amount_tax", "amount_total"}),
        readonly=frozenset({"amount_untaxed", "amount_tax", "amount_total", "state"}),
        one2many={"order_line": ("sale.order.line", "order_id"), "picking_ids": ("stock.picking", "sale_id")},
        order="date_order desc, id desc",
    ),
    ModelSpec(
        "sale.order.line",
        "sale_order_line",
        "Sales Order Line",
        {
            "order_id": "sale.order",
            "product_id": "product.product",
            "product_uom": "uom.uom",
            "product_uom_id": "uom.uom",
            "order_partner_id": "res.partner",
            "salesman_id": "res.users",
            "linked_line_id": "sale.order.line",
            "warehouse_id": "stock.warehouse",
        },
        {
            "display_type": (("line_section", "Section"), ("line_note", "Note")),
            "invoice_status": INVOICE_STATUS,
        },
        monetary=frozenset({"price_subtotal", "price_total", "price_reduce_taxexcl", "price_reduce_taxinc"}),
        readonly=frozenset({"price_subtotal", "price_total", "price_tax", "state"}),
        many2many={
            "tax_id": ("account.tax", "account_tax_sale_order_line_rel", "sale_order_line_id", "account_tax_id")
        },
        order="order_id, sequence, id",
    ),
    ModelSpec(
        "account.tax",
        "account_tax",
        "Tax",
        {},
        {
            "type_tax_use": (("sale", "Sales"), ("purchase", "Purchases"), ("none", "None")),
            "tax_scope": (("service", "Services"), ("consu", "Goods")),
            "amount_type": (
                ("group", "Group of Taxes"),
                ("fixed", "Fixed"),
                ("percent", "Percentage"),
                ("division", "Percentage Tax Included"),
            ),
            "price_include_override": (("tax_included", "Tax Included"), ("tax_excluded", "Tax Excluded")),
        },
        translated=frozenset({"name", "description"}),
        order="sequence, id",
    ),
    ModelSpec(
        "account.move",
        "account_move",
        "Journal Entry",
        {
            "commercial_partner_id": "res.partner",
            "partner_shipping_id": "res.partner",
            "invoice_user_id": "res.users",
        },
        {
            "state": (("draft", "Draft"), ("posted", "Posted"), ("cancel", "Cancelled")),
            "move_type": (
                ("entry", "Journal Entry"),
                ("out_invoice", "Customer Invoice"),
                ("out_refund", "Customer Credit Note"),
                ("in_invoice", "Vendor Bill"),
                ("in_refund", "Vendor Credit Note"),
                ("out_receipt", "Sales Receipt"),
                ("in_receipt", "Purchase Receipt"),
            ),
        },
        monetary=frozenset({"amount_untaxed", "amount_tax", "amount_total", "amount_residual"}),
        readonly=frozenset({"state", "name"}),
        order="date desc, name desc, invoice_date desc, id desc",
    ),
    # transient wizards (sandbox/odoo/wizards.py)
    ModelSpec(
        "sale.order.cancel",
        "sale_order_cancel",
        "Sales Order Cancel",
        {"order_id": "sale.order", "author_id": "res.partner"},
        rec_name=None,
    ),
    ModelSpec("confirm.stock.sms", "confirm_stock_sms", "Confirm Stock SMS", rec_name=None),
)

MODEL_SPECS: dict[str, ModelSpec] = {spec.name: spec for spec in _SPECS}


def relation_of(spec: ModelSpec, column: str) -> str | None:
    """The comodel of an int4 column, or None when it is a plain integer."""
    return spec.relations.get(column) or _COMMON_RELATIONS.get(column)
