"""The loop guard's rules applied to one entity's state while one input is applied: shadow,
ownership (propagate / drift / re-assert / forward to the owner), pending writes and their echoes,
the breaker, and what the target holds as far as we know (``streams.loopguard`` has the whole
picture and the entry points)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from streams.fields import other_system
from streams.guard_model import (
    BEHIND,
    DEFERRED_KEPT,
    DRIFT,
    FORWARDED,
    NOOP,
    SUPPRESSED,
    TRIP,
    CommandDecision,
    EntityState,
    Pending,
    Step,
    command_id_for,
)
from streams.policy import EntityPolicy, GuardPolicy


class EntityWork:
    """A mutable copy of one entity's state while one input is applied."""

    def __init__(self, state: EntityState, policy: GuardPolicy, at: float) -> None:
        self.shadow = {s: dict(v) for s, v in state.shadow.items()}
        self.pending = {s: dict(v) for s, v in state.pending.items()}
        self.seen_on = set(state.seen_on)
        self.flips = list(state.flips)
        self.tripped = state.tripped
        self.drift = set(state.unresolved_drift)
        self.seen_at = dict(state.seen_at)
        self.ahead = {s: dict(v) for s, v in state.ahead.items()}
        self.guessed = {s: dict(v) for s, v in state.guessed.items()}
        self.policy = policy
        self.at = at
        self.commands: list[CommandDecision] = []
        self.counts: Counter[str] = Counter()
        self.drifted: set[str] = set()

    def finish(self) -> Step:
        state = EntityState(
            shadow={s: v for s, v in self.shadow.items() if v},
            pending={s: v for s, v in self.pending.items() if v},
            seen_on=frozenset(self.seen_on),
            flips=tuple(self.flips),
            tripped=self.tripped,
            unresolved_drift=frozenset(self.drift),
            seen_at=dict(self.seen_at),
            ahead={s: v for s, v in self.ahead.items() if v},
            guessed={s: v for s, v in self.guessed.items() if v},
        )
        return Step(state, tuple(self.commands), dict(self.counts), frozenset(self.drifted))

    def settle(self, system: str, name: str, value: str) -> None:
        self.pending.get(system, {}).pop(name, None)
        self.drift.discard((system, name))
        self.shadow.setdefault(system, {})[name] = value

    def match_pending(self, system: str, name: str, value: str) -> str | None:
        """'echo', 'deferred' or 'stale' when a pending write explains the value, else None."""
        waiting = self.pending.get(system, {})
        write = waiting.get(name)
        if write is None:
            return None
        if self.at - write.issued_at > self.policy.pending_timeout_s:
            del waiting[name]  # its echo never came (or was unrecognisable): stop waiting
            return None
        if value == write.value or (write.acked and value == write.acked_value):
            self.settle(system, name, value)
            return "answer" if write.request else "echo"
        if not write.acked:
            waiting[name] = replace(write, deferred=(*write.deferred, value)[-DEFERRED_KEPT:])
            return "deferred"
        return "stale"

    def apply_changes(
        self, entity: EntityPolicy, system: str, values: Mapping[str, str], entity_name: str, key: str, position: str
    ) -> None:
        """Values of ``system`` not explained by a pending write: propagate, or drift."""
        owned: dict[str, str] = {}
        drifted: dict[str, str] = {}
        for name, value in values.items():
            known = self.shadow.get(system, {}).get(name)
            if known == value:
                self.counts[NOOP] += 1
                continue
            self.shadow.setdefault(system, {})[name] = value
            if name in entity.create_only:
                continue
            if known is None and entity.owner(name) != system:
                continue  # first sight of the non-owner's copy: the owner's first sight sends it
            (owned if entity.owner(name) == system else drifted)[name] = value
        target = other_system(system)
        creating = target not in self.seen_on
        # what the target holds already (as far as we know, our writes included) needs no command: a
        # command asserting a field whose value is unchanged could carry a stale value of another one
        owned = {n: v for n, v in owned.items() if creating or self.target_value(target, n) != v}
        if owned:
            expected = dict(owned)
            if creating:  # the target's row is made with the create-only and target-owned fields too
                expected.update({n: values[n] for n in entity.create_only | entity.target_owned(system) if n in values})
            self.emit(
                target,
                system,
                owned,
                expected,
                entity.create_only | entity.target_owned(system),
                entity_name,
                key,
                position,
                "propagate",
            )
        self.non_owner(entity, system, drifted, entity_name, key, position)

    def non_owner(
        self, entity: EntityPolicy, system: str, changes: Mapping[str, str], entity_name: str, key: str, position: str
    ) -> None:
        """Changes by the non-owner: a request to the owner (``forward``), else drift."""
        target = other_system(system)
        requests = {n: v for n, v in changes.items() if v in entity.forward.get(n, ())}
        self.forward(system, requests, entity_name, key, position)
        drifted = {n: v for n, v in changes.items() if n not in requests}
        if drifted:
            self.counts[DRIFT] += 1
            self.drifted.update(drifted)
            owner_values = self.shadow.get(target, {})
            restore = {n: owner_values[n] for n in drifted if n in owner_values}
            reassert = self.reasserts(entity)
            if reassert:
                self.drift.update((system, n) for n in drifted if n not in restore)
            if reassert and restore:
                self.emit(system, target, restore, restore, entity.create_only, entity_name, key, position, "reassert")

    def forward(self, system: str, requests: Mapping[str, str], entity_name: str, key: str, position: str) -> None:
        """Not drift: the non-owner asks the owner, whose answer comes back as the owner's change."""
        target = other_system(system)
        waiting = self.pending.get(target, {})
        requests = {
            n: v for n, v in requests.items() if not (n in waiting and waiting[n].request and waiting[n].value == v)
        }  # asked already
        if not requests:
            return
        self.counts[FORWARDED] += 1
        self.emit(target, system, requests, requests, frozenset(), entity_name, key, position, "forward")
        for name in requests:  # the owner may answer with another value: that one is its change
            write = self.pending[target][name]
            self.pending[target][name] = replace(write, asserted=False, request=True)

    def answered(
        self, entity: EntityPolicy | None, owner: str, name: str, value: str, entity_name: str, key: str, position: str
    ) -> None:
        """The owner granted a request: the requester gets the owner's value if it holds another one by
        now (our write of the owner's previous value crossed its request)."""
        requester = other_system(owner)
        if entity is None or entity.owner(name) != owner:
            return
        on_its_way = self.pending.get(requester, {}).get(name)
        if on_its_way.value == value if on_its_way is not None else self.shadow.get(requester, {}).get(name) == value:
            return
        self.emit(
            requester, owner, {name: value}, {name: value}, entity.create_only, entity_name, key, position, "propagate"
        )

    def refused(
        self, entity: EntityPolicy, target: str, held: Mapping[str, str], entity_name: str, key: str, position: str
    ) -> None:
        """A sink refused a stale command: ``held`` is what the target holds instead. The owner's
        value stands (its requester gets it); a non-owner's value is its newer change."""
        for name, value in held.items():
            self.shadow.setdefault(target, {})[name] = value
            if entity.owner(name) == target:
                self.drift.discard((target, name))
                self.answered(entity, target, name, value, entity_name, key, position)
        changes = {n: v for n, v in held.items() if entity.owner(n) != target and n not in entity.create_only}
        self.non_owner(entity, target, changes, entity_name, key, position)

    def behind(self, system: str, values: Mapping[str, str]) -> dict[str, str]:
        """``values`` without the fields whose event is older than a value a sink read there."""
        learned = self.ahead.get(system, {})
        kept = {}
        for name, value in values.items():
            read = learned.get(name)
            if read is not None and value == read[0]:
                del learned[name]  # the event of the change the sink saw: what follows is newer
            elif read is not None and self.at - read[1] <= self.policy.pending_timeout_s:
                self.counts[BEHIND] += 1
                continue
            elif read is not None:
                del learned[name]
            kept[name] = value
        return kept

    def reasserts(self, entity: EntityPolicy) -> bool:
        return self.policy.reassert if entity.reassert is None else entity.reassert

    def resolve_drift(self, entity: EntityPolicy, entity_name: str, key: str, position: str) -> None:
        """Re-assert drift seen before the owner's value was known, now that it is."""
        by_system: dict[str, dict[str, str]] = {}
        for system, name in sorted(self.drift):
            known = self.shadow.get(other_system(system), {})
            if name in known and name not in self.pending.get(system, {}):
                by_system.setdefault(system, {})[name] = known[name]
                self.drift.discard((system, name))
        if not self.reasserts(entity):
            return
        for system, restore in by_system.items():
            self.emit(
                system,
                other_system(system),
                restore,
                restore,
                entity.create_only,
                entity_name,
                key,
                position,
                "reassert",
            )

    def emit(
        self,
        target: str,
        source: str,
        asserted: Mapping[str, str],
        expected: Mapping[str, str],
        create_only: frozenset[str],
        entity_name: str,
        key: str,
        position: str,
        reason: str,
    ) -> None:
        window = self.policy.breaker_window_s
        self.flips = [t for t in self.flips if self.at - t < window] + [self.at]
        if len(self.flips) > self.policy.breaker_flips:
            if not self.tripped:
                self.counts[TRIP] += 1
            self.tripped = True
            self.counts[SUPPRESSED] += 1
            return
        self.tripped = False
        command_id = command_id_for(target, entity_name, key, reason, position, asserted)
        waiting = self.pending.setdefault(target, {})
        replaced = {name: value for name in asserted if (value := self.target_value(target, name)) is not None}
        for name, value in expected.items():
            self.guessed.get(target, {}).pop(name, None)
            waiting[name] = Pending(command_id=command_id, value=value, issued_at=self.at, asserted=name in asserted)
        self.commands.append(
            CommandDecision(
                target=target,
                source=source,
                fields=frozenset(asserted),
                create_only=frozenset(create_only) - frozenset(asserted) if reason == "reassert" else create_only,
                command_id=command_id,
                reason=reason,
                values=dict(asserted),
                expected=replaced,
            )
        )

    def target_value(self, target: str, name: str) -> str | None:
        """What ``target`` holds for ``name`` once our writes there are done, as far as we know."""
        write = self.pending.get(target, {}).get(name)
        if write is not None and write.acked:
            return write.acked_value
        if write is not None and write.asserted and not write.request:
            return write.value
        return self.shadow.get(target, {}).get(name)
