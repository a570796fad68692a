"""Running polled commands through the handlers: per-key order, bounded concurrency, batching.

Commands are split into *lanes* (one per topic-partition and key, in offset order). Work proceeds
in rounds: each round takes the next command of every live lane (so one key never has two
commands in flight), runs them on a bounded thread pool, batching commands of one type when the
sink offers a batch handler, and settles each one. A lane whose command is blocked (retries
exhausted) or abandoned (stopping) stops: the rest of that key must wait for it.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from schemas.records import Canonical
from sinks.common.commands import Command
from sinks.common.errors import SinkError, TerminalError, TransientError
from sinks.common.handlers import Applied, BatchHandler, BatchingSink, BatchItem, Handler, TargetSink
from sinks.common.retry import RetriesExhausted, RetryPolicy, Stopped, call_with_retries

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Done:
    applied: Applied


@dataclass(frozen=True)
class Dead:
    error_class: str
    reason: str
    request: str = ""
    response: str = ""


@dataclass(frozen=True)
class Blocked:
    last: TransientError
    attempts: int


@dataclass(frozen=True)
class Abandoned:
    pass


Outcome = Done | Dead | Blocked | Abandoned
LaneId = tuple[str, int, bytes | None]


def lanes_of(commands: Sequence[Command]) -> dict[LaneId, deque[Command]]:
    lanes: dict[LaneId, deque[Command]] = {}
    for command in sorted(commands, key=lambda c: (c.topic, c.partition, c.offset)):
        lanes.setdefault((command.topic, command.partition, command.lane), deque()).append(command)
    return lanes


class Schedule:
    """The lanes still to run; :meth:`next_round` gives the head of each, :meth:`settle` records
    their outcomes (a blocked or abandoned head stops its lane for this poll)."""

    def __init__(self, commands: Sequence[Command]) -> None:
        self.lanes = lanes_of(commands)

    def next_round(self) -> list[Command]:
        return [lane.popleft() for lane in self.lanes.values()]

    def settle(self, outcomes: dict[Command, Outcome]) -> None:
        for command, outcome in outcomes.items():
            if isinstance(outcome, Blocked | Abandoned):
                self.lanes.pop((command.topic, command.partition, command.lane), None)
        for lane_id in [lane_id for lane_id, lane in self.lanes.items() if not lane]:
            del self.lanes[lane_id]

    def __bool__(self) -> bool:
        return bool(self.lanes)


class Dispatcher:
    """Applies one round of commands (all for distinct lanes) and returns each one's outcome."""

    def __init__(
        self,
        sink: TargetSink,
        *,
        concurrency: int,
        batch_size: int,
        retry: RetryPolicy,
        stop: threading.Event,
        on_retry: Callable[[TransientError, float], None] | None = None,
    ) -> None:
        self.sink = sink
        self.handlers: dict[type[Canonical], Handler] = dict(sink.handlers())
        self.batch_handlers: dict[type[Canonical], BatchHandler] = (
            dict(sink.batch_handlers()) if isinstance(sink, BatchingSink) else {}
        )
        self.batch_size = max(1, batch_size)
        self.retry = retry
        self.stop = stop
        self.on_retry = on_retry
        self.pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix=f"sink-{sink.system}")

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def run_round(self, heads: Sequence[Command]) -> dict[Command, Outcome]:
        outcomes: dict[Command, Outcome] = {}
        singles: list[tuple[Command, Future[Outcome]]] = []
        batches: dict[type[Canonical], list[Command]] = {}
        for command in heads:
            if command.canonical is None:
                outcomes[command] = Dead("Undecodable", command.decode_error or "undecodable command")
            elif type(command.canonical) in self.batch_handlers:
                batches.setdefault(type(command.canonical), []).append(command)
            elif type(command.canonical) in self.handlers:
                handler = self.handlers[type(command.canonical)]
                singles.append((command, self.pool.submit(self._apply_one, handler, command)))
            else:
                outcomes[command] = Dead(
                    "NoHandler", f"{self.sink.system} has no handler for {type(command.canonical).__name__} commands"
                )
        chunks: list[tuple[list[Command], Future[list[Outcome]]]] = []
        for record_type, commands in batches.items():
            for start in range(0, len(commands), self.batch_size):
                chunk = commands[start : start + self.batch_size]
                chunks.append((chunk, self.pool.submit(self._apply_batch, self.batch_handlers[record_type], chunk)))
        for command, future in singles:
            outcomes[command] = future.result()
        for chunk, batch_future in chunks:
            outcomes.update(zip(chunk, batch_future.result(), strict=True))
        return outcomes

    def _apply_one(self, handler: Handler, command: Command) -> Outcome:
        assert command.canonical is not None
        canonical, meta = command.canonical, command.meta
        try:
            return Done(call_with_retries(lambda: handler(canonical, meta), self.retry, self.stop, self.on_retry))
        except Exception as exc:  # every failure becomes an outcome, none escapes
            return _failure(exc, command)

    def _apply_batch(self, handler: BatchHandler, chunk: list[Command]) -> list[Outcome]:
        items: list[BatchItem] = [(c.canonical, c.meta) for c in chunk if c.canonical is not None]
        try:
            results = call_with_retries(lambda: handler(items), self.retry, self.stop, self.on_retry)
            if len(results) != len(chunk):
                raise RuntimeError(f"batch handler returned {len(results)} results for {len(chunk)} commands")
        except Exception as exc:
            return [_failure(exc, command) for command in chunk]
        return [Done(r) if isinstance(r, Applied) else _failure(r, c) for r, c in zip(results, chunk, strict=True)]


def _failure(exc: BaseException, command: Command) -> Outcome:
    if isinstance(exc, Stopped):
        return Abandoned()
    if isinstance(exc, RetriesExhausted):
        return Blocked(exc.last, exc.attempts)
    if isinstance(exc, TerminalError):
        return Dead(
            type(exc).__name__ if type(exc) is not TerminalError else "ApiRejected",
            exc.reason,
            exc.request,
            exc.response,
        )
    if isinstance(exc, SinkError):  # a TransientError cannot get here (call_with_retries wraps it)
        return Dead(type(exc).__name__, exc.reason, exc.request, exc.response)
    # A handler bug: dead-letter with the exception so the command stays replayable once fixed.
    log.error("handler bug on %s:%s@%s: %r", command.topic, command.partition, command.offset, exc)
    return Dead("HandlerBug", f"{type(exc).__name__}: {exc}")
