"""What onboarding compares and reports: one record of each system, the match of a pair, the link
`onboard --execute` records. Plain data, no I/O (``prestasync.onboard.match`` decides, ``read``
fills these from the databases, ``link`` writes the links)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["matched", "only_in_shop", "only_in_erp", "conflicting"]
STATUSES: tuple[Status, ...] = ("matched", "only_in_shop", "only_in_erp", "conflicting")
ENTITIES = ("customers", "products", "combinations", "orders")


@dataclass(frozen=True)
class Rec:
    """One row of one system: its id, the natural key it carries now (``schemas.keys``: ``PS-<id>``,
    the SKU, the order reference), what it can be matched by, and the fields compared."""

    id: int
    key: str | None = None
    email: str | None = None  # customers
    ean13: str | None = None  # products and combinations (Odoo ``barcode``)
    refs: tuple[str, ...] = ()  # orders on the ERP side: client_order_ref, origin, name
    fields: Mapping[str, str | None] = field(default_factory=dict)
    note: str = ""  # e.g. "guest", "archived"


@dataclass(frozen=True)
class Link:
    """The identity `--execute` records: the natural key written into the ERP record's key field,
    where the streams and the sinks read it (a partner's ``ref``, a product's ``default_code``, a sale
    order's ``client_order_ref``). Written only while that field is still empty."""

    model: str
    record_id: int
    field_name: str
    value: str

    def as_dict(self) -> dict[str, Any]:
        return {"model": self.model, "id": self.record_id, "field": self.field_name, "value": self.value}


@dataclass(frozen=True)
class Match:
    entity: str
    status: Status
    key: str | None  # the canonical key both records answer to once linked
    shop: Rec | None = None
    erp: Rec | None = None
    by: str = ""  # what matched them: linked (the key is already in both), email, reference, ean13, origin...
    link: Link | None = None  # what --execute writes (None: nothing to write, or a person decides)
    differences: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)  # shop, erp
    owner: str = ""  # whose values the first sync writes over the other's (the ownership rules)
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "status": self.status,
            "key": self.key,
            "shop_id": self.shop.id if self.shop else None,
            "erp_id": self.erp.id if self.erp else None,
            "by": self.by,
            "link": self.link.as_dict() if self.link else None,
            "differences": {k: {"shop": s, "erp": e} for k, (s, e) in self.differences.items()},
            "owner": self.owner,
            "reason": self.reason,
        }


def summary(matches: Iterable[Match]) -> dict[str, dict[str, int]]:
    """Per entity, the count of each status (every status present, zeros included)."""
    counts: Counter[tuple[str, str]] = Counter((m.entity, m.status) for m in matches)
    return {e: {s: counts[(e, s)] for s in STATUSES} for e in ENTITIES}


def compare(shop: Mapping[str, str | None], erp: Mapping[str, str | None]) -> dict[str, tuple[str | None, str | None]]:
    """The fields both sides hold that differ (a field one side does not read is not compared)."""
    return {n: (shop[n], erp[n]) for n in shop if n in erp and shop[n] != erp[n]}


def norm_email(value: Any) -> str | None:
    text = str(value or "").strip().lower()
    return text or None


def norm_text(value: Any) -> str | None:
    """Blanks collapsed: what a person typed in one system equals the other's if only spacing differs."""
    if value is None or value is False:
        return None
    return " ".join(str(value).split()) or None
