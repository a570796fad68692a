"""What the loop guard reads and decides (``streams.loopguard``): one entity's state, the inputs
(an observation of a system, a sink's ack), the commands decided, and the names of its counts.
The state is kept per entity in the ``guard`` table (JSON forms in ``streams.state_json``)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

ECHO = "echoes_dropped"
NOOP = "unchanged"
DRIFT = "drift"
TRIP = "breaker_trips"
SUPPRESSED = "suppressed_by_breaker"
STALE_ACK = "stale_acks"
UNOWNED = "no_policy"
FORWARDED = "forwarded_to_owner"
STALE_REFUSED = "stale_refused"  # a sink refused a command: the target changed since it was derived
REPLAYED = "replayed_older"  # an observation older than one already applied
BEHIND = "older_than_read"  # a field's event older than the value a sink read from the target
STALE_STATUS = "stale"  # SinkAck.status of a refused command
DEFERRED_KEPT = 8


@dataclass(frozen=True)
class Pending:
    """A write asked of one target for one field, until its echo (or ack) settles it."""

    command_id: str
    value: str
    issued_at: float
    acked: bool = False
    acked_value: str | None = None
    deferred: tuple[str, ...] = ()
    asserted: bool = True  # False: sent only in case the command creates the target's row
    request: bool = False  # a non-owner's value forwarded to the owner (``forward``), not the owner's


@dataclass(frozen=True)
class EntityState:
    shadow: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # system -> field -> value
    pending: Mapping[str, Mapping[str, Pending]] = field(default_factory=dict)  # target -> field -> write
    seen_on: frozenset[str] = frozenset()
    flips: tuple[float, ...] = ()
    tripped: bool = False
    # (system, field): drift seen before the owner's value was known; re-asserted once it is
    unresolved_drift: frozenset[tuple[str, str]] = frozenset()
    # system -> (commit time, position) of the newest observation applied
    seen_at: Mapping[str, tuple[float, str]] = field(default_factory=dict)
    # system -> field -> (value, learned at): read by a sink in the target before its CDC event came
    ahead: Mapping[str, Mapping[str, tuple[str, float]]] = field(default_factory=dict)
    # system -> field -> command id: a write the actor filter settled, with another value, before its ack
    guessed: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Observation:
    system: str
    entity: str
    key: str
    fields: Mapping[str, str]
    position: str  # source position: makes command ids deterministic on replay
    at: float
    by_integration: bool = False
    source_ts: float | None = None  # commit time at the source (replays are older than what was applied)


@dataclass(frozen=True)
class Ack:
    target_system: str
    entity: str
    key: str
    command_id: str
    status: str  # "applied" | "unchanged"
    written: Mapping[str, str]
    at: float


@dataclass(frozen=True)
class CommandDecision:
    """Send ``source``'s latest record of the entity to ``target``, asserting ``fields``."""

    target: str
    source: str
    fields: frozenset[str]
    create_only: frozenset[str]
    command_id: str
    reason: str  # "propagate" | "reassert" | "forward"
    values: Mapping[str, str] = field(default_factory=dict)  # the asserted values, as decided
    expected: Mapping[str, str] = field(default_factory=dict)  # the target's value each one replaces, if known


@dataclass(frozen=True)
class Step:
    state: EntityState
    commands: tuple[CommandDecision, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)
    drifted: frozenset[str] = frozenset()  # fields changed by their non-owner (metrics by field)


def command_id_for(target: str, entity: str, key: str, reason: str, position: str, asserted: Mapping[str, str]) -> str:
    """Deterministic: the same input (replayed) yields the same id, so sinks can deduplicate."""
    text = "\x1f".join([target, entity, key, reason, position] + [f"{n}={v}" for n, v in sorted(asserted.items())])
    return hashlib.sha256(text.encode()).hexdigest()[:32]
