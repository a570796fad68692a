"""Users' credentials as Odoo stores and checks them: hashed passwords and hashed API keys.

Hash format: passlib's ``pbkdf2_sha512`` (``$pbkdf2-sha512$<rounds>$<salt>$<checksum>``, adapted base64),
which Odoo uses for both (``res.users`` ``DEFAULT_CRYPT_CONTEXT``; ``res.users.apikeys`` ``KEY_CRYPT_CONTEXT``
with 6000 rounds). An API key is 40 hex characters; its first 8 are stored in clear as ``index`` to find
the candidate rows, the rest only hashed. The key never leaves :func:`provision_api_key`'s return value.

Checks follow Odoo's non-interactive ``_check_credentials``: the password first, then an API key of scope
NULL or ``rpc``, of an active user, not expired (18.0+). An API key therefore works as the password on
``/jsonrpc`` (and is the only credential of JSON-2's bearer auth).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
from typing import Any

API_KEY_SIZE = 20  # bytes: 40 hex chars
INDEX_SIZE = 8
KEY_ROUNDS = 6000  # Odoo's KEY_CRYPT_CONTEXT: keys are random, a slow hash buys nothing
PASSWORD_ROUNDS = 600_000  # Odoo 17+ password hashing cost
_SALT_SIZE = 16


def _ab64(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip("=").replace("+", ".")


def _ab64_decode(text: str) -> bytes:
    padded = text.replace(".", "+") + "=" * (-len(text) % 4)
    return base64.b64decode(padded)


def hash_secret(secret: str, rounds: int = KEY_ROUNDS, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(_SALT_SIZE)
    checksum = hashlib.pbkdf2_hmac("sha512", secret.encode(), salt, rounds)
    return f"$pbkdf2-sha512${rounds}${_ab64(salt)}${_ab64(checksum)}"


def verify_secret(secret: str, hashed: str | None) -> bool:
    if not hashed or not hashed.startswith("$pbkdf2-sha512$"):
        return False
    try:
        _, _, rounds, salt, checksum = hashed.split("$")
        expected = _ab64_decode(checksum)
        actual = hashlib.pbkdf2_hmac("sha512", secret.encode(), _ab64_decode(salt), int(rounds))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, actual)


def provision_api_key(conn: Any, user_id: int, name: str, scope: str | None = "rpc") -> str:
    """Create an API key for ``user_id`` (as Odoo's ``res.users.apikeys._generate``); return the key."""
    key = os.urandom(API_KEY_SIZE).hex()
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO res_users_apikeys (name, user_id, scope, index, key) VALUES (%s, %s, %s, %s, %s)",
            (name, user_id, scope, key[:INDEX_SIZE], hash_secret(key)),
        )
    if not conn.autocommit:
        conn.commit()
    return key


def set_password(conn: Any, user_id: int, password: str, rounds: int = PASSWORD_ROUNDS) -> None:
    """Store ``password`` hashed, as Odoo's ``res.users._set_encrypted_password``."""
    with conn.cursor() as cur:
        cur.execute(
            "UPDATE res_users SET password = %s, write_date = now() AT TIME ZONE 'utc' WHERE id = %s",
            (hash_secret(password, rounds), user_id),
        )
    if not conn.autocommit:
        conn.commit()


class Authenticator:
    """Credential checks against one database, with a short cache of successes (Odoo caches too)."""

    def __init__(self, cache_ttl_s: float = 5.0) -> None:
        self._ttl = cache_ttl_s
        self._lock = threading.Lock()
        self._ok: dict[tuple[int, str], float] = {}

    def _cache_key(self, uid: int, secret: str) -> tuple[int, str]:
        return uid, hashlib.sha256(secret.encode()).hexdigest()

    def key_user(self, cur: Any, key: str) -> int | None:
        """The active user owning API key ``key`` (scope NULL or rpc, not expired), else None."""
        if len(key) < INDEX_SIZE:
            return None
        cur.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'res_users_apikeys' AND column_name = 'expiration_date'"
        )
        expiry = (
            " AND (k.expiration_date IS NULL OR k.expiration_date >= now() AT TIME ZONE 'utc')"
            if cur.fetchone()
            else ""
        )
        cur.execute(
            "SELECT k.user_id, k.key FROM res_users_apikeys k JOIN res_users u ON u.id = k.user_id "
            "WHERE u.active AND k.index = %s AND (k.scope IS NULL OR k.scope = 'rpc')" + expiry,
            (key[:INDEX_SIZE],),
        )
        for user_id, hashed in cur.fetchall():
            if verify_secret(key, hashed):
                return int(user_id)
        return None

    def check_uid(self, cur: Any, uid: Any, secret: Any) -> bool:
        """Does ``secret`` (password or API key) authenticate active user ``uid``?"""
        if not isinstance(uid, int) or isinstance(uid, bool) or not isinstance(secret, str) or not secret:
            return False
        cache_key = self._cache_key(uid, secret)
        with self._lock:
            if self._ok.get(cache_key, 0.0) > time.monotonic():
                return True
        cur.execute("SELECT password FROM res_users WHERE id = %s AND active", (uid,))
        row = cur.fetchone()
        if row is None:
            return False
        ok = verify_secret(secret, row[0]) or self.key_user(cur, secret) == uid
        if ok:
            with self._lock:
                self._ok[cache_key] = time.monotonic() + self._ttl
        return ok

    def login(self, cur: Any, login: Any, secret: Any) -> int | None:
        """``common.login``/``authenticate``: the uid of ``login`` if ``secret`` is valid, else None."""
        if not isinstance(login, str) or not isinstance(secret, str):
            return None
        cur.execute("SELECT id FROM res_users WHERE login = %s AND active", (login,))
        row = cur.fetchone()
        if row is None:
            return None
        uid = int(row[0])
        return uid if self.check_uid(cur, uid, secret) else None
