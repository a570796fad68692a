"""The loop guard as a pure state machine: (entity state, observation | ack) -> new state + decisions.

One ``EntityState`` per entity (``<entity>:<canonical key>``), kept by the Faust agent in a
changelogged table. Rules (DESIGN §2.4):

* shadow: per system, the last value of each synced field seen there; an observation equal to its
  system's shadow is a no-op (an echo or an unrelated column change);
* ownership: a change by the field's owner is propagated to the other system; a change by the
  non-owner is drift: counted, and with ``reassert`` the owner's value is written back; unless the
  policy forwards that value (``forward``): then it is sent to the owner as a request, and the
  owner's resulting value comes back as the owner's change;
* pending writes: what a command asked the target to hold. The target's echo clears it. Targets
  normalise (round, trim), so an echo that does not match before the sink's ack is *deferred*; the
  ack's ``written`` (the value as stored) then says which deferred value was the echo and which
  ones came after it (genuine changes, processed as such). CDC delivers one row's events in commit
  order, so after an ack, values that still do not match are older than the write and are ignored;
* actor filter: an Odoo change written by the integration user is our own write;
* breaker: an entity with more than N commands in M seconds stops propagating (reported);
* stale commands: each command carries the target's value it expects to replace (``expected``:
  our write still on its way there, else the target's shadow). A sink that finds the target holding
  something else refuses (ack status ``stale``, ``written`` = what the target holds): that value is
  the target's newer change, handled like one (forwarded, drift, re-asserted) instead of being
  overwritten. Values learned that way are *ahead* of the target's CDC feed: its older events of
  the field are skipped until the event of that value comes;
* replays: an observation older (source position and commit time) than one already applied is a
  restarted worker re-reading what it had not committed, not a change.

Nothing here does IO or reads a clock: ``at`` (seconds) comes with each input.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from streams.fields import other_system
from streams.policy import EntityPolicy, GuardPolicy
from streams.positions import is_older

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
_DEFERRED_KEPT = 8


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


class _Work:
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
            seen_on=frozenset(self.seen_on), flips=tuple(self.flips), tripped=self.tripped,
            unresolved_drift=frozenset(self.drift), seen_at=dict(self.seen_at),
            ahead={s: v for s, v in self.ahead.items() if v},
            guessed={s: v for s, v in self.guessed.items() if v})
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
            waiting[name] = replace(write, deferred=(*write.deferred, value)[-_DEFERRED_KEPT:])
            return "deferred"
        return "stale"

    def apply_changes(self, entity: EntityPolicy, system: str, values: Mapping[str, str],
                      entity_name: str, key: str, position: str) -> None:
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
                expected.update({n: values[n] for n in entity.create_only | entity.target_owned(system)
                                 if n in values})
            self.emit(target, system, owned, expected, entity.create_only | entity.target_owned(system),
                      entity_name, key, position, "propagate")
        self.non_owner(entity, system, drifted, entity_name, key, position)

    def non_owner(self, entity: EntityPolicy, system: str, changes: Mapping[str, str], entity_name: str,
                  key: str, position: str) -> None:
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
                self.emit(system, target, restore, restore, entity.create_only, entity_name, key,
                          position, "reassert")

    def forward(self, system: str, requests: Mapping[str, str], entity_name: str, key: str, position: str) -> None:
        """Not drift: the non-owner asks the owner, whose answer comes back as the owner's change."""
        target = other_system(system)
        waiting = self.pending.get(target, {})
        requests = {n: v for n, v in requests.items()
                    if not (n in waiting and waiting[n].request and waiting[n].value == v)}  # asked already
        if not requests:
            return
        self.counts[FORWARDED] += 1
        self.emit(target, system, requests, requests, frozenset(), entity_name, key, position, "forward")
        for name in requests:  # the owner may answer with another value: that one is its change
            write = self.pending[target][name]
            self.pending[target][name] = replace(write, asserted=False, request=True)

    def answered(self, entity: EntityPolicy | None, owner: str, name: str, value: str, entity_name: str,
                 key: str, position: str) -> None:
        """The owner granted a request: the requester gets the owner's value if it holds another one by
        now (our write of the owner's previous value crossed its request)."""
        requester = other_system(owner)
        if entity is None or entity.owner(name) != owner:
            return
        on_its_way = self.pending.get(requester, {}).get(name)
        if on_its_way.value == value if on_its_way is not None else self.shadow.get(requester, {}).get(name) == value:
            return
        self.emit(requester, owner, {name: value}, {name: value}, entity.create_only, entity_name, key, position,
                  "propagate")

    def refused(self, entity: EntityPolicy, target: str, held: Mapping[str, str], entity_name: str, key: str,
                position: str) -> None:
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
            self.emit(system, other_system(system), restore, restore, entity.create_only, entity_name,
                      key, position, "reassert")

    def emit(self, target: str, source: str, asserted: Mapping[str, str], expected: Mapping[str, str],
             create_only: frozenset[str], entity_name: str, key: str, position: str, reason: str) -> None:
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
        replaced = {name: value for name in asserted
                    if (value := self.target_value(target, name)) is not None}
        for name, value in expected.items():
            self.guessed.get(target, {}).pop(name, None)
            waiting[name] = Pending(command_id=command_id, value=value, issued_at=self.at,
                                    asserted=name in asserted)
        self.commands.append(CommandDecision(
            target=target, source=source, fields=frozenset(asserted),
            create_only=frozenset(create_only) - frozenset(asserted) if reason == "reassert" else create_only,
            command_id=command_id, reason=reason, values=dict(asserted), expected=replaced))

    def target_value(self, target: str, name: str) -> str | None:
        """What ``target`` holds for ``name`` once our writes there are done, as far as we know."""
        write = self.pending.get(target, {}).get(name)
        if write is not None and write.acked:
            return write.acked_value
        if write is not None and write.asserted and not write.request:
            return write.value
        return self.shadow.get(target, {}).get(name)


