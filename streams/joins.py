"""ERP rows joined to what names them in the shop (issue #14): variants to their template (the
parent's SKU, the publish filter), deliveries to their order's reference (the tracking number),
pricelist items to their product's SKU (specific prices).

An Odoo ``product_product`` row names its template by id (``product_tmpl_id``) and carries no
``type`` or ``sale_ok``, while the shop finds a combination's parent by the parent's reference. The
template rows and the variant rows come on two topics, in no set order, so both are keyed
``tmpl:<template id>`` and met here (table ``templates``):

- a template says whether it is published and under which SKU (``TemplateMark``);
- a variant of a published template with a SKU goes on to the loop guard (``obs:variant:<sku>``)
  with ``product_origin_id`` = the parent's SKU (for a single-variant template its own SKU: the
  shop sink then writes it onto the simple product);
- a variant of a template filtered out (a service, not for sale) is dropped and counted
  (``prestasync_filtered_total{table="product_product"}``), as its template was;
- a variant whose template was not seen yet waits in the table and goes on when it comes (its
  SKU's identity is kept at once: ERP stock does not wait for the template);
- a variant goes on only once every value it lists is named (``streams.attribute_steps`` sends the
  names to the same key, ``names``); a name arriving or changing later sends its variants again.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kernel import metrics
from schemas import keys
from schemas.codec import Codec
from schemas.records import AttributeValue, PriceRule, Shipment, Variant
from streams.fields import ERP, entity_key
from streams.outputs import H_INTEGRATION, H_KIND, H_SYSTEM, Out, Tables

if TYPE_CHECKING:
    from streams.mapping.odoo import OdooContext

log = logging.getLogger(__name__)

TEMPLATE = b"template"  # H_KIND of a TemplateMark
ERP_VARIANT = b"variant"  # H_KIND of an ERP Variant on its way to its template
FILTERED = "variants_filtered"  # counters table: variants of unpublished templates


def template_key(template_id: str) -> bytes:
    return f"tmpl:{template_id}".encode()


@dataclass(frozen=True)
class TemplateMark:
    """What the variants need of their template: published or not, and its SKU in the shop."""

    published: bool
    sku: str | None

    def encode(self) -> bytes:
        return json.dumps({"published": self.published, "sku": self.sku}, sort_keys=True).encode()

    @staticmethod
    def decode(value: bytes) -> TemplateMark:
        data = json.loads(value)
        return TemplateMark(published=bool(data["published"]), sku=data.get("sku"))


def named_values(variant: Variant, names: dict[str, Any], locale: str) -> list[AttributeValue] | None:
    """The variant's values with their group and value names; None while one is not named yet."""
    named = []
    for value in variant.attribute_values:
        known = names.get(str(value.origin_value_id))
        if not known:
            return None
        group, text = dict(known["attribute"]), dict(known["value"])
        named.append(
            AttributeValue(
                origin_value_id=value.origin_value_id,
                attribute=_in(group, locale),
                value=_in(text, locale),
                attribute_names=group,
                value_names=text,
            )
        )
    return named


def _in(texts: dict[str, str], locale: str) -> str | None:
    """The text in ``locale``, else in the first locale that has one."""
    return texts.get(locale) or next((texts[k] for k in sorted(texts) if texts[k]), None)


class VariantSteps:
    codec: Codec
    canonical: str
    erp: OdooContext

    def _attribute_names(self, t: Tables, key: str, value: bytes) -> list[Out]:
        """Names of template values (``streams.attribute_steps``): kept, and the variants they name sent
        (again, if a name changed)."""
        update: dict[str, Any] = json.loads(value)
        held = dict(t.templates.get(key) or {})
        names = dict(held.get("names") or {})
        before = dict(names)
        for ptav, known in update.items():
            if known is None:
                names.pop(ptav, None)
            else:
                names[ptav] = known
        if names == before:
            return []
        held["names"] = names
        t.templates[key] = held
        mark = held.get("mark")
        if mark is None:
            return []
        changed = {ptav for ptav in update if names.get(ptav) != before.get(ptav)}
        outs = []
        for entry in dict(held.get("variants") or {}).values():
            variant = self.codec.decode(bytes.fromhex(str(entry["value"])))
            assert isinstance(variant, Variant)
            if changed & {str(v.origin_value_id) for v in variant.attribute_values}:
                outs += self._release(t, TemplateMark(published=mark["published"], sku=mark["sku"]), entry)
        return outs

    def _template_mark(self, t: Tables, key: str, value: bytes) -> list[Out]:
        mark = TemplateMark.decode(value)
        held = dict(t.templates.get(key) or {})
        before = held.get("mark")
        held["mark"] = {"published": mark.published, "sku": mark.sku}
        t.templates[key] = held
        if before == held["mark"]:
            return []  # e.g. a price edit of the template: its variants have nothing new
        return [out for entry in dict(held.get("variants") or {}).values() for out in self._release(t, mark, entry)]

    def _erp_variant(self, t: Tables, key: str, value: bytes, by_us: bool) -> list[Out]:
        variant = self.codec.decode(value)
        assert isinstance(variant, Variant)
        if variant.sku is not None:  # its stock is the SKU's from now on, whatever its template (stock_steps)
            t.identity[f"{ERP}:{variant.envelope.origin_table}:{variant.envelope.origin_id}"] = variant.sku
        held = dict(t.templates.get(key) or {})
        entry = {"value": value.hex(), "by_us": by_us}
        held["variants"] = {**dict(held.get("variants") or {}), variant.envelope.origin_id: entry}
        t.templates[key] = held
        mark = held.get("mark")
        if mark is None:
            return []  # the template's row has not come yet: released by its mark
        return self._release(t, TemplateMark(published=mark["published"], sku=mark["sku"]), entry)

    def _release(self, t: Tables, mark: TemplateMark, entry: dict[str, object]) -> list[Out]:
        variant = self.codec.decode(bytes.fromhex(str(entry["value"])))
        assert isinstance(variant, Variant)
        if not mark.published:
            metrics.FILTERED.labels(system=ERP, table="product_product").inc()
            t.counters[FILTERED] = int(t.counters.get(FILTERED) or 0) + 1
            log.info("variant %s not published: its template is not (%s)", variant.sku, variant.product_origin_id)
            return []
        if mark.sku is None or variant.sku is None:
            return []  # nothing to match in the shop (no reference): as a product without SKU
        held = dict(t.templates.get(template_key(variant.product_origin_id).decode()) or {})
        values = named_values(variant, dict(held.get("names") or {}), self.erp.default_locale)
        if mark.sku == variant.sku:  # its own parent: the simple product, which has no combination to name
            values = values if values is not None else variant.attribute_values
        elif values is None:  # a combination without its values cannot be chosen in the shop: wait for the names
            log.info("variant %s waits for the names of its attribute values", variant.sku)
            return []
        resolved = dataclasses.replace(variant, product_origin_id=mark.sku, attribute_values=values).sealed()
        headers = [(H_KIND, b"obs"), (H_SYSTEM, ERP.encode()), (H_INTEGRATION, b"1" if entry["by_us"] else b"0")]
        key = "obs:" + entity_key(Variant.ENTITY, variant.sku)
        return [Out(self.canonical, key.encode(), self.codec.encode(resolved), headers)]


