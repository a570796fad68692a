"""A small reader for PrestaShop-style CREATE TABLE scripts: table -> column -> normalised type.

Enough for comparing our DDL with PrestaShop's own ``db_structure.sql`` files (backquoted names,
one column per definition, optional ``PREFIX_`` or ``{prefix}`` placeholder). Not a SQL parser.
"""

from __future__ import annotations

import re

_TABLE_RE = re.compile(r"CREATE TABLE (?:IF NOT EXISTS )?`(?:PREFIX_|\{prefix\})?(\w+)` \((.*?)\n\)[^;]*;", re.S)
_COLUMN_RE = re.compile(r"`(\w+)` (.*)", re.S)
_TYPE_RE = re.compile(r"(\w+(?:\s*\([^)]*\))?(?:\s+unsigned)?)", re.I)


def _split_top_level(body: str) -> list[str]:
    """Split a table body on the commas that are outside parentheses and quotes."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    quoted = False
    for char in body:
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def normalise_type(declaration: str) -> str:
    """``int(10) UNSIGNED NOT NULL`` -> ``int(10) unsigned``; ``DECIMAL(20, 6)`` -> ``decimal(20,6)``."""
    match = _TYPE_RE.match(declaration.strip())
    if not match:
        raise ValueError(f"no column type in {declaration!r}")
    compact = re.sub(r"\s+", "", match.group(1).lower())
    return compact.replace("unsigned", " unsigned")


def parse_tables(sql: str) -> dict[str, dict[str, str]]:
    """Map each table (prefix stripped) to its columns and their normalised types."""
    without_comments = re.sub(r"/\*.*?\*/", "", sql, flags=re.S)
    tables: dict[str, dict[str, str]] = {}
    for table in _TABLE_RE.finditer(without_comments):
        columns: dict[str, str] = {}
        for part in _split_top_level(table.group(2)):
            column = _COLUMN_RE.match(" ".join(part.split()))
            if column:
                columns[column.group(1)] = normalise_type(column.group(2))
        tables[table.group(1)] = columns
    return tables
