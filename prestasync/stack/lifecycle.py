"""`stack up | down | status | provision`: bring the CDC stack to a state, step by step, with progress.

Embedded mode builds everything on this machine. Attach mode (``mode: attach``) only reads the existing
databases (the `prestasync check` preflight, as the capture users), then starts the local Kafka and
Connect (or uses the cluster at ``kafka.connect_url`` when ``kafka.local`` is false) and deploys the
connectors: it never installs, configures, restarts or stops a database server, nor creates a user.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.status import Status
from rich.table import Table

from kernel.errors import StackError
from kernel.procs import port_open, wait_until
from kernel.settings import Settings
from prestasync.stack import connect, connectors, kafka, mariadb, postgres


@dataclass(frozen=True)
class Step:
    title: str
    action: Callable[[], object]
    # A long step (the first jar download) reports progress through the callback it is given.
    with_progress: Callable[[Callable[[str], None]], object] | None = None


def connector_steps(settings: Settings) -> list[Step]:
    steps = []
    for path in connect.CONNECTOR_FILES:
        name = connectors.render_name(settings, path)
        steps.append(Step(f"connector {name} deployed", lambda p=path: connect.deploy(settings, p)))  # type: ignore[misc]
        steps.append(Step(f"connector {name} RUNNING", lambda n=name: connect.wait_running(settings, n)))  # type: ignore[misc]
    return steps


def attach_checks(settings: Settings) -> list[Step]:
    """Attach mode's only contact with the databases before capture: the read-only preflight."""
    return [
        Step("shop MariaDB ready for capture (read-only check)", lambda: _no_problem(settings, "mariadb")),
        Step("ERP PostgreSQL ready for capture (read-only check)", lambda: _no_problem(settings, "postgres")),
    ]


def _no_problem(settings: Settings, system: str) -> None:
    from prestasync.attach.check import problems, run_checks

    bad = problems(run_checks(settings, [system]))
    if bad:
        listed = "\n  ".join(f"{f.check}: {f.detail}\n    fix: {f.fix}" for f in bad)
        raise StackError(f"{system} is not ready for capture:\n  {listed}", "`prestasync check` shows every check")


def connect_rest_step(settings: Settings) -> Step:
    url = settings.kafka.connect_url
    return Step(
        f"Kafka Connect REST API at {url}",
        lambda: wait_until(lambda: connect.rest_ready(settings), 300, f"Kafka Connect at {url}"),
    )


def provision_steps(settings: Settings) -> list[Step]:
    """For servers someone else runs. Embedded (docker-compose): schema, users, publication, connectors.
    Attach: the read-only preflight, then the connectors; schema and users are the DBA's (provision)."""
    if settings.attach:
        return [*attach_checks(settings), connect_rest_step(settings), *connector_steps(settings)]
    return [
        Step("MariaDB configured for CDC", lambda: mariadb.check_cdc_ready(settings)),
        Step("PrestaShop database, tables and users", lambda: mariadb.ensure_schema(settings)),
        Step("PostgreSQL configured for CDC", lambda: postgres.check_cdc_ready(settings)),
        Step("Odoo database, tables, users and publication", lambda: postgres.ensure_schema(settings)),
        connect_rest_step(settings),
        *connector_steps(settings),
    ]


def write_secrets(settings: Settings) -> list[str]:
    """Create every secret file, plus ``compose.env`` (the passwords docker-compose hands to Connect)."""
    names = [
        "mariadb_admin.password",
        "mariadb_app.password",
        "mariadb_capture.password",
        "postgres_admin.password",
        "postgres_app.password",
        "postgres_capture.password",
    ]
    for name in names:
        if name.endswith("_capture.password"):
            settings.capture_password(name.split("_", 1)[0])  # type: ignore[arg-type]
        else:
            settings.secret(name)
    env = connect.connector_env(settings)
    lines = [f"{k}={v}" for k, v in env.items() if k.endswith("_PASSWORD")]
    compose_env = settings.secrets_dir / "compose.env"
    compose_env.write_text("\n".join(lines) + "\n")
    compose_env.chmod(0o600)
    return [*names, "compose.env"]


def kafka_steps(settings: Settings) -> list[Step]:
    if not settings.kafka.local:
        return [connect_rest_step(settings)]
    return [
        Step("Java 17+", kafka.check_java),
        Step("Kafka/Connect/Debezium jars", lambda: _jars(settings), lambda progress: _jars(settings, progress)),
        Step("Kafka broker (KRaft)", lambda: kafka.ensure_broker(settings)),
        Step("Kafka Connect (distributed)", lambda: connect.ensure_worker(settings)),
    ]


def up_steps(settings: Settings) -> list[Step]:
    if settings.attach:
        return [*attach_checks(settings), *kafka_steps(settings), *connector_steps(settings)]
    steps = [
        Step("Java 17+", kafka.check_java),
        Step("MariaDB installed", mariadb.ensure_installed),
        Step("MariaDB running with binlog CDC", lambda: mariadb.ensure_running(settings)),
        Step("PrestaShop database, tables and users", lambda: mariadb.ensure_schema(settings)),
        Step("PostgreSQL installed", postgres.ensure_installed),
        Step("PostgreSQL running with wal_level=logical", lambda: postgres.ensure_running(settings)),
        Step("Odoo database, tables, users and publication", lambda: postgres.ensure_schema(settings)),
        Step("Kafka/Connect/Debezium jars", lambda: _jars(settings), lambda progress: _jars(settings, progress)),
        Step("Kafka broker (KRaft)", lambda: kafka.ensure_broker(settings)),
        Step("Kafka Connect (distributed)", lambda: connect.ensure_worker(settings)),
    ]
    return steps + connector_steps(settings)


