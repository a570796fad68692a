"""The supervisor: backoff, crash loop, restart after kill -9, clean stop, SIGKILL of a stubborn child,
no orphan when serve itself dies, pid files. Children are small stand-in processes (fake_child.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kernel.errors import StackError
from prestasync.serve.supervisor import CRASH_LOOP_EXIT, Supervisor, claim_pid_file, release_pid_file
from tests.support.polling import wait_until
from tests.unit.prestasync.serve.children import fast, serving, serving_lines, spec

pytestmark = pytest.mark.unit


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[-1].split()[0] == "Z")


@pytest.fixture
def running() -> Iterator[Callable[[Supervisor], threading.Thread]]:
    started: list[tuple[Supervisor, threading.Thread]] = []

    def start(supervisor: Supervisor) -> threading.Thread:
        thread = threading.Thread(target=supervisor.run, daemon=True)
        thread.start()
        started.append((supervisor, thread))
        return thread

    yield start
    for supervisor, thread in started:
        supervisor.stopping.set()
        thread.join(30)


def test_backoff_doubles_per_crash_in_a_row_and_a_child_that_stayed_up_starts_over(tmp_path: Path) -> None:
    supervisor = Supervisor([spec(tmp_path, "sink-odoo", "crash")], fast(crash_loop_restarts=10))
    child = supervisor.children[0]
    delays = []
    for now in (1.0, 2.0, 3.0, 4.0):
        child.state, child.started_at = "running", now - 0.5  # each run lasted 0.5 s < min_uptime_s
        supervisor._exited(child, 1, now)
        delays.append(round(child.next_start - now, 3))
    assert delays == [0.05, 0.1, 0.2, 0.2]  # doubled, then capped at backoff_max_s
    child.state, child.started_at = "running", 10.0
    supervisor._exited(child, -9, 20.0)  # it ran 10 s >= min_uptime_s: a fresh start
    assert round(child.next_start - 20.0, 3) == 0.05 and child.in_a_row == 1 and child.restarts == 5
    assert child.last_exit == "killed by SIGKILL after 10s"


@pytest.mark.timeout(60)  # without restarts run() would never return
def test_a_child_that_keeps_crashing_is_a_crash_loop_that_says_so_and_stops_the_others(tmp_path: Path) -> None:
    other = serving(tmp_path, "streams")
    # slow enough for the other child to be up (its SIGTERM handler set) before the loop is declared
    supervisor = Supervisor(
        [other, spec(tmp_path, "sink-odoo", "crash")], fast(backoff_initial_s=0.3, backoff_max_s=1.0)
    )
    assert supervisor.run() == CRASH_LOOP_EXIT
    crashing = supervisor.children[1]
    assert crashing.state == "crash-loop" and crashing.restarts == 3
    assert supervisor.failure is not None
    assert "crash loop: sink-odoo exited 4 times in a row" in supervisor.failure
    assert "exit code 2" in supervisor.failure and str(crashing.spec.log_file) in supervisor.failure
    assert (tmp_path / "streams.stopped").read_text() == "stopped by SIGTERM"  # the others were stopped cleanly
    assert supervisor.children[0].state == "stopped" and not other.pid_file.exists()


def test_a_killed_child_is_restarted_and_sigterm_stops_every_child(tmp_path: Path, running) -> None:
    specs = [serving(tmp_path, "streams"), serving(tmp_path, "sink-odoo")]
    supervisor = Supervisor(specs, fast())
    thread = running(supervisor)
    wait_until(lambda: all(serving_lines(s) == 1 for s in specs), "both children", 20.0, 0.05)
    first = supervisor.children[1].pid
    assert first is not None and specs[1].pid_file.read_text() == str(first)
    os.kill(first, signal.SIGKILL)
    wait_until(lambda: supervisor.children[1].pid not in (None, first), "the restart", 20.0, 0.05)
    second = supervisor.children[1].pid
    assert second is not None and specs[1].pid_file.read_text() == str(second)
    assert supervisor.children[1].restarts == 1 and "killed by SIGKILL" in str(supervisor.children[1].last_exit)
    wait_until(lambda: serving_lines(specs[1]) == 2, "the restarted child to be up", 20.0, 0.05)
    pids = [c.pid for c in supervisor.children]
    supervisor.stopping.set()
    thread.join(30)
    assert not thread.is_alive()
    assert [c.proc.returncode for c in supervisor.children if c.proc] == [0, 0]
    assert [alive(pid) for pid in pids if pid] == [False, False]
    assert {p.name for p in tmp_path.glob("*.stopped")} == {"streams.stopped", "sink-odoo.stopped"}
    assert not any(s.pid_file.exists() for s in specs)


def test_a_child_that_ignores_sigterm_is_killed_after_the_stop_timeout(tmp_path: Path, running) -> None:
    supervisor = Supervisor([spec(tmp_path, "sink-prestashop", "stubborn")], fast(stop_timeout_s=1.0))
    thread = running(supervisor)
    wait_until(
        lambda: (
            "stubborn" in (tmp_path / "worker-sink-prestashop.log").read_text(errors="replace")
            if (tmp_path / "worker-sink-prestashop.log").exists()
            else False
        ),
        "the child",
        20.0,
        0.05,
    )
    pid = supervisor.children[0].pid
    started = time.monotonic()
    supervisor.stopping.set()
    thread.join(30)
    assert supervisor.children[0].proc is not None and supervisor.children[0].proc.returncode == -signal.SIGKILL
    assert 0.9 <= time.monotonic() - started < 10 and pid is not None and not alive(pid)


def test_children_get_sigterm_when_serve_itself_is_killed(tmp_path: Path) -> None:
    child = serving(tmp_path, "streams")
    program = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from kernel.settings import ServeSettings
        from prestasync.serve.children import ChildSpec
        from prestasync.serve.supervisor import Supervisor
        spec = ChildSpec("streams", {child.argv!r}, {{}}, {child.port}, Path({str(child.pid_file)!r}),
                         Path({str(child.log_file)!r}))
        Supervisor([spec], ServeSettings()).run()
    """)
    serve = subprocess.Popen([sys.executable, "-c", program])
    try:
        wait_until(lambda: serving_lines(child) == 1, "the child", 20.0, 0.05)
        pid = int(child.pid_file.read_text())
        serve.send_signal(signal.SIGKILL)
        serve.wait(10)
        wait_until(lambda: not alive(pid), "the orphan to stop", 20.0, 0.05)
        assert (tmp_path / "streams.stopped").read_text() == "stopped by SIGTERM"
    finally:
        if serve.poll() is None:
            serve.kill()


