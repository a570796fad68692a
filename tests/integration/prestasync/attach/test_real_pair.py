"""Attach to the real pair (unmodified PrestaShop 8.1.2 and Odoo 18 of ``../shared/real/``), opt-in.

Runs only with ``PRESTASYNC_REAL_ATTACH=1`` and the systems' JSON files present (``/work/real/ps/
prestashop.json``, ``/work/real/odoo/odoo.json``, or ``PRESTASYNC_REAL_PS`` / ``PRESTASYNC_REAL_ODOO``):
it applies the DBA's SQL to those servers, as their DBA, and deploys two connectors of its own to the
Connect cluster at 127.0.0.1:8083, so it never runs by accident. Steps: fingerprint both databases;
`check`, as prestasync and as the DBA (the real problems); `provision --print-sql`; `provision --apply`
as the DBA; `check` passes; attach-mode `stack up | status | provision | down` with both sides' events
read from Kafka; `connectors remove`; fingerprint again: equal except the signal tables and the capture
users; `provision --apply --remove` as the DBA leaves the pair as it was found. Writes what it found to
``PRESTASYNC_REAL_REPORT`` (default ``<home>/report.json``) for docs/ATTACH.md.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pymysql
import pymysql.cursors
import pytest
import requests

from tests.integration.prestasync.attach.commands import check_json, problems
from tests.support.cli import run_cli
from tests.support.db_fingerprint import differences, mariadb_fingerprint, postgres_fingerprint

pytestmark = pytest.mark.integration

PS_JSON = Path(os.environ.get("PRESTASYNC_REAL_PS", "/work/real/ps/prestashop.json"))
ODOO_JSON = Path(os.environ.get("PRESTASYNC_REAL_ODOO", "/work/real/odoo/odoo.json"))
CONNECT = "http://127.0.0.1:8083"
PREFIX_SHOP, PREFIX_ERP = "realshop", "realerp"
CAPTURE_USER = "prestasync_cdc"  # a name of its own on the merchant's servers
SLOT = "prestasync_attach"
EVERYTHING = ("mariadb", "postgres", "prestashop-api", "odoo-api")
SKIP_TABLES = {"prestashop.debezium_signal", "public.debezium_signal"}
SKIP_USERS = {f"{CAPTURE_USER}@127.0.0.1", CAPTURE_USER}


@pytest.fixture(scope="module")
def real() -> dict[str, Any]:
    if os.environ.get("PRESTASYNC_REAL_ATTACH") != "1" or not (PS_JSON.is_file() and ODOO_JSON.is_file()):
        pytest.skip("opt-in: PRESTASYNC_REAL_ATTACH=1 with the real systems' JSON files")
    return {"ps": json.loads(PS_JSON.read_text()), "odoo": json.loads(ODOO_JSON.read_text())}


@pytest.fixture(scope="module")
def env(real: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = Path(os.environ.get("PRESTASYNC_REAL_HOME") or tmp_path_factory.mktemp("attach-real-home"))
    ps, odoo = real["ps"]["db"], real["odoo"]["db"]
    secrets = home / "secrets"
    secrets.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name, value in (
        ("prestashop_webservice.key", real["ps"]["webservice_key"]),
        ("odoo_api.key", real["odoo"]["integration"]["api_key"]),
    ):  # the merchant's keys
        (secrets / name).write_text(value)
        (secrets / name).chmod(0o600)
    base = {k: v for k, v in os.environ.items() if not k.startswith("PRESTASYNC_")}
    return {
        **base,
        "PRESTASYNC_MODE": "attach",
        "PRESTASYNC_HOME": str(home),
        "PRESTASYNC_CONFIG": str(home / "none.yaml"),
        "PRESTASYNC_MARIADB__HOST": ps["host"],
        "PRESTASYNC_MARIADB__PORT": str(ps["port"]),
        "PRESTASYNC_MARIADB__DATABASE": ps["database"],
        "PRESTASYNC_MARIADB__TABLE_PREFIX": ps["prefix"],
        "PRESTASYNC_MARIADB__CAPTURE_USER": CAPTURE_USER,
        "PRESTASYNC_MARIADB__SERVER_ID": "5307",
        "PRESTASYNC_POSTGRES__HOST": odoo["host"],
        "PRESTASYNC_POSTGRES__PORT": str(odoo["port"]),
        "PRESTASYNC_POSTGRES__DATABASE": real["odoo"]["database"],
        "PRESTASYNC_POSTGRES__CAPTURE_USER": CAPTURE_USER,
        "PRESTASYNC_POSTGRES__SLOT": SLOT,
        "PRESTASYNC_POSTGRES__PUBLICATION": "prestasync_attach",
        "PRESTASYNC_KAFKA__LOCAL": "false",
        "PRESTASYNC_SHOP__API_URL": real["ps"]["api_url"].rstrip("/"),
        "PRESTASYNC_ERP__URL": real["odoo"]["url"],
        "PRESTASYNC_ERP__DATABASE": real["odoo"]["database"],
        "PRESTASYNC_ERP__LOGIN": real["odoo"]["integration"]["login"],
        "PRESTASYNC_KAFKA__TOPIC_PREFIX_SHOP": PREFIX_SHOP,
        "PRESTASYNC_KAFKA__TOPIC_PREFIX_ERP": PREFIX_ERP,
    }


def shop_root(real: dict[str, Any]) -> pymysql.Connection[Any]:
    return pymysql.connect(
        unix_socket=real["ps"]["db"]["socket"],
        user="root",
        autocommit=True,
        cursorclass=pymysql.cursors.DictCursor,
        charset="utf8mb4",
    )


def erp_super(real: dict[str, Any]) -> psycopg2.extensions.connection:
    db = real["odoo"]["db"]
    conn = psycopg2.connect(
        host=db["host"],
        port=db["port"],
        user=db["superuser"],
        dbname=real["odoo"]["database"],
        password=db["superuser_password"],
    )
    conn.autocommit = True
    return conn


def fingerprints(real: dict[str, Any]) -> dict[str, Any]:
    with shop_root(real) as conn:
        shop = mariadb_fingerprint(conn, SKIP_TABLES, SKIP_USERS)
    conn = erp_super(real)
    try:
        erp = postgres_fingerprint(conn, SKIP_TABLES, SKIP_USERS)
    finally:
        conn.close()
    return {"mariadb": shop, "postgres": erp}


def binlog_position(real: dict[str, Any]) -> tuple[str, int]:
    with shop_root(real) as conn, conn.cursor() as cur:
        cur.execute("SHOW MASTER STATUS")
        row = cur.fetchone()
    return str(row["File"]), int(row["Position"])


def binlog_writes(real: dict[str, Any], since: tuple[str, int]) -> list[str]:
    """Every table the shop's server wrote since ``since`` (row events' table maps) and every statement
    event (DDL, account changes), read from its binlog: who wrote what, whoever it was."""
    seen: list[str] = []
    with shop_root(real) as conn, conn.cursor() as cur:
        cur.execute("SHOW BINARY LOGS")
        files = [str(r["Log_name"]) for r in cur.fetchall() if str(r["Log_name"]) >= since[0]]
        for name in files:
            cur.execute(f"SHOW BINLOG EVENTS IN '{name}'" + (f" FROM {since[1]}" if name == since[0] else ""))
            for ev in cur.fetchall():
                info = str(ev["Info"])
                if ev["Event_type"] == "Table_map":
                    entry = "rows " + info.split("(", 1)[-1].rstrip(")")
                elif ev["Event_type"] == "Query" and info not in ("BEGIN", "COMMIT"):
                    entry = "statement " + info[:100]
                else:
                    continue
                if entry not in seen:
                    seen.append(entry)
    return seen


def pg_writes(real: dict[str, Any]) -> dict[str, int]:
    conn = erp_super(real)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT pg_stat_force_next_flush()")
            cur.execute(
                "SELECT schemaname || '.' || relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables"
            )
            return {str(r[0]): int(r[1]) for r in cur.fetchall()}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def report(env: dict[str, str]) -> Iterator[dict[str, Any]]:
    found: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    yield found
    found["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    Path(os.environ.get("PRESTASYNC_REAL_REPORT") or Path(env["PRESTASYNC_HOME"]) / "report.json").write_text(
        json.dumps(found, indent=2, default=str)
    )


def test_attach_to_the_real_pair(real: dict[str, Any], env: dict[str, str], report: dict[str, Any]) -> None:
    with shop_root(real) as conn, conn.cursor() as cur:
        cur.execute("SELECT VERSION() AS v")
        report["mariadb_version"] = cur.fetchone()["v"]
    conn = erp_super(real)
    with conn.cursor() as cur:
        cur.execute("SELECT version()")
        report["postgres_version"] = cur.fetchone()[0]
    conn.close()
    before = fingerprints(real)
    report["tables"] = {s: len(before[s]["tables"]) for s in before}
    time.sleep(20)  # what changes on its own (Odoo's crons, a shop visit) is not prestasync's doing
    quiet = fingerprints(real)
    report["changed_by_themselves_in_20s"] = {s: differences(before[s], quiet[s]) for s in before}
    binlog_since, pg_counts = binlog_position(real), pg_writes(real)

    code, findings = check_json(env, *EVERYTHING)
    report["check_first"] = {"exit": code, "problems": sorted(problems(findings))}
    password_file = Path(env["PRESTASYNC_HOME"]) / "odoo-superuser.password"
    password_file.write_text(real["odoo"]["db"]["superuser_password"])
    password_file.chmod(0o600)
    dba = {
        "mariadb": ["--admin-user", "root", "--admin-socket", real["ps"]["db"]["socket"]],
        "postgres": ["--admin-user", real["odoo"]["db"]["superuser"], "--admin-password-file", str(password_file)],
    }
    for system, admin in dba.items():  # the DBA's read-only look, before anything exists
        done = run_cli("check", "--json", "--only", system, *admin, env=env, timeout=400)
        report[f"check_as_dba_{system}"] = {"exit": done.returncode, "findings": json.loads(done.stdout)["findings"]}
    sql = {s: run_cli("provision", "--print-sql", "--only", s, env=env, timeout=400) for s in ("mariadb", "postgres")}
    for system, done in sql.items():
        assert done.returncode == 0, done.stderr
        (Path(env["PRESTASYNC_HOME"]) / f"dba-{system}.sql").write_text(done.stdout)
    code, findings = check_json(env, *EVERYTHING)
    report["check_before_dba"] = {"exit": code, "findings": findings}

    applied = [
        run_cli("provision", "--apply", "--only", system, *admin, env=env, timeout=400) for system, admin in dba.items()
    ]
    report["apply"] = [d.stdout for d in applied]
    assert all(d.returncode == 0 for d in applied), [d.stdout + d.stderr for d in applied]
    code, findings = check_json(env, *EVERYTHING)
    report["check_after_dba"] = {"exit": code, "findings": findings}
    assert code == 0, [f for f in findings if f["status"] == "problem"]

    try:
        for args in (("stack", "up"), ("stack", "status"), ("stack", "provision")):
            done = run_cli(*args, env=env, timeout=400)
            report[" ".join(args)] = done.stdout
            assert done.returncode == 0, done.stdout + done.stderr
        done = run_cli(
            "connectors", "snapshot", "group", "--system", "shop", env=env, timeout=400
        )  # a signal row, ours
        report["connectors snapshot"] = done.stdout
        assert done.returncode == 0, done.stdout + done.stderr
        done = run_cli(
            "reconcile", "customers", "--json", env=env, timeout=400
        )  # reads both sides as the capture users
        report["reconcile customers"] = {"exit": done.returncode, "drifts": len(done.stdout.splitlines())}
        assert done.returncode in (0, 1), done.stdout + done.stderr
        report["shop_events"] = _count_events(f"{PREFIX_SHOP}.{real['ps']['db']['database']}.ps_orders")
        report["shop_group_events"] = _count_events(f"{PREFIX_SHOP}.{real['ps']['db']['database']}.ps_group")
        report["erp_events"] = _count_events(f"{PREFIX_ERP}.public.sale_order")
        done = run_cli("stack", "down", env=env, timeout=400)
        report["stack down"] = done.stdout
        assert done.returncode == 0
    finally:
        removed = run_cli("connectors", "remove", env=env, timeout=400)
        report["connectors remove"] = removed.stdout + removed.stderr
        _remove_our_connectors_topics_and_slot(real, report)

    after = fingerprints(real)
    removed_sql = [
        run_cli("provision", "--apply", "--remove", "--only", system, *admin, env=env, timeout=400)
        for system, admin in dba.items()
    ]  # leave the pair as it was found: the DBA's way back
    report["provision remove"] = [d.stdout + d.stderr for d in removed_sql]
    password_file.unlink()
    assert all(d.returncode == 0 for d in removed_sql)
    report["binlog_writes_during_attach"] = binlog_writes(real, binlog_since)
    counts = pg_writes(real)
    report["pg_tables_written_during_attach"] = {
        t: n - pg_counts.get(t, 0) for t, n in counts.items() if n != pg_counts.get(t, 0)
    }
    diff = {s: differences(quiet[s], after[s]) for s in before}
    report["changed_during_attach"] = diff
    final = fingerprints(real)
    report["changed_after_removal"] = {s: differences(quiet[s], final[s]) for s in before}
    assert report["shop_events"] > 0 and report["erp_events"] > 0
    for system, changed in diff.items():  # nothing but what the systems change by themselves
        for section, keys in changed.items():
            assert section == "tables", (system, section, keys)  # users, roles, password hashes: unchanged


def _count_events(topic: str) -> int:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers="127.0.0.1:9092",
        auto_offset_reset="earliest",
        consumer_timeout_ms=15000,
        enable_auto_commit=False,
    )
    try:
        return sum(1 for _ in consumer)
    finally:
        consumer.close()


def _remove_our_connectors_topics_and_slot(real: dict[str, Any], report: dict[str, Any]) -> None:
    for name in (f"prestashop-mariadb-{PREFIX_SHOP}", f"odoo-postgres-{PREFIX_ERP}"):
        requests.delete(f"{CONNECT}/connectors/{name}", timeout=30)
    time.sleep(5)  # the task lets go of the slot
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers="127.0.0.1:9092")
    try:
        ours = [
            t
            for t in admin.list_topics()
            if t.startswith((f"{PREFIX_SHOP}.", f"{PREFIX_ERP}.")) or t.endswith((f".{PREFIX_SHOP}", f".{PREFIX_ERP}"))
        ]
        if ours:
            admin.delete_topics(ours)
        report["topics_deleted"] = sorted(ours)
    finally:
        admin.close()
    conn = erp_super(real)  # the DBA's cleanup printed in the SQL: a slot nobody reads keeps WAL forever
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = %s", (SLOT,)
            )
    finally:
        conn.close()
    report["remaining_connectors"] = requests.get(f"{CONNECT}/connectors", timeout=10).json()
