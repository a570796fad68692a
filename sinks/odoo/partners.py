"""Customer and address commands -> res.partner, upserted by ``ref`` (``schemas.keys``).

Customers are looked up by ``ref`` (``PS-<id>``), then by e-mail among partners without a ref
(an ERP contact the shop customer already matches is adopted, not duplicated); the missing ones
are created in one ``create`` call. Addresses are child partners with ``ref`` ``PS-A-<id>``; a
parent that is not in Odoo yet (address before customer) is created as a placeholder the
Customer command fills in later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from schemas import keys
from schemas.records import Address, Canonical, Customer
from sinks.common.errors import TerminalError
from sinks.common.handlers import Applied, BatchItem, BatchResult, CommandMeta
from sinks.common.keylocks import KeyLocks
from sinks.odoo import aliases, mapping
from sinks.odoo.client import OdooClient
from sinks.odoo.config import ResolvedOdooConfig

PARTNER = "res.partner"
T = TypeVar("T")
R = TypeVar("R")
ALL_RECORDS = {"active_test": False}  # archived partners still own their ref
# Customer, Address and Order commands (three keys) may each create a customer's partner.
PARTNER_LOCKS = KeyLocks()
PARTNER_FIELDS = [
    "id",
    "ref",
    "name",
    "email",
    "active",
    "lang",
    "parent_id",
    "type",
    "street",
    "street2",
    "zip",
    "city",
    "country_id",
    "phone",
    "vat",
]


def batch_or_each(call: Callable[[list[T]], Sequence[R]], items: list[T]) -> list[R | TerminalError]:
    """One batch call; if Odoo rejects it (one bad item fails the whole call, rolled back), one by one.

    ``call`` answers one result per item. A refused batch of one raises, as the call did."""
    if not items:
        return []
    try:
        return list(call(items))
    except TerminalError:
        if len(items) == 1:
            raise
    results: list[R | TerminalError] = []
    for item in items:
        try:
            results.append(call([item])[0])
        except TerminalError as exc:
            results.append(exc)
    return results


def create_each(client: OdooClient, model: str, vals_list: list[dict[str, Any]]) -> list[int | TerminalError]:
    """One batch ``create``; if Odoo rejects it (one bad row fails the whole call), one by one."""
    return batch_or_each(lambda values: client.create(model, values), vals_list)


def _update(
    client: OdooClient,
    row: dict[str, Any],
    values: dict[str, Any],
    meta: CommandMeta,
    sources: Mapping[str, tuple[str, ...]],
    extra: dict[str, Any] | None = None,
) -> Applied:
    wanted = mapping.update_values(values, sources, meta.fields, meta.create_only)
    changes = mapping.changed_values(wanted, row)
    held = mapping.outdated(row, changes, sources, meta.expected) if meta.expected and not extra else None
    if held is not None:  # changed in Odoo since the command was derived: acked stale, nothing written
        return Applied.refused({PARTNER: str(row["id"])}, held)
    diff = {**changes, **(extra or {})}
    if diff:
        client.write(PARTNER, [int(row["id"])], diff)
    stored = {**{k: row.get(k) for k in wanted}, **diff}
    return Applied({PARTNER: str(row["id"])}, mapping.stored_text(stored, sources), bool(diff))


def upsert_customers(client: OdooClient, items: Sequence[BatchItem], *, join_by_email: bool = True) -> BatchResult:
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
    # shop customers of one e-mail share a partner (aliases): their commands must not interleave either
    with PARTNER_LOCKS.hold(refs + [f"email:{aliases.normal(r.email)}" for _, r, _, _ in wanted if r.email]):
        _upsert_found_or_create(client, wanted, refs, results, join_by_email)
    return [r if r is not None else TerminalError("odoo: customer not handled") for r in results]


def _joined(
    client: OdooClient, main_id: int, record: Customer, values: dict[str, Any], meta: CommandMeta, created: bool
) -> Applied:
    """A shop customer whose e-mail's partner already exists: a guest checkout is a snapshot and
    writes nothing; a registered customer's asserted fields go to the partner (its ref stays)."""
    if record.is_guest:
        return Applied({PARTNER: str(main_id)}, {}, created)
    row = client.search_read(PARTNER, [("id", "=", main_id)], PARTNER_FIELDS, context=ALL_RECORDS)[0]
    applied = _update(client, row, {k: v for k, v in values.items() if k != "ref"}, meta, mapping.PARTNER_FIELD_SOURCES)
    return Applied(applied.target_ids, applied.written, applied.changed or created)


