"""The PrestaShop tables CDC reads: DDL and reference seed rows, for any table prefix. The embedded stack
provisions its shop database from them and the sandbox (twins, sample, simulator) runs on them.

The SQL lives next to this module (``prestashop.sql``, ``prestashop_seed.sql``) with the literal
placeholder ``{prefix}``; PrestaShop's default prefix is ``ps_`` and 9.x installers randomise it, so
nothing here assumes ``ps_``.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any, Protocol

PREFIX_PATTERN = re.compile(r"^[a-z0-9_]{1,16}$")
PLACEHOLDER = "{prefix}"
SIGNAL_TABLE = "debezium_signal"

# PrestaShop's Db class opens every connection with an empty sql_mode; its DDL and its writes rely
# on it (NOT NULL datetimes without defaults, implicit zero values).
PRESTASHOP_SQL_MODE = ""

_CREATE_RE = re.compile(r"CREATE TABLE IF NOT EXISTS `([^`]+)`")


class SqlConnection(Protocol):
    """The part of a PyMySQL connection the loaders use."""

    def cursor(self) -> Any: ...

    def commit(self) -> None: ...


def validate_prefix(prefix: str) -> str:
    """Return ``prefix`` if it is a safe table prefix, else raise ValueError (it goes into SQL)."""
    if not isinstance(prefix, str) or not PREFIX_PATTERN.fullmatch(prefix):
        raise ValueError(f"invalid PrestaShop table prefix {prefix!r}: must match {PREFIX_PATTERN.pattern}")
    return prefix


def _read(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def split_statements(sql: str) -> list[str]:
    """Split a script on ';' at end of line, after dropping whole-line ``--`` comments."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    statements = re.split(r";[ \t]*(?:\n|$)", "\n".join(lines))
    return [s.strip() for s in statements if s.strip()]


def _render(name: str, prefix: str) -> list[str]:
    validate_prefix(prefix)
    return [s.replace(PLACEHOLDER, prefix) for s in split_statements(_read(name))]


def prestashop_ddl(prefix: str) -> list[str]:
    """CREATE TABLE statements for the synced PrestaShop tables plus ``debezium_signal``."""
    return _render("prestashop.sql", prefix)


def prestashop_seed(prefix: str) -> list[str]:
    """INSERT IGNORE statements for the reference rows of a fresh install (shop, lang, states...)."""
    return _render("prestashop_seed.sql", prefix)


def prestashop_tables(prefix: str) -> list[str]:
    """Names of the tables ``prestashop_ddl(prefix)`` creates, in creation order."""
    names: list[str] = []
    for statement in prestashop_ddl(prefix):
        match = _CREATE_RE.search(statement)
        if match:
            names.append(match.group(1))
    return names


def _execute_all(conn: SqlConnection, statements: list[str]) -> None:
    with conn.cursor() as cur:
        cur.execute("SET SESSION sql_mode = %s", (PRESTASHOP_SQL_MODE,))
        for statement in statements:
            cur.execute(statement)
    conn.commit()


def apply_prestashop_ddl(conn: SqlConnection, prefix: str) -> None:
    """Create the tables (idempotent) in the connection's current database."""
    _execute_all(conn, prestashop_ddl(prefix))


def apply_prestashop_seed(conn: SqlConnection, prefix: str) -> None:
    """Insert the reference rows (idempotent)."""
    _execute_all(conn, prestashop_seed(prefix))


def load_prestashop(conn: SqlConnection, prefix: str, seed: bool = True) -> None:
    """DDL, then the seed rows unless ``seed`` is False."""
    apply_prestashop_ddl(conn, prefix)
    if seed:
        apply_prestashop_seed(conn, prefix)