def test_the_pid_file_refuses_a_second_serve_and_an_earlier_runs_child(tmp_path: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        pid_file, child = tmp_path / "serve.pid", spec(tmp_path, "streams", "crash")
        pid_file.write_text(str(sleeper.pid))
        with pytest.raises(StackError, match=f"already running \\(pid {sleeper.pid}"):
            claim_pid_file(pid_file, [child])
        pid_file.write_text("999999999")  # a stale file of a serve that died
        child.pid_file.write_text(str(sleeper.pid))
        with pytest.raises(StackError, match="streams of an earlier run is still running"):
            claim_pid_file(pid_file, [child])
        child.pid_file.unlink()
        claim_pid_file(pid_file, [child])
        assert pid_file.read_text() == str(os.getpid())
        release_pid_file(pid_file)
        assert not pid_file.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_child_alive_but_silent_is_killed_and_restarted_and_one_that_answers_503_is_not(
    tmp_path: Path, running: Callable[[Supervisor], threading.Thread]
) -> None:
    from kernel.procs import free_port

    hung = spec(tmp_path, "streams", "hang", port=free_port())  # nobody listens on its port: no answer
    failing = serving(tmp_path, "sink-odoo", status=503)  # alive and alerting: a restart fixes nothing
    supervisor = Supervisor([hung, failing], fast(hang_restart_s=1.0))
    running(supervisor)
    streams, sink = supervisor.children
    wait_until(lambda: streams.restarts >= 1, "the hung child restarted", 20.0, 0.1)
    assert streams.last_exit is not None and "killed by SIGKILL" in streams.last_exit
    assert "hung: no /health answer" in streams.last_exit
    wait_until(lambda: hung.log_file.read_text().count("hanging") >= 2, "the hung child started again", 10.0, 0.1)
    assert sink.restarts == 0 and sink.state == "running"  # its 503 answered: alive


def test_the_watchdog_is_off_at_zero(tmp_path: Path, running: Callable[[Supervisor], threading.Thread]) -> None:
    from kernel.procs import free_port

    hung = spec(tmp_path, "streams", "hang", port=free_port())
    supervisor = Supervisor([hung], fast(hang_restart_s=0.0))
    running(supervisor)
    wait_until(lambda: "hanging" in hung.log_file.read_text() if hung.log_file.exists() else False, "the child", 10.0)
    time.sleep(2.0)  # longer than the 1 s limit of the test above: nothing may kill it
    assert supervisor.children[0].restarts == 0 and supervisor.children[0].state == "running"
