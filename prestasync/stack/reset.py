"""`prestasync sandbox reset`: start the embedded sandbox over, every part of it together.

Wiping one database while Kafka, the streams' tables and the other database keep the old run's ids
makes new shop ids collide with old ones (a new order under an old order's reference, a new customer
over an old partner). So a reset wipes all of it at once: the workers and twins stop; the connectors,
every topic (raw, canonical, commands, acks, dead letters, the streams' changelogs, Connect's
configs/offsets/status), every consumer group, the replication slots, the streams' local state and the
two sandbox databases go; then `stack up` builds it all again and the connectors snapshot afresh.

Only for what `prestasync stack up` built on this machine: it writes the marker file ``<home>/embedded``
naming the servers it runs. Without it, or when the settings name other servers, reset refuses: it
never wipes servers prestasync was attached to.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kernel.dbadmin import mariadb_admin, postgres_admin
from kernel.errors import StackError
from kernel.settings import Settings
from prestasync.stack import connect
from prestasync.stack.lifecycle import Step

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def marker(settings: Settings) -> Path:
    return settings.home / "embedded"


def embedded_servers(settings: Settings) -> dict[str, str]:
    """What the embedded stack runs, as the marker records it (and as a reset checks it still is)."""
    return {
        "mariadb": f"{settings.mariadb.host}:{settings.mariadb.port}/{settings.mariadb.database}",
        "postgres": f"{settings.postgres.host}:{settings.postgres.port}/{settings.postgres.database}",
        "kafka": settings.kafka.bootstrap,
        "connect": settings.kafka.connect_url,
    }


def write_marker(settings: Settings) -> None:
    marker(settings).write_text(json.dumps(embedded_servers(settings), indent=2) + "\n")


def check_resettable(settings: Settings) -> None:
    if settings.attach:
        raise StackError(
            "attach mode: reset never wipes the servers prestasync is attached to", "the sandbox is mode: embedded"
        )
    path = marker(settings)
    if not path.is_file():
        raise StackError(
            f"no {path}: reset only wipes the embedded sandbox that `prestasync stack up` built here",
            "it never wipes servers prestasync is attached to",
        )
    recorded = json.loads(path.read_text())
    if recorded != embedded_servers(settings):
        raise StackError(
            f"the settings name other servers than the embedded stack built ({recorded})",
            "reset refuses to wipe servers it did not build",
        )
    hosts = {settings.mariadb.host, settings.postgres.host, settings.kafka.bootstrap.rsplit(":", 1)[0]}
    if not hosts <= LOOPBACK:
        raise StackError(f"reset only wipes servers on this machine; the settings name {sorted(hosts - LOOPBACK)}")


def wipe_steps(settings: Settings) -> list[Step]:
    return [
        Step("workers and twins stopped", lambda: _stop_background(settings)),
        Step("connectors deleted", lambda: _delete_connectors(settings)),
        Step("Kafka Connect stopped", lambda: connect.connect_process(settings).stop(timeout=60)),
        Step("topics and consumer groups deleted", lambda: _delete_topics_and_groups(settings)),
        Step("replication slots and sandbox databases dropped", lambda: _drop_databases(settings)),
        Step("streams state removed", lambda: shutil.rmtree(settings.home / "streams", ignore_errors=True)),
    ]


def _stop_background(settings: Settings) -> None:
    from prestasync.workers import stop_workers
    from sandbox.lifecycle import down

    stop_workers(settings)
    down(settings)


def _delete_connectors(settings: Settings) -> None:
    if not connect.rest_ready(settings):
        return  # Connect is down: its topics go below, which deletes the connectors with them
    for name in connect.connector_names():
        try:
            connect.delete(settings, name)
        except StackError as exc:
            if "not found" not in str(exc).lower():
                raise


def _delete_topics_and_groups(settings: Settings) -> None:
    from kernel.kafka_admin import admin, delete_groups

    with admin(settings) as client:  # the workers and Connect are stopped: a live group is someone else's
        delete_groups(client, [str(group["group_id"]) for group in client.list_groups()])
        names = [name for name in client.list_topics() if not name.startswith("__")]
        if names:
            client.delete_topics(names, timeout_ms=60_000)


def _drop_databases(settings: Settings) -> None:
    pg = settings.postgres
    conn = postgres_admin(settings=settings)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = %s",
                (pg.database,),
            )
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (pg.database,),
            )
            cur.execute(f'DROP DATABASE IF EXISTS "{pg.database}"')
    finally:
        conn.close()
    with mariadb_admin(settings=settings) as shop, shop.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{settings.mariadb.database}`")
