"""The shop checkout, ERP stock moves and the simulator, on throwaway databases holding the sample."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from kernel.dbadmin import mariadb_admin, postgres_admin
from sandbox.sample import load_erp_catalogue, load_shop_catalogue
from sandbox.simulator import (
    CartLine,
    ErpStockMoves,
    NewCustomer,
    OrderRequest,
    ReturningCustomer,
    ShopCheckout,
    Simulator,
)
from tests.support.databases import PREFIX, erp_database, settings_for, shop_database, shop_rows

pytestmark = pytest.mark.integration

WRITE_RE = re.compile(r"^(INSERT INTO|UPDATE|DELETE FROM) `" + PREFIX + r"(\w+)`")


@pytest.fixture
def shop_db() -> Iterator[str]:
    with shop_database() as name:
        conn = mariadb_admin(database=name)
        try:
            load_shop_catalogue(conn, PREFIX)
        finally:
            conn.close()
        yield name


@pytest.fixture
def erp_db() -> Iterator[str]:
    with erp_database() as name:
        conn = postgres_admin(name)
        try:
            load_erp_catalogue(conn)
        finally:
            conn.close()
        yield name


class _RecordingCursor:
    def __init__(self, cursor: Any, owner: _RecordingConnection) -> None:
        self._cursor = cursor
        self._owner = owner

    def execute(self, sql: str, args: Any = None) -> Any:
        result = self._cursor.execute(sql, args)
        match = WRITE_RE.match(sql)
        if match:
            verb = match.group(1).split()[0]
            self._owner.writes.append((verb, match.group(2)))
            self._owner.after_write(verb, match.group(2))
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __enter__(self) -> _RecordingCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._cursor.close()


class _RecordingConnection:
    """Wraps the shop connection: records every write and, after chosen ones, looks from another session."""

    def __init__(self, conn: Any, database: str) -> None:
        self._conn = conn
        self.database = database
        self.writes: list[tuple[str, str]] = []
        self.seen: dict[str, list[dict[str, Any]]] = {}

    def cursor(self, *args: Any) -> _RecordingCursor:
        return _RecordingCursor(self._conn.cursor(*args), self)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def after_write(self, verb: str, table: str) -> None:
        # What another session sees proves each statement committed on its own (no open transaction).
        key = f"{verb} {table}"
        if key in ("INSERT order_detail", "INSERT order_history") and key not in self.seen:
            self.seen[key] = shop_rows(
                self.database,
                f"SELECT o.current_state, COUNT(d.id_order_detail) AS details FROM {PREFIX}orders o "
                f"LEFT JOIN {PREFIX}order_detail d USING (id_order) GROUP BY o.id_order",
            )


def _stock(shop_db: str, id_product: int) -> dict[int, tuple[int, int, int]]:
    rows = shop_rows(
        shop_db,
        f"SELECT id_product_attribute, quantity, physical_quantity, reserved_quantity "
        f"FROM {PREFIX}stock_available WHERE id_product = %s",
        (id_product,),
    )
    return {r["id_product_attribute"]: (r["quantity"], r["physical_quantity"], r["reserved_quantity"]) for r in rows}


def _ids(shop_db: str, reference: str, combination: str | None = None) -> tuple[int, int]:
    product = shop_rows(shop_db, f"SELECT id_product FROM {PREFIX}product WHERE reference = %s", (reference,))[0]
    if combination is None:
        return int(product["id_product"]), 0
    pa = shop_rows(
        shop_db, f"SELECT id_product_attribute FROM {PREFIX}product_attribute WHERE reference = %s", (combination,)
    )[0]
    return int(product["id_product"]), int(pa["id_product_attribute"])


def _customer(group: int = 3) -> NewCustomer:
    return NewCustomer("Emma", "Petit", "emma.petit.test@example.com", group, "3 rue du Moulin", "44000", "Nantes")


def test_checkout_writes_a_consistent_order_statement_by_statement(shop_db):
    tshirt = _ids(shop_db, "TSH-ORG", "TSH-ORG-WHT-M")
    mug = _ids(shop_db, "MUG-CER")
    before_tshirt, before_mug = _stock(shop_db, tshirt[0]), _stock(shop_db, mug[0])
    conn = mariadb_admin(database=shop_db)
    recording = _RecordingConnection(conn, shop_db)
    try:
        checkout = ShopCheckout(recording, PREFIX, random.Random(3))
        placed = checkout.place_order(
            OrderRequest(
                _customer(), (CartLine(*tshirt, 2), CartLine(*mug, 1)), first_state=2, discount_percent=Decimal(10)
            )
        )
    finally:
        conn.close()

    line_writes = [
        ("UPDATE", "product_shop"),
        ("UPDATE", "product"),
        ("INSERT", "order_detail"),
        ("INSERT", "order_detail_tax"),
    ]
    expected = [
        ("INSERT", "customer"),
        ("INSERT", "customer_group"),
        ("INSERT", "address"),
        ("INSERT", "cart"),
        ("INSERT", "orders"),
        ("UPDATE", "stock_available"),
        ("UPDATE", "stock_available"),
        *line_writes,
        ("UPDATE", "stock_available"),
        *line_writes,
        ("INSERT", "order_carrier"),
        ("INSERT", "order_cart_rule"),
        ("UPDATE", "orders"),
        ("UPDATE", "stock_available"),
        ("UPDATE", "stock_available"),
        ("UPDATE", "stock_available"),
        ("INSERT", "order_history"),
        ("UPDATE", "orders"),
        ("DELETE", "order_detail_tax"),
        ("INSERT", "order_detail_tax"),
        ("INSERT", "order_detail_tax"),
    ]
    assert recording.writes == expected
    assert [(s.verb, s.table) for s in placed.statements] == expected
    times = [s.committed_at for s in placed.statements]
    assert times == sorted(times) and all(t.utcoffset() is not None and not t.utcoffset() for t in times)
    # Autocommit: right after the first detail, another session already sees the order (state 0) and that
    # detail; right after the first history row, both details while current_state is still 0.
    assert recording.seen["INSERT order_detail"] == [{"current_state": 0, "details": 1}]
    assert recording.seen["INSERT order_history"] == [{"current_state": 0, "details": 2}]

    order = shop_rows(shop_db, f"SELECT * FROM {PREFIX}orders WHERE id_order = %s", (placed.id_order,))[0]
    assert re.fullmatch(r"[A-Z]{9}", order["reference"]) and order["reference"] == placed.reference
    assert (order["current_state"], order["valid"]) == (2, 1)
    details = shop_rows(shop_db, f"SELECT * FROM {PREFIX}order_detail WHERE id_order = %s", (placed.id_order,))
    assert [d["product_reference"] for d in details] == ["TSH-ORG-WHT-M", "MUG-CER"]
    assert details[0]["product_name"] == "Organic cotton T-shirt - Size : M, Colour : White"
    assert details[0]["unit_price_tax_excl"] == Decimal("19.90")
    assert details[0]["total_price_tax_incl"] == Decimal("47.76")
    rules = shop_rows(
        shop_db, f"SELECT value, value_tax_excl FROM {PREFIX}order_cart_rule WHERE id_order = %s", (placed.id_order,)
    )
    assert (
        sum(d["total_price_tax_incl"] for d in details) + order["total_shipping_tax_incl"] - rules[0]["value"]
        == order["total_paid_tax_incl"]
        == placed.totals.paid_tax_incl
    )
    assert (
        sum(d["total_price_tax_excl"] for d in details) + order["total_shipping_tax_excl"] - rules[0]["value_tax_excl"]
        == order["total_paid_tax_excl"]
    )
    assert order["total_discounts_tax_incl"] == rules[0]["value"] > 0
    taxes = shop_rows(
        shop_db,
        f"SELECT t.total_amount, d.total_price_tax_incl - d.total_price_tax_excl AS tax "
        f"FROM {PREFIX}order_detail_tax t JOIN {PREFIX}order_detail d USING (id_order_detail) "
        "WHERE d.id_order = %s",
        (placed.id_order,),
    )
    assert len(taxes) == 2 and all(t["total_amount"] == t["tax"] for t in taxes)
    history = shop_rows(
        shop_db, f"SELECT id_order_state FROM {PREFIX}order_history WHERE id_order = %s", (placed.id_order,)
    )
    assert [h["id_order_state"] for h in history] == [2]

    after_tshirt, after_mug = _stock(shop_db, tshirt[0]), _stock(shop_db, mug[0])
    q, physical, reserved = before_tshirt[tshirt[1]]
    assert after_tshirt[tshirt[1]] == (q - 2, physical, reserved + 2)
    combos = [v for k, v in after_tshirt.items() if k != 0]
    assert after_tshirt[0] == tuple(sum(col) for col in zip(*combos, strict=True))
    assert after_mug[0] == (before_mug[0][0] - 1, before_mug[0][1], before_mug[0][2] + 1)


def test_returning_customer_group_price_and_cancellation(shop_db):
    wholesale = shop_rows(shop_db, f"SELECT id_group FROM {PREFIX}group_lang WHERE name = 'Wholesale'")[0]["id_group"]
    cap = _ids(shop_db, "CAP-BB", "CAP-BB-NVY")
    before = _stock(shop_db, cap[0])
    conn = mariadb_admin(database=shop_db)
    try:
        checkout = ShopCheckout(conn, PREFIX, random.Random(5))
        first = checkout.place_order(OrderRequest(_customer(wholesale), (CartLine(*cap, 1),), first_state=10))
        again = checkout.place_order(
            OrderRequest(ReturningCustomer(first.id_customer, first.id_address), (CartLine(*cap, 3),))
        )
        assert (again.id_customer, again.id_address, again.new_customer) == (first.id_customer, first.id_address, False)
        assert {s.table for s in again.statements}.isdisjoint({"customer", "address", "customer_group"})
        assert _stock(shop_db, cap[0])[cap[1]] == (before[cap[1]][0] - 4, before[cap[1]][1], 4)
        cancelled = checkout.cancel_order(again.id_order)
    finally:
        conn.close()
    assert [line.price.unit_tax_excl for line in first.lines] == [Decimal("9.00")]  # the Wholesale price
    assert shop_rows(shop_db, f"SELECT COUNT(*) AS n FROM {PREFIX}customer")[0]["n"] == 1
    states = shop_rows(shop_db, f"SELECT id_order, current_state, valid FROM {PREFIX}orders ORDER BY id_order")
    assert [(s["current_state"], s["valid"]) for s in states] == [(10, 0), (6, 0)]
    assert cancelled[-2:][0].table == "order_history"
    history = shop_rows(
        shop_db,
        f"SELECT id_order_state FROM {PREFIX}order_history WHERE id_order = %s ORDER BY id_order_history",
        (again.id_order,),
    )
    assert [h["id_order_state"] for h in history] == [2, 6]
    # The cancelled order's 3 units are sellable again; the first order's unit stays reserved.
    assert _stock(shop_db, cap[0])[cap[1]] == (before[cap[1]][0] - 1, before[cap[1]][1], 1)


def _quant(erp_db: str, sku: str, location: int) -> Decimal | None:
    conn = postgres_admin(erp_db)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT sq.quantity FROM stock_quant sq JOIN product_product pp ON pp.id = sq.product_id "
                "WHERE pp.default_code = %s AND sq.location_id = %s",
                (sku, location),
            )
            row = cur.fetchone()
            return None if row is None else Decimal(row[0])
    finally:
        conn.close()


def test_erp_stock_moves_change_quants(erp_db):
    conn = postgres_admin(erp_db)
    try:
        moves = ErpStockMoves(conn)
        receipt = moves.receipt("MUG-CER", "WH", 10)
        delivery = moves.delivery("MUG-CER", "STORE", 5)
        adjustment = moves.adjustment("TSH-ORG-BLK-M", "WH", 7)
        new_quant = moves.receipt("HOOD-ZIP-GRY-XL", "STORE", 3)  # no quant there yet
        capped = moves.delivery("HOOD-ZIP-GRY-XL", "STORE", 9)
        with conn.cursor() as cur:
            cur.execute(
                "SELECT state, location_id, location_dest_id, quantity, is_inventory, write_uid "
                "FROM stock_move ORDER BY id"
            )
            rows = cur.fetchall()
    finally:
        conn.close()
    assert (receipt.quantity, receipt.quant_quantity) == (Decimal(10), Decimal(50))
    assert _quant(erp_db, "MUG-CER", 8) == Decimal(50)
    assert _quant(erp_db, "MUG-CER", 10) == Decimal(7) == delivery.quant_quantity
    assert _quant(erp_db, "TSH-ORG-BLK-M", 8) == Decimal(7) and adjustment.quantity == Decimal(-11)
    assert new_quant.quant_quantity == Decimal(3)
    assert capped.quantity == Decimal(-3) and _quant(erp_db, "HOOD-ZIP-GRY-XL", 10) == Decimal(0)
    assert [(r[0], r[1], r[2], Decimal(r[3]), r[4], r[5]) for r in rows] == [
        ("done", 4, 8, Decimal(10), False, 2),
        ("done", 10, 5, Decimal(5), False, 2),
        ("done", 8, 6, Decimal(11), True, 2),
        ("done", 4, 10, Decimal(3), False, 2),
        ("done", 10, 5, Decimal(3), False, 2),
    ]


class _FakeTime:
    """An injectable clock: sleeping advances it instantly."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds


