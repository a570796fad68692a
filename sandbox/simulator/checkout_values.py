"""The column values of each insert of a checkout, as PrestaShop 8 fills them for a front-office order in a
French shop (one shop, language and currency 1, carrier 1, country 8 = France, tax rules group 1 at 20 %).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sandbox.simulator.checkout_rows import (
    CARRIER_ID,
    COUNTRY_FR,
    CURRENCY_ID,
    LANG_ID,
    PASSWORD_PLACEHOLDER,
    SHOP_GROUP_ID,
    SHOP_ID,
    TAX_ID,
    TAX_NAME,
    VOUCHER_CART_RULE_ID,
    ZERO_DATE,
    CartItem,
)
from sandbox.simulator.events import NewCustomer
from sandbox.simulator.pricing import VAT_RATE_PERCENT, LinePrice, OrderTotals


def customer_values(customer: NewCustomer, secure_key: str, now: datetime) -> dict[str, Any]:
    return {
        "id_shop_group": SHOP_GROUP_ID,
        "id_shop": SHOP_ID,
        "id_gender": customer.id_gender,
        "id_default_group": customer.id_group,
        "id_lang": LANG_ID,
        "id_risk": 0,
        "firstname": customer.firstname,
        "lastname": customer.lastname,
        "email": customer.email,
        "passwd": PASSWORD_PLACEHOLDER,
        "last_passwd_gen": now,
        "newsletter": 0,
        "optin": 0,
        "secure_key": secure_key,
        "active": 1,
        "is_guest": 0,
        "deleted": 0,
        "date_add": now,
        "date_upd": now,
    }


def address_values(id_customer: int, customer: NewCustomer, now: datetime) -> dict[str, Any]:
    return {
        "id_country": COUNTRY_FR,
        "id_state": 0,
        "id_customer": id_customer,
        "alias": "My address",
        "lastname": customer.lastname,
        "firstname": customer.firstname,
        "address1": customer.address1,
        "postcode": customer.postcode,
        "city": customer.city,
        "phone": "",
        "date_add": now,
        "date_upd": now,
        "active": 1,
        "deleted": 0,
    }


def cart_values(id_customer: int, id_address: int, secure_key: str, now: datetime) -> dict[str, Any]:
    return {
        "id_shop_group": SHOP_GROUP_ID,
        "id_shop": SHOP_ID,
        "id_carrier": CARRIER_ID,
        "delivery_option": f'{{"{id_address}":"{CARRIER_ID},"}}',
        "id_lang": LANG_ID,
        "id_address_delivery": id_address,
        "id_address_invoice": id_address,
        "id_currency": CURRENCY_ID,
        "id_customer": id_customer,
        "id_guest": 0,
        "secure_key": secure_key,
        "date_add": now,
        "date_upd": now,
    }


def order_values(
    reference: str,
    id_customer: int,
    id_cart: int,
    id_address: int,
    secure_key: str,
    payment: str,
    module: str,
    totals: OrderTotals,
    now: datetime,
) -> dict[str, Any]:
    return {
        "reference": reference,
        "id_shop_group": SHOP_GROUP_ID,
        "id_shop": SHOP_ID,
        "id_carrier": CARRIER_ID,
        "id_lang": LANG_ID,
        "id_customer": id_customer,
        "id_cart": id_cart,
        "id_currency": CURRENCY_ID,
        "id_address_delivery": id_address,
        "id_address_invoice": id_address,
        "current_state": 0,
        "secure_key": secure_key,
        "payment": payment,
        "module": module,
        "conversion_rate": Decimal(1),
        "total_discounts": totals.discount_tax_incl,
        "total_discounts_tax_incl": totals.discount_tax_incl,
        "total_discounts_tax_excl": totals.discount_tax_excl,
        "total_paid": totals.paid_tax_incl,
        "total_paid_tax_incl": totals.paid_tax_incl,
        "total_paid_tax_excl": totals.paid_tax_excl,
        "total_paid_real": Decimal(0),
        "total_products": totals.products_tax_excl,
        "total_products_wt": totals.products_tax_incl,
        "total_shipping": totals.shipping_tax_incl,
        "total_shipping_tax_incl": totals.shipping_tax_incl,
        "total_shipping_tax_excl": totals.shipping_tax_excl,
        "carrier_tax_rate": VAT_RATE_PERCENT,
        "round_mode": 2,
        "round_type": 2,
        "invoice_date": ZERO_DATE,
        "delivery_date": ZERO_DATE,
        "valid": 0,
        "date_add": now,
        "date_upd": now,
    }


def detail_values(id_order: int, item: CartItem, price: LinePrice) -> dict[str, Any]:
    return {
        "id_order": id_order,
        "id_order_invoice": 0,
        "id_warehouse": 0,
        "id_shop": SHOP_ID,
        "product_id": item.id_product,
        "product_attribute_id": item.id_product_attribute,
        "id_customization": 0,
        "product_name": item.name,
        "product_quantity": item.quantity,
        "product_quantity_in_stock": min(item.quantity, max(item.stock, 0)),
        "product_price": price.unit_tax_excl,
        "product_ean13": item.ean13,
        "product_reference": item.sku,
        "product_weight": item.weight,
        "id_tax_rules_group": 1,
        "tax_computation_method": 0,
        "tax_name": TAX_NAME,
        "tax_rate": VAT_RATE_PERCENT,
        "total_price_tax_incl": price.total_tax_incl,
        "total_price_tax_excl": price.total_tax_excl,
        "unit_price_tax_incl": price.unit_tax_incl,
        "unit_price_tax_excl": price.unit_tax_excl,
        "purchase_supplier_price": item.wholesale_price,
        "original_product_price": item.base_price,
        "original_wholesale_price": item.wholesale_price,
    }


def detail_tax_values(id_order_detail: int, price: LinePrice) -> dict[str, Any]:
    return {
        "id_order_detail": id_order_detail,
        "id_tax": TAX_ID,
        "unit_amount": price.unit_tax,
        "total_amount": price.total_tax,
    }


def carrier_values(id_order: int, weight: Decimal, totals: OrderTotals, now: datetime) -> dict[str, Any]:
    return {
        "id_order": id_order,
        "id_carrier": CARRIER_ID,
        "id_order_invoice": 0,
        "weight": weight,
        "shipping_cost_tax_excl": totals.shipping_tax_excl,
        "shipping_cost_tax_incl": totals.shipping_tax_incl,
        "tracking_number": "",
        "date_add": now,
    }


def cart_rule_values(id_order: int, percent: Decimal | None, totals: OrderTotals) -> dict[str, Any]:
    return {
        "id_order": id_order,
        "id_cart_rule": VOUCHER_CART_RULE_ID,
        "id_order_invoice": 0,
        "name": f"Voucher {percent or 0}%",
        "value": totals.discount_tax_incl,
        "value_tax_excl": totals.discount_tax_excl,
        "free_shipping": 0,
        "deleted": 0,
    }
