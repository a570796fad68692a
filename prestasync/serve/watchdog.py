"""The hang watchdog: a child that is alive but answers nothing is killed, so the supervisor restarts it.

A crash is noticed by its exit; a hung child (a deadlock, a stuck C call, SIGSTOP) never exits, holds its
Kafka partitions until its session times out, then sits there doing nothing. Every few seconds each
running child's own ``/health`` is asked; any HTTP answer (a 503 for refused credentials too: that child
is alive and alerting, a restart would fix nothing) counts as alive. No answer for
``serve.hang_restart_s`` since the child started or last answered: SIGKILL to its process group, and the
supervisor's next tick restarts it with the crash backoff, its ``last_exit`` saying it hung.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import TYPE_CHECKING

import requests

if TYPE_CHECKING:
    from prestasync.serve.supervisor import Child, Supervisor

log = logging.getLogger("prestasync.serve")

PROBE_TIMEOUT_S = 2.0


def answers(port: int) -> bool:
    try:
        requests.get(f"http://127.0.0.1:{port}/health", timeout=PROBE_TIMEOUT_S)
    except requests.RequestException:
        return False
    return True


def start_watchdog(supervisor: Supervisor) -> threading.Thread | None:
    limit = supervisor.options.hang_restart_s
    if limit <= 0:
        return None
    thread = threading.Thread(target=_watch, args=(supervisor, limit), name="serve-watchdog", daemon=True)
    thread.start()
    return thread


def _watch(supervisor: Supervisor, limit: float) -> None:
    every = min(5.0, max(limit / 4, 0.2))
    while not supervisor.stopping.wait(every):
        for child in supervisor.children:
            check(supervisor, child, limit, time.monotonic())


def check(supervisor: Supervisor, child: Child, limit: float, now: float) -> bool:
    """Probe one child; True when it was found hung and killed."""
    from prestasync.serve.supervisor import signal_group

    if child.state != "running" or child.pid is None or not child.spec.port:
        return False
    if answers(child.spec.port):
        child.last_answer = now
        return False
    silent = now - max(child.started_at, child.last_answer)
    if silent < limit or supervisor.stopping.is_set():
        return False
    child.hung_for = silent
    log.error(
        "serve: %s (pid %s) gave no /health answer for %.0fs: hung; SIGKILL, then restarted like a crash",
        child.spec.name,
        child.pid,
        silent,
    )
    signal_group(child, signal.SIGKILL)
    return True
