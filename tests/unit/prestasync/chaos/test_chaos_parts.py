"""The parts of `bench chaos` that decide what its matrix says (issue #20)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kernel.errors import StackError
from kernel.settings import Settings
from prestasync.chaos import checks, security
from prestasync.chaos.faults import NOT_INJECTED
from prestasync.chaos.load import Load
from prestasync.chaos.run import RunResult, matrix
from prestasync.chaos.stack import PrivateStack

pytestmark = pytest.mark.unit


def result(fault: str, **over: Any) -> RunResult:
    values: dict[str, Any] = {
        "fault": fault,
        "run": 1,
        "injected_at_s": 3.0,
        "what": "x",
        "orders": 4,
        "cancellations": 1,
        "moves": 2,
        "lost": [],
        "duplicated": [],
        "stale": [],
        "drift": [],
        "dead_letters": 0,
        "echoes": {"odoo": 0, "prestashop": 0},
        "lag": 0,
        "quiet": True,
    }
    return RunResult(**{**values, **over})


def test_a_fault_without_runs_is_not_run_never_zero() -> None:
    lines = matrix(
        [result("kill-streams", lost=["orders:A"]), result("kill-streams", run=2)], ["kill-streams", "odoo-429"]
    )
    assert "| kill-streams | 2 | 1 | 0 | 0 | 0 | 0 | 0 | 8 / 2 / 4 |" in lines
    assert "| odoo-429 | not run | – | – | – | – | – | – | – |" in lines
    assert all(any(line.startswith(f"| {name} | not run") for line in lines) for name in NOT_INJECTED)


def test_findings_count_only_what_is_new() -> None:
    before = checks.Findings({"orders:A"}, set(), set(), {"stock:S"}, 12, 0)
    after = checks.Findings({"orders:A", "orders:B"}, {"order:C"}, set(), {"stock:S"}, 13, 0)
    new = after.new_since(before)
    assert (new.lost, new.duplicated, new.drift, new.dead_letters) == ({"orders:B"}, {"order:C"}, set(), 1)


def test_a_cancellation_overwritten_by_a_webservice_write_is_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    history = [
        {"id_order": 1, "reference": "OK", "state": 3, "employee": 0},  # the ERP's confirmation, then a cancel
        {"id_order": 1, "reference": "OK", "state": 6, "employee": 1},
        {"id_order": 2, "reference": "BAD", "state": 2, "employee": 0},
        {"id_order": 2, "reference": "BAD", "state": 6, "employee": 1},
        {"id_order": 2, "reference": "BAD", "state": 3, "employee": 0},  # ours, after the cancellation: the loss
        {"id_order": 3, "reference": "MERCHANT", "state": 6, "employee": 1},
        {"id_order": 3, "reference": "MERCHANT", "state": 3, "employee": 1},  # the merchant changed their mind
        {"id_order": 4, "reference": "SAME", "state": 6, "employee": 1},  # found by the first chaos pass: a
        {"id_order": 5, "reference": "SAME", "state": 2, "employee": 0},  # reused reference is another order
        {"id_order": 6, "reference": "PUTBACK", "state": 6, "employee": 1},  # crossed our write, which the
        {"id_order": 6, "reference": "PUTBACK", "state": 3, "employee": 0},  # sink found and put back: the
        {"id_order": 6, "reference": "PUTBACK", "state": 6, "employee": 0},  # merchant's state stands
        {"id_order": 7, "reference": "LATER", "state": 6, "employee": 1},
        {"id_order": 7, "reference": "LATER", "state": 3, "employee": 0},
        {"id_order": 7, "reference": "LATER", "state": 6, "employee": 0},
        {"id_order": 7, "reference": "LATER", "state": 4, "employee": 0},  # put back, then overwritten again
    ]
    asked: list[str] = []
    monkeypatch.setattr(checks.read, "shop_rows", lambda settings, sql: asked.append(sql) or history)
    assert checks._stale_overwrites(Settings()) == {"order:BAD", "order:LATER"}
    assert asked[0].endswith("ORDER BY h.id_order, h.id_order_history")  # insertion order, not date_add


def test_servers_it_does_not_own_are_refused(tmp_path: Path) -> None:
    own = {"socket": str(tmp_path / "chaos" / "mariadb" / "mysqld.sock"), "port": 3326}
    with pytest.raises(StackError, match=r"mariadb\.socket"):
        PrivateStack(Settings(home=tmp_path)).refuse_shared()  # the system server's socket
    with pytest.raises(StackError, match="3306"):
        PrivateStack(Settings(home=tmp_path, mariadb={**own, "port": 3306})).refuse_shared()  # type: ignore[arg-type]
    with pytest.raises(StackError, match="9092"):
        PrivateStack(Settings(home=tmp_path, mariadb=own, postgres={"port": 5452})).refuse_shared()  # type: ignore[arg-type]
    with pytest.raises(StackError, match="attach"):
        PrivateStack(Settings(home=tmp_path, mode="attach")).refuse_shared()
    private = Settings(
        home=tmp_path,
        mariadb=own,  # type: ignore[arg-type]
        postgres={"port": 5452},  # type: ignore[arg-type]
        kafka={"bootstrap": "127.0.0.1:49092", "controller_port": 49093, "connect_url": "http://127.0.0.1:48083"},  # type: ignore[arg-type]
    )
    PrivateStack(private).refuse_shared()


def test_a_secret_in_a_log_is_found(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "odoo_api.key").write_text("k3y-0f-the-integration-user\n")
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "worker-sink-odoo.log").write_text('{"msg": "login with ***"}\n')
    assert security.secrets_in_logs(settings, [logs]) == []
    (logs / "nested").mkdir()
    (logs / "nested" / "twin-odoo.log").write_text("Authorization: Bearer k3y-0f-the-integration-user\n")
    assert security.secrets_in_logs(settings, [logs]) == [f"{logs / 'nested' / 'twin-odoo.log'}: odoo_api.key"]


def test_a_held_load_makes_no_write_until_released() -> None:
    load = Load(Settings(), 0, 0, seed=1)
    ticks: list[float] = []

    def simulator() -> None:  # what Simulator does: ask the clock before every event
        for _ in range(3):
            ticks.append(load._clock())
            time.sleep(0.05)
        load._busy.release()
        load._held.busy = False

    with load.hold("shop"):
        thread = threading.Thread(target=simulator)
        thread.start()
        time.sleep(0.3)
        assert ticks == []  # held: the simulator waits at its clock
    thread.join(timeout=5)
    assert len(ticks) == 3


def test_a_password_in_connects_config_topic_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kernel import kafka_clients

    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "mariadb_capture.password").write_text("capture-pw-1234\n")
    stored = [b'{"database.password":"${env:PRESTASYNC_MARIADB__CAPTURE_PASSWORD}"}']

    class Record:
        def __init__(self, value: bytes) -> None:
            self.value = value

    class Reader:
        def __iter__(self) -> Any:
            return iter([Record(v) for v in stored])

        def close(self) -> None:
            pass

    monkeypatch.setattr(kafka_clients, "consumer", lambda *a, **kw: Reader())
    settings = Settings(home=tmp_path)
    assert security.secrets_in_connector_configs(settings) == []
    stored.append(b'{"database.password":"capture-pw-1234"}')
    assert security.secrets_in_connector_configs(settings) == ["prestasync-connect-configs: mariadb_capture.password"]


def test_not_quiet_while_a_change_is_not_captured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the first server kills: a restarted MariaDB's connector reconnected a minute later, the
    pipeline had nothing to process meanwhile, and its orders were judged lost before they were captured."""
    captured = {"shop.prestashop.ps_order_history": 41, "erp.public.stock_move": 7}
    monkeypatch.setattr(checks.read, "shop_rows", lambda settings, sql: [{"m": 43}])
    monkeypatch.setattr(checks.read, "_erp", lambda settings, sql: [{"m": 7}])
    monkeypatch.setattr(checks, "_newest_captured", lambda settings, topic, column: captured[topic])
    assert checks.capture_lag(Settings()) == {"shop": 2, "erp": 0}
    captured["shop.prestashop.ps_order_history"] = 43
    assert checks.capture_lag(Settings()) == {"shop": 0, "erp": 0}


def test_a_segment_runs_its_schedule_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the `shop-429` run: a schedule whose last slot came before the segment's end was run again
    with the same seed, which placed orders with the same references again (three shop orders of one
    reference, two dead letters "edited in the shop, but sale.order keeps its lines")."""
    from prestasync.chaos import load as load_module

    seeds: list[int] = []

    class Schedule:
        def __init__(self, settings: Settings, orders: float, moves: float, seed: int, **kw: Any) -> None:
            seeds.append(seed)

        def run(self, duration_s: float) -> list[Any]:
            return []  # done early: its last slot was before the end

    monkeypatch.setattr(load_module, "Simulator", Schedule)
    load = Load(Settings(), 1, 1, seed=5)
    load.start(3.0)
    load.join()
    load.start(3.0)
    load.join()
    assert len(seeds) == 2 and len(set(seeds)) == 2  # one run per segment, each its own seed
