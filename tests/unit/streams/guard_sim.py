"""Both systems, their CDC feeds and their sinks, in memory, around the pure loop guard.

Each system stores values after its own normalisation (the shop trims, the ERP lower-cases), emits
one CDC event (a full row image) per stored change in commit order, and its sink compares before
writing and acks what it stored. Acks go to a pool the test may deliver late, twice or out of order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from streams.fields import ERP, SHOP, other_system
from streams.loopguard import Ack, CommandDecision, EntityState, Observation, acknowledge, observe
from streams.policy import GuardPolicy

NORMALISE: Mapping[str, Callable[[str], str]] = {SHOP: str.strip, ERP: str.lower}


@dataclass
class SimCommand:
    decision: CommandDecision
    values: dict[str, str]


@dataclass
class Sim:
    policy: GuardPolicy
    initial: Mapping[str, Mapping[str, str]]
    actor_filter: bool = True
    db: dict[str, dict[str, str]] = field(default_factory=dict)
    cdc: dict[str, deque[tuple[dict[str, str], bool]]] = field(default_factory=dict)
    commands: dict[str, deque[SimCommand]] = field(default_factory=dict)
    acks: list[Ack] = field(default_factory=list)
    latest: dict[str, dict[str, str]] = field(default_factory=dict)
    state: EntityState = field(default_factory=EntityState)
    clock: float = 0.0
    writes: int = 0
    events: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for system in (SHOP, ERP):
            self.db[system] = {k: NORMALISE[system](v) for k, v in self.initial[system].items()}
            self.cdc[system] = deque([(dict(self.db[system]), False)])  # the snapshot read
            self.commands[system] = deque()

    # -- the outside world -------------------------------------------------------------------
    def human_edit(self, system: str, name: str, value: str) -> None:
        stored = NORMALISE[system](value)
        if self.db[system][name] != stored:
            self.db[system][name] = stored
            self.cdc[system].append((dict(self.db[system]), False))

    def run_sink(self, target: str) -> bool:
        if not self.commands[target]:
            return False
        command = self.commands[target].popleft()
        row = self.db[target]
        stored = {n: NORMALISE[target](command.values[n]) for n in command.decision.fields}
        changed = any(row[n] != v for n, v in stored.items())
        if changed:
            row.update(stored)
            self.writes += 1
            self.cdc[target].append((dict(row), self.actor_filter and target == ERP))
        self.acks.append(Ack(target_system=target, entity="thing", key="K",
                             command_id=command.decision.command_id,
                             status="applied" if changed else "unchanged", written=stored, at=self.clock))
        return True

    # -- the guard -----------------------------------------------------------------------------
    def deliver_event(self, system: str) -> bool:
        if not self.cdc[system]:
            return False
        values, by_us = self.cdc[system].popleft()
        self.events += 1
        self.latest[system] = values
        self._apply(observe(self.state, Observation(
            system=system, entity="thing", key="K", fields=values, position=f"{system}:{self.events}",
            at=self.clock, by_integration=by_us), self.policy))
        return True

    def deliver_ack(self, index: int, keep: bool = False) -> bool:
        if not self.acks:
            return False
        ack = self.acks[index % len(self.acks)]
        if not keep:
            self.acks.remove(ack)
        self._apply(acknowledge(self.state, ack, self.policy))
        return True

    def _apply(self, step: object) -> None:
        from streams.loopguard import Step

        assert isinstance(step, Step)
        self.state = step.state
        for name, n in step.counts.items():
            self.counts[name] = self.counts.get(name, 0) + n
        for decision in step.commands:
            source = self.latest[decision.source]
            self.commands[decision.target].append(SimCommand(decision, {n: source[n] for n in decision.fields}))
        self.clock += 0.01

    # -- quiescence ----------------------------------------------------------------------------
    def drain(self, max_steps: int) -> int:
        """Run everything until nothing moves; the number of steps taken (max_steps + 1: did not stop)."""
        for taken in range(max_steps + 1):
            moved = (self.deliver_event(SHOP) or self.deliver_event(ERP) or self.run_sink(SHOP)
                     or self.run_sink(ERP) or self.deliver_ack(0))
            if not moved:
                return taken
        return max_steps + 1

    def owner_value_everywhere(self, name: str, owner: str) -> bool:
        other = other_system(owner)
        return self.db[other][name] == NORMALISE[other](self.db[owner][name])
