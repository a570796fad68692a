"""`onboard --execute`: record the identities the matching found, where the pipeline reads them.

Identity travels in the data (``schemas.keys``): the shop's key written into the ERP record's key
field is what the Odoo sink upserts by (partner ``ref``, sale order ``client_order_ref``) and what the
streams key an ERP row by (a variant's ``default_code`` is its SKU). So the initial snapshot finds each
matched record instead of creating it again, and the streams see one entity from both sides. Each write
goes through the Odoo sink's own client, as the integration user (the loop guard knows its writes),
and only while the field is still empty: re-read first, so a field a person filled in since the dry
run is never written over. The links written are kept in ``<home>/onboard/links-<time>.json``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from prestasync.onboard.model import Link, Match

if TYPE_CHECKING:
    from sinks.odoo.client import OdooClient


@dataclass(frozen=True)
class Outcome:
    link: Link
    written: bool
    reason: str = ""  # why not


def record_links(
    client: OdooClient, matches: Iterable[Match], on_write: Callable[[Outcome], None] = lambda o: None
) -> list[Outcome]:
    outcomes = []
    for match in matches:
        link = match.link
        if link is None:
            continue
        rows = client.search_read(
            link.model, [("id", "=", link.record_id)], [link.field_name], context={"active_test": False}
        )
        held = rows[0].get(link.field_name) if rows else None
        if not rows:
            outcome = Outcome(link, False, f"{link.model} {link.record_id} is gone")
        elif held == link.value:
            outcome = Outcome(link, False, "already recorded")
        elif held:
            outcome = Outcome(link, False, f"{link.field_name} is {held!r} by now: left as it is")
        else:
            client.write(link.model, [link.record_id], {link.field_name: link.value})
            outcome = Outcome(link, True)
        on_write(outcome)
        outcomes.append(outcome)
    return outcomes


def journal(home: Path, outcomes: list[Outcome]) -> Path:
    """What was written, for the operator (and to undo it by hand: each field was empty before)."""
    folder = home / "onboard"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"links-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    path.write_text(
        json.dumps(
            [{**o.link.as_dict(), "written": o.written, "reason": o.reason} for o in outcomes], indent=2, sort_keys=True
        ),
        encoding="utf-8",
    )
    return path
