"""Shop customer groups (PrestaShop ``ps_group`` -> CustomerGroup) in Odoo (issue #14 item 7).

Odoo has no customer group; what a merchant uses instead is configuration (``erp.customer_groups``):

* ``tags`` (default): a partner tag (``res.partner.category``) named after the group
  (``mapping.group_tag_name``), found by that name (archived ones too) or created; a deleted group
  archives its tag, a group made again takes it back. The tag's name is its natural key: a tag the
  merchant already has of that name is adopted, never duplicated.
* ``pricelist``: the group is the pricelist ``erp.pricelist_groups`` maps to it (the map the price rules
  use, pricelist id -> id_group); the pricelist is checked to exist and acked as the group's target. A
  group no pricelist is mapped to is acked as not synced (``written.synced = "no"``); a mapped id Odoo
  has no pricelist of is a dead letter naming the setting (a configuration error an operator fixes).
* ``off``: every group is acked as not synced.

No case leaves a standing dead letter for an ordinary group (before: ``NoHandler``).
"""

from __future__ import annotations

from schemas.records import Canonical, CustomerGroup
from sinks.common.errors import TerminalError
from sinks.common.handlers import Applied, CommandMeta
from sinks.odoo import mapping
from sinks.odoo.client import OdooClient
from sinks.odoo.config import ResolvedOdooConfig

TAG = "res.partner.category"
PRICELIST = "product.pricelist"
NOT_SYNCED = {"synced": "no"}
ALL_RECORDS = {"active_test": False}  # archived tags and pricelists too


class GroupWriter:
    def __init__(self, client: OdooClient, config: ResolvedOdooConfig) -> None:
        self.client = client
        self.mode = config.options.customer_groups
        self.lang = config.options.lang
        # pricelist_groups is pricelist -> group; a group mapped from several pricelists takes the lowest id
        self.pricelists: dict[int, int] = {}
        for pricelist, group in sorted(config.options.pricelist_groups.items(), reverse=True):
            self.pricelists[group] = pricelist

    def upsert(self, record: Canonical, meta: CommandMeta) -> Applied:
        assert isinstance(record, CustomerGroup)
        if self.mode == "tags":
            return self.tag(record)
        if self.mode == "pricelist":
            return self.pricelist(record)
        return Applied({}, dict(NOT_SYNCED), changed=False)

    def tag(self, group: CustomerGroup) -> Applied:
        name = mapping.group_tag_name(group, self.lang)
        found = self.client.search_read(
            TAG, mapping.group_tag_domain(name), ["id", "name", "active"], limit=1, context=ALL_RECORDS
        )
        active = not group.envelope.deleted
        written = {"name": name, "active": str(active).lower()}
        if not found:
            if not active:  # a group deleted before it ever reached Odoo: nothing to archive
                return Applied({}, written, changed=False)
            tag_id = self.client.create(TAG, [mapping.group_tag_values(name)])[0]
            return Applied({TAG: str(tag_id)}, written)
        row = found[0]
        if bool(row["active"]) == active:
            return Applied({TAG: str(row["id"])}, written, changed=False)
        self.client.write(TAG, [int(row["id"])], {"active": active})
        return Applied({TAG: str(row["id"])}, written)

    def pricelist(self, group: CustomerGroup) -> Applied:
        pricelist_id = self.pricelists.get(group.shop_group_id or 0)
        if pricelist_id is None:
            return Applied({}, dict(NOT_SYNCED), changed=False)
        found = self.client.search_read(
            PRICELIST, [("id", "=", pricelist_id)], ["id", "name", "active"], limit=1, context=ALL_RECORDS
        )
        if not found:
            raise TerminalError(
                f"odoo: erp.pricelist_groups maps shop group {group.shop_group_id} to pricelist {pricelist_id}, "
                "which Odoo does not have"
            )
        return Applied({PRICELIST: str(pricelist_id)}, {"pricelist": str(found[0]["name"])}, changed=False)
