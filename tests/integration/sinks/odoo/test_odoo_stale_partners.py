"""Stale customer / address commands (#20 item 1) against the Odoo twin: a command whose every change
meets a partner changed in Odoo since it was derived (``prestasync-expected``) is refused (acked
stale, ``written`` = what Odoo holds), nothing is written; one that still finds what it replaces, or
whose fields are not all outdated, is written as before."""

from __future__ import annotations

import psycopg2.extensions
import pytest

from sandbox.sample import commands as samples
from sinks.common.errors import TerminalError
from sinks.common.handlers import Applied, CommandMeta
from sinks.odoo.sink import OdooSink

pytestmark = pytest.mark.integration

META = CommandMeta("c1", frozenset(), frozenset(), None, None)


def _erp_edit(conn: psycopg2.extensions.connection, sql: str, *args: object) -> None:
    with conn.cursor() as cur:
        cur.execute(sql, args)
    conn.commit()


def _partner(conn: psycopg2.extensions.connection, ref: str) -> tuple[str, str, str]:
    with conn.cursor() as cur:
        cur.execute("SELECT name, email, coalesce(city, '') FROM res_partner WHERE ref = %s", (ref,))
        return cur.fetchone()  # type: ignore[return-value]


def _one(sink: OdooSink, record: object, meta: CommandMeta) -> Applied:
    result = sink.upsert_customers([(record, meta)])[0]  # type: ignore[list-item]
    assert not isinstance(result, TerminalError), result
    return result


def test_a_customer_command_older_than_the_erps_change_is_refused(odoo_sink: OdooSink, postgres_conn) -> None:
    _one(odoo_sink, samples.customer(70, email="first@example.com"), META)
    _erp_edit(postgres_conn, "UPDATE res_partner SET email = 'erp.edit@example.com' WHERE ref = 'PS-70'")
    late = CommandMeta("c2", frozenset({"email"}), frozenset(), None, None, expected={"email": "first@example.com"})
    refused = _one(odoo_sink, samples.customer(70, email="shop.new@example.com"), late)
    assert refused.stale and not refused.changed and refused.written == {"email": "erp.edit@example.com"}
    assert _partner(postgres_conn, "PS-70")[1] == "erp.edit@example.com"
    # derived after the streams saw the ERP's change: written
    current = CommandMeta(
        "c3", frozenset({"email"}), frozenset(), None, None, expected={"email": "erp.edit@example.com"}
    )
    applied = _one(odoo_sink, samples.customer(70, email="shop.new@example.com"), current)
    assert applied.changed and not applied.stale and _partner(postgres_conn, "PS-70")[1] == "shop.new@example.com"


def test_a_command_with_current_fields_is_written_whole(odoo_sink: OdooSink, postgres_conn) -> None:
    _one(odoo_sink, samples.customer(71, email="first71@example.com", name="Ada First"), META)
    _erp_edit(postgres_conn, "UPDATE res_partner SET email = 'erp71@example.com' WHERE ref = 'PS-71'")
    both = CommandMeta(
        "c2",
        frozenset({"email", "display_name"}),
        frozenset(),
        None,
        None,
        expected={"email": "first71@example.com", "display_name": "Ada First"},
    )
    applied = _one(odoo_sink, samples.customer(71, email="new71@example.com", name="Ada Second"), both)
    assert applied.changed and not applied.stale  # the name is still what it replaces: not refused
    assert _partner(postgres_conn, "PS-71")[:2] == ("Ada Second", "new71@example.com")


def test_case_and_spaces_are_no_change_and_unknown_values_no_check(odoo_sink: OdooSink, postgres_conn) -> None:
    _one(odoo_sink, samples.customer(72, email="first72@example.com"), META)
    late = CommandMeta("c2", frozenset({"email"}), frozenset(), None, None, expected={"email": " First72@Example.com"})
    assert not _one(odoo_sink, samples.customer(72, email="new72@example.com"), late).stale
    _erp_edit(postgres_conn, "UPDATE res_partner SET email = 'erp72@example.com' WHERE ref = 'PS-72'")
    unknown = CommandMeta("c3", frozenset({"email"}), frozenset(), None, None)  # no expected: written as before
    assert not _one(odoo_sink, samples.customer(72, email="shop72@example.com"), unknown).stale


def test_an_address_changed_in_the_erp_is_not_overwritten(odoo_sink: OdooSink, postgres_conn) -> None:
    _one(odoo_sink, samples.customer(73), META)
    assert odoo_sink.upsert_address(samples.address(74, 73, city="Lyon"), META).changed
    _erp_edit(postgres_conn, "UPDATE res_partner SET city = 'Marseille' WHERE ref = 'PS-A-74'")
    late = CommandMeta("c2", frozenset({"city"}), frozenset(), None, None, expected={"city": "Lyon"})
    refused = odoo_sink.upsert_address(samples.address(74, 73, city="Lille"), late)
    assert refused.stale and refused.written == {"city": "Marseille"}
    assert _partner(postgres_conn, "PS-A-74")[2] == "Marseille"
