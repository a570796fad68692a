"""The ``serve:`` section: `prestasync serve`, the supervised process tree (``prestasync.serve``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from kernel.settings_systems import Frozen

ServedWorker = Literal["streams", "sink-odoo", "sink-prestashop", "store-stock"]


class ServeSettings(Frozen):
    """``prestasync serve``: the streams worker and both sinks as supervised children."""

    workers: tuple[ServedWorker, ...] = Field(
        default=("streams", "sink-odoo", "sink-prestashop"),
        description="the children it runs; add store-stock to serve the store-stock lookup too",
    )
    host: str = Field(default="127.0.0.1", description="address of the aggregated /health and /metrics")
    port: int = Field(default=9300, description="aggregated /health (200 only when every child is) and /metrics")
    ports: dict[ServedWorker, int] = Field(
        default_factory=dict,
        description="each child's own /health + /metrics "
        "port; unset: streams.metrics_port, sinks.<system>.metrics_port, store_stock.port; "
        "0: a free port picked at start",
    )
    run_dir: Path | None = Field(
        default=None, description="serve.pid and each child's worker-<name>.pid; default <home>/run"
    )
    log_dir: Path | None = Field(default=None, description="each child's worker-<name>.log; default <home>/logs")
    connectors: Literal["deploy", "check", "off"] = Field(
        default="deploy",
        description="before the children start: deploy the connectors to kafka.connect_url "
        "(create/update, resume, wait RUNNING), only check they are RUNNING, or nothing",
    )
    backoff_initial_s: float = Field(default=1.0, description="first restart delay; doubled per crash in a row")
    backoff_max_s: float = Field(default=60.0, description="the longest restart delay")
    min_uptime_s: float = Field(
        default=30.0,
        description="a child that ran this long counts as started: its next crash restarts the count and the backoff",
    )
    crash_loop_restarts: int = Field(
        default=8,
        description="restarts in a row of a child that never reached "
        "min_uptime_s; one more crash is a crash loop: serve stops, exit 3",
    )
    stop_timeout_s: float = Field(default=60.0, description="SIGTERM to SIGKILL, per child, when stopping")
    hang_restart_s: float = Field(
        default=120.0,
        description="a running child whose /health gives no answer at all for this long (hung, SIGSTOPped) "
        "is killed (SIGKILL) and restarted like a crash; any answer, a 503 too, counts as alive; 0: off",
    )
