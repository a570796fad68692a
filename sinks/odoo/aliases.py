"""One Odoo partner per shopper e-mail: guest checkouts and a guest who registers later (#13).

PrestaShop creates a new ``customer`` row (``is_guest=1``) on every guest checkout, even with the
same e-mail, and a guest who then registers gets yet another id. The partner keeps the ``ref`` of
the first shop customer; every later shop customer of the same e-mail gets an **alias**: an archived
child partner (``type='other'``) whose ``ref`` is its customer key (``PS-<id>``), so the orders and
addresses keyed by that customer find the one partner. A customer key's row with a parent is always
an alias: the customer partners the sink creates are top-level.
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
    rows = client.search_read(PARTNER, [("email_normalized", "in", wanted), ("parent_id", "=", False)],
                              FIELDS, context=ALL_RECORDS)
    found: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: (not r.get("active"), int(r["id"]))):
        found.setdefault(normal(row.get("email")), row)
    return found


def alias_values(customer: Customer, customer_key: str, main_id: int) -> dict[str, Any]:
    return {"name": f"{customer.display_name or customer_key} ({customer_key})", "ref": customer_key,
            "parent_id": main_id, "type": "other", "active": False, "email": customer.email}
