"""A MariaDB and a PostgreSQL of one's own: own ports, data directories and sockets, own processes.

Built from the Debian binaries with ``--no-defaults`` / ``initdb``, so no system configuration is read
and no service is touched; started, stopped, SIGKILLed and restarted by pid. The chaos run kills these
(never the shared stack's servers), and the attach tests use them as a merchant's servers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import psycopg2
import psycopg2.extensions
import pymysql
import pymysql.cursors

from kernel.procs import port_open, wait_until

BINLOG_ARGS = ("--log-bin=mariadb-bin", "--binlog-format=ROW", "--binlog-row-image=FULL", "--gtid-strict-mode=ON")


def port_free(port: int) -> bool:
    return not port_open(port)


def answers(connect: Any) -> bool:
    """Whether a server coming up takes a connection yet (its refusals mean not yet)."""
    try:
        connect().close()
    except Exception:
        return False
    return True


class OwnMariaDb:
    """root over its own socket (unix_socket auth) is the admin credential."""

    def __init__(self, directory: Path, port: int, server_id: int = 7) -> None:
        self.dir = directory
        self.port = port
        self.server_id = server_id
        self.datadir = directory / "data"
        self.socket = str(directory / "mysqld.sock")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def installed(self) -> bool:
        return (self.datadir / "mysql").is_dir()

    def install(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "mariadb-install-db",
                "--no-defaults",
                f"--datadir={self.datadir}",
                "--user=root",
                "--skip-test-db",
                "--auth-root-authentication-method=socket",
            ],
            check=True,
            capture_output=True,
        )

    def start(self, binlog: bool = True) -> None:
        if self.running():
            return
        argv = [
            shutil.which("mariadbd") or "/usr/sbin/mariadbd",
            "--no-defaults",
            "--user=root",
            f"--datadir={self.datadir}",
            f"--socket={self.socket}",
            f"--port={self.port}",
            "--bind-address=127.0.0.1",
            f"--pid-file={self.dir / 'mysqld.pid'}",
            f"--log-error={self.dir / 'error.log'}",
            "--innodb-buffer-pool-size=64M",
            *((*BINLOG_ARGS, f"--server-id={self.server_id}") if binlog else ()),
        ]
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: answers(self.root), 120, f"MariaDB on {self.port}")

    def pid(self) -> int | None:
        """The server's pid (its pid file: a server started by an earlier process has no ``proc`` here)."""
        if self.proc is not None and self.proc.poll() is None:
            return self.proc.pid
        try:
            pid = int((self.dir / "mysqld.pid").read_text().strip())
            os.kill(pid, 0)
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return None
        return pid

    def _signal(self, sig: signal.Signals, timeout: float) -> None:
        pid = self.pid()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        if self.proc is not None:
            self.proc.wait(timeout=timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and (Path(f"/proc/{pid}").exists() or not port_free(self.port)):
            time.sleep(0.2)
        self.proc = None

    def stop(self) -> None:
        self._signal(signal.SIGTERM, 60)

    def kill(self) -> None:
        """SIGKILL: no shutdown, InnoDB recovers at the next start."""
        self._signal(signal.SIGKILL, 30)

    def running(self) -> bool:
        return self.pid() is not None

    def root(self, database: str | None = None) -> pymysql.Connection[Any]:
        return pymysql.connect(
            unix_socket=self.socket,
            user="root",
            database=database,
            autocommit=True,
            cursorclass=pymysql.cursors.DictCursor,
            charset="utf8mb4",
        )

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class OwnPostgres:
    """Superuser ``superuser`` with the password in ``password_file``; runs as the OS user postgres."""

    def __init__(self, directory: Path, port: int, password_file: Path, superuser: str = "postgres") -> None:
        self.dir = directory
        self.port = port
        self.datadir = directory / "data"
        self.password_file = password_file
        self.superuser_name = superuser

    def _as_postgres(self, *argv: str) -> None:
        done = subprocess.run(["runuser", "-u", "postgres", "--", *argv], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{argv[0]} as postgres failed ({done.returncode}): {done.stderr.strip()[-500:]}")

    @property
    def installed(self) -> bool:
        return (self.datadir / "PG_VERSION").is_file()

    def install(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.dir, "postgres", "postgres")
        pwfile = self.dir / "initdb.password"  # initdb runs as postgres: a copy it can read, removed after
        shutil.copyfile(self.password_file, pwfile)
        shutil.chown(pwfile, "postgres")
        try:
            self._as_postgres(
                "initdb",
                "-D",
                str(self.datadir),
                "-U",
                self.superuser_name,
                "--auth-local=peer",
                "--auth-host=scram-sha-256",
                f"--pwfile={pwfile}",
            )
        finally:
            pwfile.unlink(missing_ok=True)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c wal_level=logical "
            "-c shared_buffers=32MB -c max_replication_slots=4 -c max_wal_senders=4"
        )
        self._as_postgres(
            "pg_ctl", "-D", str(self.datadir), "-o", options, "-l", str(self.dir / "server.log"), "-w", "start"
        )

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._as_postgres("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.datadir / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None

    def postmaster_alive(self) -> bool:
        """Its own postmaster (the pid file of its data directory) is alive."""
        pid = self.postmaster_pid()
        return pid is not None and Path(f"/proc/{pid}").exists()

    def kill(self) -> None:
        """SIGKILL of the postmaster and its backends: crash recovery at the next start."""
        pid = self.postmaster_pid()
        if pid is None:
            return
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout
        for victim in [pid, *(int(c) for c in children.split())]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not port_free(self.port):
            time.sleep(0.2)
        (self.datadir / "postmaster.pid").unlink(missing_ok=True)

    def running(self) -> bool:
        try:
            self.superuser().close()
        except psycopg2.OperationalError:
            return False
        return True

    def superuser(self, database: str = "postgres") -> psycopg2.extensions.connection:
        conn = psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.superuser_name,
            dbname=database,
            password=self.password_file.read_text().strip(),
        )
        conn.autocommit = True
        return conn

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
