"""`prestasync` run by a test as a user runs it: a child process of this interpreter, output captured."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping

PRESTASYNC = (sys.executable, "-m", "prestasync.cli")  # the argv prefix, for the ones a test keeps running


def run_cli(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 600.0, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`prestasync ARGS` to its end (``env``: the whole environment, by default this process's)."""
    return subprocess.run(
        [*PRESTASYNC, *args], env=env, input=stdin, capture_output=True, text=True, timeout=timeout, check=False
    )


def cli(*args: str, env: Mapping[str, str] | None = None, timeout: float = 600.0) -> None:
    """``run_cli``, which must succeed (its output in the failure)."""
    done = run_cli(*args, env=env, timeout=timeout)
    assert done.returncode == 0, f"prestasync {' '.join(args)}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
