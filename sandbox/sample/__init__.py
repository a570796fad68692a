"""The sandbox's sample catalogue and its loaders (``prestasync sandbox load-sample``).

``load_erp_catalogue(conn_pg)`` writes it into the Odoo tables, ``load_shop_catalogue(conn_mysql, prefix)``
into the PrestaShop tables as if already synced. Both are idempotent and return a ``LoadSummary``.
"""

from sandbox.sample.barcodes import ean13_check_digit, is_valid_ean13
from sandbox.sample.catalogue import CATALOGUE, CUSTOMER_GROUPS, Product, Variant
from sandbox.sample.erp import load_erp_catalogue
from sandbox.sample.shop import load_shop_catalogue
from sandbox.sample.summary import LoadSummary

__all__ = [
    "CATALOGUE",
    "CUSTOMER_GROUPS",
    "LoadSummary",
    "Product",
    "Variant",
    "ean13_check_digit",
    "is_valid_ean13",
    "load_erp_catalogue",
    "load_shop_catalogue",
]
