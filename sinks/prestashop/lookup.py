"""Finding shop rows by their natural keys: the first step of every idempotent write.

Natural keys (schemas.keys): products and combinations by ``reference`` (the SKU), orders by
``reference``. A command naming a row the shop does not have is terminal ("unknown reference"):
retrying cannot make it appear.
"""

from __future__ import annotations

from dataclasses import dataclass

from sinks.common.errors import TerminalError
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.wire import Entity


@dataclass(frozen=True)
class Sellable:
    """What a SKU names in the shop: a product, or one combination of a product."""

    product_id: int
    combination_id: int  # 0: the product itself
    has_combinations: bool


def entity_id(entity: Entity) -> int:
    return int(entity.get("id") or 0)


class ShopLookup:
    def __init__(self, client: PrestaShopClient, shop_id: int) -> None:
        self.client = client
        self.shop_id = shop_id

    def product(self, sku: str) -> Entity | None:
        return self.client.find_one("products", {"reference": sku})

    def combination(self, sku: str) -> Entity | None:
        return self.client.find_one("combinations", {"reference": sku})

    def order(self, reference: str) -> Entity | None:
        return self.client.find_one("orders", {"reference": reference})

    def sellable(self, sku: str) -> Sellable:
        """The combination with this reference, else the product with it; terminal if neither."""
        combination = self.combination(sku)
        if combination is not None:
            return Sellable(int(combination.get("id_product") or 0), entity_id(combination), False)
        product = self.product(sku)
        if product is None:
            raise self.client.refuse(f"unknown reference: no product or combination has SKU {sku!r}")
        combinations = (product.get("associations") or {}).get("combinations") or []
        return Sellable(entity_id(product), 0, bool(combinations))

    def existing_order(self, reference: str | None) -> Entity:
        if not reference:
            raise TerminalError("prestashop: the command names no order reference")
        order = self.order(reference)
        if order is None:
            raise self.client.refuse(f"unknown reference: no order {reference!r}")
        return order
