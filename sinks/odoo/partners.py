"""Customer and address commands -> res.partner, upserted by ``ref`` (``schemas.keys``).

Customers are looked up by ``ref`` (``PS-<id>``), then by e-mail among partners without a ref
(an ERP contact the shop customer already matches is adopted, not duplicated); the missing ones
are created in one ``create`` call. Addresses are child partners with ``ref`` ``PS-A-<id>``; a
parent that is not in Odoo yet (address before customer) is created as a placeholder the
Customer command fills in later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from schemas import keys
from schemas.records import Address, Canonical, Customer
from sinks.common.errors import TerminalError
from sinks.common.handlers import Applied, BatchItem, BatchResult, CommandMeta
from sinks.common.keylocks import KeyLocks
from sinks.odoo import mapping
from sinks.odoo.client import OdooClient
from sinks.odoo.config import ResolvedOdooConfig

PARTNER = "res.partner"
ALL_RECORDS = {"active_test": False}  # archived partners still own their ref
# Customer, Address and Order commands (three keys) may each create a customer's partner.
PARTNER_LOCKS = KeyLocks()
PARTNER_FIELDS = ["id", "ref", "name", "email", "active", "lang", "parent_id", "type", "street", "street2", "zip",
                  "city", "country_id", "phone", "vat"]


def create_each(client: OdooClient, model: str, vals_list: list[dict[str, Any]]) -> list[int | TerminalError]:
    """One batch ``create``; if Odoo rejects it (one bad row fails the whole call), one by one."""
    if not vals_list:
        return []
    try:
        return list(client.create(model, vals_list))
    except TerminalError:
        if len(vals_list) == 1:
            raise
    results: list[int | TerminalError] = []
    for values in vals_list:
        try:
            results.append(client.create(model, [values])[0])
        except TerminalError as exc:
            results.append(exc)
    return results


def _update(client: OdooClient, row: dict[str, Any], values: dict[str, Any], meta: CommandMeta,
            sources: Mapping[str, tuple[str, ...]], extra: dict[str, Any] | None = None) -> Applied:
    wanted = mapping.update_values(values, sources, meta.fields, meta.create_only)
    diff = {**mapping.changed_values(wanted, row), **(extra or {})}
    if diff:
        client.write(PARTNER, [int(row["id"])], diff)
    stored = {**{k: row.get(k) for k in wanted}, **diff}
    return Applied({PARTNER: str(row["id"])}, mapping.stored_text(stored, sources), bool(diff))


def upsert_customers(client: OdooClient, items: Sequence[BatchItem]) -> BatchResult:
    results: list[Applied | TerminalError | None] = [None] * len(items)
    wanted: list[tuple[int, Customer, CommandMeta, dict[str, Any]]] = []
    for index, (record, meta) in enumerate(items):
        assert isinstance(record, Customer)
        if record.shop_customer_id is None:
            results[index] = TerminalError("odoo: a customer without a shop id cannot be keyed in Odoo")
            continue
        values = mapping.partner_values(record)
        if record.envelope.deleted:
            values["active"] = False
        wanted.append((index, record, meta, values))
    refs = [v["ref"] for _, _, _, v in wanted]
    with PARTNER_LOCKS.hold(refs):
        _upsert_found_or_create(client, wanted, refs, results)
    return [r if r is not None else TerminalError("odoo: customer not handled") for r in results]


def _upsert_found_or_create(client: OdooClient, wanted: list[tuple[int, Customer, CommandMeta, dict[str, Any]]],
                            refs: list[str], results: list[Applied | TerminalError | None]) -> None:
    by_ref = {row["ref"]: row for row in client.search_read(
        PARTNER, [("ref", "in", refs)], PARTNER_FIELDS, context=ALL_RECORDS)} if refs else {}
    # a placeholder (made by an address or order that came first: no e-mail yet) gives way to the ERP
    # contact of the same e-mail, like a customer without any partner would
    placeholders = {v["ref"] for _, r, _, v in wanted
                    if r.email and v["ref"] in by_ref and not by_ref[v["ref"]].get("email")}
    emails = [r.email for _, r, _, v in wanted if (v["ref"] not in by_ref or v["ref"] in placeholders) and r.email]
    by_email: dict[str, dict[str, Any]] = {}
    if emails:
        for contact in client.search_read(PARTNER, [("email", "in", emails), ("ref", "=", False),
                                                    ("parent_id", "=", False)], PARTNER_FIELDS, context=ALL_RECORDS):
            by_email.setdefault(contact["email"], contact)
    to_create: list[tuple[int, dict[str, Any]]] = []
    for index, record, meta, values in wanted:
        row = by_ref.get(values["ref"])
        if row is not None and values["ref"] in placeholders and record.email in by_email:
            adopted = by_email.pop(record.email)
            merge_placeholder(client, int(row["id"]), int(adopted["id"]))
            results[index] = _update(client, adopted, values, meta, mapping.PARTNER_FIELD_SOURCES,
                                     {"ref": values["ref"], "customer_rank": 1})
        elif row is not None:
            results[index] = _update(client, row, values, meta, mapping.PARTNER_FIELD_SOURCES)
        elif record.email and record.email in by_email:
            adopted = by_email.pop(record.email)  # one shop customer adopts one ERP contact
            results[index] = _update(client, adopted, values, meta, mapping.PARTNER_FIELD_SOURCES,
                                     {"ref": values["ref"], "customer_rank": 1})
        else:
            to_create.append((index, values))
    created = create_each(client, PARTNER, [v for _, v in to_create])
    for (index, values), outcome in zip(to_create, created, strict=True):
        results[index] = outcome if isinstance(outcome, TerminalError) else Applied(
            {PARTNER: str(outcome)}, mapping.stored_text(values, mapping.PARTNER_FIELD_SOURCES), True)


# what points at a customer partner from what the sink writes: orders and addresses
_PARTNER_LINKS = (("sale.order", ("partner_id", "partner_invoice_id", "partner_shipping_id")),
                  (PARTNER, ("parent_id",)))


def merge_placeholder(client: OdooClient, placeholder_id: int, contact_id: int) -> None:
    """Move what hangs on the placeholder (addresses, orders) to the ERP contact, free its ref and
    archive it: the contact then takes the ref, and the customer stays one partner."""
    for model, fields in _PARTNER_LINKS:
        for field in fields:
            ids = [int(row["id"]) for row in client.search_read(model, [(field, "=", placeholder_id)], ["id"],
                                                                 context=ALL_RECORDS)]
            if ids:
                client.write(model, ids, {field: contact_id})
    client.write(PARTNER, [placeholder_id], {"ref": False, "active": False})


def parent_partner(client: OdooClient, customer_key: str, name: str | None) -> int:
    """The customer partner of ``customer_key``; a placeholder is created if it is not there yet."""
    with PARTNER_LOCKS.hold([customer_key]):
        rows = client.search_read(PARTNER, [("ref", "=", customer_key), ("parent_id", "=", False)], ["id"],
                                  limit=1, context=ALL_RECORDS)
        if rows:
            return int(rows[0]["id"])
        return client.create(PARTNER, [mapping.placeholder_partner_values(customer_key, name)])[0]


def upsert_address(client: OdooClient, config: ResolvedOdooConfig, record: Canonical, meta: CommandMeta) -> Applied:
    assert isinstance(record, Address)
    if record.customer_key is None or record.envelope.origin_system != "prestashop":
        raise TerminalError("odoo: an address needs its shop customer key and shop id")
    person = " ".join(p for p in (record.first_name, record.last_name) if p) or None
    parent_id = parent_partner(client, record.customer_key, person)
    country = config.options.country_ids.get(record.origin_country_id or 0)
    values = mapping.address_values(record, parent_partner_id=parent_id, country_id=country)
    if record.envelope.deleted:
        values["active"] = False
    ref = keys.address_ref(int(record.envelope.origin_id))
    rows = client.search_read(PARTNER, [("ref", "=", ref)], PARTNER_FIELDS, limit=1, context=ALL_RECORDS)
    sources = {**mapping.ADDRESS_FIELD_SOURCES, "active": ("active",)}
    if rows:
        extra = {"parent_id": parent_id} if mapping.changed_values({"parent_id": parent_id}, rows[0]) else {}
        return _update(client, rows[0], values, meta, sources, extra)
    new_id = client.create(PARTNER, [values])[0]
    return Applied({PARTNER: str(new_id), f"{PARTNER}.parent": str(parent_id)},
                   mapping.stored_text(values, sources), True)
