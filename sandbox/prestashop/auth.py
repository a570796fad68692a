"""Webservice keys: the checks of ``dispatcher.php`` and ``WebserviceRequest::authenticate()``.

Keys and rights live in ``webservice_account`` / ``webservice_permission`` /
``webservice_account_shop`` exactly as in PrestaShop, so a key made in the twin's database behaves
as one made in the back office.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sandbox.prestashop.db import ShopDatabase
from sandbox.prestashop.views import WsError

WWW_AUTHENTICATE = (
    'Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. '
    'No password required."'
)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")


def key_from_request(headers: dict[str, str], query: dict[str, list[str]]) -> str | None:
    """Basic-auth user name (password ignored), else ``ws_key``; None when neither is given."""
    authorization = headers.get("authorization", "")
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() == "basic" and encoded.strip():
        try:
            decoded = base64.b64decode(encoded.strip(), validate=False).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            decoded = ""
        return decoded.split(":", 1)[0]
    ws_key = query.get("ws_key")
    return ws_key[-1] if ws_key else None


def webservice_enabled(cur: Any, db: ShopDatabase) -> bool:
    cur.execute(
        f"SELECT value FROM {db.table('configuration')} WHERE name = 'PS_WEBSERVICE' "
        "ORDER BY id_shop IS NULL, id_shop_group IS NULL LIMIT 1"
    )
    row = cur.fetchone()
    return bool(row and str(row["value"]).strip() not in ("", "0"))


def authenticate(cur: Any, db: ShopDatabase, key: str, id_shop: int) -> dict[str, list[str]]:
    """The key's permissions (resource -> methods); raises the 401/403 errors PrestaShop gives."""
    key = key.strip()
    errors: list[WsError] = []
    permissions: dict[str, list[str]] = {}
    if key == "":
        errors.append(WsError(401, 17, "Authentication key is empty"))
    elif len(key) != 32:
        errors.append(WsError(401, 18, "Invalid authentication key format"))
    else:
        cur.execute(
            f"SELECT id_webservice_account, active FROM {db.table('webservice_account')} WHERE `key` = %s", (key,)
        )
        account = cur.fetchone()
        if account and int(account["active"]):
            cur.execute(
                f"SELECT resource, method FROM {db.table('webservice_permission')} WHERE id_webservice_account = %s",
                (account["id_webservice_account"],),
            )
            for row in cur.fetchall():
                permissions.setdefault(row["resource"], []).append(row["method"])
        else:
            errors.append(WsError(401, 20, "Authentification key is not active"))
        if not permissions:
            errors.append(WsError(401, 21, "No permission for this authentication key"))
    if errors:
        raise AuthenticationFailed(errors)
    cur.execute(
        f"SELECT 1 FROM {db.table('webservice_account')} a JOIN {db.table('webservice_account_shop')} s "
        "USING (id_webservice_account) WHERE a.`key` = %s AND s.id_shop = %s",
        (key, id_shop),
    )
    if cur.fetchone() is None:
        raise WsError(403, 132, "No permission for this key on this shop")
    return permissions


class AuthenticationFailed(Exception):
    """One or more 401 errors; the response carries WWW-Authenticate."""

    def __init__(self, errors: list[WsError]) -> None:
        super().__init__(errors)
        self.errors = errors


def provision_api_key(
    conn: Any, prefix: str, key: str, resources: dict[str, list[str]] | list[str], description: str = "prestasync"
) -> int:
    """Create (or refresh) a webservice key with rights on ``resources``; returns its account id.

    ``resources`` maps resource -> methods, or is a list of resources given every method. The key
    is linked to shop 1. Commits on ``conn`` (a PyMySQL connection to the shop database).
    """
    db_prefix = ShopDatabase(lambda: conn, prefix)  # for table names only; validates the prefix
    if len(key) != 32:
        raise ValueError("a PrestaShop webservice key has exactly 32 characters")
    rights = resources if isinstance(resources, dict) else {r: list(METHODS) for r in resources}
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT id_webservice_account FROM {db_prefix.table('webservice_account')} WHERE `key` = %s", (key,)
        )
        row = cur.fetchone()
        if row:
            account_id = int(row[0] if isinstance(row, tuple) else row["id_webservice_account"])
            cur.execute(
                f"UPDATE {db_prefix.table('webservice_account')} SET active = 1 WHERE id_webservice_account = %s",
                (account_id,),
            )
        else:
            cur.execute(
                f"INSERT INTO {db_prefix.table('webservice_account')} (`key`, description, class_name, is_module, "
                "module_name, active) VALUES (%s, %s, 'WebserviceRequest', 0, NULL, 1)",
                (key, description),
            )
            account_id = int(cur.lastrowid)
        cur.execute(
            f"DELETE FROM {db_prefix.table('webservice_permission')} WHERE id_webservice_account = %s", (account_id,)
        )
        for resource, methods in rights.items():
            for method in methods:
                if method not in METHODS:
                    raise ValueError(f"unknown method {method!r}")
                cur.execute(
                    f"INSERT INTO {db_prefix.table('webservice_permission')} (resource, method, "
                    "id_webservice_account) VALUES (%s, %s, %s)",
                    (resource, method, account_id),
                )
        cur.execute(
            f"INSERT IGNORE INTO {db_prefix.table('webservice_account_shop')} (id_webservice_account, id_shop) "
            "VALUES (%s, 1)",
            (account_id,),
        )
    conn.commit()
    return account_id
