"""Background processes of the embedded stack: start detached, track by pid file, stop cleanly."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from kernel.errors import StackError


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        return sock.connect_ex((host, port)) == 0


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the OS picks it), for a server started next."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise StackError(f"timed out after {timeout:.0f}s waiting for {what}")


def require_command(name: str, hint: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise StackError(f"`{name}` was not found on PATH", hint)
    return path


class ManagedProcess:
    """One long-running process owned by prestasync (Kafka broker, Connect worker, a twin...).

    The pid file is the ownership record: a port held by a process without our pid file is
    somebody else's, and we refuse to start rather than fight over it.
    """

    def __init__(self, name: str, run_dir: Path, log_dir: Path) -> None:
        self.name = name
        self.pid_file = run_dir / f"{name}.pid"
        self.log_file = log_dir / f"{name}.log"

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        if _is_zombie(pid):
            return None
        return pid

    def running(self) -> bool:
        return self.pid() is not None

    def start(self, argv: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path | None = None) -> int:
        existing = self.pid()
        if existing is not None:
            return existing
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as log:
            proc = subprocess.Popen(
                list(argv),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **(env or {})},
                cwd=cwd,
                start_new_session=True,
            )
        self.pid_file.write_text(str(proc.pid))
        return proc.pid

    def stop(self, timeout: float = 30.0) -> bool:
        """SIGTERM, wait, then SIGKILL. Returns True when a process was stopped."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.pid() is not None:
            time.sleep(0.3)
        if self.pid() is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            time.sleep(0.5)
        self.pid_file.unlink(missing_ok=True)
        return True

    def log_tail(self, lines: int = 15) -> str:
        try:
            content = self.log_file.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(content[-lines:])


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # field 3 after the parenthesised command name is the state letter
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def run_lines(argv: Sequence[str], what: str, on_line: Callable[[str], None], timeout: float = 600) -> None:
    """Run a command to completion, handing each output line to ``on_line`` as it comes (progress);
    a failure becomes a StackError quoting the last lines."""
    import collections

    tail: collections.deque[str] = collections.deque(maxlen=12)
    try:
        proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except FileNotFoundError as exc:
        raise StackError(f"{what}: command not found: {argv[0]}") from exc
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    for line in proc.stdout:
        tail.append(line.rstrip())
        on_line(line.rstrip())
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            raise StackError(f"{what}: timed out after {timeout:.0f}s")
    if proc.wait() != 0:
        raise StackError(f"{what} failed (exit {proc.returncode}):\n    " + "\n    ".join(tail))


def run(argv: Sequence[str], what: str, timeout: float = 600, env: Mapping[str, str] | None = None) -> str:
    """Run a command to completion; a failure becomes a StackError quoting its output."""
    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
            check=False,
        )
    except FileNotFoundError as exc:
        raise StackError(f"{what}: command not found: {argv[0]}") from exc
    except subprocess.TimeoutExpired as exc:
        raise StackError(f"{what}: timed out after {timeout:.0f}s") from exc
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip().splitlines()[-12:]
        raise StackError(f"{what} failed (exit {done.returncode}):\n    " + "\n    ".join(output))
    return done.stdout
