"""The sales and accounting models the twin serves: sale orders and their lines, taxes, invoices, and the
transient wizards (sandbox/odoo/wizards.py)."""

from __future__ import annotations

from sandbox.odoo.spec_types import ModelSpec, Selection

INVOICE_STATUS: Selection = (
    ("upselling", "Upselling Opportunity"),
    ("invoiced", "Fully Invoiced"),
    ("to invoice", "To Invoice"),
    ("no", "Nothing to Invoice"),
)

SALES_SPECS: tuple[ModelSpec, ...] = (
    ModelSpec(
        "sale.order",
        "sale_order",
        "Sales Order",
        {
            "partner_invoice_id": "res.partner",
            "partner_shipping_id": "res.partner",
            "pricelist_id": "product.pricelist",
            "warehouse_id": "stock.warehouse",
            "carrier_id": "delivery.carrier",
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
    # delivery (odoo/addons/delivery/models/delivery_carrier.py) and account's payments (account_payment.py, 18.0)
    ModelSpec(
        "delivery.carrier",
        "delivery_carrier",
        "Delivery Methods",
        {"product_id": "product.product"},
        {
            "delivery_type": (("base_on_rule", "Based on Rules"), ("fixed", "Fixed Price")),
            "integration_level": (("rate", "Get Rate"), ("rate_and_ship", "Get Rate and Create Shipment")),
            "invoice_policy": (("estimated", "Estimated cost"), ("real", "Real cost")),
        },
        translated=frozenset({"name"}),
        order="sequence, id",
    ),
    ModelSpec(
        "account.journal",
        "account_journal",
        "Journal",
        {},
        {
            "type": (
                ("sale", "Sales"),
                ("purchase", "Purchase"),
                ("cash", "Cash"),
                ("bank", "Bank"),
                ("credit", "Credit Card"),
                ("general", "Miscellaneous"),
            )
        },
        translated=frozenset({"name"}),
        order="sequence, type, code",
    ),
    ModelSpec(
        "account.payment",
        "account_payment",
        "Payments",
        {"journal_id": "account.journal", "move_id": "account.move"},
        {
            "state": (
                ("draft", "Draft"),
                ("in_process", "In Process"),
                ("paid", "Paid"),
                ("canceled", "Canceled"),
                ("rejected", "Rejected"),
            ),
            "payment_type": (("outbound", "Send"), ("inbound", "Receive")),
            "partner_type": (("customer", "Customer"), ("supplier", "Vendor")),
        },
        monetary=frozenset({"amount"}),
        order="date desc, name desc",
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
