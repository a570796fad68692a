"""The sync policy the loop guard applies, as plain data (built from ``StreamsSettings``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kernel.settings import EntityOwnership, StreamsSettings
from streams.fields import other_system


@dataclass(frozen=True)
class EntityPolicy:
    creator: str
    owners: Mapping[str, str] = field(default_factory=dict)
    create_only: frozenset[str] = frozenset()
    forward: Mapping[str, frozenset[str]] = field(default_factory=dict)
    reassert: bool | None = None  # None: the guard's default

    def owner(self, field_name: str) -> str:
        return self.owners.get(field_name, self.creator)

    def target_owned(self, source: str) -> frozenset[str]:
        """Fields the other system owns: ``source`` may only send them when creating."""
        target = other_system(source)
        return frozenset(name for name, owner in self.owners.items() if owner == target)


@dataclass(frozen=True)
class GuardPolicy:
    entities: Mapping[str, EntityPolicy]
    integration_uid: int | None = 6
    breaker_flips: int = 10
    breaker_window_s: float = 60.0
    pending_timeout_s: float = 600.0
    reassert: bool = True

    def entity(self, name: str) -> EntityPolicy | None:
        return self.entities.get(name)


def _entity(cfg: EntityOwnership) -> EntityPolicy:
    return EntityPolicy(
        creator=cfg.creator,
        owners=dict(cfg.owners),
        create_only=frozenset(cfg.create_only),
        forward={name: frozenset(values) for name, values in cfg.forward.items()},
        reassert=cfg.reassert,
    )


def guard_policy(settings: StreamsSettings) -> GuardPolicy:
    return GuardPolicy(
        entities={name: _entity(cfg) for name, cfg in settings.ownership.items()},
        integration_uid=settings.integration_uid,
        breaker_flips=settings.breaker_flips,
        breaker_window_s=settings.breaker_window_s,
        pending_timeout_s=settings.pending_timeout_s,
        reassert=settings.reassert,
    )
