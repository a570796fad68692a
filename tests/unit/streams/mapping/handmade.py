"""HAND-MADE Debezium events (not captured): built from the documented envelope format for the
tables and edge cases the captured fixtures in tests/fixtures/debezium do not cover yet.

Shape follows the captured ones: JsonConverter schemas.enable=false payloads with a source block
like Debezium 3.x MariaDB / PostgreSQL connectors write.
"""

from __future__ import annotations

from typing import Any

MARIADB_SOURCE = {
    "version": "3.5.0.Final",
    "connector": "mariadb",
    "name": "shop",
    "ts_ms": 1795805880000,
    "snapshot": "false",
    "db": "prestashop",
    "ts_us": 1795805880000000,
    "server_id": 1,
    "file": "mariadb-bin.000001",
    "pos": 4242,
    "row": 0,
}
POSTGRES_SOURCE = {
    "version": "3.5.0.Final",
    "connector": "postgresql",
    "name": "erp",
    "ts_ms": 1795805883099,
    "snapshot": "false",
    "db": "odoo",
    "ts_us": 1795805883099311,
    "schema": "public",
    "txId": 2589,
    "lsn": 93995224,
}


def shop_event(
    table: str,
    after: dict[str, Any] | None,
    *,
    before: dict[str, Any] | None = None,
    op: str = "c",
    prefix: str = "ps_",
    snapshot: str = "false",
) -> dict[str, Any]:
    source = dict(MARIADB_SOURCE, table=f"{prefix}{table}", snapshot=snapshot)
    return {"before": before, "after": after, "source": source, "op": op, "ts_ms": 1795805880021}


def erp_event(
    table: str, after: dict[str, Any] | None, *, before: dict[str, Any] | None = None, op: str = "c"
) -> dict[str, Any]:
    source = dict(POSTGRES_SOURCE, table=table)
    return {"before": before, "after": after, "source": source, "op": op, "ts_ms": 1795805883127}
