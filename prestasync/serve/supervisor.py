"""Run the children, restart them when they die, stop them all cleanly on SIGTERM / SIGINT.

* A child that exits (crash, OOM kill, `kill -9`) is started again after a backoff that doubles per
  crash in a row (``serve.backoff_initial_s`` .. ``backoff_max_s``). A child that ran ``min_uptime_s``
  counts as started: its next crash starts the count and the backoff over.
* More than ``crash_loop_restarts`` restarts in a row of a child that never stays up is a crash loop:
  serve says which child, how it exited and where its log is, stops the others and exits 3 (a config
  or environment problem that restarting cannot fix; a service manager may try again later).
* A child alive but silent (no /health answer for ``hang_restart_s``: hung, SIGSTOPped) is killed and
  restarted the same way (``prestasync.serve.watchdog``).
* SIGTERM / SIGINT: every child gets SIGTERM at once (each finishes its in-flight work and commits only
  what is done), SIGKILL after ``stop_timeout_s``; then serve exits 0.
* Children run in their own sessions (a terminal's Ctrl-C reaches serve, which stops them in order) and
  get SIGTERM from the kernel if serve itself dies (``PR_SET_PDEATHSIG``), so none is left orphaned.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from kernel.errors import StackError
from kernel.procs import ManagedProcess
from kernel.settings import ServeSettings
from prestasync.serve.children import ChildSpec
from prestasync.serve.watchdog import start_watchdog

log = logging.getLogger("prestasync.serve")

CRASH_LOOP_EXIT = 3
_PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    spec: ChildSpec
    proc: subprocess.Popen[bytes] | None = None
    state: str = "starting"  # running | backoff | stopping | stopped | crash-loop
    started_at: float = 0.0
    restarts: int = 0
    in_a_row: int = 0  # restarts since the child last stayed up min_uptime_s
    next_start: float = 0.0
    last_exit: str | None = None
    last_answer: float = 0.0  # time.monotonic() of its last /health answer (the hang watchdog's)
    hung_for: float | None = None  # set when the watchdog killed it for giving no answer

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.proc.poll() is None else None


@dataclass(frozen=True)
class ChildView:
    """What /health and /metrics show of a child (a copy: the HTTP threads never touch Child)."""

    name: str
    state: str
    pid: int | None
    port: int
    restarts: int
    uptime_s: float | None
    last_exit: str | None
    log_file: Path


def exit_text(code: int) -> str:
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def _die_with_parent() -> None:  # runs in the child between fork and exec
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Supervisor:
    specs: list[ChildSpec]
    options: ServeSettings
    children: list[Child] = field(init=False)
    stopping: threading.Event = field(default_factory=threading.Event)
    failure: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.children = [Child(spec) for spec in self.specs]

    # -- lifecycle -------------------------------------------------------------------------------
    def handle_signals(self) -> None:
        def on_signal(signum: int, _frame: FrameType | None) -> None:
            if not self.stopping.is_set():
                log.info("serve: %s, stopping the children", signal.Signals(signum).name)
            self.stopping.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    def run(self) -> int:
        """Until a signal or a crash loop; returns the exit code (0, or CRASH_LOOP_EXIT)."""
        try:
            for child in self.children:
                if not self.stopping.is_set():
                    self._spawn(child)
            start_watchdog(self)
            while not self.stopping.wait(0.3):
                self.tick(time.monotonic())
        finally:
            self.stop_all()
        return CRASH_LOOP_EXIT if self.failure else 0

    def tick(self, now: float) -> None:
        """Notice exits, start what is due, detect a crash loop (one pass of the main loop)."""
        for child in self.children:
            if child.state == "running" and child.proc is not None and child.proc.poll() is not None:
                self._exited(child, child.proc.returncode, now)
            if child.state == "backoff" and now >= child.next_start and not self.stopping.is_set():
                self._spawn(child)
            if child.state == "crash-loop":
                self.stopping.set()

    def _spawn(self, child: Child) -> None:
        spec = child.spec
        spec.log_file.parent.mkdir(parents=True, exist_ok=True)
        spec.pid_file.parent.mkdir(parents=True, exist_ok=True)
        with open(spec.log_file, "ab") as out:
            child.proc = subprocess.Popen(
                list(spec.argv),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **spec.env},
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        spec.pid_file.write_text(str(child.proc.pid))
        with self.lock:
            child.state, child.started_at = "running", time.monotonic()
        log.info("serve: started %s (pid %d, port %d, log %s)", spec.name, child.proc.pid, spec.port, spec.log_file)

    def _exited(self, child: Child, code: int, now: float) -> None:
        opts, name = self.options, child.spec.name
        uptime = now - child.started_at
        child.spec.pid_file.unlink(missing_ok=True)
        with self.lock:
            child.last_exit = f"{exit_text(code)} after {uptime:.0f}s"
            if child.hung_for is not None:
                child.last_exit += f" (hung: no /health answer for {child.hung_for:.0f}s)"
                child.hung_for = None
            if uptime >= opts.min_uptime_s:
                child.in_a_row = 0
            if child.in_a_row >= opts.crash_loop_restarts:
                child.state = "crash-loop"
                self.failure = (
                    f"crash loop: {name} exited {child.in_a_row + 1} times in a row, each within "
                    f"{opts.min_uptime_s:.0f}s of its start (last: {child.last_exit}); serve stops "
                    f"the other children and exits {CRASH_LOOP_EXIT}. Its log: {child.spec.log_file}"
                )
                log.error("serve: %s", self.failure)
                return
            delay = min(opts.backoff_initial_s * 2**child.in_a_row, opts.backoff_max_s)
            child.in_a_row += 1
            child.restarts += 1
            child.state, child.next_start = "backoff", now + delay
        log.warning(
            "serve: %s (pid %s) %s; restart %d in %.0fs",
            name,
            child.proc.pid if child.proc else "-",
            child.last_exit,
            child.in_a_row,
            delay,
        )

    def stop_all(self) -> None:
        """SIGTERM to every live child at once, SIGKILL to those still there after stop_timeout_s."""
        self.stopping.set()
        live = [c for c in self.children if c.pid is not None]
        for child in live:
            with self.lock:
                child.state = "stopping"
            signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + self.options.stop_timeout_s
        for child in live:
            assert child.proc is not None
            try:
                child.proc.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                log.error("serve: %s did not stop within %.0fs: SIGKILL", child.spec.name, self.options.stop_timeout_s)
                signal_group(child, signal.SIGKILL)
                child.proc.wait(30)
            log.info("serve: stopped %s (%s)", child.spec.name, exit_text(child.proc.returncode))
        for child in self.children:
            child.spec.pid_file.unlink(missing_ok=True)
            with self.lock:
                if child.state != "crash-loop":
                    child.state = "stopped"

    # -- what the HTTP endpoint shows --------------------------------------------------------------
    def snapshot(self) -> list[ChildView]:
        now = time.monotonic()
        with self.lock:
            return [
                ChildView(
                    c.spec.name,
                    c.state,
                    c.pid,
                    c.spec.port,
                    c.restarts,
                    now - c.started_at if c.state == "running" else None,
                    c.last_exit,
                    c.spec.log_file,
                )
                for c in self.children
            ]


def signal_group(child: Child, sig: signal.Signals) -> None:
    """The child leads its own session: its group holds it and anything it started."""
    if child.proc is not None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.proc.pid, sig)


# -- pid files ---------------------------------------------------------------------------------------
def claim_pid_file(path: Path, specs: list[ChildSpec]) -> None:
    """Write serve's pid file; refuse when another serve, or a child of an earlier run, still runs."""
    other = _live_pid(path)
    if other is not None and other != os.getpid():
        raise StackError(
            f"prestasync serve is already running (pid {other}, pid file {path})",
            "stop it first (SIGTERM), or give this one its own serve.run_dir",
        )
    for spec in specs:
        pid = _live_pid(spec.pid_file)
        if pid is not None:
            raise StackError(
                f"{spec.name} of an earlier run is still running (pid {pid}, pid file {spec.pid_file})",
                "wait for it to stop, or stop it (SIGTERM) first: two of them would share its port",
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(os.getpid()))


def release_pid_file(path: Path) -> None:
    if _live_pid(path) in (os.getpid(), None):
        path.unlink(missing_ok=True)


def _live_pid(path: Path) -> int | None:
    return ManagedProcess(path.stem, path.parent, path.parent).pid()  # alive and not a zombie