def command_id_for(target: str, entity: str, key: str, reason: str, position: str,
                   asserted: Mapping[str, str]) -> str:
    """Deterministic: the same input (replayed) yields the same id, so sinks can deduplicate."""
    text = "\x1f".join([target, entity, key, reason, position]
                       + [f"{n}={v}" for n, v in sorted(asserted.items())])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def observe(state: EntityState, obs: Observation, policy: GuardPolicy) -> Step:
    """Apply one observation of the entity in ``obs.system``."""
    work = _Work(state, policy, obs.at)
    last = work.seen_at.get(obs.system)
    if obs.source_ts is not None and last is not None and is_older(obs.position, obs.source_ts, last[1], last[0]):
        work.counts[REPLAYED] += 1  # a restarted worker re-reading a change its tables already hold
        return work.finish()
    if obs.source_ts is not None and obs.position:
        work.seen_at[obs.system] = (obs.source_ts, obs.position)
    work.seen_on.add(obs.system)
    entity = policy.entity(obs.entity)
    obs = replace(obs, fields=work.behind(obs.system, obs.fields))
    if obs.by_integration:
        return _integration_write(work, entity, obs)
    if entity is None:
        work.counts[UNOWNED] += 1
        return work.finish()
    unexplained: dict[str, str] = {}
    requests: dict[str, str] = {}
    echoed = False
    for name, value in obs.fields.items():
        verdict = work.match_pending(obs.system, name, value)
        echoed |= verdict in ("echo", "answer")
        if verdict is None:
            unexplained[name] = value
        elif verdict == "answer":
            work.answered(entity, obs.system, name, value, obs.entity, obs.key, obs.position)
        elif verdict == "deferred" and entity.owner(name) != obs.system and value in entity.forward.get(name, ()) \
                and value != work.shadow.get(obs.system, {}).get(name):
            # a request made while our write is on its way to this system: ask the owner now, our
            # write may well overwrite it (the owner's answer then comes back). The value it held
            # already, seen again (another column of the row changed), is no request.
            requests[name] = value
    if echoed:
        work.counts[ECHO] += 1
    work.apply_changes(entity, obs.system, unexplained, obs.entity, obs.key, obs.position)
    work.forward(obs.system, requests, obs.entity, obs.key, obs.position)
    work.resolve_drift(entity, obs.entity, obs.key, obs.position)
    return work.finish()


def _integration_write(work: _Work, entity: EntityPolicy | None, obs: Observation) -> Step:
    """Our own write (Odoo ``write_uid``): the fields it asserted hold what it wrote, whatever
    the target's normalisation did. Other columns of the row keep their meaning: a value not
    explained by a write of ours is still a change of that system."""
    waiting = work.pending.get(obs.system, {})
    unexplained: dict[str, str] = {}
    for name, value in obs.fields.items():
        write = waiting.get(name)
        if write is not None and (write.asserted or value in (write.value, write.acked_value)):
            if not write.acked and value != write.value:  # taken as normalised; its ack may yet say refused
                work.guessed.setdefault(obs.system, {})[name] = write.command_id
            work.settle(obs.system, name, value)
            if write.request:
                work.answered(entity, obs.system, name, value, obs.entity, obs.key, obs.position)
        elif write is not None and write.request and not write.acked \
                and work.at - write.issued_at <= work.policy.pending_timeout_s:
            # the owner's state from before it took our request (its ack says what it decided): sent to
            # the requester now, it would overwrite the request there (a shop cancellation) for a while
            waiting[name] = replace(write, deferred=(*write.deferred, value)[-_DEFERRED_KEPT:])
        else:
            waiting.pop(name, None)
            unexplained[name] = value
    work.counts[ECHO] += 1
    if entity is not None:
        work.apply_changes(entity, obs.system, unexplained, obs.entity, obs.key, obs.position)
        work.resolve_drift(entity, obs.entity, obs.key, obs.position)
    return work.finish()


