"""Odoo attribute rows -> AttributeName: what names a variant's values in the shop (pure).

A variant's ``combination_indices`` lists template attribute values (``product_template_attribute_value``
ids); each names a value (``product_attribute_value``, translated jsonb ``name``) of an attribute
(``product_attribute``, translated jsonb ``name``). ``streams.attribute_steps`` joins the three.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemas.observations import AttributeName
from schemas.records import Canonical
from streams.mapping.common import Observed
from streams.mapping.odoo_catalog import translations

if TYPE_CHECKING:
    from streams.mapping.odoo import OdooContext


def product_attribute(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    attribute_id = str(row.integer("id"))
    return [_name(obs, "attribute", attribute_id, attribute_id, None, None, translations(obs, "name", ctx))]


def product_attribute_value(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    value_id = str(row.integer("id"))
    names = translations(obs, "name", ctx)
    return [_name(obs, "value", value_id, str(row.integer("attribute_id")), value_id, None, names)]


def product_template_attribute_value(obs: Observed, ctx: OdooContext) -> list[Canonical]:
    row = obs.row
    # attribute_id and product_tmpl_id are stored related fields: a real Odoo 18 INSERTs the row without
    # them and UPDATEs them in the same transaction (tests/fixtures/debezium/odoo/
    # product_template_attribute_value_*): the insert names nothing yet, the update does.
    attribute, template = row.opt_integer("attribute_id"), row.opt_integer("product_tmpl_id")
    if attribute is None or template is None:
        return []
    value_id = str(row.integer("product_attribute_value_id"))
    return [_name(obs, "template_value", str(row.integer("id")), str(attribute), value_id, str(template), {})]


def _name(
    obs: Observed,
    kind: str,
    origin_id: str,
    attribute_id: str,
    value_id: str | None,
    template_id: str | None,
    names: dict[str, str],
) -> AttributeName:
    return AttributeName(
        envelope=obs.envelope(origin_id, None),
        kind=kind,
        attribute_origin_id=attribute_id,
        value_origin_id=value_id,
        template_origin_id=template_id,
        names=names,
    )
