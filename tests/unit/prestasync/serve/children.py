"""The supervisor's children in its tests: a spec running the fake child, one serving /health, fast serve
settings, how many times a child said it serves."""

from __future__ import annotations

import sys
from pathlib import Path

from kernel.procs import free_port
from kernel.settings import ServedWorker, ServeSettings
from prestasync.serve.children import ChildSpec

FAKE = Path(__file__).with_name("fake_child.py")


def spec(tmp_path: Path, name: ServedWorker, *args: str, port: int = 0) -> ChildSpec:
    return ChildSpec(
        name,
        (sys.executable, str(FAKE), *args),
        {},
        port,
        tmp_path / f"worker-{name}.pid",
        tmp_path / f"worker-{name}.log",
    )


def serving(tmp_path: Path, name: ServedWorker, status: int = 200) -> ChildSpec:
    port = free_port()
    return spec(tmp_path, name, "serve", str(port), str(status), str(tmp_path / f"{name}.stopped"), port=port)


def fast(**overrides: float) -> ServeSettings:
    values = {
        "backoff_initial_s": 0.05,
        "backoff_max_s": 0.2,
        "min_uptime_s": 5.0,
        "crash_loop_restarts": 3,
        "stop_timeout_s": 10.0,
        **overrides,
    }
    return ServeSettings(**values)  # type: ignore[arg-type]


def serving_lines(child: ChildSpec) -> int:
    return child.log_file.read_text().count("serving on") if child.log_file.exists() else 0