SHIPMENT = b"shipment"  # H_KIND of an ERP Shipment on its way to its order's reference
UNRESOLVED = "shipments_unresolved"  # counters table: pickings of a sale order the streams do not know


class ShipmentSteps:
    """ERP deliveries -> the shop order's tracking number (issue #14 item 8). A picking names its sale
    order by id (``sale_id``); the order's shop reference is known once its status was seen
    (``identity`` ``odoo:sale_order:<id>`` -> ``client_order_ref``, set by the guard's observation).
    The picking is created in the same transaction as the confirmation, so its first event may come
    before the order's: that one (no tracking number yet) is counted and left; the tracking number is
    written later, in its own transaction."""

    codec: Codec
    canonical: str

    def _erp_shipment(self, t: Tables, value: bytes, by_us: bool) -> list[Out]:
        shipment = self.codec.decode(value)
        assert isinstance(shipment, Shipment)
        reference = t.identity.get(f"{ERP}:sale_order:{shipment.order_origin_id}")
        if reference is None:
            t.counters[UNRESOLVED] = int(t.counters.get(UNRESOLVED) or 0) + 1
            log.info("picking %s: sale order %s not known yet", shipment.name, shipment.order_origin_id)
            return []
        envelope = dataclasses.replace(shipment.envelope, canonical_key=reference)
        resolved = dataclasses.replace(shipment, envelope=envelope, order_key=reference).sealed()
        headers = [(H_KIND, b"obs"), (H_SYSTEM, ERP.encode()), (H_INTEGRATION, b"1" if by_us else b"0")]
        key = "obs:" + entity_key(Shipment.ENTITY, reference)
        return [Out(self.canonical, key.encode(), self.codec.encode(resolved), headers)]


PRICE = b"price"  # H_KIND of an ERP PriceRule on its way to its product's SKU
PRICES_UNRESOLVED = "price_rules_unresolved"  # counters table: rules of products the streams do not know


class PriceSteps:
    """ERP pricelist items -> shop specific prices (issue #14 item 6). An item names its product by id
    (template, or variant for ``0_product_variant``); its SKU is known once that product was seen
    (``identity`` ``odoo:product_template:<id>`` / ``odoo:product_product:<id>``). Keyed by the item
    (``schemas.keys.price_rule_key``): a group price and a promo of one product are two rules."""

    codec: Codec
    canonical: str

    def _erp_price(self, t: Tables, value: bytes, by_us: bool) -> list[Out]:
        rule = self.codec.decode(value)
        assert isinstance(rule, PriceRule)
        origin = (
            f"{ERP}:product_product:{rule.variant_origin_id}"
            if rule.variant_origin_id
            else f"{ERP}:product_template:{rule.product_origin_id}"
        )
        sku = t.identity.get(origin)
        if sku is None:
            t.counters[PRICES_UNRESOLVED] = int(t.counters.get(PRICES_UNRESOLVED) or 0) + 1
            log.info("price rule %s: product %s not known yet", rule.envelope.origin_id, origin)
            return []
        key = keys.price_rule_key(int(rule.envelope.origin_id))
        resolved = dataclasses.replace(rule, envelope=dataclasses.replace(rule.envelope, canonical_key=key), sku=sku)
        headers = [(H_KIND, b"obs"), (H_SYSTEM, ERP.encode()), (H_INTEGRATION, b"1" if by_us else b"0")]
        return [
            Out(
                self.canonical,
                ("obs:" + entity_key(PriceRule.ENTITY, key)).encode(),
                self.codec.encode(resolved.sealed()),
                headers,
            )
        ]
