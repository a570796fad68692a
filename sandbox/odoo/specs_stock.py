"""The stock models the twin serves: locations, warehouses, picking types, quants, pickings, moves."""

from __future__ import annotations

from sandbox.odoo.spec_types import ModelSpec, Selection

PICKING_STATES: Selection = (
    ("draft", "Draft"),
    ("waiting", "Waiting Another Operation"),
    ("confirmed", "Waiting"),
    ("assigned", "Ready"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
)

STOCK_SPECS: tuple[ModelSpec, ...] = (
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
)