def _jars(settings: Settings, progress: Callable[[str], None] = lambda _: None) -> None:
    if kafka.ensure_jars(settings, progress):  # new jars: processes started on the old ones must restart
        connect.connect_process(settings).stop(timeout=60)
        kafka.broker_process(settings).stop(timeout=60)


def run_steps(steps: list[Step], console: Console) -> None:
    for step in steps:
        with console.status(f"{step.title}...") as spinner:
            try:
                if step.with_progress is not None:
                    step.with_progress(_progress_reporter(console, spinner, step.title))
                else:
                    step.action()
            except StackError:
                console.print(f"[red]✗[/red] {step.title}")
                raise
        console.print(f"[green]✓[/green] {step.title}")


def _progress_reporter(console: Console, spinner: Status, title: str) -> Callable[[str], None]:
    """On a terminal the spinner shows the latest figure; in a log (CI) a line every 10 s at most."""
    last = [0.0]

    def report(text: str) -> None:
        spinner.update(f"{title}... {text}")
        if not console.is_terminal and time.monotonic() - last[0] >= 10:
            last[0] = time.monotonic()
            console.print(f"  {title}: {text}")

    return report


def up(settings: Settings, console: Console) -> None:
    from prestasync.stack.reset import write_marker

    settings.home.mkdir(parents=True, exist_ok=True)
    run_steps(up_steps(settings), console)
    if not settings.attach:
        write_marker(settings)  # what this machine's embedded stack is: only that can be reset


def down(settings: Settings, console: Console, keep_databases: bool = False) -> None:
    """Stop in reverse order of dependency. Data stays: Kafka logs, Connect offsets, databases.

    Only what prestasync started here stops (pid files); attach mode never stops a database server."""
    processes = (("Kafka Connect", connect.connect_process(settings)), ("Kafka broker", kafka.broker_process(settings)))
    for name, proc in processes if settings.kafka.local else ():
        with console.status(f"stopping {name}..."):
            stopped = proc.stop(timeout=60)
        console.print(f"[green]✓[/green] {name} {'stopped' if stopped else 'was not running'}")
    if not settings.kafka.local:  # someone else's cluster: stop only our connectors, keep their offsets
        for name in connect.connector_names(settings):
            with console.status(f"stopping connector {name}..."):
                stopped = connectors.stop(settings, name)
            console.print(f"[green]✓[/green] connector {name} {'stopped (offsets kept)' if stopped else 'absent'}")
    if settings.attach:
        console.print("[green]✓[/green] attach mode: the database servers are not prestasync's, left running")
    elif not keep_databases:
        with console.status("stopping PostgreSQL and MariaDB..."):
            postgres.stop()
            mariadb.stop()
        console.print("[green]✓[/green] PostgreSQL and MariaDB stopped")


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    ok: bool
    detail: str


def status(settings: Settings) -> list[ComponentStatus]:
    if settings.attach:
        rows = [
            _db_status("MariaDB", settings.mariadb.port, lambda: _no_problem(settings, "mariadb"), settings),
            _db_status("PostgreSQL", settings.postgres.port, lambda: _no_problem(settings, "postgres"), settings),
        ]
    else:
        rows = [
            _db_status("MariaDB", settings.mariadb.port, lambda: mariadb.check_cdc_ready(settings)),
            _db_status("PostgreSQL", settings.postgres.port, lambda: postgres.check_cdc_ready(settings)),
        ]
    host, kport = settings.kafka.bootstrap.split(",")[0].rsplit(":", 1)
    listening = port_open(int(kport), host)
    ready = connect.rest_ready(settings)
    rest = f"REST {'up' if ready else 'down'} at {settings.kafka.connect_url}"
    if settings.kafka.local:
        broker, worker = kafka.broker_process(settings), connect.connect_process(settings)
        rows.append(
            ComponentStatus(
                "Kafka broker",
                broker.running() and listening,
                f"pid {broker.pid() or '-'}, port {kport} {'open' if listening else 'closed'}",
            )
        )
        rows.append(ComponentStatus("Kafka Connect", worker.running() and ready, f"pid {worker.pid() or '-'}, {rest}"))
    else:  # an existing cluster: reachable is all there is to know from here
        rows.append(ComponentStatus("Kafka broker", listening, f"existing cluster at {settings.kafka.bootstrap}"))
        rows.append(ComponentStatus("Kafka Connect", ready, f"existing cluster, {rest}"))
    for name in connect.connector_names(settings):
        st = connect.state(settings, name) if ready else connect.ConnectorState(name, "UNREACHABLE", ())
        detail = f"connector {st.connector}, tasks {', '.join(st.tasks) or '-'}"
        rows.append(ComponentStatus(f"connector {name}", st.healthy, f"{detail} {st.error}".strip()))
    return rows


def _db_status(name: str, port: int, check: Callable[[], None], attached: Settings | None = None) -> ComponentStatus:
    host = "127.0.0.1"
    if attached is not None:
        host = attached.mariadb.host if name == "MariaDB" else attached.postgres.host
    if not port_open(port, host):
        return ComponentStatus(name, False, f"port {port} closed")
    try:
        check()
    except StackError as exc:
        return ComponentStatus(name, False, str(exc).splitlines()[0])
    except Exception as exc:  # a refused login is a status to show, not a crash
        return ComponentStatus(name, False, f"{type(exc).__name__}: {exc}")
    return ComponentStatus(name, True, f"port {port}, CDC settings ok")


def status_table(rows: list[ComponentStatus]) -> Table:
    table = Table(title="prestasync stack")
    table.add_column("component")
    table.add_column("state")
    table.add_column("detail")
    for row in rows:
        table.add_row(row.name, "[green]up[/green]" if row.ok else "[red]DOWN[/red]", row.detail)
    return table