def test_simulator_honours_rates_and_writes_both_sides(shop_db, erp_db):
    fake = _FakeTime()
    simulator = Simulator(
        settings_for(shop_db, erp_db),
        orders_per_minute=6,
        stock_moves_per_minute=4,
        seed=11,
        spacing="even",
        clock=fake.clock,
        sleep=fake.sleep,
    )
    seen: list[str] = []
    events = simulator.run(180, on_event=lambda event: seen.append(event.kind))
    assert seen == [event.kind for event in events]
    shop_events = [e for e in events if e.system == "shop"]
    erp_events = [e for e in events if e.system == "erp"]
    assert (len(shop_events), len(erp_events)) == (18, 12)
    assert 170 <= fake.slept < 180  # last slot at 171 s (moves every 15 s, orders every 10 s)
    orders = [e for e in shop_events if e.kind == "order"]
    cancellations = [e for e in shop_events if e.kind == "cancellation"]
    assert len(orders) + len(cancellations) == 18 and orders
    assert {e.kind for e in erp_events} <= {"receipt", "delivery", "adjustment"}
    assert all(e.committed_at.utcoffset() is not None for e in events)
    db_orders = shop_rows(shop_db, f"SELECT reference, current_state FROM {PREFIX}orders")
    assert sorted(r["reference"] for r in db_orders) == sorted(e.key for e in orders)
    assert sum(r["current_state"] == 6 for r in db_orders) == len(cancellations)
    conn = postgres_admin(erp_db)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM stock_move WHERE state = 'done' AND write_uid = 2")
            assert cur.fetchone()[0] == len(erp_events)
    finally:
        conn.close()
    # Every product row of the shop still equals the sum of its combinations.
    mismatches = shop_rows(
        shop_db,
        f"SELECT p.id_product FROM {PREFIX}stock_available p WHERE p.id_product_attribute = 0 "
        f"AND EXISTS (SELECT 1 FROM {PREFIX}product_attribute pa WHERE pa.id_product = p.id_product) "
        f"AND p.quantity <> (SELECT SUM(c.quantity) FROM {PREFIX}stock_available c "
        "WHERE c.id_product = p.id_product AND c.id_product_attribute <> 0)",
    )
    assert mismatches == []