def _alias(client: OdooClient, main_id: int, record: Customer, values: dict[str, Any], meta: CommandMeta) -> Applied:
    client.create(PARTNER, [aliases.alias_values(record, values["ref"], main_id)])
    return _joined(client, main_id, record, values, meta, created=True)


def _upsert_found_or_create(
    client: OdooClient,
    wanted: list[tuple[int, Customer, CommandMeta, dict[str, Any]]],
    refs: list[str],
    results: list[Applied | TerminalError | None],
    join_by_email: bool = True,
) -> None:
    by_ref = (
        {
            row["ref"]: row
            for row in client.search_read(PARTNER, [("ref", "in", refs)], PARTNER_FIELDS, context=ALL_RECORDS)
        }
        if refs
        else {}
    )
    # a placeholder (made by an address or order that came first: no e-mail yet) gives way to the ERP
    # contact of the same e-mail, like a customer without any partner would
    placeholders = {
        v["ref"]
        for _, r, _, v in wanted
        if r.email
        and v["ref"] in by_ref
        and not by_ref[v["ref"]].get("email")
        and not aliases.is_alias(by_ref[v["ref"]])
    }
    emails = [r.email for _, r, _, v in wanted if (v["ref"] not in by_ref or v["ref"] in placeholders) and r.email]
    by_email: dict[str, dict[str, Any]] = {}
    if emails:
        for contact in client.search_read(
            PARTNER,
            [("email", "in", emails), ("ref", "=", False), ("parent_id", "=", False)],
            PARTNER_FIELDS,
            context=ALL_RECORDS,
        ):
            by_email.setdefault(contact["email"], contact)
    # the partner another shop customer of the same e-mail already has (a guest's earlier checkout)
    shoppers = aliases.by_email(client, [e for e in emails if e not in by_email]) if join_by_email else {}
    to_create: list[tuple[int, dict[str, Any]]] = []
    late: list[tuple[int, Customer, CommandMeta, dict[str, Any], int]] = []  # same e-mail as a new one
    first_new: dict[str, int] = {}
    for index, record, meta, values in wanted:
        row = by_ref.get(values["ref"])
        email = aliases.normal(record.email)
        main = shoppers.get(email)
        if row is not None and aliases.is_alias(row):
            results[index] = _joined(client, aliases.partner_id(row), record, values, meta, created=False)
        elif row is not None and values["ref"] in placeholders and record.email in by_email:
            adopted = by_email.pop(record.email)
            merge_placeholder(client, int(row["id"]), int(adopted["id"]))
            results[index] = _update(
                client, adopted, values, meta, mapping.PARTNER_FIELD_SOURCES, {"ref": values["ref"], "customer_rank": 1}
            )
        elif row is not None and values["ref"] in placeholders and main is not None and main["id"] != row["id"]:
            merge_placeholder(client, int(row["id"]), int(main["id"]), alias=True)
            results[index] = _joined(client, int(main["id"]), record, values, meta, created=True)
        elif row is not None:
            results[index] = _update(client, row, values, meta, mapping.PARTNER_FIELD_SOURCES)
        elif record.email and record.email in by_email:
            adopted = by_email.pop(record.email)  # one shop customer adopts one ERP contact
            results[index] = _update(
                client, adopted, values, meta, mapping.PARTNER_FIELD_SOURCES, {"ref": values["ref"], "customer_rank": 1}
            )
        elif main is not None:
            results[index] = _alias(client, int(main["id"]), record, values, meta)
        elif join_by_email and email and email in first_new:
            late.append((index, record, meta, values, first_new[email]))
        else:
            if join_by_email and email:
                first_new[email] = len(to_create)
            to_create.append((index, values))
    created = create_each(client, PARTNER, [v for _, v in to_create])
    for (index, values), outcome in zip(to_create, created, strict=True):
        results[index] = (
            outcome
            if isinstance(outcome, TerminalError)
            else Applied({PARTNER: str(outcome)}, mapping.stored_text(values, mapping.PARTNER_FIELD_SOURCES), True)
        )
    for index, record, meta, values, position in late:
        outcome = created[position]
        results[index] = (
            outcome if isinstance(outcome, TerminalError) else _alias(client, outcome, record, values, meta)
        )


