"""Twin-side arrangements for replaying exchanges recorded from a real PrestaShop 8.1.2.

The documented differences live in ``tests/fixtures/real/known_differences_prestashop.json``.
"""

from __future__ import annotations

from collections.abc import Callable

# A minimal order the twin accepts (its seed has no order; the real demo shop has order 1).
TWIN_ORDER_XML = (
    "<prestashop><order><id_address_delivery>1</id_address_delivery><id_address_invoice>1</id_address_invoice>"
    "<id_cart>1</id_cart><id_currency>1</id_currency><id_lang>1</id_lang><id_customer>1</id_customer>"
    "<id_carrier>1</id_carrier><module>ps_wirepayment</module><payment>Bank wire</payment>"
    "<total_paid>20.000000</total_paid><total_paid_real>20.000000</total_paid_real>"
    "<total_products>16.666667</total_products><total_products_wt>20.000000</total_products_wt>"
    "<conversion_rate>1.000000</conversion_rate><associations><order_rows><order_row>"
    "<product_id>1</product_id><product_attribute_id>0</product_attribute_id><product_quantity>1</product_quantity>"
    "<product_name>Mug</product_name><product_reference>MUG</product_reference><product_price>16.666667</product_price>"
    "<unit_price_tax_incl>20.000000</unit_price_tax_incl><unit_price_tax_excl>16.666667</unit_price_tax_excl>"
    "</order_row></order_rows></associations></order></prestashop>"
)


def mirror_recorded_shop(sql: Callable[[str], object]) -> None:
    """The recorded shop runs English and French: give the twin's shop the same two active languages
    (multilingual fields render one ``<language>`` / JSON ``{"id", "value"}`` per active language)."""
    sql(
        "INSERT INTO ps_lang (id_lang, name, active, iso_code, language_code, locale, date_format_lite, "
        "date_format_full, is_rtl) VALUES (2, 'Français (French)', 1, 'fr', 'fr-fr', 'fr-FR', 'd/m/Y', "
        "'d/m/Y H:i:s', 0)"
    )


# The demo order 1 the real exchanges read was never paid: no invoice, not valid, a note "Test"; as
# an installer fixture (not placed through validateOrder) it has round_mode / round_type 0.
DEMO_ORDER_STATE = (
    "UPDATE ps_orders SET invoice_number = 0, valid = 0, note = 'Test', round_mode = 0, "
    "round_type = 0 WHERE id_order = %s"
)
