"""ERP -> shop stock levels (stock_availables) and group / promo prices (specific_prices).

A SKU names a combination or a product (:meth:`ShopLookup.sellable`). Stock is set on the
stock_available row of that combination (or of a product without combinations: a product with
combinations holds the sum, PrestaShop recomputes it). A price rule is matched to a
specific_price row by PrestaShop's own unique key (product, combination, shop, group, customer,
currency, country, cart, quantity, from, to) and updated in place, or created.
"""

from __future__ import annotations

from decimal import Decimal

from schemas.records import Canonical, PriceRule, StockLevel
from sinks.common.errors import TerminalError
from sinks.common.handlers import Applied, CommandMeta
from sinks.prestashop import wire
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.config import PrestaShopSinkConfig
from sinks.prestashop.fields import changed_fields, stored_text
from sinks.prestashop.lookup import Sellable, ShopLookup, entity_id
from sinks.prestashop.mapping import FieldValue, sellable_quantity, specific_price_payload

SPECIFIC_PRICE_KEY = (
    "id_product",
    "id_product_attribute",
    "id_shop",
    "id_group",
    "id_customer",
    "id_currency",
    "id_country",
    "id_cart",
    "from_quantity",
    "from",
    "to",
)
SPECIFIC_PRICE_VALUES = ("price", "reduction", "reduction_tax", "reduction_type")
_DECIMAL_FIELDS = frozenset({"price", "reduction"})


def shop_group_id(rule: PriceRule) -> int:
    """The shop group of a rule: 0 (every customer) for a promo, else the group of ``PS-G-<id>``."""
    if rule.customer_group_key is None:
        return 0
    prefix = "PS-G-"
    number = rule.customer_group_key[len(prefix) :] if rule.customer_group_key.startswith(prefix) else ""
    if not number.isdigit():
        raise TerminalError(f"prestashop: {rule.customer_group_key!r} is not a shop customer group key")
    return int(number)


class PricingHandlers:
    def __init__(self, client: PrestaShopClient, lookup: ShopLookup, config: PrestaShopSinkConfig) -> None:
        self.client = client
        self.lookup = lookup
        self.config = config

    def _sellable(self, sku: str | None) -> Sellable:
        if not sku:
            raise TerminalError("prestashop: the command names no SKU")
        return self.lookup.sellable(sku)

    def set_stock(self, record: Canonical, meta: CommandMeta) -> Applied:
        assert isinstance(record, StockLevel)
        target = self._sellable(record.sku)
        if target.combination_id == 0 and target.has_combinations:
            raise self.client.refuse(f"{record.sku!r} is a product with combinations; stock is set per combination SKU")
        rows = sorted(
            self.client.find(
                "stock_availables",
                {
                    "id_product": target.product_id,
                    "id_product_attribute": target.combination_id,
                    "id_shop": self.config.shop_id,
                },
            ),
            key=entity_id,
        )
        if not rows:
            raise self.client.refuse(f"no stock_available row for {record.sku!r} in shop {self.config.shop_id}")
        row = rows[0]
        ids = {"products": str(target.product_id), "stock_availables": str(entity_id(row))}
        if target.combination_id:
            ids["combinations"] = str(target.combination_id)
        changes = changed_fields(row, {"quantity": sellable_quantity(record)})
        if not changes:
            return Applied(ids, {"available": stored_text(row.get("quantity"))}, changed=False)
        if meta.outdated("available", stored_text(row.get("quantity"))):
            # the shop's quantity moved since the level was computed (a checkout, a restock on
            # cancellation): that event is on its way to the streams, which compute the level again
            return Applied.refused(ids, {"available": stored_text(row.get("quantity"))})
        stored = self.client.update("stock_availables", "stock_available", entity_id(row), changes)
        return Applied(ids, {"available": stored_text(stored.get("quantity"))}, changed=True)

    def set_price_rule(self, record: Canonical, meta: CommandMeta) -> Applied:
        assert isinstance(record, PriceRule)
        target = self._sellable(record.sku)
        payload = specific_price_payload(
            record,
            product_id=target.product_id,
            group_id=shop_group_id(record),
            shop_id=self.config.shop_id,
            combination_id=target.combination_id,
            shop_timezone=self.config.shop_timezone,
        )
        wanted = {name: str(value) for name, value in wire.xml_entity(payload, "specific_price").items()}
        key = {name: wanted[name] for name in SPECIFIC_PRICE_KEY}
        rows = self.client.find("specific_prices", {"id_product": target.product_id})
        same_key = sorted((r for r in rows if all(_same_key(r.get(n), v) for n, v in key.items())), key=entity_id)
        values: dict[str, FieldValue] = {
            name: Decimal(wanted[name]) if name in _DECIMAL_FIELDS else wanted[name] for name in SPECIFIC_PRICE_VALUES
        }
        if not same_key:
            stored = self.client.create("specific_prices", "specific_price", {**key, **values})
            changed = True
        else:
            stored, changes = same_key[0], changed_fields(same_key[0], values)
            changed = bool(changes)
            if changes:
                stored = self.client.update("specific_prices", "specific_price", entity_id(stored), changes)
        ids = {"specific_prices": str(entity_id(stored)), "products": str(target.product_id)}
        if target.combination_id:
            ids["combinations"] = str(target.combination_id)
        return Applied(ids, {name: stored_text(stored.get(name)) for name in SPECIFIC_PRICE_VALUES}, changed)


def _same_key(stored: object, wanted: str) -> bool:
    text = str(stored or "")
    try:
        return Decimal(text) == Decimal(wanted)
    except ArithmeticError:
        return text == wanted