def test_simulator_moves_storable_goods_only(shop_db, erp_db):
    """Found by `bench chaos`: the simulator moved the service products too (the sink's shipping and voucher
    lines), whose stock the streams then commanded to a shop that does not have them (dead letters)."""
    fake = _FakeTime()
    simulator = Simulator(
        settings_for(shop_db, erp_db), 0, stock_moves_per_minute=60, seed=3, clock=fake.clock, sleep=fake.sleep
    )
    assert len(simulator.run(60)) >= 40
    conn = postgres_admin(erp_db)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT DISTINCT t.type, t.is_storable FROM stock_move m JOIN product_product p ON p.id = m.product_id"
                " JOIN product_template t ON t.id = p.product_tmpl_id WHERE m.write_uid = 2"
            )
            assert set(cur.fetchall()) == {("consu", True)}
    finally:
        conn.close()


def test_simulator_poisson_run_mixes_customers(shop_db, erp_db):
    fake = _FakeTime()
    simulator = Simulator(
        settings_for(shop_db, erp_db),
        orders_per_minute=20,
        stock_moves_per_minute=0,
        seed=4,
        clock=fake.clock,
        sleep=fake.sleep,
        cancel_ratio=0.0,
    )
    events = simulator.run(120)
    assert 20 <= len(events) <= 65  # 40 expected
    assert all(e.system == "shop" and e.kind == "order" for e in events)
    assert {e.detail["new_customer"] for e in events} == {"True", "False"}
    assert max(int(e.detail["lines"]) for e in events) >= 2
    customers = shop_rows(shop_db, f"SELECT COUNT(*) AS n FROM {PREFIX}customer")[0]["n"]
    assert customers == sum(e.detail["new_customer"] == "True" for e in events)


def test_checkout_dates_rows_on_the_shops_wall_clock(shop_db):
    """PrestaShop's DATETIMEs are PS_TIMEZONE wall-clock times (the seed: Europe/Paris, the installer's
    default); the order of a checkout at 12:00 UTC in winter reads 13:00 (#13)."""
    from datetime import UTC, datetime

    cap = _ids(shop_db, "CAP-BB", "CAP-BB-NVY")
    conn = mariadb_admin(database=shop_db)
    try:
        noon = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
        placed = ShopCheckout(conn, PREFIX, random.Random(7), clock=lambda: noon).place_order(
            OrderRequest(_customer(), (CartLine(*cap, 1),))
        )
    finally:
        conn.close()
    [row] = shop_rows(shop_db, f"SELECT date_add FROM {PREFIX}orders WHERE id_order = %s", (placed.id_order,))
    assert row["date_add"] == datetime(2026, 12, 1, 13, 0, 0)
    [history] = shop_rows(
        shop_db, f"SELECT date_add FROM {PREFIX}order_history WHERE id_order = %s", (placed.id_order,)
    )
    assert history["date_add"] == datetime(2026, 12, 1, 13, 0, 0)
