"""`onboard snapshot`: one incremental-snapshot signal per system for every table the streams map
(``streams.topology``), as the capture user (its only write grant is the signal table)."""

from __future__ import annotations

from kernel.settings import Settings
from prestasync.ops.snapshot import request_snapshot
from streams.topology import stream_topics


def tables_of(settings: Settings, system: str) -> list[str]:
    """The tables whose raw topics the streams read, as ``connectors snapshot`` names them."""
    prefix = settings.kafka.topic_prefix_shop if system == "shop" else settings.kafka.topic_prefix_erp
    return [t.rsplit(".", 1)[1] for t in stream_topics(settings).raw if t.startswith(prefix + ".")]


def request_all(settings: Settings, systems: list[str]) -> dict[str, str]:
    return {system: request_snapshot(settings, system, tables_of(settings, system)) for system in systems}
