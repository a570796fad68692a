"""`prestasync serve`: the always-on process tree — the streams worker and both sinks, supervised.

``run_serve`` claims the pid file, opens the aggregated /health + /metrics port, makes sure the
connectors are there (``serve.connectors``: deploy them to ``kafka.connect_url``, as `stack up` does,
or only check them), then starts and supervises the children until SIGTERM / SIGINT
(``prestasync.serve.supervisor``). The databases, Kafka and Connect are not its children: in embedded
mode `prestasync stack up` runs them, in attach mode they are the merchant's or an existing cluster.
"""

from __future__ import annotations

import logging

from kernel.errors import StackError
from kernel.settings import ServedWorker, Settings
from prestasync.serve.children import child_specs, run_dir

log = logging.getLogger("prestasync.serve")


def prepare_connectors(settings: Settings) -> None:
    """`serve.connectors`: deploy (create/update, resume a stopped one, wait RUNNING) or only check."""
    from prestasync.stack import connect
    from prestasync.stack.lifecycle import Step, connect_rest_step, connector_steps

    mode = settings.serve.connectors
    if mode == "off":
        return
    steps = [connect_rest_step(settings)]
    if mode == "deploy":
        steps += connector_steps(settings)
    else:
        steps += [
            Step(f"connector {name} RUNNING", lambda n=name: connect.wait_running(settings, n, 60))  # type: ignore[misc]
            for name in connect.connector_names(settings)
        ]
    for step in steps:
        step.action()
        log.info("serve: %s", step.title)


def run_serve(settings: Settings, workers: tuple[ServedWorker, ...] | None = None) -> int:
    """Serve until SIGTERM / SIGINT (exit code 0) or a child's crash loop (3)."""
    from prestasync.serve.aggregate import AggregateServer
    from prestasync.serve.supervisor import Supervisor, claim_pid_file, release_pid_file

    specs = child_specs(settings, workers)
    if not specs:
        raise StackError("no worker to serve", "serve.workers: any of streams, sink-odoo, sink-prestashop, store-stock")
    supervisor = Supervisor(specs, settings.serve)
    supervisor.handle_signals()
    pid_file = run_dir(settings) / "serve.pid"
    claim_pid_file(pid_file, specs)
    try:
        try:
            server = AggregateServer(supervisor, settings.serve.host, settings.serve.port).start()
        except OSError as exc:
            raise StackError(
                f"serve cannot listen on {settings.serve.host}:{settings.serve.port}: {exc}",
                "free that port or set serve.port (PRESTASYNC_SERVE__PORT)",
            ) from exc
        log.info(
            "serve: /health and /metrics on http://%s:%d (children: %s)",
            settings.serve.host,
            server.port,
            ", ".join(f"{s.name} :{s.port}" for s in specs),
        )
        try:
            prepare_connectors(settings)
            return supervisor.run()
        finally:
            server.stop()
    finally:
        release_pid_file(pid_file)
