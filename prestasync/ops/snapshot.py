"""`connectors snapshot`: re-read tables through a Debezium incremental snapshot (source signal table).

Used to re-sync after a fix or a reset, and by `reconcile --fix`. The snapshot runs in chunks
interleaved with streaming, so capture does not stop; its rows arrive as ``op = "r"`` events.
"""

from __future__ import annotations

import json
import uuid

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.dbcapture import mariadb_capture, postgres_capture
from kernel.errors import StackError
from kernel.settings import Settings


def data_collections(settings: Settings, system: str, tables: list[str]) -> list[str]:
    """Debezium's fully-qualified names: ``<db>.<prefix><table>`` (shop), ``public.<table>`` (erp)."""
    if not tables:
        raise StackError("name at least one table")
    if system == "shop":
        prefix = settings.mariadb.table_prefix
        return [f"{settings.mariadb.database}.{t if t.startswith(prefix) else prefix + t}" for t in tables]
    if system == "erp":
        return [t if "." in t else f"public.{t}" for t in tables]
    raise StackError(f"unknown system {system!r}: shop or erp")


def request_snapshot(settings: Settings, system: str, tables: list[str], where: str | None = None) -> str:
    """Insert an execute-snapshot signal; returns the signal id (it appears in the connector log).

    ``where`` (an SQL condition, e.g. ``id_customer IN (4, 9)``) limits the re-read to those rows of
    every named table (Debezium's ``additional-conditions``): how ``reconcile --fix`` re-sends rows.
    """
    collections = data_collections(settings, system, tables)
    signal_id = f"prestasync-{uuid.uuid4().hex[:24]}"  # the id column is VARCHAR(42)
    signal: dict[str, object] = {"data-collections": collections, "type": "incremental"}
    if where:
        signal["additional-conditions"] = [{"data-collection": c, "filter": where} for c in collections]
    data = json.dumps(signal)
    table = (settings.mariadb if system == "shop" else settings.postgres).signal_table
    statement = f"INSERT INTO {table} (id, type, data) VALUES (%s, 'execute-snapshot', %s)"
    # attach mode: as the capture user, whose only write grant is this table
    if system == "shop":
        shop = (
            mariadb_capture(settings, read_only=False)
            if settings.attach
            else mariadb_admin(settings.mariadb.database, settings=settings)
        )
        with shop as conn, conn.cursor() as cur:
            cur.execute(statement, (signal_id, data))
    else:
        conn = (
            postgres_capture(settings, read_only=False)
            if settings.attach
            else postgres_admin(settings.postgres.database, settings=settings)
        )
        try:
            with conn.cursor() as cur:
                cur.execute(statement, (signal_id, data))
        finally:
            conn.close()
    return signal_id
