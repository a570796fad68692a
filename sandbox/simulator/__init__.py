"""The trade simulator (``prestasync sandbox simulate``): shop checkouts and ERP stock moves.

- ``ShopCheckout(conn, prefix)``: ``place_order(OrderRequest)`` / ``cancel_order(id_order)`` in the
  PrestaShop tables, statement by statement as ``PaymentModule::validateOrder`` (no transaction);
- ``ErpStockMoves(conn)``: ``receipt`` / ``delivery`` / ``adjustment`` in the Odoo tables;
- ``Simulator(settings, orders_per_minute, stock_moves_per_minute, seed).run(duration_s, on_event)``.
"""

from sandbox.simulator.checkout import ShopCheckout
from sandbox.simulator.erp_moves import ErpMove, ErpStockMoves
from sandbox.simulator.events import (
    CartLine,
    NewCustomer,
    OrderRequest,
    PlacedOrder,
    ReturningCustomer,
    SimEvent,
    Statement,
)
from sandbox.simulator.runner import Simulator, schedule
from sandbox.simulator.shoppers import Shoppers

__all__ = [
    "CartLine",
    "ErpMove",
    "ErpStockMoves",
    "NewCustomer",
    "OrderRequest",
    "PlacedOrder",
    "ReturningCustomer",
    "ShopCheckout",
    "Shoppers",
    "SimEvent",
    "Simulator",
    "Statement",
    "schedule",
]
