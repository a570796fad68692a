"""One Odoo partner per shopper e-mail: guest checkouts and a guest who registers later (#13).

PrestaShop creates a new ``customer`` row (``is_guest=1``) on every guest checkout, even with the
same e-mail, and a guest who then registers gets yet another id. The partner keeps the ``ref`` of
the first shop customer; every later shop customer of the same e-mail gets an **alias**: an archived
child partner (``type='other'``) whose ``ref`` is its customer key (``PS-<id>``), so the orders and
addresses keyed by that customer find the one partner. A customer key's row with a parent is always
an alias: the customer partners the sink creates are top-level.

Addresses are deduplicated by content the same way: a new shop address (``PS-A-<id>``) identical to
an active address of the same partner (type, name, street, street2, zip, city, country, phone) becomes
an archived copy under that address; an address partner's children are always such aliases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from schemas.records import Customer
from sinks.odoo.client import OdooClient

PARTNER = "res.partner"
ALL_RECORDS = {"active_test": False}
_CUSTOMER_KEY = re.compile(r"^PS-\d+$")
FIELDS = ["id", "ref", "parent_id", "email", "active"]


def parent_of(row: dict[str, Any]) -> int | None:
    parent = row.get("parent_id")
    if isinstance(parent, list | tuple):
        parent = parent[0] if parent else None
    return int(parent) if parent else None


def is_alias(row: dict[str, Any]) -> bool:
    return bool(_CUSTOMER_KEY.match(str(row.get("ref") or ""))) and parent_of(row) is not None


def partner_id(row: dict[str, Any]) -> int:
    """The partner a row stands for: an alias's parent, else the row itself."""
    parent = parent_of(row) if is_alias(row) else None
    return parent if parent is not None else int(row["id"])


def normal(email: str | None) -> str:
    return (email or "").strip().lower()


def by_email(client: OdooClient, emails: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Top-level partners of these e-mails (shop customers and ERP contacts), active ones first,
    then the oldest: the partner a new shop customer of that e-mail joins."""
    wanted = sorted({normal(e) for e in emails if normal(e)})
    if not wanted:
        return {}
    rows = client.search_read(
        PARTNER, [("email_normalized", "in", wanted), ("parent_id", "=", False)], FIELDS, context=ALL_RECORDS
    )
    found: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: (not r.get("active"), int(r["id"]))):
        found.setdefault(normal(row.get("email")), row)
    return found


def alias_values(customer: Customer, customer_key: str, main_id: int) -> dict[str, Any]:
    return {
        "name": f"{customer.display_name or customer_key} ({customer_key})",
        "ref": customer_key,
        "parent_id": main_id,
        "type": "other",
        "active": False,
        "email": customer.email,
    }


_ADDRESS_KEY = re.compile(r"^PS-A-\d+$")
SAME_ADDRESS = ("type", "name", "street", "street2", "zip", "city", "country_id", "phone")


def same_address(client: OdooClient, values: dict[str, Any]) -> int | None:
    """An active address of the same partner with the same content, if any (the oldest)."""
    domain: list[Any] = [("parent_id", "=", values["parent_id"]), ("ref", "=like", "PS-A-%")]
    domain += [(name, "=", values.get(name) or False) for name in SAME_ADDRESS if name in values]
    rows = client.search_read(PARTNER, domain, ["id"], limit=1)
    return int(rows[0]["id"]) if rows else None


def address_alias_values(values: dict[str, Any], ref: str, address_id: int) -> dict[str, Any]:
    """The same content (so the ERP's row reads as the shop's address), under the kept address, archived."""
    return {**values, "name": values.get("name") or ref, "ref": ref, "parent_id": address_id, "active": False}


def is_address_alias(client: OdooClient, row: dict[str, Any]) -> bool:
    """An address row whose parent is itself a shop address (``PS-A-``): an alias."""
    parent = parent_of(row)
    if parent is None or not _ADDRESS_KEY.match(str(row.get("ref") or "")):
        return False
    found = client.search_read(PARTNER, [("id", "=", parent)], ["ref"], context=ALL_RECORDS)
    return bool(found) and bool(_ADDRESS_KEY.match(str(found[0].get("ref") or "")))


def resolve(client: OdooClient, rows: list[dict[str, Any]]) -> dict[str, int]:
    """ref -> the partner it stands for: a customer alias's parent, an address alias's address."""
    found = {str(row["ref"]): partner_id(row) for row in rows}
    children = {
        str(row["ref"]): parent_of(row)
        for row in rows
        if _ADDRESS_KEY.match(str(row.get("ref") or "")) and not row.get("active", True)
    }
    parents = sorted({p for p in children.values() if p is not None})
    if parents:
        addresses = {
            int(r["id"])
            for r in client.search_read(PARTNER, [("id", "in", parents)], ["id", "ref"], context=ALL_RECORDS)
            if _ADDRESS_KEY.match(str(r.get("ref") or ""))
        }
        for ref, parent in children.items():
            if parent in addresses:
                found[ref] = parent
    return found
