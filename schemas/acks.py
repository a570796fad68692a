"""What a sink publishes after the target system confirmed a command's effect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from schemas.records import Canonical


@dataclass(frozen=True)
class SinkAck(Canonical):
    """The effect of one command, for the streams' identity table and shadow state.

    The envelope is the command record's envelope (same canonical key, origin and source time), so
    the streams can match the echo that the write will cause. ``target_ids`` names the rows the write
    created or touched in the target (e.g. ``{"res.partner": "42"}``); ``written`` holds each synced
    field's value as the target stored it, rendered as text (after its rounding and trimming), so
    normalisation by the target is not mistaken for a new change.
    """

    ENTITY: ClassVar[str] = "sink_ack"
    command_id: str
    target_system: str
    command_entity: str
    status: str  # "applied" (a write happened), "unchanged" (target already held the values) or "stale"
    # ("stale": refused, the target changed since the command was derived; ``written`` = what it holds)
    target_ids: dict[str, str]
    written: dict[str, str]
    applied_ts: datetime
