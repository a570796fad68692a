"""The DBA's SQL: everything that needs privileges, nothing a DBA would not expect, no secret in it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from pathlib import Path

import pytest

from kernel.errors import StackError
from kernel.settings import Settings
from prestasync.attach import dba
from prestasync.attach.passwords import mysql_native_hash, scram_sha256_verifier
from schemas.ddl.odoo import ODOO_CAPTURED_TABLES

pytestmark = pytest.mark.unit


def attach(tmp_path: Path, **kw: object) -> Settings:
    return Settings(home=tmp_path, mode="attach", **kw)  # type: ignore[arg-type]


def test_no_password_only_verifiers(tmp_path: Path) -> None:
    settings = attach(tmp_path)
    text = dba.script(settings, "mariadb") + dba.script(settings, "postgres")
    for system in ("mariadb", "postgres"):
        password = settings.capture_password(system).get_secret_value()  # type: ignore[arg-type]
        assert len(password) >= 24 and password not in text
    assert mysql_native_hash(settings.capture_password("mariadb").get_secret_value()) in text
    assert "SCRAM-SHA-256$4096:" in text


def test_server_settings_are_comments_never_statements(tmp_path: Path) -> None:
    for system in dba.SYSTEMS:
        sql = [st.sql for st in dba.statements(attach(tmp_path), system)]
        assert not any(re.search(r"\b(SET GLOBAL|ALTER SYSTEM|SET PERSIST|pg_reload_conf)\b", s, re.I) for s in sql)
        header = dba.script(attach(tmp_path), system).split("\n\n")[0]
        assert all(line.startswith("--") for line in header.splitlines())
    mariadb = dba.script(attach(tmp_path), "mariadb")
    assert "binlog_format = ROW" in mariadb and "binlog_row_image = FULL" in mariadb
    assert "wal_level = logical" in dba.script(attach(tmp_path), "postgres")


def test_capture_grants_are_the_least_debezium_needs(tmp_path: Path) -> None:
    sql = "\n".join(st.sql for st in dba.statements(attach(tmp_path), "mariadb"))
    assert "GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'debezium'@'127.0.0.1'" in sql
    assert "GRANT SELECT ON `prestashop`.* TO" in sql
    assert "GRANT INSERT, UPDATE, DELETE ON `prestashop`.`debezium_signal`" in sql
    assert "ALL PRIVILEGES" not in sql and "ALTER USER" not in sql  # an existing account is never altered
    pg = "\n".join(st.sql for st in dba.statements(attach(tmp_path), "postgres"))
    assert 'CREATE ROLE "debezium" LOGIN REPLICATION PASSWORD' in pg and "ALTER ROLE" not in pg
    assert "SUPERUSER" not in pg


def test_publication_and_replica_identity_cover_exactly_the_captured_tables(tmp_path: Path) -> None:
    pg = dba.statements(attach(tmp_path), "postgres")
    identity = re.compile(r'ALTER TABLE public\."(\w+)" REPLICA IDENTITY FULL')
    full = {m.group(1) for st in pg if (m := identity.fullmatch(st.sql))}
    assert full == {*ODOO_CAPTURED_TABLES, "debezium_signal"}
    publication = next(st.sql for st in pg if "CREATE PUBLICATION" in st.sql)
    assert "FOR ALL TABLES" not in publication
    created = re.search(r'CREATE PUBLICATION "prestasync_odoo" FOR TABLE ([^;]+);', publication)
    assert created is not None
    assert set(re.findall(r'public\."(\w+)"', created.group(1))) == full


def test_configured_names_are_checked_before_they_reach_sql(tmp_path: Path) -> None:
    with pytest.raises(StackError):
        dba.statements(attach(tmp_path, postgres={"capture_user": 'x"; DROP TABLE res_partner; --'}), "postgres")
    with pytest.raises(StackError):
        dba.statements(attach(tmp_path, mariadb={"client_host": "a' OR '1"}), "mariadb")


def test_removal_drops_only_what_provisioning_made(tmp_path: Path) -> None:
    made = dba.statements(attach(tmp_path), "postgres")
    gone = "\n".join(st.sql for st in dba.statements(attach(tmp_path), "postgres", remove=True))
    assert "DROP OWNED" not in gone  # never drops objects a role owns: DROP ROLE fails instead
    assert "pg_drop_replication_slot" in gone and 'DROP TABLE IF EXISTS public."debezium_signal"' in gone
    assert sum("REPLICA IDENTITY FULL" in st.sql for st in made) - 1 == gone.count("REPLICA IDENTITY DEFAULT")


def test_mysql_native_hash_is_mariadbs_format() -> None:
    # MariaDB: SELECT PASSWORD('secret') = '*14E65567ABDB5135D0CFD9A70B3032C179A49EE7'
    assert mysql_native_hash("secret") == "*14E65567ABDB5135D0CFD9A70B3032C179A49EE7"


def test_scram_verifier_authenticates_its_password() -> None:
    verifier = scram_sha256_verifier("s3cret", "debezium")
    assert verifier == scram_sha256_verifier("s3cret", "debezium")  # applying the SQL again changes nothing
    match = re.fullmatch(r"SCRAM-SHA-256\$4096:([^$]+)\$([^:]+):(.+)", verifier)
    assert match is not None
    salt, stored, server = (base64.b64decode(g) for g in match.groups())
    salted = hashlib.pbkdf2_hmac("sha256", b"s3cret", salt, 4096)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    assert hashlib.sha256(client_key).digest() == stored  # what the server compares a client's proof with
    assert hmac.new(salted, b"Server Key", hashlib.sha256).digest() == server
    assert scram_sha256_verifier("other", "debezium") != verifier
