"""Declarative description of the Webservice resources the twin serves.

Each resource maps to a PrestaShop table; its plain fields are that table's columns (read from the
live schema, in column order), adjusted here where PrestaShop's ``webserviceParameters`` differ:
required fields, ``xlink`` targets, read-only (``setter => false``) and computed fields,
multilingual fields kept in ``<table>_lang``, multistore copies in ``<table>_shop``, associations.
Sources: PrestaShop 8.x ``classes/*.php`` ``$definition``/``$webserviceParameters`` and
``WebserviceRequest::getResources()`` (see docs/TWINS.md).
"""

from __future__ import annotations

from sandbox.prestashop.resource_types import Resource
from sandbox.prestashop.resources_catalogue import CATALOGUE_RESOURCES
from sandbox.prestashop.resources_orders import ORDERS_RESOURCES
from sandbox.prestashop.resources_shop import SHOP_RESOURCES

RESOURCES: dict[str, Resource] = {r.name: r for r in (*SHOP_RESOURCES, *ORDERS_RESOURCES, *CATALOGUE_RESOURCES)}


# Resources served by a specific management class in PrestaShop, not the generic entity engine.
SPECIFIC_RESOURCES = frozenset({"images"})
ALL_RESOURCE_NAMES = frozenset(RESOURCES) | SPECIFIC_RESOURCES
