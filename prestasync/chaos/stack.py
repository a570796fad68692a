"""The chaos run's private stack: its own MariaDB, PostgreSQL, Kafka, Connect and twins under ``<home>/chaos``.

Faults kill servers, so the run must own every server it may kill. It is private by construction: the
settings must be the embedded mode with the MariaDB socket under the run's home, and no process may be
listening on the settings' database, broker or Connect ports when it starts them (somebody else's
servers: refused). Each server is then a process of its own data directory, killed and restarted by
its pid; nothing here calls a system service.
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

from kernel.errors import StackError
from kernel.procs import port_open, wait_until
from kernel.settings import Settings
from prestasync.chaos.servers import OwnMariaDb, OwnPostgres, port_free


def chaos_dir(settings: Settings) -> Path:
    return settings.home / "chaos"


class PrivateStack:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        root = chaos_dir(settings)
        self.mariadb = OwnMariaDb(root / "mariadb", settings.mariadb.port, server_id=settings.mariadb.server_id + 1)
        self.postgres = OwnPostgres(
            root / "postgres",
            settings.postgres.port,
            settings.secrets_dir / "postgres_admin.password",
            superuser=settings.postgres.admin_user,
        )

    def refuse_shared(self) -> None:
        """Every server the run may kill must be its own: refuse settings that could reach another's."""
        s = self.settings
        if s.attach:
            raise StackError("bench chaos kills servers: it runs on a private embedded stack, not in attach mode")
        if Path(s.mariadb.socket).parent != self.mariadb.dir:
            raise StackError(
                f"mariadb.socket is {s.mariadb.socket}",
                f"bench chaos starts its own MariaDB: set mariadb.socket to {self.mariadb.dir / 'mysqld.sock'}",
            )
        if not s.kafka.local:
            raise StackError("bench chaos kills the broker: kafka.local must be true (its own broker and Connect)")
        ports = {
            "mariadb.port": s.mariadb.port,
            "postgres.port": s.postgres.port,
            "kafka.bootstrap": int(s.kafka.bootstrap.rsplit(":", 1)[1]),
            "kafka.controller_port": s.kafka.controller_port,
            "kafka.connect_url": int(s.kafka.connect_url.rsplit(":", 1)[1].split("/")[0]),
        }
        shared = {3306: "the shared MariaDB", 5432: "the shared PostgreSQL", 9092: "the shared broker", 8083: "Connect"}
        for name, port in ports.items():
            if port in shared:
                raise StackError(f"{name} is {port} ({shared[port]}): bench chaos needs ports of its own")

    def _start_servers(self) -> None:
        self.settings.secret("postgres_admin.password")
        ours = {self.mariadb.port: self.mariadb.running(), self.postgres.port: self.postgres.postmaster_alive()}
        for port, running in ours.items():
            if not port_free(port) and not running:  # somebody else's server there: never touched
                raise StackError(f"port {port} is taken by a process bench chaos did not start")
        if not self.mariadb.installed:
            self.mariadb.install()
        self.mariadb.start()
        if not self.postgres.installed:
            self.postgres.install()
        if not self.postgres.postmaster_alive():
            self.postgres.start()

    def up(self) -> None:
        from kernel.dbadmin import mariadb_admin, postgres_admin
        from prestasync.stack import connect, kafka, mariadb, postgres
        from prestasync.stack.lifecycle import connector_steps
        from sandbox import lifecycle as twins
        from sandbox.sample import load_erp_catalogue, load_shop_catalogue

        s = self.settings
        self.refuse_shared()
        self._start_servers()
        mariadb.check_cdc_ready(s)
        mariadb.ensure_schema(s)
        postgres.check_cdc_ready(s)
        postgres.ensure_schema(s)
        erp = postgres_admin(s.postgres.database, settings=s)
        try:
            load_erp_catalogue(erp)
        finally:
            erp.close()
        shop = mariadb_admin(s.mariadb.database, settings=s)
        try:
            load_shop_catalogue(shop, s.mariadb.table_prefix)
        finally:
            shop.close()
        kafka.check_java()
        kafka.ensure_jars(s)
        kafka.ensure_broker(s)
        connect.ensure_worker(s)
        for step in connector_steps(s):
            step.action()
        twins.up(s)

    # -- faults on servers ---------------------------------------------------------------------------
    def kill_broker(self) -> None:
        from prestasync.stack import kafka

        _sigkill(kafka.broker_process(self.settings).pid())

    def start_broker(self) -> None:
        from prestasync.stack import kafka

        wait_until(lambda: not port_open(int(self.settings.kafka.bootstrap.rsplit(":", 1)[1])), 30, "broker port free")
        kafka.ensure_broker(self.settings)

    def kill_connect(self) -> None:
        from prestasync.stack import connect

        _sigkill(connect.connect_process(self.settings).pid())

    def start_connect(self) -> None:
        from prestasync.stack import connect
        from prestasync.stack.lifecycle import connector_steps

        connect.ensure_worker(self.settings)
        for step in connector_steps(self.settings):
            if step.title.endswith("RUNNING"):
                step.action()

    def down(self) -> None:
        from prestasync.stack import connect, kafka
        from sandbox import lifecycle as twins

        twins.down(self.settings)
        connect.connect_process(self.settings).stop(timeout=60)
        kafka.broker_process(self.settings).stop(timeout=60)
        self.mariadb.stop()
        self.postgres.stop()


def _sigkill(pid: int | None) -> None:
    if pid is None:
        raise StackError("the process to kill is not running")
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
