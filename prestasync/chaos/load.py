"""The day of trade under the faults: the sandbox's simulator, run in a thread, that a fault can hold.

While a database server is killed the simulator's writes to that side wait (a shop whose server is
down takes no checkout; one caught mid-order by the kill would leave a half-written order that no
pipeline can complete). The simulator asks its clock before every event: that is where it waits.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg2
import pymysql

from kernel.settings import Settings
from sandbox.simulator import SimEvent, Simulator


@dataclass
class Load:
    settings: Settings
    orders_per_minute: float
    moves_per_minute: float
    seed: int
    events: list[SimEvent] = field(default_factory=list)
    error: BaseException | None = None
    reconnects: list[str] = field(default_factory=list)
    _segments: int = 0
    _open: threading.Event = field(default_factory=threading.Event)
    _busy: threading.Lock = field(default_factory=threading.Lock)
    _held: threading.local = field(default_factory=threading.local)
    _thread: threading.Thread | None = None

    def __post_init__(self) -> None:
        self._open.set()

    def _clock(self) -> float:
        """Between two events: let a fault that holds the load in, and wait until it lets go."""
        if getattr(self._held, "busy", False):
            self._busy.release()
            self._held.busy = False
        self._open.wait()
        self._busy.acquire()
        self._held.busy = True
        return time.monotonic()

    def start(self, duration_s: float) -> None:
        """Trade for ``duration_s`` in the background. Every segment gets a seed of its own: with one seed
        the simulator draws the same order references again (the first chaos pass took another fault run's
        order of the same reference for an overwritten cancellation)."""
        self._segments += 1
        segment = self._segments

        def body() -> None:
            deadline, attempt = time.monotonic() + duration_s, 0
            try:
                while (left := deadline - time.monotonic()) > 1:
                    sim = Simulator(
                        self.settings,
                        self.orders_per_minute,
                        self.moves_per_minute,
                        self.seed * 1_000_003 + segment * 1000 + attempt,
                        clock=self._clock,
                    )
                    try:
                        self.events += sim.run(left)
                        break  # the schedule's last slot may come before the end: a rerun would repeat it
                    except (pymysql.err.Error, psycopg2.Error) as exc:  # its server was killed: reconnect
                        self.reconnects.append(f"{type(exc).__name__}: {exc}"[:200])
                        attempt += 1
                        time.sleep(1)
                    finally:
                        if getattr(self._held, "busy", False):
                            self._busy.release()
                            self._held.busy = False
            except BaseException as exc:  # reported by the run, not swallowed
                self.error = exc

        self._thread = threading.Thread(target=body, name="chaos-load", daemon=True)
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    @contextlib.contextmanager
    def hold(self, side: str) -> Iterator[None]:
        """No simulated write (to either side: one simulator writes both) while the block runs."""
        del side
        self._open.clear()
        with self._busy:
            try:
                yield
            finally:
                self._open.set()