def acknowledge(state: EntityState, ack: Ack, policy: GuardPolicy) -> Step:
    """Apply a sink's ack: learn how the target stored the values, resolve deferred echoes."""
    work = _Work(state, policy, ack.at)
    target = ack.target_system
    work.seen_on.add(target)
    if ack.status != STALE_STATUS:
        _guess_checked(work, policy.entity(ack.entity), ack)
    waiting = work.pending.get(target, {})
    matched = [n for n, p in waiting.items() if p.command_id == ack.command_id]
    if ack.status == STALE_STATUS:
        return _refused(work, policy.entity(ack.entity), ack, matched)
    if not matched:
        work.counts[STALE_ACK] += 1  # duplicate, or superseded by a newer command
        return work.finish()
    later: dict[str, str] = {}
    entity = policy.entity(ack.entity)
    for name in matched:
        write = waiting[name]
        stored = ack.written.get(name)
        if ack.status == "unchanged" and stored is not None and stored != write.value and entity is not None \
                and entity.owner(name) != target and stored in entity.forward.get(name, ()):
            # the target kept a newer value of its own (a shop cancellation after the ERP's change):
            # that is the target's change, forwarded like any other, not an echo of our write
            del waiting[name]
            later[name] = stored
        elif stored is None:  # not written (a create-only field of a row that existed): no echo
            del waiting[name]
            if write.deferred:
                later[name] = write.deferred[-1]
        elif stored in write.deferred:
            after = write.deferred[len(write.deferred) - write.deferred[::-1].index(stored):]
            work.settle(target, name, stored)
            if write.request and stored != write.value and not after:  # the owner kept its own value
                work.answered(entity, target, name, stored, ack.entity, ack.key, f"ack:{ack.command_id}")
            if after:
                later[name] = after[-1]
        elif ack.status == "unchanged":  # no echo will come: the target already held it
            work.settle(target, name, stored)
            if write.request and stored != write.value:  # the owner kept its own value: the requester gets it
                work.answered(entity, target, name, stored, ack.entity, ack.key, f"ack:{ack.command_id}")
            if write.deferred:
                later[name] = write.deferred[-1]
        else:
            waiting[name] = replace(write, acked=True, acked_value=stored, deferred=())
    if entity is not None:
        work.apply_changes(entity, target, later, ack.entity, ack.key, f"ack:{ack.command_id}")
        work.resolve_drift(entity, ack.entity, ack.key, f"ack:{ack.command_id}")
    return work.finish()


def _refused(work: _Work, entity: EntityPolicy | None, ack: Ack, matched: list[str]) -> Step:
    """A stale command refused by its sink: nothing was written; the target holds ``ack.written``.
    Fields of a newer command still on its way are left to that command's own ack. A write the actor
    filter settled before its ack came (it takes the fields asserted in a row we wrote as ours, in the
    target's normal form) was not made after all: the target's value is handled as its change too."""
    target = ack.target_system
    waiting = work.pending.get(target, {})
    work.counts[STALE_REFUSED] += 1
    held: dict[str, str] = {}
    for name in matched:
        write = waiting.pop(name)
        stored = ack.written.get(name)
        if stored is None:  # not checked by the sink: the latest event seen there stands, if any
            if write.deferred:
                held[name] = write.deferred[-1]
            continue
        if stored not in write.deferred:  # its CDC event has not come yet: older ones are to be skipped
            work.ahead.setdefault(target, {})[name] = (stored, ack.at)
        held[name] = stored
    guessed = work.guessed.get(target, {})
    for name, stored in ack.written.items():
        if name not in matched and guessed.get(name) == ack.command_id:  # settled by the actor filter
            del guessed[name]
            held[name] = stored
    if entity is not None:
        position = f"ack:{ack.command_id}"
        work.refused(entity, target, held, ack.entity, ack.key, position)
        work.resolve_drift(entity, ack.entity, ack.key, position)
    return work.finish()


def _guess_checked(work: _Work, entity: EntityPolicy | None, ack: Ack) -> None:
    """The ack of a write the actor filter settled early, with the value it saw in our row: if the
    target stored something else, that value was not our write's but the target's own change (made
    after our write, or instead of it when the target held the value already)."""
    target = ack.target_system
    guessed = work.guessed.get(target, {})
    changed: dict[str, str] = {}
    for name in [n for n, c in guessed.items() if c == ack.command_id]:
        del guessed[name]
        seen, stored = work.shadow.get(target, {}).get(name), ack.written.get(name)
        if seen is not None and stored is not None and seen != stored:
            work.shadow[target][name] = stored
            changed[name] = seen
    if changed and entity is not None:
        position = f"ack:{ack.command_id}"
        work.apply_changes(entity, target, changed, ack.entity, ack.key, position)
        work.resolve_drift(entity, ack.entity, ack.key, position)
