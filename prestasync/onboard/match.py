"""Matching the records two systems already share, before their first sync (pure).

Each shop record is paired with at most one ERP record and the other way round, by the key the
pipeline uses when it is already there (``schemas.keys``: a partner's ``ref`` ``PS-<id>``, a product's
``default_code`` = the shop reference, a sale order's ``client_order_ref`` = the shop order reference),
else by what a person typing the shop's data into the ERP would have kept: the e-mail, the EAN13
(Odoo ``barcode``), the shop order reference in the sale order's ``origin`` or ``name``. A pair found
that way gets a :class:`Link`: the key written into the ERP record's empty key field, so the initial
snapshot finds it there (the sinks upsert by those keys) instead of creating it again.

Nothing is linked when a person must decide (status ``conflicting`` without a link): two candidates,
an ERP key field already holding another value (written over, it would lose the merchant's code),
a shop key shared by several shop rows. A pair that matches with different field values is linked
and ``conflicting`` too: the first sync writes the owner's values (``owner``) over the other's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from prestasync.onboard.model import Link, Match, Rec, compare, norm_email
from schemas import keys

PARTNER, VARIANT, SALE_ORDER = "res.partner", "product.product", "sale.order"


def _paired(
    entity: str,
    key: str | None,
    shop: Rec,
    erp: Rec,
    by: str,
    owner: str,
    link: Link | None,
    why_different: str,
) -> Match:
    diff = compare(shop.fields, erp.fields)
    if diff:
        return Match(entity, "conflicting", key, shop, erp, by, link, diff, owner, why_different)
    return Match(entity, "matched", key, shop, erp, by, link, {}, owner)


def _grouped(records: Iterable[Rec], key: Callable[[Rec], str | None]) -> dict[str, list[Rec]]:
    out: dict[str, list[Rec]] = defaultdict(list)
    for r in records:
        if (k := key(r)) is not None:
            out[k].append(r)
    return out


def customers(shop: Sequence[Rec], erp: Sequence[Rec]) -> list[Match]:
    """``shop``: customers (``key`` ``PS-<id>``, ``note`` "guest"), ``erp``: top-level partners (``key``
    their ref). Shop customers of one e-mail share one partner (the Odoo sink's aliases): the
    registered one with the lowest id is matched, the others join it."""
    by_ref = {r.key: r for r in erp if keys.shop_customer_id(r.key) is not None}
    free = _grouped((r for r in erp if not r.key), lambda r: norm_email(r.email))
    taken = _grouped((r for r in erp if r.key and keys.shop_customer_id(r.key) is None), lambda r: norm_email(r.email))
    used: set[int] = set()
    out: list[Match] = []
    why = "the shop's values are written to the ERP partner at the first sync (the shop owns customers)"
    for email, members in sorted(_grouped(shop, lambda r: norm_email(r.email)).items()):
        members = sorted(members, key=lambda r: (r.note == "guest", r.id))
        first = members[0]
        for rec in members:
            partner = by_ref.get(rec.key)
            if partner is not None:
                used.add(partner.id)
                if norm_email(partner.email) != email:
                    out.append(
                        Match(
                            "customers",
                            "conflicting",
                            rec.key,
                            rec,
                            partner,
                            "linked",
                            None,
                            {"email": (email, norm_email(partner.email))},
                            "shop",
                            why,
                        )
                    )
                else:
                    out.append(_paired("customers", rec.key, rec, partner, "linked", "shop", None, why))
            elif rec is not first:
                out.append(
                    Match("customers", "matched", rec.key, rec, None, f"joins {first.key}", reason="same e-mail")
                )
        if first.key in by_ref:
            continue
        candidates = [p for p in free.get(email, []) if p.id not in used]
        if len(candidates) == 1:
            partner = candidates[0]
            used.add(partner.id)
            link = Link(PARTNER, partner.id, "ref", str(first.key))
            out.append(_paired("customers", first.key, first, partner, "email", "shop", link, why))
        elif candidates:
            used.update(p.id for p in candidates)
            ids = ", ".join(str(p.id) for p in candidates)
            reason = (
                f"{len(candidates)} ERP partners have this e-mail ({ids}): merge them or set ref {first.key} on one"
            )
            out.append(Match("customers", "conflicting", first.key, first, None, "email", None, {}, "", reason))
        elif taken.get(email):
            partner = taken[email][0]
            used.update(p.id for p in taken[email])
            reason = (
                f"ERP partner {partner.id} has this e-mail and ref {partner.key!r}: the sync keys partners by "
                f"ref {first.key} and would create another one (set its ref to {first.key}, or clear it)"
            )
            out.append(Match("customers", "conflicting", first.key, first, partner, "email", None, {}, "", reason))
        else:
            out.append(
                Match("customers", "only_in_shop", first.key, first, reason="the first sync creates it in the ERP")
            )
    for rec in shop:  # no e-mail: linked by its key already, or nothing to match it by
        if norm_email(rec.email) is not None:
            continue
        partner = by_ref.get(rec.key)
        if partner is not None:
            used.add(partner.id)
            out.append(_paired("customers", rec.key, rec, partner, "linked", "shop", None, why))
        else:
            out.append(Match("customers", "only_in_shop", rec.key, rec, reason="no e-mail to match by"))
    out += [
        Match("customers", "only_in_erp", r.key, None, r, reason="not a shop customer: never synced")
        for r in erp
        if r.id not in used and keys.shop_customer_id(r.key) is None and r.note != "contact"
    ]
    return out


def sellables(entity: str, shop: Sequence[Rec], erp: Sequence[Rec], unpublished: Sequence[Rec] = ()) -> list[Match]:
    """Products or combinations (``entity``) against ERP variants (``product.product``: ``key`` its
    default_code, ``ean13`` its barcode). By SKU first, else by EAN13; ERP-only variants are created
    in the shop by the first sync (the ERP creates products), the ``unpublished`` ones (services,
    not for sale: the streams' publish filter) never are."""
    by_code = _grouped(erp, lambda r: keys.sku(r.key))
    by_ean = _grouped(erp, lambda r: r.ean13 or None)
    shop_by_code = _grouped(shop, lambda r: keys.sku(r.key))
    used: set[int] = set()
    out: list[Match] = []
    why = "the ERP's values are written to the shop at the first sync (the ERP owns products)"
    for rec in sorted(shop, key=lambda r: r.id):
        sku = keys.sku(rec.key)
        if sku and len(shop_by_code[sku]) > 1:
            reason = (
                f"{len(shop_by_code[sku])} shop {entity} have reference {sku!r}: the sync keys them by "
                "reference (give each its own, or an EAN13 and a reference)"
            )
            out.append(Match(entity, "conflicting", sku, rec, None, "reference", None, {}, "", reason))
            used.update(r.id for r in by_code.get(sku, []))
            continue
        found = by_code.get(sku, []) if sku else []
        if len(found) == 1:
            used.add(found[0].id)
            out.append(_paired(entity, sku, rec, found[0], "reference", "erp", None, why))
            continue
        if len(found) > 1:
            used.update(r.id for r in found)
            ids = ", ".join(str(r.id) for r in found)
            reason = f"{len(found)} ERP variants have default_code {sku!r} ({ids})"
            out.append(Match(entity, "conflicting", sku, rec, None, "reference", None, {}, "", reason))
            continue
        by_barcode = [r for r in by_ean.get(rec.ean13 or "", []) if r.id not in used] if rec.ean13 else []
        if len(by_barcode) == 1:
            variant = by_barcode[0]
            used.add(variant.id)
            if not sku:
                reason = (
                    f"the shop row has no reference: the sync keys products by reference and would create "
                    f"ERP variant {variant.id} ({variant.key or 'no code'}) in the shop again (set the reference)"
                )
                out.append(Match(entity, "conflicting", None, rec, variant, "ean13", None, {}, "", reason))
            elif variant.key:
                reason = (
                    f"same EAN13, but the ERP's default_code is {variant.key!r} and the shop's reference {sku!r}: "
                    "the sync would create the ERP's in the shop too (make them equal)"
                )
                out.append(Match(entity, "conflicting", sku, rec, variant, "ean13", None, {}, "", reason))
            else:
                link = Link(VARIANT, variant.id, "default_code", sku)
                out.append(_paired(entity, sku, rec, variant, "ean13", "erp", link, why))
            continue
        if len(by_barcode) > 1:
            ids = ", ".join(str(r.id) for r in by_barcode)
            reason = f"{len(by_barcode)} ERP variants have EAN13 {rec.ean13} ({ids})"
            out.append(Match(entity, "conflicting", sku, rec, None, "ean13", None, {}, "", reason))
            continue
        out.append(
            Match(entity, "only_in_shop", sku, rec, reason="the ERP creates products: not synced until it has it")
        )
    return out + erp_only(entity, erp, used, unpublished)


def erp_only(entity: str, erp: Sequence[Rec], used: set[int], unpublished: Sequence[Rec]) -> list[Match]:
    """ERP variants no shop row matched, reported once (under ``products``)."""
    if entity != "products":
        return []
    hidden = {r.id for r in unpublished}
    out = []
    for r in erp:
        if r.id in used or r.id in hidden:
            continue
        reason = "the first sync creates it in the shop" if keys.sku(r.key) else "no default_code: never synced"
        out.append(Match("products", "only_in_erp", keys.sku(r.key), None, r, reason=reason))
    return out


def orders(shop: Sequence[Rec], erp: Sequence[Rec]) -> list[Match]:
    """``shop``: orders (``key`` the reference); ``erp``: sale orders (``key`` client_order_ref,
    ``refs`` origin and name). A sale order already carrying the reference as its client reference is
    linked; one carrying it as its origin or its name gets it as client reference."""
    by_client = _grouped(erp, lambda r: keys.order_key(r.key))
    by_other: dict[str, list[Rec]] = defaultdict(list)
    for r in erp:
        for other in {x for x in r.refs if x}:
            by_other[other].append(r)
    used: set[int] = set()
    out: list[Match] = []
    why = "totals: the shop owns orders (lines rewritten while undelivered); state: the ERP's goes to the shop"
    for rec in sorted(shop, key=lambda r: r.id):
        ref = keys.order_key(rec.key)
        linked = by_client.get(ref, []) if ref else []
        if len(linked) == 1:
            used.add(linked[0].id)
            out.append(_paired("orders", ref, rec, linked[0], "linked", "shop", None, why))
            continue
        others = [r for r in by_other.get(ref or "", []) if r.id not in used and not keys.order_key(r.key)]
        candidates = linked or others
        if len(candidates) > 1:
            used.update(r.id for r in candidates)
            ids = ", ".join(str(r.id) for r in candidates)
            reason = f"{len(candidates)} ERP sale orders carry reference {ref!r} ({ids})"
            out.append(Match("orders", "conflicting", ref, rec, None, "reference", None, {}, "", reason))
        elif candidates:
            order = candidates[0]
            used.add(order.id)
            link = Link(SALE_ORDER, order.id, "client_order_ref", str(ref))
            out.append(_paired("orders", ref, rec, order, "origin/name", "shop", link, why))
        elif any(ref in r.refs for r in erp if keys.order_key(r.key)):
            order = next(r for r in erp if ref in r.refs and keys.order_key(r.key))
            used.add(order.id)
            reason = (
                f"ERP sale order {order.id} names {ref!r} but its client reference is {order.key!r}: "
                "the sync would import the shop order again"
            )
            out.append(Match("orders", "conflicting", ref, rec, order, "origin/name", None, {}, "", reason))
        else:
            out.append(Match("orders", "only_in_shop", ref, rec, reason="the first sync imports it into the ERP"))
    out += [
        Match("orders", "only_in_erp", keys.order_key(r.key), None, r, reason="not a shop order: never synced")
        for r in erp
        if r.id not in used
    ]
    return out