# what points at a customer partner from what the sink writes: orders and addresses
_PARTNER_LINKS = (
    ("sale.order", ("partner_id", "partner_invoice_id", "partner_shipping_id")),
    (PARTNER, ("parent_id",)),
)


def merge_placeholder(client: OdooClient, placeholder_id: int, contact_id: int, *, alias: bool = False) -> None:
    """Move what hangs on the placeholder (addresses, orders) to the ERP contact, free its ref and
    archive it: the contact then takes the ref, and the customer stays one partner. With ``alias``
    (the contact is another shop customer of the same e-mail) the placeholder keeps its ref and
    becomes that customer's alias (``sinks.odoo.aliases``)."""
    for model, fields in _PARTNER_LINKS:
        for field in fields:
            ids = [
                int(row["id"])
                for row in client.search_read(model, [(field, "=", placeholder_id)], ["id"], context=ALL_RECORDS)
            ]
            if ids:
                client.write(model, ids, {field: contact_id})
    if alias:
        client.write(PARTNER, [placeholder_id], {"parent_id": contact_id, "type": "other", "active": False})
    else:
        client.write(PARTNER, [placeholder_id], {"ref": False, "active": False})


def parent_partner(client: OdooClient, customer_key: str, name: str | None) -> int:
    """The customer partner of ``customer_key``; a placeholder is created if it is not there yet.
    The caller holds ``PARTNER_LOCKS`` on the key."""
    rows = client.search_read(
        PARTNER, [("ref", "=", customer_key)], ["id", "ref", "parent_id"], limit=1, context=ALL_RECORDS
    )
    if rows:
        return aliases.partner_id(rows[0])  # the customer's own partner, or the one its alias names
    return client.create(PARTNER, [mapping.placeholder_partner_values(customer_key, name)])[0]


def upsert_address(client: OdooClient, config: ResolvedOdooConfig, record: Canonical, meta: CommandMeta) -> Applied:
    assert isinstance(record, Address)
    if record.customer_key is None or record.envelope.origin_system != "prestashop":
        raise TerminalError("odoo: an address needs its shop customer key and shop id")
    person = " ".join(p for p in (record.first_name, record.last_name) if p) or None
    with PARTNER_LOCKS.hold([record.customer_key]):  # the Customer / Order commands of this partner wait
        return _upsert_address(client, config, record, meta, person)


def _upsert_address(
    client: OdooClient, config: ResolvedOdooConfig, record: Address, meta: CommandMeta, person: str | None
) -> Applied:
    assert record.customer_key is not None
    parent_id = parent_partner(client, record.customer_key, person)
    country = config.options.country_ids.get(record.origin_country_id or 0)
    values = mapping.address_values(record, parent_partner_id=parent_id, country_id=country)
    if record.envelope.deleted:
        values["active"] = False
    ref = keys.address_ref(int(record.envelope.origin_id))
    rows = client.search_read(PARTNER, [("ref", "=", ref)], PARTNER_FIELDS, limit=1, context=ALL_RECORDS)
    sources = {**mapping.ADDRESS_FIELD_SOURCES, "active": ("active",)}
    if rows and aliases.is_address_alias(client, rows[0]):
        return Applied({PARTNER: str(aliases.parent_of(rows[0]))}, {}, changed=False)
    if rows:
        extra = {"parent_id": parent_id} if mapping.changed_values({"parent_id": parent_id}, rows[0]) else {}
        return _update(client, rows[0], values, meta, sources, extra)
    same = aliases.same_address(client, values) if not record.envelope.deleted else None
    if same is not None:  # a guest's next checkout with the same address: one address, this ref its alias
        client.create(PARTNER, [aliases.address_alias_values(values, ref, same)])
        return Applied({PARTNER: str(same), f"{PARTNER}.parent": str(parent_id)}, {}, True)
    new_id = client.create(PARTNER, [values])[0]
    return Applied(
        {PARTNER: str(new_id), f"{PARTNER}.parent": str(parent_id)}, mapping.stored_text(values, sources), True
    )
