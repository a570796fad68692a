"""Onboarding (#19 item 6) in attach mode, on a merchant's servers: a second MariaDB and PostgreSQL of
the test's own (``servers.py``; the default ones untouched), provisioned by the DBA's SQL, holding data
both systems already share, and an Odoo twin serving that PostgreSQL as the merchant's Odoo would.

`onboard --dry-run` classifies every record and changes nothing on either database (every table's
checksum, users and password hashes); `--execute` writes exactly the links (the matched ERP records'
empty ``ref`` / ``default_code`` / ``client_order_ref``) and nothing else; a second `--execute` writes
nothing. Then the initial snapshot as an incremental one (``kafka.initial_snapshot: incremental``) on
the test stack's Kafka Connect: stopped half-way (`stack down`) and started again (`stack up`), it resumes
from its last chunk instead of reading every row again, and `onboard progress` follows it. One scenario
in order, each step its own test.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg2
import pytest
import requests

from kernel.procs import port_open
from kernel.settings import Settings
from sandbox.odoo.auth import provision_api_key
from sandbox.odoo.server import build_server
from tests.integration.prestasync.attach.commands import attach_env, remove_deployment
from tests.integration.prestasync.attach.servers import MARIADB_PORT, POSTGRES_PORT, MerchantMariaDb, MerchantPostgres
from tests.support.cli import run_cli
from tests.support.db_fingerprint import differences, mariadb_fingerprint, postgres_fingerprint
from tests.support.polling import wait_until
from tests.support.prerequisites import unavailable

pytestmark = [pytest.mark.integration, pytest.mark.scenario_step]

RUN = uuid.uuid4().hex[:8]
TWIN_PORT = 8072  # this test's own Odoo twin (the shared one on 8069 serves the stack's database)
SIGNAL_TABLES = {"prestashop.debezium_signal", "public.debezium_signal"}
CAPTURE = {"prestasync_cdc@127.0.0.1", "prestasync_cdc"}
APP_PASSWORD = "erp-app-" + RUN
PREFIX_SHOP, PREFIX_ERP = f"onbshop{RUN}", f"onberp{RUN}"
CONNECT = "http://127.0.0.1:8083"  # the test stack's Kafka Connect (its Kafka on 9092)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[MerchantMariaDb, MerchantPostgres]]:
    if port_open(MARIADB_PORT) or port_open(POSTGRES_PORT) or port_open(TWIN_PORT):
        unavailable(
            f"ports {MARIADB_PORT}/{POSTGRES_PORT}/{TWIN_PORT} are taken: the test starts its own servers there"
        )
    shop, erp = MerchantMariaDb(), MerchantPostgres()
    try:
        shop.install()
        shop.start(binlog=True)
        shop.build_shop(app_password="shop-app-" + RUN)
        erp.install()
        erp.start()
        erp.build_erp(app_password=APP_PASSWORD)
        yield shop, erp
    finally:
        shop.remove()
        erp.remove()


def erp_app() -> psycopg2.extensions.connection:
    """Odoo's own connection to its database (role ``odoo``), as the merchant's Odoo server has."""
    return psycopg2.connect(host="127.0.0.1", port=POSTGRES_PORT, user="odoo", password=APP_PASSWORD, dbname="odoo")


@pytest.fixture(scope="module")
def env(servers: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("onboard-home")
    (home / "secrets").mkdir()
    conn = erp_app()
    with conn:
        key = provision_api_key(conn, 6, "prestasync integration")  # the merchant's admin made it
    conn.close()
    (home / "secrets" / "odoo_api.key").write_text(key)
    return attach_env(
        home,
        PRESTASYNC_MARIADB__CAPTURE_USER="prestasync_cdc",
        PRESTASYNC_MARIADB__SERVER_ID="5327",
        PRESTASYNC_POSTGRES__CAPTURE_USER="prestasync_cdc",
        PRESTASYNC_POSTGRES__SLOT=f"prestasync_{RUN}",
        PRESTASYNC_ERP__URL=f"http://127.0.0.1:{TWIN_PORT}",
        PRESTASYNC_ERP__DATABASE="odoo",
        PRESTASYNC_STREAMS__INTEGRATION_UID="6",
        PRESTASYNC_KAFKA__LOCAL="false",  # the test stack's Kafka and Connect
        PRESTASYNC_KAFKA__TOPIC_PREFIX_SHOP=PREFIX_SHOP,
        PRESTASYNC_KAFKA__TOPIC_PREFIX_ERP=PREFIX_ERP,
        PRESTASYNC_KAFKA__INITIAL_SNAPSHOT="incremental",
    )


@pytest.fixture(scope="module")
def twin(servers: Any) -> Iterator[None]:
    server = build_server(Settings(), "127.0.0.1", TWIN_PORT, database="odoo", connect=erp_app)
    server.start()
    try:
        yield
    finally:
        server.stop()


def shop_sql(servers: Any, *statements: str) -> None:
    with servers[0].root("prestashop") as conn, conn.cursor() as cur:
        cur.execute("SET SESSION sql_mode = ''")
        for statement in statements:
            cur.execute(statement)


def erp_sql(*statements: str) -> list[Any]:
    conn = erp_app()
    try:
        with conn, conn.cursor() as cur:
            out: list[Any] = []
            for statement in statements:
                cur.execute(statement)
                out = cur.fetchall() if cur.description else out
            return out
    finally:
        conn.close()


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """The tables and users whose fingerprint differs, as ``<database>:<table or user>``."""
    return {f"{db}:{name}" for db in before for names in differences(before[db], after[db]).values() for name in names}


def fingerprints(servers: Any) -> dict[str, Any]:
    shop, erp = servers
    with shop.root() as conn:
        mariadb = mariadb_fingerprint(conn, SIGNAL_TABLES, CAPTURE)
    conn = erp.superuser("odoo")
    try:
        return {"mariadb": mariadb, "postgres": postgres_fingerprint(conn, SIGNAL_TABLES, CAPTURE)}
    finally:
        conn.close()


def template(name: str, price: str = "9.90") -> str:
    return (
        "INSERT INTO product_template (name, type, service_tracking, categ_id, uom_id, uom_po_id, tracking, "
        f"list_price, sale_ok, active) VALUES ('{{\"en_US\": \"{name}\"}}', 'consu', 'no', 1, 1, 1, 'none', "
        f"{price}, TRUE, TRUE)"
    )


def variant(code: str | None, barcode: str | None) -> str:
    code_sql = f"'{code}'" if code else "NULL"
    barcode_sql = f"'{barcode}'" if barcode else "NULL"
    return (
        "INSERT INTO product_product (product_tmpl_id, default_code, barcode, active) "
        f"VALUES ((SELECT max(id) FROM product_template), {code_sql}, {barcode_sql}, TRUE)"
    )


def sale(name: str, client_ref: str | None, origin: str | None, untaxed: str, total: str) -> str:
    client = f"'{client_ref}'" if client_ref else "NULL"
    source = f"'{origin}'" if origin else "NULL"
    return (
        "INSERT INTO sale_order (name, company_id, partner_id, partner_invoice_id, partner_shipping_id, date_order, "
        "client_order_ref, origin, amount_untaxed, amount_total, state, picking_policy) VALUES "
        f"('{name}', 1, 1, 1, 1, now(), {client}, {source}, {untaxed}, {total}, 'draft', 'direct')"
    )


def test_the_dba_provisions_and_both_systems_hold_shared_data(env: dict[str, str], servers: Any) -> None:
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
    done = run_cli("provision", "--apply", "--only", "postgres", "--admin-user", "postgres",
        "--admin-password-file", str(erp.superuser_password_file), env=env, timeout=400)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    # the shop: Ada (id 1, from build_shop), Grace, Alan, a guest checkout of Ada's e-mail; three products
    # and one with two combinations; three orders
    shop_sql(
        servers,
        "INSERT INTO ps_customer (id_customer, id_shop_group, id_shop, id_default_group, id_lang, firstname, lastname, "
        "email, passwd, secure_key, is_guest, active, date_add, date_upd) VALUES "
        "(2, 1, 1, 3, 1, 'Grace', 'Hopper', 'grace@example.com', 'x', 'k', 0, 1, NOW(), NOW()),"
        "(3, 1, 1, 3, 1, 'Alan', 'Turing', 'alan@example.com', 'x', 'k', 0, 1, NOW(), NOW()),"
        "(4, 1, 1, 2, 1, 'Ada', 'Lovelace', 'ADA@example.com', 'x', 'k', 1, 1, NOW(), NOW())",
        "INSERT INTO ps_product (id_product, reference, ean13, price, active, date_add, date_upd) VALUES "
        "(1, 'MUG-1', '', 9.90, 1, NOW(), NOW()), (2, 'TEE-1', '4006381333931', 19.00, 1, NOW(), NOW()),"
        "(3, 'CAP-1', '', 5.00, 1, NOW(), NOW()), (4, 'HOOD', '', 40.00, 1, NOW(), NOW())",
        "INSERT INTO ps_product_lang (id_product, id_shop, id_lang, name, link_rewrite) VALUES "
        "(1, 1, 1, 'Mug', 'mug'), (2, 1, 1, 'Tee', 'tee'), (3, 1, 1, 'Cap', 'cap'), (4, 1, 1, 'Hoodie', 'hoodie')",
        "INSERT INTO ps_product_attribute (id_product_attribute, id_product, reference, ean13, price) VALUES "
        "(1, 4, 'HOOD-S', '', 0), (2, 4, 'HOOD-M', '4006381333948', 0)",
        "INSERT INTO ps_orders (id_order, reference, id_customer, current_state, total_paid_tax_excl, "
        "total_paid_tax_incl, date_add, date_upd) VALUES (1, 'AAAAAAAAA', 1, 2, 19.80, 24.35, NOW(), NOW()),"
        "(2, 'BBBBBBBBB', 2, 2, 19.00, 23.37, NOW(), NOW()), (3, 'CCCCCCCCC', 3, 2, 5.00, 6.15, NOW(), NOW())",
    )
    # the ERP, as staff typed it: Ada without the shop's key, Grace with the merchant's own customer code,
    # a contact of its own; the mug by reference, the tee by its barcode only, HOOD-M by barcode only, a
    # product of its own; order A with the shop reference as source document, B as client reference
    erp_sql(
        "INSERT INTO res_partner (name, type, email, active, customer_rank, partner_share) VALUES "
        "('Ada Lovelace', 'contact', 'ada@example.com', TRUE, 1, TRUE)",
        "INSERT INTO res_partner (name, type, email, ref, active, customer_rank, partner_share) VALUES "
        "('Grace Hopper', 'contact', 'grace@example.com', 'C0042', TRUE, 1, TRUE),"
        "('Walk-in', 'contact', 'walkin@example.com', NULL, TRUE, 1, TRUE)",
        template("Mug"), variant("MUG-1", None),
        template("Tee", "19.00"), variant(None, "4006381333931"),
        template("Hoodie M"), variant(None, "4006381333948"),
        template("Poster"), variant("POSTER", None),
        sale("S00001", None, "AAAAAAAAA", "19.80", "24.35"),
        sale("S00002", "BBBBBBBBB", None, "19.00", "23.37"),
    )  # fmt: skip


@pytest.fixture(scope="module")
def before(servers: Any) -> dict[str, Any]:
    return fingerprints(servers)


def test_dry_run_classifies_every_record_and_changes_nothing(
    env: dict[str, str], servers: Any, before: dict[str, Any]
) -> None:
    done = run_cli("onboard", "--dry-run", "--json", env=env, timeout=400)
    assert done.returncode == 1, done.stdout + done.stderr  # Grace's partner has another ref: a person decides
    report = json.loads(done.stdout)
    assert report["summary"] == {
        "customers": {"matched": 2, "only_in_shop": 1, "only_in_erp": 1, "conflicting": 1},
        "products": {"matched": 2, "only_in_shop": 2, "only_in_erp": 1, "conflicting": 0},
        "combinations": {"matched": 1, "only_in_shop": 1, "only_in_erp": 0, "conflicting": 0},
        "orders": {"matched": 2, "only_in_shop": 1, "only_in_erp": 0, "conflicting": 0},
    }
    links = sorted((m["link"]["model"], m["link"]["field"], m["link"]["value"]) for m in report["matches"] if m["link"])
    assert links == [
        ("product.product", "default_code", "HOOD-M"),
        ("product.product", "default_code", "TEE-1"),
        ("res.partner", "ref", "PS-1"),
        ("sale.order", "client_order_ref", "AAAAAAAAA"),
    ]
    grace = next(m for m in report["matches"] if m["key"] == "PS-2")
    assert grace["status"] == "conflicting" and "C0042" in grace["reason"]
    assert changed(before, fingerprints(servers)) == set()  # read-only on both databases


def test_execute_writes_the_links_and_nothing_else(
    env: dict[str, str], servers: Any, twin: None, before: dict[str, Any]
) -> None:
    done = run_cli("onboard", "--execute", "--json", env=env, timeout=400)
    assert done.returncode == 1, done.stdout + done.stderr  # Grace still needs a person
    assert json.loads(done.stdout)["executed"]["written"] == 4
    assert erp_sql("SELECT ref FROM res_partner WHERE email = 'ada@example.com'") == [("PS-1",)]
    assert erp_sql("SELECT ref FROM res_partner WHERE email = 'grace@example.com'") == [("C0042",)]  # kept
    assert erp_sql("SELECT default_code FROM product_product WHERE barcode IS NOT NULL ORDER BY barcode") == [
        ("TEE-1",),
        ("HOOD-M",),
    ]
    assert erp_sql("SELECT client_order_ref FROM sale_order ORDER BY name") == [("AAAAAAAAA",), ("BBBBBBBBB",)]
    # the tables holding the links, nothing else (no login row: res_users_log unchanged); a single
    # variant's default_code is stored on its template too (Odoo's related field), hence product_template
    assert changed(before, fingerprints(servers)) == {
        "postgres:public.res_partner",
        "postgres:public.product_product",
        "postgres:public.product_template",
        "postgres:public.sale_order",
    }


def test_a_second_execute_writes_nothing(env: dict[str, str], servers: Any, twin: None) -> None:
    first = fingerprints(servers)
    done = run_cli("onboard", "--execute", "--json", env=env, timeout=400)
    report = json.loads(done.stdout)
    assert report["executed"]["written"] == 0 and report["links"] == 0
    assert report["summary"]["customers"]["matched"] == 2 and report["summary"]["orders"]["matched"] == 2
    assert changed(first, fingerprints(servers)) == set()


@pytest.fixture(scope="module")
def connectors(env: dict[str, str]) -> Iterator[None]:
    try:
        requests.get(f"{CONNECT}/connectors", timeout=3).raise_for_status()
    except requests.RequestException:
        unavailable(f"no Kafka Connect at {CONNECT} (the test stack's)")
    yield
    removed = remove_deployment(env, PREFIX_SHOP, PREFIX_ERP)  # with their offsets: nothing of ours stays
    assert removed.returncode == 0, removed.stdout + removed.stderr


def customer_events() -> int:
    from kafka import KafkaConsumer, TopicPartition

    topic = f"{PREFIX_SHOP}.prestashop.ps_customer"
    consumer = KafkaConsumer(bootstrap_servers="127.0.0.1:9092")
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        return sum(consumer.end_offsets(parts).values()) if parts else 0
    finally:
        consumer.close()


ROWS = 150_000  # shop customers the snapshot reads: long enough to stop it half-way on a loaded machine


def test_an_interrupted_incremental_snapshot_resumes_from_its_last_chunk(
    env: dict[str, str], servers: Any, connectors: None
) -> None:
    import time

    shop_sql(
        servers,
        "INSERT INTO ps_customer (id_shop_group, id_shop, id_default_group, id_lang, firstname, lastname, email, "
        "passwd, secure_key, is_guest, active, date_add, date_upd) SELECT 1, 1, 3, 1, 'F', 'L', "
        f"CONCAT('c', seq, '@example.com'), 'x', 'k', 0, 1, NOW(), NOW() FROM seq_1_to_{ROWS}",
    )
    rows = ROWS + 4  # and Ada, Grace, Alan, Ada's guest checkout
    done = run_cli(
        "stack", "up", env=env, timeout=400
    )  # connectors deployed with snapshot.mode no_data: nothing read yet
    assert done.returncode == 0, done.stdout + done.stderr
    config = requests.get(f"{CONNECT}/connectors/prestashop-mariadb-{PREFIX_SHOP}/config", timeout=10).json()
    assert config["snapshot.mode"] == "no_data"
    time.sleep(5)
    assert customer_events() == 0  # streaming only: the rows already there are not read
    done = run_cli("onboard", "snapshot", "--system", "shop", env=env, timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    wait_until(lambda: customer_events() >= 10_000, "10,000 rows read", 240)
    done = run_cli("stack", "down", env=env, timeout=400)  # the interruption: our connectors stopped, offsets kept
    assert done.returncode == 0, done.stdout + done.stderr
    time.sleep(3)
    read_before = customer_events()
    assert read_before < rows, "the snapshot ended before it could be interrupted"
    half = json.loads(run_cli("onboard", "progress", "--json", env=env, timeout=400).stdout)
    table = next(t for t in half["tables"] if t["topic"].endswith(".ps_customer"))
    assert table["rows"] == rows and table["read"] == read_before and not table["done"]
    done = run_cli("stack", "up", env=env, timeout=400)  # resumes the connectors
    assert done.returncode == 0, done.stdout + done.stderr
    wait_until(lambda: customer_events() >= rows, "every row read", 400)
    time.sleep(5)
    total = customer_events()
    print(f"incremental snapshot: {rows} rows, {read_before} read before the stop, {total} events in all")
    # resumed: every row once, plus at most the chunk(s) read again (1024 rows each); started again
    # from the first row it would be rows + read_before
    assert rows <= total <= rows + 2 * 1024, (rows, read_before, total)
    after = json.loads(run_cli("onboard", "progress", "--json", env=env, timeout=400).stdout)
    table = next(t for t in after["tables"] if t["topic"].endswith(".ps_customer"))
    assert table["done"] and table["read"] == rows
