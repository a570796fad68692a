"""Every column the mappers read exists in the real upstream schemas (PrestaShop 8.0 install SQL,
Odoo 18.0 column table) from ../shared/reference; skipped cleanly when that folder is absent."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest

from schemas.debezium import Row
from streams.mapping.odoo import MAPPERS as ODOO_MAPPERS
from streams.mapping.odoo import OdooContext, map_odoo_record
from streams.mapping.prestashop import MAPPERS as PS_MAPPERS
from streams.mapping.prestashop import PrestaShopContext, map_prestashop_record
from tests.support.paths import REFERENCE as REFERENCE_DIR
from tests.unit.streams.mapping.captured import captured_events
from tests.unit.streams.mapping.handmade import SALE_ORDER, SPECIFIC_PRICE, erp_event, shop_event

pytestmark = pytest.mark.unit
REFERENCE = REFERENCE_DIR
PS_SQL = REFERENCE / "prestashop" / "prestashop_db_structure_8.0.0-dev_develop-2022-06-03.sql"
ODOO_MD = REFERENCE / "odoo" / "columns_17_18_19.md"
ODOO_MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date"}


def prestashop_columns() -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}
    for block in re.findall(
        r"CREATE TABLE (?:IF NOT EXISTS )?`PREFIX_(\w+)` \((.*?)\) ENGINE", PS_SQL.read_text(), re.S
    ):
        tables[block[0]] = set(re.findall(r"^\s*`(\w+)`", block[1], re.M))
    return tables


def odoo_columns(version_index: int = 1) -> dict[str, set[str]]:
    tables: dict[str, set[str]] = defaultdict(lambda: set(ODOO_MAGIC))
    current = None
    for line in ODOO_MD.read_text().splitlines():
        heading = re.match(r"#### `[\w.]+` → table `(\w+)`", line)
        if heading:
            current = heading.group(1)
            tables[current]
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if (
            current
            and len(cells) > 4
            and cells[0] != "column"
            and not cells[0].startswith("-")
            and cells[1 + version_index] not in ("—", "(no col)")
        ):
            tables[current].add(cells[0])
    tables = dict(tables)
    # Tables the column table does not cover (Odoo's attribute tables): the columns of the real Odoo 18.0
    # tables, as the events captured from one declare them (Debezium's schema of the row).
    for event in captured_events():
        table = event.topic.rsplit(".", 1)[-1]
        if event.system == "odoo" and event.value is not None and table not in tables:
            row_schema = event.document["schema"]["fields"][0]["fields"]
            tables[table] = {f["field"] for f in row_schema}
    return tables


def columns_read(monkeypatch) -> dict[tuple[str, str], set[str]]:
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    original_raw, original_has = Row._raw, Row.has

    def raw(self, column):
        seen[(self.event.connector, self.event.table or "")].add(column)
        return original_raw(self, column)

    def has(self, column):
        seen[(self.event.connector, self.event.table or "")].add(column)
        return original_has(self, column)

    monkeypatch.setattr(Row, "_raw", raw)
    monkeypatch.setattr(Row, "has", has)
    for captured in captured_events():
        captured.map()
    shop, erp = shop_event, erp_event
    ps_events = [
        shop("specific_price", SPECIFIC_PRICE),
        shop(
            "order_cart_rule",
            {
                "id_order_cart_rule": 4,
                "id_order": 70,
                "name": "W",
                "value": "1",
                "value_tax_excl": "1",
                "free_shipping": 0,
                "deleted": 0,
            },
        ),
        shop("group_lang", {"id_group": 4, "id_lang": 1, "name": "Pros"}),
    ]
    for ps_event in ps_events:
        map_prestashop_record(json.dumps(ps_event), topic=None, ctx=PrestaShopContext())
    picking = {
        "id": 3,
        "name": "OUT",
        "sale_id": 4,
        "carrier_id": 2,
        "state": "done",
        "carrier_tracking_ref": "1Z",
        "date_done": None,
        "weight": "2",
    }
    move = {
        "id": 9,
        "move_type": "out_invoice",
        "name": "/",
        "state": "draft",
        "currency_id": 1,
        "amount_untaxed": "1",
        "amount_total": "1",
        "amount_residual": "1",
        "invoice_date": None,
        "invoice_origin": "S1",
    }
    line = {
        "id": 11,
        "order_id": 4,
        "product_id": 1,
        "name": "x",
        "display_type": None,
        "product_uom_qty": "2",
        "price_reduce_taxexcl": "1",
        "price_reduce_taxinc": "1",
        "price_subtotal": "1",
        "price_total": "1",
        "discount": "0",
    }
    child = {
        "id": 8,
        "parent_id": 7,
        "type": "delivery",
        "ref": None,
        "name": "J",
        "street": None,
        "street2": None,
        "zip": None,
        "city": None,
        "country_id": None,
        "state_id": None,
        "phone": None,
        "mobile": None,
        "vat": None,
        "company_name": None,
    }
    for event in (
        erp("sale_order", SALE_ORDER),
        erp("sale_order_line", line),
        erp("stock_picking", picking),
        erp("account_move", move),
        erp("res_partner", child),
    ):
        map_odoo_record(json.dumps(event), topic=None, ctx=OdooContext())
    return seen


@pytest.mark.skipif(not PS_SQL.is_file() or not ODOO_MD.is_file(), reason="../shared/reference not present")
def test_mapped_columns_exist_upstream(monkeypatch):
    seen = columns_read(monkeypatch)
    ps_tables, odoo_tables = prestashop_columns(), odoo_columns()
    mapped = {("mariadb", t) for t in PS_MAPPERS} | {("postgresql", t) for t in ODOO_MAPPERS}
    covered = {(c, t.removeprefix("ps_") if c == "mariadb" else t) for c, t in seen}
    assert mapped <= covered, f"mappers never exercised: {sorted(mapped - covered)}"
    missing = []
    for (connector, table), columns in seen.items():
        upstream = ps_tables[table.removeprefix("ps_")] if connector == "mariadb" else odoo_tables.get(table, set())
        if table in ("stock_location", "stock_warehouse"):
            continue  # ignored tables: nothing read
        missing += [f"{table}.{c}" for c in sorted(columns - upstream)]
    assert missing == []
