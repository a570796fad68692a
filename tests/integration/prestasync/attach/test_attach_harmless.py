"""Attach mode on a merchant's servers (a second MariaDB and PostgreSQL of the test's own, never the
default ones): `check` finds each real problem and passes once the DBA has applied the printed SQL;
`provision`, `check`, `stack up | provision | down` leave every table and every user as they were,
the signal tables and the capture users aside.

One scenario in order, as a merchant's DBA and prestasync would live it; each step is its own test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kernel.procs import port_open
from tests.integration.prestasync.attach.commands import attach_env, check_json, problems, remove_deployment
from tests.integration.prestasync.attach.servers import (
    MARIADB_PORT,
    POSTGRES_PORT,
    MerchantMariaDb,
    MerchantPostgres,
)
from tests.support.cli import run_cli
from tests.support.db_fingerprint import differences, mariadb_fingerprint, postgres_fingerprint
from tests.support.prerequisites import unavailable

pytestmark = [pytest.mark.integration, pytest.mark.scenario_step]

RUN = uuid.uuid4().hex[:8]
PREFIX_SHOP, PREFIX_ERP = f"attachshop{RUN}", f"attacherp{RUN}"
SIGNAL_TABLES = {"prestashop.debezium_signal", "public.debezium_signal"}
CAPTURE = {"debezium@127.0.0.1", "debezium"}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[MerchantMariaDb, MerchantPostgres]]:
    if port_open(MARIADB_PORT) or port_open(POSTGRES_PORT):
        unavailable(f"ports {MARIADB_PORT}/{POSTGRES_PORT} are taken: the test starts its own servers there")
    shop, erp = MerchantMariaDb(), MerchantPostgres()
    try:
        shop.install()
        shop.start(binlog=False)  # a shop whose server has no binlog yet: a problem `check` must name
        shop.build_shop(app_password="shop-app-" + RUN)
        erp.install()
        erp.start()
        erp.build_erp(app_password="erp-app-" + RUN)
        yield shop, erp
    finally:
        shop.remove()
        erp.remove()


@pytest.fixture(scope="module")
def env(servers: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return attach_env(
        tmp_path_factory.mktemp("attach-home"),
        PRESTASYNC_MARIADB__SERVER_ID="5317",
        PRESTASYNC_POSTGRES__SLOT=f"prestasync_{RUN}",
        PRESTASYNC_KAFKA__LOCAL="false",  # the Connect cluster already running (the test stack's)
        PRESTASYNC_KAFKA__TOPIC_PREFIX_SHOP=PREFIX_SHOP,
        PRESTASYNC_KAFKA__TOPIC_PREFIX_ERP=PREFIX_ERP,
    )


def fingerprints(servers: tuple[MerchantMariaDb, MerchantPostgres]) -> dict[str, Any]:
    shop, erp = servers
    with shop.root() as conn:
        mariadb = mariadb_fingerprint(conn, SIGNAL_TABLES, CAPTURE)
    conn = erp.superuser("odoo")
    try:
        postgres = postgres_fingerprint(conn, SIGNAL_TABLES, CAPTURE)
    finally:
        conn.close()
    return {"mariadb": mariadb, "postgres": postgres}


@pytest.fixture(scope="module")
def before(servers: Any) -> dict[str, Any]:
    return fingerprints(servers)


def assert_unchanged(servers: Any, before: dict[str, Any]) -> None:
    after = fingerprints(servers)
    assert len(before["mariadb"]["tables"]) > 40 and len(before["postgres"]["tables"]) > 20
    assert "global prestashop@127.0.0.1" in before["mariadb"]["users"] and "odoo" in before["postgres"]["roles"]
    assert {s: differences(before[s], after[s]) for s in before} == {"mariadb": {}, "postgres": {}}


def test_check_before_provisioning_names_the_missing_capture_users(env: dict[str, str], before: Any) -> None:
    code, findings = check_json(env)
    assert code == 1
    assert problems(findings) == {("mariadb", "capture password"), ("postgres", "capture password")}
    for f in findings:
        assert f["fix"], f  # each problem says how to fix it


def test_print_sql_then_check_names_the_real_problems(env: dict[str, str], servers: Any, before: Any) -> None:
    done = run_cli("provision", "--print-sql", env=env, timeout=400)
    assert done.returncode == 0, done.stderr
    for system in ("mariadb", "postgres"):
        password = (Path(env["PRESTASYNC_HOME"]) / "secrets" / f"{system}_capture.password").read_text().strip()
        assert password not in done.stdout  # verifiers only
    code, findings = check_json(env)
    assert code == 1
    assert problems(findings) == {("mariadb", "capture login"), ("postgres", "capture login")}
    assert_unchanged(servers, before)  # printing and checking wrote nothing


def test_check_as_the_dba_lists_every_real_problem_before_provisioning(
    env: dict[str, str], servers: tuple[MerchantMariaDb, MerchantPostgres], before: Any
) -> None:
    shop, erp = servers
    found = {}
    for system, admin in (
        ("mariadb", ["--admin-user", "root", "--admin-socket", shop.socket]),
        ("postgres", ["--admin-user", "postgres", "--admin-password-file", str(erp.superuser_password_file)]),
    ):
        done = run_cli("check", "--json", "--only", system, *admin, env=env, timeout=400)
        assert done.returncode == 1, done.stderr
        found[system] = problems(json.loads(done.stdout)["findings"])
    assert found["mariadb"] == {
        ("mariadb", c) for c in ("capture login", "log_bin", "binlog_format", "capture grants", "signal table")
    }
    assert found["postgres"] == {
        ("postgres", c) for c in ("capture login", "capture role", "signal table", "replica identity", "publication")
    }
    assert_unchanged(servers, before)  # the DBA's read-only session wrote nothing


def test_apply_then_check_names_binlog_off(
    env: dict[str, str], servers: tuple[MerchantMariaDb, MerchantPostgres], before: Any
) -> None:
    shop, erp = servers
    done = run_cli(
        "provision",
        "--apply",
        "--only",
        "mariadb",
        "--admin-user",
        "root",
        "--admin-socket",
        shop.socket,
        env=env,
        timeout=400,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_cli(
        "provision",
        "--apply",
        "--only",
        "postgres",
        "--admin-user",
        "postgres",
        "--admin-password-file",
        str(erp.superuser_password_file),
        env=env,
        timeout=400,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    code, findings = check_json(env)
    assert code == 1
    assert problems(findings) == {("mariadb", "log_bin"), ("mariadb", "binlog_format")}
    fixes = " ".join(f["fix"] for f in findings if f["status"] == "problem")
    assert "binlog_format = ROW" in fixes and "restart MariaDB" in fixes
    info = {f["check"]: f["detail"] for f in findings if f["system"] == "shop"}
    assert "Europe/Paris" in info["timezone"] and "en-us" in info["languages"]
    assert_unchanged(servers, before)  # the DBA's SQL adds signal tables and capture users, nothing else


def test_check_passes_once_the_dba_turned_the_binlog_on(env: dict[str, str], servers: Any, before: Any) -> None:
    shop, _ = servers
    shop.stop()
    shop.start(binlog=True)  # the DBA's change to the server's configuration, and restart
    code, findings = check_json(env)
    assert problems(findings) == set() and code == 0, findings


def test_the_workers_read_the_shops_timezone_as_the_capture_user(
    env: dict[str, str], before: Any, servers: Any
) -> None:
    """The streams and the shop sink read PS_TIMEZONE at start; in attach mode with the capture user's
    SELECT (prestasync holds no admin credential there), never the admin connection attach refuses."""
    read = (
        "from kernel.settings import get_settings; from kernel.shop_time import read_ps_timezone; "
        "print(read_ps_timezone(get_settings()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", read], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == "Europe/Paris", done.stdout + done.stderr
    assert_unchanged(servers, before)


def test_check_names_a_missing_grant_publication_and_replica_identity(
    env: dict[str, str], servers: tuple[MerchantMariaDb, MerchantPostgres]
) -> None:
    shop, erp = servers
    with shop.root() as conn, conn.cursor() as cur:
        cur.execute("REVOKE REPLICATION SLAVE ON *.* FROM 'debezium'@'127.0.0.1'")
    conn = erp.superuser("odoo")
    with conn.cursor() as cur:
        cur.execute("DROP PUBLICATION prestasync_odoo")
        cur.execute("ALTER TABLE stock_quant REPLICA IDENTITY DEFAULT")
    conn.close()
    code, findings = check_json(env)
    assert code == 1
    assert problems(findings) == {
        ("mariadb", "capture grants"),
        ("postgres", "publication"),
        ("postgres", "replica identity"),
    }
    detail = {f["check"]: f["detail"] for f in findings if f["status"] == "problem"}
    assert "REPLICATION SLAVE" in detail["capture grants"] and "stock_quant" in detail["replica identity"]


def test_the_printed_sql_applied_by_the_dba_clients_fixes_them(
    env: dict[str, str], servers: tuple[MerchantMariaDb, MerchantPostgres], before: Any
) -> None:
    shop, erp = servers
    for system, client in (
        ("mariadb", ["mariadb", "--no-defaults", f"--socket={shop.socket}", "-uroot"]),
        (
            "postgres",
            [
                "psql",
                "-1",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(POSTGRES_PORT),
                "-U",
                "postgres",
                "-d",
                "odoo",
                "-q",
            ],
        ),
    ):
        sql = run_cli("provision", "--print-sql", "--only", system, env=env, timeout=400).stdout
        extra = {"PGPASSWORD": erp.superuser_password_file.read_text().strip()} if system == "postgres" else {}
        done = subprocess.run(
            client, input=sql, text=True, capture_output=True, env={**os.environ, **extra}, check=False, timeout=60
        )
        assert done.returncode == 0, done.stderr
    code, findings = check_json(env)
    assert code == 0, [f for f in findings if f["status"] == "problem"]
    assert_unchanged(servers, before)


@pytest.fixture(scope="module")
def connect_up(env: dict[str, str]) -> Iterator[str]:
    url = "http://127.0.0.1:8083"
    try:
        requests.get(f"{url}/connectors", timeout=3).raise_for_status()
    except requests.RequestException:
        unavailable("no Kafka Connect at 127.0.0.1:8083 (the test stack's)")
    yield url
    removed = remove_deployment(env, PREFIX_SHOP, PREFIX_ERP)  # with their offsets: nothing of ours stays
    for name in (f"prestashop-mariadb-{PREFIX_SHOP}", f"odoo-postgres-{PREFIX_ERP}"):
        requests.delete(f"{url}/connectors/{name}", timeout=30)
    assert removed.returncode == 0, removed.stdout + removed.stderr


def test_stack_up_provision_down_in_attach_mode_change_nothing(
    env: dict[str, str], servers: tuple[MerchantMariaDb, MerchantPostgres], before: Any, connect_up: str
) -> None:
    shop, erp = servers
    embedded = {
        n: requests.get(f"{connect_up}/connectors/{n}/config", timeout=10).json()
        for n in requests.get(f"{connect_up}/connectors", timeout=10).json()
    }
    done = run_cli("stack", "up", env=env, timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ready for capture" in done.stdout
    names = {f"prestashop-mariadb-{PREFIX_SHOP}", f"odoo-postgres-{PREFIX_ERP}"}
    for name in names:
        status = requests.get(f"{connect_up}/connectors/{name}/status", timeout=10).json()
        assert status["connector"]["state"] == "RUNNING" and status["tasks"][0]["state"] == "RUNNING", status
        config = requests.get(f"{connect_up}/connectors/{name}/config", timeout=10).json()
        assert config["topic.prefix"] in (PREFIX_SHOP, PREFIX_ERP)
        assert "${file:" in config["database.password"]
    for name, config in embedded.items():  # the cluster's other connectors are left as they were
        assert requests.get(f"{connect_up}/connectors/{name}/config", timeout=10).json() == config
    done = run_cli("stack", "provision", env=env, timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_cli(
        "connectors", "snapshot", "customer", "--system", "shop", env=env, timeout=400
    )  # a signal, as the capture user
    assert done.returncode == 0, done.stdout + done.stderr
    with shop.root("prestashop") as conn, conn.cursor() as cur:
        cur.execute("SELECT type, data FROM debezium_signal WHERE type = 'execute-snapshot'")
        assert "prestashop.ps_customer" in cur.fetchone()["data"]
    done = run_cli("reconcile", "customers", "--json", env=env, timeout=400)  # reads both sides as the capture users
    assert done.returncode == 1, done.stdout + done.stderr
    assert [json.loads(line)["key"] for line in done.stdout.splitlines()] == ["PS-1"]  # Ada: not in the ERP
    done = run_cli("stack", "status", env=env, timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_cli("stack", "down", env=env, timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    assert shop.running() and erp.running()  # attach mode never stops a database server
    for name in names:  # on a cluster prestasync does not run, down stops its own connectors only
        assert (
            requests.get(f"{connect_up}/connectors/{name}/status", timeout=10).json()["connector"]["state"] == "STOPPED"
        )
    for name in embedded:
        assert (
            requests.get(f"{connect_up}/connectors/{name}/status", timeout=10).json()["connector"]["state"] == "RUNNING"
        )
    done = run_cli("stack", "up", env=env, timeout=400)  # resumes them from their offsets
    assert done.returncode == 0, done.stdout + done.stderr
    assert_unchanged(servers, before)


# a second deployment beside the first: its own Kafka and Connect, slot and binlog client id
LOCAL_KAFKA = {
    "PRESTASYNC_KAFKA__LOCAL": "true",
    "PRESTASYNC_KAFKA__BOOTSTRAP": "127.0.0.1:19092",
    "PRESTASYNC_KAFKA__CONTROLLER_PORT": "19093",
    "PRESTASYNC_KAFKA__CONNECT_URL": "http://127.0.0.1:18083",
    "PRESTASYNC_POSTGRES__SLOT": f"prestasync_{RUN}_local",
    "PRESTASYNC_MARIADB__SERVER_ID": "5318",
}


def test_attach_with_a_local_kafka_starts_and_stops_only_kafka_and_connect(
    env: dict[str, str], servers: tuple[MerchantMariaDb, MerchantPostgres], before: Any
) -> None:
    if any(port_open(p) for p in (19092, 19093, 18083)):
        unavailable("ports 19092/19093/18083 are taken: the test starts its own Kafka and Connect there")
    shop, erp = servers
    local = {**env, **LOCAL_KAFKA}
    try:
        done = run_cli("stack", "up", env=local, timeout=400)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Kafka broker (KRaft)" in done.stdout and "MariaDB installed" not in done.stdout
        for name in (f"prestashop-mariadb-{PREFIX_SHOP}", f"odoo-postgres-{PREFIX_ERP}"):
            status = requests.get(f"http://127.0.0.1:18083/connectors/{name}/status", timeout=10).json()
            assert status["connector"]["state"] == "RUNNING" and status["tasks"][0]["state"] == "RUNNING", status
        assert run_cli("stack", "status", env=local, timeout=400).returncode == 0
    finally:
        done = run_cli("stack", "down", env=local, timeout=400)
        conn = erp.superuser("odoo")  # the DBA drops the second deployment's slot (provision --remove would)
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = %s",
                (LOCAL_KAFKA["PRESTASYNC_POSTGRES__SLOT"],),
            )
        conn.close()
    assert done.returncode == 0, done.stdout + done.stderr
    assert not any(port_open(p) for p in (19092, 18083))  # prestasync's own processes stopped
    assert shop.running() and erp.running()  # the database servers not
    assert_unchanged(servers, before)


def test_order_state_maps_are_checked_against_the_shops_states(env: dict[str, str]) -> None:
    maps = {"PRESTASYNC_ORDER_STATES__SHOP": '{"3": "processing", "4": "shipped", "6": "cancelled", "99": "paid"}'}
    done = run_cli("check", "--json", "--only", "mariadb", env={**env, **maps}, timeout=400)
    assert done.returncode == 1
    findings = json.loads(done.stdout)["findings"]
    assert problems(findings) == {("shop", "order states")}
    bad = next(f for f in findings if f["status"] == "problem")
    assert "99 (paid)" in bad["detail"] and "2 Payment accepted" in bad["fix"]
    unmapped = next(f for f in findings if f["check"] == "order states" and f["status"] == "warning")
    assert "1 Awaiting check payment" in unmapped["detail"]


def test_apply_refuses_a_capture_user_that_is_the_shops_or_erps_own(
    env: dict[str, str], servers: tuple[MerchantMariaDb, MerchantPostgres], before: Any
) -> None:
    shop, erp = servers
    wrong = {**env, "PRESTASYNC_MARIADB__CAPTURE_USER": "prestashop", "PRESTASYNC_POSTGRES__CAPTURE_USER": "odoo"}
    done = run_cli(
        "provision",
        "--apply",
        "--only",
        "mariadb",
        "--admin-user",
        "root",
        "--admin-socket",
        shop.socket,
        env=wrong,
        timeout=400,
    )
    assert done.returncode == 1 and "not prestasync's capture user" in " ".join(done.stdout.split()), done.stdout
    done = run_cli(
        "provision",
        "--apply",
        "--only",
        "postgres",
        "--admin-user",
        "postgres",
        "--admin-password-file",
        str(erp.superuser_password_file),
        env=wrong,
        timeout=400,
    )
    assert done.returncode != 0 and "not a capture role" in " ".join(done.stdout.split()), done.stdout + done.stderr
    assert_unchanged(servers, before)  # the shop's and the ERP's own users kept their grants and passwords


def test_provision_remove_takes_everything_away(
    env: dict[str, str], servers: tuple[MerchantMariaDb, MerchantPostgres], before: Any
) -> None:
    shop, erp = servers
    done = run_cli("connectors", "remove", env=env, timeout=400)  # first: a running connector holds the slot
    assert done.returncode == 0, done.stdout + done.stderr
    for system, admin in (
        ("mariadb", ["--admin-user", "root", "--admin-socket", shop.socket]),
        ("postgres", ["--admin-user", "postgres", "--admin-password-file", str(erp.superuser_password_file)]),
    ):
        done = run_cli("provision", "--apply", "--remove", "--only", system, *admin, env=env, timeout=400)
        assert done.returncode == 0, done.stdout + done.stderr
    with shop.root() as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) AS n FROM mysql.user WHERE User = 'debezium'")
        assert cur.fetchone()["n"] == 0
        cur.execute("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_NAME = 'debezium_signal'")
        assert cur.fetchone()["n"] == 0
    conn = erp.superuser("odoo")
    with conn.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM pg_roles WHERE rolname = 'debezium'), "
            "(SELECT count(*) FROM pg_publication), (SELECT count(*) FROM pg_replication_slots), "
            "to_regclass('public.debezium_signal'), (SELECT count(*) FROM pg_class WHERE relreplident = 'f')"
        )
        assert cur.fetchone() == (0, 0, 0, None, 0)
    conn.close()
    assert_unchanged(servers, before)
    code, findings = check_json(env)
    assert code == 1 and ("mariadb", "capture login") in problems(findings)


def test_embedded_only_commands_refuse_in_attach_mode(env: dict[str, str]) -> None:
    for args in (("sandbox", "reset", "--yes"), ("sandbox", "load-sample"), ("demo", "--duration", "1")):
        done = run_cli(*args, env=env, timeout=400)
        assert done.returncode == 1 and "attach mode" in done.stdout, done.stdout
