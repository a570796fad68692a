"""Command records in, acks and dead letters out: the Kafka side of a sink, without IO."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from schemas import topics
from schemas.acks import SinkAck
from schemas.codec import Codec
from schemas.errors import CodecError
from schemas.records import Canonical
from sinks.common.handlers import Applied, CommandMeta

Headers = Sequence[tuple[str, bytes]]


@dataclass(frozen=True, eq=False)  # identity: each polled record is its own command
class Command:
    """One polled command: where it sits, its raw bytes, and its decoded form (None if undecodable)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers
    canonical: Canonical | None
    meta: CommandMeta
    decode_error: str | None = None

    @property
    def lane(self) -> bytes | None:
        """Commands with the same lane run one after another, in offset order."""
        return self.key


def _header(headers: Headers, name: str) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode("utf-8", errors="replace") if value is not None else None
    return None


def _names(text: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (text or "").split(",") if part.strip())


def _timestamp(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _expected(text: str | None) -> dict[str, str]:
    """The ``prestasync-expected`` header; unreadable means unknown (no check), never a dead letter."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def read_command(
    codec: Codec, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None, headers: Headers
) -> Command:
    """Decode a command record; a decoding failure is kept on the command (it will be dead-lettered)."""
    key_text = key.decode("utf-8", errors="replace") if key is not None else None
    meta = CommandMeta(
        command_id=_header(headers, topics.HEADER_COMMAND_ID) or f"{topic}:{partition}:{offset}",
        fields=_names(_header(headers, topics.HEADER_FIELDS)),
        create_only=_names(_header(headers, topics.HEADER_CREATE_ONLY)),
        source_ts=_timestamp(_header(headers, topics.HEADER_SOURCE_TS)),
        key=key_text,
        expected=_expected(_header(headers, topics.HEADER_EXPECTED)),
    )
    canonical: Canonical | None = None
    error: str | None = None
    if value is None:
        error = "empty record (tombstone) on a command topic"
    else:
        try:
            canonical = codec.decode(value)
        except CodecError as exc:
            error = str(exc)
    return Command(topic, partition, offset, key, value, tuple(headers), canonical, meta, error)


def ack_record(command: Command, applied: Applied, system: str, now: datetime) -> SinkAck:
    assert command.canonical is not None
    return SinkAck(
        envelope=command.canonical.envelope,
        command_id=command.meta.command_id,
        target_system=system,
        command_entity=command.canonical.ENTITY,
        status=ack_status(applied),
        target_ids=dict(applied.target_ids),
        written=dict(applied.written),
        applied_ts=now,
    )


def ack_status(applied: Applied) -> str:
    return "stale" if applied.stale else "applied" if applied.changed else "unchanged"


def ack_key(command: Command) -> bytes | None:
    if command.canonical is not None and command.canonical.envelope.canonical_key:
        return command.canonical.envelope.canonical_key.encode()
    return command.key


def dead_letter_headers(
    command: Command, *, error_class: str, reason: str, request: str, response: str, now: datetime
) -> list[tuple[str, bytes]]:
    """The command's own headers, then the DLQ headers of ``schemas.topics`` (value stays the original bytes)."""
    headers = [(name, value) for name, value in command.headers if name not in topics.DLQ_HEADERS]
    headers += [
        (topics.HEADER_DLQ_ERROR, error_class.encode()),
        (topics.HEADER_DLQ_REASON, reason.encode()),
        (topics.HEADER_DLQ_TOPIC, command.topic.encode()),
        (topics.HEADER_DLQ_PARTITION, str(command.partition).encode()),
        (topics.HEADER_DLQ_OFFSET, str(command.offset).encode()),
        (topics.HEADER_DLQ_KEY, command.key or b""),
        (topics.HEADER_DLQ_REQUEST, request.encode()),
        (topics.HEADER_DLQ_RESPONSE, response.encode()),
        (topics.HEADER_DLQ_TS, now.isoformat().encode()),
    ]
    return headers


def command_headers(
    command_id: str,
    *,
    fields: Sequence[str] = (),
    create_only: Sequence[str] = (),
    source_ts: datetime | None = None,
    expected: Mapping[str, str] | None = None,
) -> list[tuple[str, bytes]]:
    """The headers of a command record (what the streams write; also used by tests and the bench)."""
    headers = [
        (topics.HEADER_COMMAND_ID, command_id.encode()),
        (topics.HEADER_FIELDS, ",".join(fields).encode()),
        (topics.HEADER_CREATE_ONLY, ",".join(create_only).encode()),
    ]
    if source_ts is not None:
        headers.append((topics.HEADER_SOURCE_TS, source_ts.isoformat().encode()))
    if expected:
        headers.append((topics.HEADER_EXPECTED, json.dumps(dict(expected), sort_keys=True).encode()))
    return headers
