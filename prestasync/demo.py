"""`prestasync demo`: the embedded default, live — the stack, the twins, the workers, the simulator.

Brings everything up (idempotently), starts the stream processors and both sinks under `prestasync
serve` in the background, loads the sample catalogue, runs the trade simulator, and shows on the
terminal, live, orders arriving in the ERP and stock arriving in the shop with their end-to-end
latency (read from the sinks' acks: source commit time -> target API confirmation). Ctrl-C stops the
simulator and the workers cleanly; their offsets are committed, so the next run starts where this one
stopped.
"""

from __future__ import annotations

import signal
import threading
import time
from datetime import UTC, datetime

from rich.console import Console
from rich.live import Live

from kernel.settings import Settings
from prestasync.ack_stats import AckStats, follow_acks
from prestasync.demo_dashboard import DemoRun, dashboard, repaint
from prestasync.workers import pipeline_lag, settle_s, start_workers, stop_workers, wait_quiet, wait_streams_ready


def run_demo(
    settings: Settings,
    console: Console,
    orders_per_minute: float,
    moves_per_minute: float,
    duration: float | None,
    seed: int | None,
) -> None:
    from sandbox.simulator import Simulator

    _interrupt_on_ctrl_c_and_term()
    first_new_order = _next_shop_order_id(settings)
    start_workers(settings)
    stats = AckStats(since=datetime.now(UTC), max_samples=10_000)
    run = DemoRun()
    stop = threading.Event()
    follower = threading.Thread(target=follow_acks, args=(settings, stats, stop), daemon=True)
    follower.start()
    started = time.monotonic()
    try:
        with Live(dashboard(stats, run, started), console=console, refresh_per_second=2) as live:
            painter = threading.Thread(target=repaint, args=(live, stats, run, started, stop), daemon=True)
            painter.start()
            run.phase = "waiting for the streams worker to be ready"
            if not wait_streams_ready(settings):
                run.phase = "the streams worker is not healthy yet; trading anyway"
            backlog = pipeline_lag(settings)
            run.phase = f"trading (draining {backlog} records from before this run)" if backlog else "trading"
            stats.since = datetime.now(UTC)
            try:
                Simulator(settings, orders_per_minute, moves_per_minute, seed).run(duration, run.count, keep=False)
                wait_quiet(
                    settings,
                    stats,
                    quiet_s=settle_s(settings),
                    limit_s=300,
                    progress=lambda text: setattr(run, "phase", f"settling (held stock writes too): {text}"),
                )
            except KeyboardInterrupt:  # trading stops; what was made still reaches the other side
                wait_quiet(
                    settings,
                    stats,
                    quiet_s=3,
                    limit_s=60,
                    progress=lambda text: setattr(
                        run, "phase", f"stopping, the last changes flow through (Ctrl-C again: at once): {text}"
                    ),
                )
            run.phase = "done"
            live.update(dashboard(stats, run, started))
    except KeyboardInterrupt:
        console.print("stopping at once...")
    finally:
        stop.set()
        stopped = stop_workers(settings)
        console.print(
            f"workers stopped: {', '.join(stopped) or 'none'}; offsets are committed, "
            "the next `prestasync demo` resumes from here"
        )
    console.print(_database_summary(settings, first_new_order))


def _interrupt_on_ctrl_c_and_term() -> None:
    """Ctrl-C and SIGTERM both stop the demo cleanly (workers stopped, offsets committed), even when it
    was started with SIGINT ignored (a background job of a script) or stopped by a service manager."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)


def _next_shop_order_id(settings: Settings) -> int:
    from kernel.dbadmin import mariadb_admin

    with mariadb_admin(settings.mariadb.database, settings=settings) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id_order), 0) + 1 AS next FROM `{settings.mariadb.table_prefix}orders`")
        row = cur.fetchone()
    return int(row["next"]) if row else 1


def _database_summary(settings: Settings, first_new_order: int) -> str:
    """What the databases hold of this run: shop orders placed, and how many of them the ERP has."""
    from kernel.dbadmin import mariadb_admin, postgres_admin

    with mariadb_admin(settings.mariadb.database, settings=settings) as conn, conn.cursor() as cur:
        cur.execute(
            f"SELECT reference FROM `{settings.mariadb.table_prefix}orders` WHERE id_order >= %s"
            " AND current_state <> 0",
            (first_new_order,),
        )
        references = [str(row["reference"]) for row in cur.fetchall()]
    erp = postgres_admin(settings.postgres.database, settings=settings)
    try:
        with erp.cursor() as cur:
            cur.execute(
                "SELECT count(DISTINCT client_order_ref) FROM sale_order WHERE client_order_ref = ANY(%s)",
                (references,),
            )
            row = cur.fetchone()
    finally:
        erp.close()
    in_erp = int(row[0]) if row else 0
    return f"this run, in the databases: {len(references)} shop orders placed, {in_erp} of them in the ERP" + (
        "" if in_erp == len(references) else " (the rest are still in the pipeline: the next run takes them)"
    )
