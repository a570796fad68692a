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

from dataclasses import replace

from streams.guard_model import (
    DEFERRED_KEPT,
    ECHO,
    REPLAYED,
    STALE_ACK,
    STALE_REFUSED,
    STALE_STATUS,
    UNOWNED,
    Ack,
    EntityState,
    Observation,
    Step,
)
from streams.guard_rules import EntityWork
from streams.policy import EntityPolicy, GuardPolicy
from streams.positions import is_older


def observe(state: EntityState, obs: Observation, policy: GuardPolicy) -> Step:
    """Apply one observation of the entity in ``obs.system``."""
    work = EntityWork(state, policy, obs.at)
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
        elif (
            verdict == "deferred"
            and entity.owner(name) != obs.system
            and value in entity.forward.get(name, ())
            and value != work.shadow.get(obs.system, {}).get(name)
        ):
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


def _integration_write(work: EntityWork, entity: EntityPolicy | None, obs: Observation) -> Step:
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
        elif (
            write is not None
            and write.request
            and not write.acked
            and work.at - write.issued_at <= work.policy.pending_timeout_s
        ):
            # the owner's state from before it took our request (its ack says what it decided): sent to
            # the requester now, it would overwrite the request there (a shop cancellation) for a while
            waiting[name] = replace(write, deferred=(*write.deferred, value)[-DEFERRED_KEPT:])
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
    work = EntityWork(state, policy, ack.at)
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
        if (
            ack.status == "unchanged"
            and stored is not None
            and stored != write.value
            and entity is not None
            and entity.owner(name) != target
            and stored in entity.forward.get(name, ())
        ):
            # the target kept a newer value of its own (a shop cancellation after the ERP's change):
            # that is the target's change, forwarded like any other, not an echo of our write
            del waiting[name]
            later[name] = stored
        elif stored is None:  # not written (a create-only field of a row that existed): no echo
            del waiting[name]
            if write.deferred:
                later[name] = write.deferred[-1]
        elif stored in write.deferred:
            after = write.deferred[len(write.deferred) - write.deferred[::-1].index(stored) :]
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


def _refused(work: EntityWork, entity: EntityPolicy | None, ack: Ack, matched: list[str]) -> Step:
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


def _guess_checked(work: EntityWork, entity: EntityPolicy | None, ack: Ack) -> None:
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
