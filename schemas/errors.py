"""Typed errors of the canonical contract, so callers can dead-letter instead of crashing."""

from __future__ import annotations

from typing import Any


class MappingError(ValueError):
    """An event a mapper cannot turn into a canonical observation.

    Carries the original event (raw bytes, text or decoded dict) unchanged so the caller can
    publish it to the dead-letter topic together with the table and the reason.
    """

    def __init__(self, reason: str, *, table: str | None, event: Any) -> None:
        super().__init__(f"{table or '<unknown table>'}: {reason}")
        self.reason = reason
        self.table = table
        self.event = event


class CodecError(ValueError):
    """Bytes that are not a message this codec can decode (bad framing, unknown schema)."""


class SchemaCompatibilityError(ValueError):
    """A schema version that is not backward and forward compatible with its predecessor."""
