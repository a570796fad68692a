"""Both systems, their CDC feeds and their sinks, in memory, around the pure loop guard.

Each system stores values after its own normalisation (the shop trims, the ERP lower-cases), emits
one CDC event (a full row image, with its log position and commit time) per stored change in
commit order, and its sink compares before writing and acks what it stored. A sink refuses a
command whose target no longer holds what the command replaces (``expected``): ack ``stale`` with
what the target holds. Acks go to a pool the test may deliver late, twice or out of order.

Crashes, as the real workers have them:
* a sink killed after its write, before its ack and offset commit: the command is delivered again;
* the streams worker killed: what it read since its last offset commit is read again, while its
  tables hold either the newer state (the changelog was written) or the state of that commit;
  the commands it produced stay produced (they are produced again, with the same ids, on replay).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from streams.fields import ERP, SHOP, other_system
from streams.guard_model import STALE_STATUS, Ack, CommandDecision, EntityState, Observation, Step
from streams.loopguard import acknowledge, observe
from streams.policy import GuardPolicy

NORMALISE: Mapping[str, Callable[[str], str]] = {SHOP: str.strip, ERP: str.lower}


@dataclass
class SimCommand:
    decision: CommandDecision
    values: dict[str, str]


@dataclass(frozen=True)
class Event:
    values: dict[str, str]
    by_us: bool
    position: str
    ts: float


@dataclass
class Sim:
    policy: GuardPolicy
    initial: Mapping[str, Mapping[str, str]]
    actor_filter: bool = True
    db: dict[str, dict[str, str]] = field(default_factory=dict)
    cdc: dict[str, deque[Event]] = field(default_factory=dict)
    commands: dict[str, deque[SimCommand]] = field(default_factory=dict)
    acks: list[Ack] = field(default_factory=list)
    latest: dict[str, dict[str, str]] = field(default_factory=dict)
    state: EntityState = field(default_factory=EntityState)
    clock: float = 0.0
    writes: int = 0
    events: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    # the streams worker: what it read since its last commit, and its state then
    uncommitted: list[tuple[str, object]] = field(default_factory=list)
    committed_state: EntityState = field(default_factory=EntityState)
    committed_latest: dict[str, dict[str, str]] = field(default_factory=dict)
    # every value each system held, with when: (system, field) -> [(time, value)]
    history: dict[tuple[str, str], list[tuple[float, str]]] = field(default_factory=dict)
    human: dict[tuple[str, str], list[tuple[float, str]]] = field(default_factory=dict)
    _log: int = 0

    def __post_init__(self) -> None:
        for system in (SHOP, ERP):
            self.db[system] = {k: NORMALISE[system](v) for k, v in self.initial[system].items()}
            self.cdc[system] = deque()
            self.emit_row(system, False)  # the snapshot read
            self.commands[system] = deque()

    def emit_row(self, system: str, by_us: bool) -> None:
        self._log += 1
        self.cdc[system].append(Event(dict(self.db[system]), by_us, f"lsn:{self._log}", self.clock))
        for name, value in self.db[system].items():
            self.history.setdefault((system, name), []).append((self.clock, value))

    # -- the outside world -------------------------------------------------------------------
    def human_edit(self, system: str, name: str, value: str) -> None:
        stored = NORMALISE[system](value)
        if self.db[system][name] != stored:
            self.human.setdefault((system, name), []).append((self.clock, stored))
            self.db[system][name] = stored
            self.emit_row(system, False)
        self.clock += 0.01

    def run_sink(self, target: str, crash: bool = False) -> bool:
        """Apply the head command; ``crash``: killed after the write, before the ack and the commit."""
        if not self.commands[target]:
            return False
        command = self.commands[target][0]
        row = self.db[target]
        stored = {n: NORMALISE[target](command.values[n]) for n in command.decision.fields}
        changed = any(row[n] != v for n, v in stored.items())
        # the target's value the command replaces, in the target's own form (as real sinks compare); a
        # request is the owner's to grant (this owner grants every one), never refused as stale
        outdated = [
            n
            for n, v in command.decision.expected.items()
            if n in stored
            and row[n] != stored[n]
            and row[n] != NORMALISE[target](v)
            and command.decision.reason != "forward"
        ]
        status = STALE_STATUS if changed and outdated else "applied" if changed else "unchanged"
        if status == "applied":
            row.update(stored)
            self.writes += 1
            self.emit_row(target, self.actor_filter and target == ERP)
        self.clock += 0.01
        if crash:
            return True
        self.commands[target].popleft()
        written = {n: row[n] for n in stored} if status == STALE_STATUS else stored
        self.acks.append(
            Ack(
                target_system=target,
                entity="thing",
                key="K",
                command_id=command.decision.command_id,
                status=status,
                written=written,
                at=self.clock,
            )
        )
        return True

    # -- the guard -----------------------------------------------------------------------------
    def deliver_event(self, system: str) -> bool:
        if not self.cdc[system]:
            return False
        event = self.cdc[system].popleft()
        self.uncommitted.append((system, event))
        self.events += 1
        self.latest[system] = event.values
        self._apply(
            observe(
                self.state,
                Observation(
                    system=system,
                    entity="thing",
                    key="K",
                    fields=event.values,
                    position=event.position,
                    at=self.clock,
                    by_integration=event.by_us,
                    source_ts=event.ts,
                ),
                self.policy,
            )
        )
        return True

    def deliver_ack(self, index: int, keep: bool = False) -> bool:
        if not self.acks:
            return False
        ack = self.acks[index % len(self.acks)]
        if not keep:
            self.acks.remove(ack)
        self.uncommitted.append(("ack", ack))
        self._apply(acknowledge(self.state, ack, self.policy))
        return True

    def commit(self) -> None:
        """The streams worker commits its offsets (its tables' changelog is written by then)."""
        self.uncommitted.clear()
        self.committed_state, self.committed_latest = self.state, dict(self.latest)

    def crash_streams(self, state_ahead: bool) -> None:
        """kill -9 of the streams worker and a restart: what it read since its commit comes again."""
        for source, item in reversed(self.uncommitted):
            if isinstance(item, Event):
                self.cdc[source].appendleft(item)
            else:
                assert isinstance(item, Ack)
                self.acks.insert(0, item)
        self.uncommitted.clear()
        if not state_ahead:
            self.state, self.latest = self.committed_state, dict(self.committed_latest)

    def _apply(self, step: Step) -> None:
        self.state = step.state
        for name, n in step.counts.items():
            self.counts[name] = self.counts.get(name, 0) + n
        for decision in step.commands:
            # the record the processor sends, holding the decided values (``streams.fields.with_values``)
            source = {**self.latest[decision.source], **decision.values}
            self.commands[decision.target].append(SimCommand(decision, {n: source[n] for n in decision.fields}))
        self.clock += 0.01

    # -- quiescence ----------------------------------------------------------------------------
    def drain(self, max_steps: int) -> int:
        """Run everything until nothing moves; the number of steps taken (max_steps + 1: did not stop)."""
        for taken in range(max_steps + 1):
            moved = (
                self.deliver_event(SHOP)
                or self.deliver_event(ERP)
                or self.run_sink(SHOP)
                or self.run_sink(ERP)
                or self.deliver_ack(0)
            )
            if not moved:
                self.commit()
                return taken
        return max_steps + 1

    def owner_value_everywhere(self, name: str, owner: str) -> bool:
        other = other_system(owner)
        return self.db[other][name] == NORMALISE[other](self.db[owner][name])

    def held_since(self, system: str, name: str, value: str, since: float) -> bool:
        """Whether ``system`` held ``value`` in ``name`` at some time at or after ``since``."""
        changes = self.history.get((system, name), [])
        before = [v for t, v in changes if t < since]
        return (bool(before) and before[-1] == value) or any(v == value for t, v in changes if t >= since)

    def edited_since(self, system: str, name: str, since: float) -> bool:
        return any(t >= since for t, _ in self.human.get((system, name), []))
