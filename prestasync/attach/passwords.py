"""Password verifiers for the DBA's SQL: the capture users get their password without it being printed.

MariaDB stores ``mysql_native_password`` as ``*`` + hex(SHA1(SHA1(password))) and accepts it in
``IDENTIFIED BY PASSWORD '*...'``; PostgreSQL accepts a SCRAM-SHA-256 verifier (RFC 5802/7677, the format
of ``pg_authid.rolpassword``) in ``PASSWORD '...'`` and stores it as is. Either way the SQL a DBA reads,
pastes or keeps in a ticket holds a verifier, never the secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SCRAM_ITERATIONS = 4096  # PostgreSQL's default scram_iterations


def mysql_native_hash(password: str) -> str:
    inner = hashlib.sha1(password.encode("utf-8")).digest()  # noqa: S324 - MariaDB's own format
    return "*" + hashlib.sha1(inner).hexdigest().upper()  # noqa: S324


def scram_sha256_verifier(password: str, role: str, iterations: int = SCRAM_ITERATIONS) -> str:
    """The salt is derived from role and password, so the same password gives the same verifier and
    applying the SQL again changes nothing. The generated passwords are ASCII (SASLprep: identity)."""
    salt = hashlib.sha256(f"prestasync:{role}:{password}".encode()).digest()[:16]
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    stored_key = hashlib.sha256(hmac.new(salted, b"Client Key", hashlib.sha256).digest()).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"
