"""ERP -> shop catalogue: products and combinations upserted by reference (the SKU).

Only the ERP-owned base data is written (fields.PRODUCT_FIELDS / VARIANT_FIELDS), and on an
existing row only the fields the command asserts (``CommandMeta.asserts``). Product names and the
home category are sent on creation only: after that the shop owns its texts, like descriptions,
categories and images, which the sink never writes. Each write is preceded by a read, so a replay writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from schemas.records import Canonical, Product, Variant
from sinks.common.errors import TerminalError, TransientError
from sinks.common.handlers import Applied, CommandMeta
from sinks.prestashop.client import PrestaShopClient
from sinks.prestashop.config import PrestaShopSinkConfig
from sinks.prestashop.fields import (
    PRODUCT_FIELDS,
    VARIANT_FIELDS,
    changed_fields,
    outdated,
    product_creation_extras,
    product_values,
    stored_text,
    to_prestashop,
    variant_values,
)
from sinks.prestashop.lookup import ShopLookup, entity_id
from sinks.prestashop.mapping import Associations, FieldValue
from sinks.prestashop.options import ShopOptions, associations, linked_values
from sinks.prestashop.wire import Entity

# Canonical fields the shop owns once the product exists, whatever the command asserts.
PRODUCT_CREATE_ONLY = frozenset({"names"})


def _on_create(values: Mapping[str, FieldValue], meta: CommandMeta) -> dict[str, FieldValue]:
    """Fields sent when creating: the asserted ones and the create-only ones."""
    return {k: v for k, v in values.items() if not meta.fields or k in meta.fields or k in meta.create_only}


def _on_update(
    values: Mapping[str, FieldValue], meta: CommandMeta, create_only: frozenset[str] = frozenset()
) -> dict[str, FieldValue]:
    return {k: v for k, v in values.items() if meta.asserts(k) and k not in create_only}


def _written(stored: Entity, chosen: Mapping[str, FieldValue], table: Mapping[str, str]) -> dict[str, str]:
    return {name: stored_text(stored.get(table[name])) for name in chosen if name in table}


class CatalogHandlers:
    def __init__(self, client: PrestaShopClient, lookup: ShopLookup, config: PrestaShopSinkConfig) -> None:
        self.client = client
        self.lookup = lookup
        self.config = config
        self.options = ShopOptions(client, config.language_ids)

    def _upsert(
        self,
        resource: str,
        node: str,
        existing: Entity | None,
        create: Mapping[str, FieldValue],
        update: Mapping[str, FieldValue],
        associations: Associations | None = None,
    ) -> tuple[Entity, bool]:
        """Create the row from ``create`` (no existing row), else write what differs in ``update``."""
        if existing is None:
            return self.client.create(resource, node, create, associations=associations), True
        changes = changed_fields(existing, update)
        if not changes:
            return existing, False
        return self.client.update(resource, node, entity_id(existing), changes), True

    def _refusal(
        self,
        existing: Entity | None,
        update: Mapping[str, FieldValue],
        meta: CommandMeta,
        resource: str,
        table: Mapping[str, str],
    ) -> Applied | None:
        """Acked stale when every field the command would change was changed in the shop since."""
        if existing is None or not meta.expected:
            return None
        held = outdated(existing, changed_fields(existing, update), table, meta.expected)
        return None if held is None else Applied.refused({resource: str(entity_id(existing))}, held)

    def upsert_product(self, record: Canonical, meta: CommandMeta) -> Applied:
        assert isinstance(record, Product)
        if not record.sku:
            raise TerminalError("prestashop: a product without SKU cannot be matched to a shop product")
        values = product_values(record, language_ids=self.config.language_ids)
        existing = self.lookup.product(record.sku)
        created = _on_create(values, meta) | {"sku": record.sku}
        create = to_prestashop(created, PRODUCT_FIELDS)
        names = create.get("name")
        create |= product_creation_extras(
            names if isinstance(names, Mapping) else None, sku=record.sku, language_ids=self.config.language_ids
        )
        updated = _on_update(values, meta, PRODUCT_CREATE_ONLY)
        # A product without a category answers 403 in the front office (seen on a real 8.1.2): a new one
        # goes to the shop's home category; the shop team files it elsewhere (categories are shop-owned).
        category = self.config.default_category_id
        create["id_category_default"] = category
        if self.config.tax_rules_group_id:  # else sold without tax (a real 8.1.2 stores 0)
            create["id_tax_rules_group"] = self.config.tax_rules_group_id
        refused = self._refusal(existing, to_prestashop(updated, PRODUCT_FIELDS), meta, "products", PRODUCT_FIELDS)
        if refused is not None:
            return refused
        stored, changed = self._upsert(
            "products",
            "product",
            existing,
            create,
            to_prestashop(updated, PRODUCT_FIELDS),
            {"categories": ("category", [category])},
        )
        chosen = created if existing is None else updated
        return Applied({"products": str(entity_id(stored))}, _written(stored, chosen, PRODUCT_FIELDS), changed)

    def _parent(self, record: Variant, meta: CommandMeta) -> Entity:
        """The shop product whose reference is ``product_origin_id`` (the streams put the parent's SKU
        there). Not there yet: its own command may still be on its way (another key, another lane), so
        retried while the command is younger than ``parent_wait_s``, then a dead letter."""
        parent = self.lookup.product(record.product_origin_id)
        if parent is not None:
            return parent
        reason = f"unknown reference: no parent product {record.product_origin_id!r} for variant {record.sku!r}"
        age = (datetime.now(UTC) - meta.source_ts).total_seconds() if meta.source_ts else None
        if age is not None and age < self.config.parent_wait_s:
            raise TransientError(f"prestashop: {reason} (yet: waited {age:.0f}s of {self.config.parent_wait_s:.0f}s)")
        raise self.client.refuse(reason)

    def upsert_variant(self, record: Canonical, meta: CommandMeta) -> Applied:
        """A combination by reference, under its parent product. A variant that is its own parent (the
        one variant of an Odoo template: same SKU) is the simple product itself: its EAN13 goes there."""
        assert isinstance(record, Variant)
        if not record.sku:
            raise TerminalError("prestashop: a variant without SKU cannot be matched to a combination")
        if record.product_origin_id == record.sku:
            return self._simple_product(record, meta)
        values = variant_values(record)
        existing = self.lookup.combination(record.sku)
        created = _on_create(values, meta) | {"sku": record.sku}
        updated = _on_update(values, meta)
        # its attribute values, so a customer can choose it (the ERP owns them: replaced, not merged)
        linked = existing is None or meta.asserts("attribute_values")
        options = self.options.value_ids(record.sku, record.attribute_values) if linked else []
        links = associations(options) if options else None
        if existing is None:
            parent = self._parent(record, meta)
            create = {"id_product": entity_id(parent), "minimal_quantity": 1, **to_prestashop(created, VARIANT_FIELDS)}
            stored, changed = self.client.create("combinations", "combination", create, associations=links), True
        else:
            changes = changed_fields(existing, to_prestashop(updated, VARIANT_FIELDS))
            if options and set(options) == linked_values(existing):
                links = None
            stored, changed = existing, False
            if changes or links:
                stored = self.client.update(
                    "combinations", "combination", entity_id(existing), changes, associations=links
                )
                changed = True
        chosen = created if existing is None else updated
        ids = {"combinations": str(entity_id(stored)), "products": str(stored.get("id_product", ""))}
        return Applied(ids, _written(stored, chosen, VARIANT_FIELDS), changed)

    def _simple_product(self, record: Variant, meta: CommandMeta) -> Applied:
        """The barcode of a single-variant template onto its shop product (never an empty one)."""
        product = self._parent(record, meta)
        wanted = {"ean13": record.ean13} if record.ean13 is not None and meta.asserts("ean13") else {}
        stored, changed = self._upsert("products", "product", product, {}, to_prestashop(wanted, PRODUCT_FIELDS))
        return Applied({"products": str(entity_id(stored))}, _written(stored, wanted, PRODUCT_FIELDS), changed)
