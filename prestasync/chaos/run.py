"""`prestasync bench chaos`: the day of trade on the private stack while faults hit it, then the checks.

Per fault and run: the simulator trades for ``segment_s``; at a random point of it the fault is injected
(and healed, see ``faults``); once the pipeline is quiet (nothing to process, no ack for the hold
timer's period) both databases are compared (``checks``) and the API writes in a quiet window counted
(echoes). A fault's row in the matrix sums its runs; faults not injected show as not run.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kernel.settings import Settings
from prestasync.chaos import checks
from prestasync.chaos.faults import BY_NAME, FAULTS, NOT_INJECTED, Context, Fault
from prestasync.chaos.load import Load
from prestasync.chaos.stack import PrivateStack, chaos_dir

# one cheap fault of each class: the CI profile
# CI's profile: one fault per class (a worker killed, a worker hung, an API fault, a server killed); the
# database kills wait a minute for the connector to reconnect, so they run in the full matrix only
SHORT = ("kill-streams", "sigstop-sink-odoo", "odoo-drop", "kill-connect")


@dataclass
class RunResult:
    fault: str
    run: int
    injected_at_s: float
    what: str
    orders: int
    cancellations: int
    moves: int
    lost: list[str]
    duplicated: list[str]
    stale: list[str]
    drift: list[str]
    dead_letters: int
    echoes: dict[str, int]
    lag: int
    quiet: bool
    connector_restarts: list[str] = field(default_factory=list)
    load_reconnects: int = 0
    error: str | None = None


def _connectors_running(settings: Settings) -> list[str]:
    """Restart what a fault left FAILED (what an operator does: `connectors restart`); say so."""
    from prestasync.stack import connect, connectors

    restarted = []
    for path in connect.CONNECTOR_FILES:
        name = connectors.render_name(settings, path)
        state = connect.state(settings, name)
        if not state.healthy:
            connect.restart_all(settings, name)
            connect.wait_running(settings, name)
            restarted.append(f"{name}: {state}")
    return restarted


def one_run(
    ctx: Context, load: Load, fault: Fault, run: int, segment_s: float, before: checks.Findings
) -> tuple[RunResult, checks.Findings]:
    from prestasync.ack_stats import AckStats, follow_acks
    from prestasync.bench_probes import api_writes_since
    from prestasync.workers import settle_s, wait_quiet

    settings = ctx.settings
    rng = random.Random(f"{fault.name}-{run}")
    first_event = len(load.events)
    reconnects = len(load.reconnects)
    stats, stop = AckStats(), threading.Event()
    follower = threading.Thread(target=follow_acks, args=(settings, stats, stop), daemon=True)
    follower.start()
    at = rng.uniform(0.2, 0.6) * segment_s
    load.start(segment_s)
    time.sleep(at)
    error = None
    try:
        what = fault.inject(ctx)
    except Exception as exc:  # the matrix says the run failed to inject; the run goes on
        what, error = "", f"{type(exc).__name__}: {exc}"
    load.join()
    restarted = _connectors_running(settings)
    deadline = time.monotonic() + 300
    while any(checks.capture_lag(settings).values()) and time.monotonic() < deadline:
        time.sleep(2)  # the pipeline is quiet only once every simulated change is captured
    quiet = wait_quiet(settings, stats, quiet_s=settle_s(settings), limit_s=300 + ctx.outage_s)
    quiet_at = time.time()
    time.sleep(10)
    echoes = {system: writes for system, (writes, _) in api_writes_since(settings, quiet_at).items()}
    stop.set()
    after = checks.collect(settings)
    new = after.new_since(before)
    made = load.events[first_event:]
    result = RunResult(
        fault.name,
        run,
        round(at, 1),
        what,
        sum(e.kind == "order" for e in made),
        sum(e.kind == "cancellation" for e in made),
        sum(e.system == "erp" for e in made),
        sorted(new.lost),
        sorted(new.duplicated),
        sorted(new.stale),
        sorted(new.drift),
        new.dead_letters,
        echoes,
        after.lag,
        quiet,
        restarted,
        len(load.reconnects) - reconnects,
        error or (f"load: {load.error!r}" if load.error else None),
    )
    return result, after


def matrix(results: list[RunResult], planned: list[str]) -> list[str]:
    lines = [
        "| fault | runs | lost | duplicated | stale-overwritten | drift | dead letters | echoes"
        " | orders / cancels / moves |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in planned:
        rows = [r for r in results if r.fault == name]
        if not rows:
            lines.append(f"| {name} | not run | – | – | – | – | – | – | – |")
            continue
        lines.append(
            f"| {name} | {len(rows)} | {sum(len(r.lost) for r in rows)} | {sum(len(r.duplicated) for r in rows)} | "
            f"{sum(len(r.stale) for r in rows)} | {sum(len(r.drift) for r in rows)} | "
            f"{sum(r.dead_letters for r in rows)} | {sum(sum(r.echoes.values()) for r in rows)} | "
            f"{sum(r.orders for r in rows)} / {sum(r.cancellations for r in rows)} / {sum(r.moves for r in rows)} |"
        )
    lines += [f"| {name} | not run | – | – | – | – | – | – | – |" for name in NOT_INJECTED]
    return lines


def run_chaos(
    settings: Settings,
    faults: list[str],
    runs: int,
    segment_s: float,
    orders_per_minute: float,
    moves_per_minute: float,
    outage_s: float,
    seed: int,
    keep_stack: bool,
    say: object = print,
) -> tuple[list[RunResult], list[str], Path]:
    from prestasync.ack_stats import AckStats
    from prestasync.chaos import security
    from prestasync.workers import start_workers, stop_workers, wait_quiet, wait_streams_ready

    emit = say if callable(say) else print
    stack = PrivateStack(settings)
    stack.refuse_shared()  # before anything is started or stopped
    emit("private stack: own MariaDB, PostgreSQL, Kafka, Connect, twins ...")
    load = Load(settings, orders_per_minute, moves_per_minute, seed)
    ctx = Context(settings, stack, load.hold, outage_s)
    results: list[RunResult] = []
    started = datetime.now(UTC)
    report = chaos_dir(settings) / f"report-{started:%Y%m%dT%H%M%SZ}.json"
    privileges: list[str] = []
    leaks: list[str] = []
    try:
        stack.up()  # in the try: a failed start stops what it had started
        start_workers(settings)
        wait_streams_ready(settings, timeout_s=180)
        wait_quiet(settings, AckStats(), quiet_s=15, limit_s=300)
        before = checks.collect(settings)
        emit(f"baseline: {len(before.lost)} lost, {len(before.drift)} drift, {before.dead_letters} dead letters")
        for name in faults:
            for run in range(1, runs + 1):
                result, before = one_run(ctx, load, BY_NAME[name], run, segment_s, before)
                results.append(result)
                report.write_text(json.dumps({"results": [asdict(r) for r in results]}, indent=1))  # as it goes
                emit(
                    f"{name} #{run}: {result.what or result.error}; lost {len(result.lost)}, dup "
                    f"{len(result.duplicated)}, stale {len(result.stale)}, drift {len(result.drift)}, "
                    f"dead {result.dead_letters}, echoes {result.echoes}, lag {result.lag}"
                    + "".join(f"\n  {k}" for k in (*result.lost, *result.duplicated, *result.stale, *result.drift))
                    + (f"\n  connectors restarted: {result.connector_restarts}" if result.connector_restarts else "")
                )
        privileges = security.capture_privileges(settings)
        leaks = security.secrets_in_connector_configs(settings)
    finally:
        stop_workers(settings)
        leaks += security.secrets_in_logs(settings, [settings.logs_dir, chaos_dir(settings)])
        if not keep_stack:
            stack.down()
    lines = matrix(results, faults)
    lines.append("")
    lines.append("capture users (`prestasync check`): " + ("; ".join(privileges) or "least-privileged, nothing beyond"))
    lines.append(
        f"secrets found in the run's logs and connector configs: {len(leaks)}"
        + (f" ({', '.join(leaks)})" if leaks else "")
    )
    report.write_text(
        json.dumps({"results": [asdict(r) for r in results], "leaks": leaks, "privileges": privileges}, indent=1)
    )
    return results, lines, report


ALL = tuple(f.name for f in FAULTS)
