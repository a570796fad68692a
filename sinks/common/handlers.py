"""What a target system plugs into the worker: handlers per command type.

A handler applies one command (a canonical record = the desired state) to the target and says what
it did. Handlers must be idempotent: search by natural key, then create or update, compare before
writing, so a replay after a crash (effect done, offset not committed) changes nothing.
A handler raises only :class:`~sinks.common.errors.TransientError` or
:class:`~sinks.common.errors.TerminalError`.

A sink may also offer *batch handlers* (:class:`BatchingSink`) for types the API can write in one
call (Odoo ``create`` with a list). The worker hands a batch only commands for distinct keys, so
per-key order holds. A batch handler returns one :class:`Applied` or :class:`TerminalError` per
command, in order, or raises :class:`TransientError` for the whole batch (it is then retried whole,
which is safe because it is idempotent).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from schemas.records import Canonical
from sinks.common.errors import TerminalError


@dataclass(frozen=True)
class CommandMeta:
    """What the command's headers say about it (``schemas.topics.HEADER_*``)."""

    command_id: str
    fields: frozenset[str]  # the synced fields the owner asserts; empty = every mapped field
    create_only: frozenset[str]  # fields sent when creating the target row only
    source_ts: datetime | None
    key: str | None
    # per field, the value the streams knew the target to hold when they derived the command
    expected: Mapping[str, str] = field(default_factory=dict)

    def asserts(self, field_name: str) -> bool:
        """Whether this command may write ``field_name`` (on an existing row)."""
        return (not self.fields or field_name in self.fields) and field_name not in self.create_only

    def outdated(self, field_name: str, current: str) -> bool:
        """Whether the target changed ``field_name`` since the command was derived (it holds
        ``current``, not the value the command replaces): writing would overwrite a newer change."""
        expected = self.expected.get(field_name)
        return expected is not None and current != expected


@dataclass(frozen=True)
class Applied:
    """The effect of one command: ids touched in the target (``{"res.partner": "42"}``), the
    synced values as the target stored them (text), and whether anything was written."""

    target_ids: dict[str, str]
    written: dict[str, str] = field(default_factory=dict)
    changed: bool = True
    # refused: the target changed since the command was derived (``written`` = what it holds now);
    # acked as "stale" so the streams handle the target's change instead of losing it
    stale: bool = False

    @staticmethod
    def refused(target_ids: dict[str, str], held: dict[str, str]) -> Applied:
        return Applied(target_ids, held, changed=False, stale=True)


Handler = Callable[[Canonical, CommandMeta], Applied]
BatchItem = tuple[Canonical, CommandMeta]
BatchResult = Sequence[Applied | TerminalError]
BatchHandler = Callable[[Sequence[BatchItem]], BatchResult]


@runtime_checkable
class TargetSink(Protocol):
    """One target system; ``sinks/<system>/sink.py`` exposes ``build_sink(settings) -> TargetSink``."""

    system: str

    def handlers(self) -> Mapping[type[Canonical], Handler]: ...

    def close(self) -> None: ...


@runtime_checkable
class BatchingSink(TargetSink, Protocol):
    """A sink that can also apply several commands of one type in one API call."""

    def batch_handlers(self) -> Mapping[type[Canonical], BatchHandler]: ...
