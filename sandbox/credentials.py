"""The sandbox's sample API credentials: generated once into ``<home>/secrets``, provisioned in the DBs."""

from __future__ import annotations

import secrets
import string

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.settings import Settings

PRESTASYNC_RESOURCES = [
    "customers",
    "addresses",
    "groups",
    "orders",
    "order_details",
    "order_histories",
    "order_states",
    "order_carriers",
    "order_invoices",
    "order_payments",
    "products",
    "combinations",
    "product_options",
    "product_option_values",
    "product_features",
    "product_feature_values",
    "categories",
    "stock_availables",
    "specific_prices",
    "images",
    "configurations",
]


def _ws_key() -> str:
    # PrestaShop generates webservice keys as 32 upper-case letters and digits
    return "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(32))


def prestashop_key(settings: Settings) -> str:
    return settings.secret("prestashop_webservice.key", _ws_key).get_secret_value()


def admin_token(settings: Settings) -> str:
    return settings.secret("sandbox_admin.token").get_secret_value()


def ensure_prestashop_key(settings: Settings) -> str:
    from sandbox.prestashop.auth import provision_api_key

    key = prestashop_key(settings)
    conn = mariadb_admin(settings.mariadb.database, settings=settings)
    try:
        provision_api_key(conn, settings.mariadb.table_prefix, key, PRESTASYNC_RESOURCES)
    finally:
        conn.close()
    return key


def odoo_api_key_path(settings: Settings) -> str:
    return str(settings.secrets_dir / "odoo_api.key")


def ensure_odoo_api_key(settings: Settings) -> str:
    """The integration user's API key; a new one is provisioned if the database does not know it."""
    from sandbox.odoo.auth import INDEX_SIZE, provision_api_key

    path = settings.secrets_dir / "odoo_api.key"
    conn = postgres_admin(settings.postgres.database, settings=settings)
    try:
        if path.is_file():
            key = path.read_text().strip()
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT 1 FROM res_users_apikeys WHERE index = %s AND user_id = %s",
                    (key[:INDEX_SIZE], settings.sandbox.odoo_user_id),
                )
                if cur.fetchone():
                    return key
        key = provision_api_key(conn, settings.sandbox.odoo_user_id, "prestasync sandbox")
    finally:
        conn.close()
    settings.secrets_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(key)
    path.chmod(0o600)
    return key
