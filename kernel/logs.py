"""Structured (JSON-lines) logs with secrets redacted before anything is written.

Every worker calls ``setup_logging(settings)``. Redaction works on the formatted line, so a secret is
masked wherever it appears: a message, an argument, an exception, a URL. It knows every secret
file's value (``<home>/secrets`` and each ``*_password_file`` / ``*_key_file`` of the settings) plus
the usual shapes of credentials (``password=``,
``Authorization:`` headers, ``ws_key=``, ``DOLAPIKEY``, basic-auth user info in URLs).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from kernel.settings import Settings

MASK = "***"

_CREDENTIAL_SHAPES = [
    re.compile(
        r"(?i)(\b(?:password|passwd|secret|api[_-]?key|ws_key|token|dolapikey)\b[\"']?\s*[:=]\s*[\"']?)([^\s\"'&,}]+)"
    ),
    re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?(?:basic|bearer)\s+)([A-Za-z0-9+/=._~-]+)"),
    re.compile(r"(://)([^/\s:@]+(?::[^/\s@]*)?)(@)"),  # user:password@ in URLs
]


class Redactor:
    def __init__(self, secrets: list[str]) -> None:
        # longest first, so a secret containing another is masked whole
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    @classmethod
    def from_files(cls, paths: list[Path]) -> Redactor:
        values: list[str] = []
        for path in paths:
            text = path.read_text(errors="replace")
            for line in filter(None, map(str.strip, text.splitlines())):
                # a properties line (KEY=secret) masks its value; any other line (a key, a PEM line ending
                # in '=' padding) masks whole
                values += [line, line.split("=", 1)[-1].strip()]
        return cls(values)

    @classmethod
    def from_settings(cls, settings: Settings) -> Redactor:
        """Every secret of the deployment: ``<home>/secrets`` and each configured secret file."""
        return cls.from_files(settings.secret_files())

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        for shape in _CREDENTIAL_SHAPES:
            text = shape.sub(lambda m: m.group(1) + MASK + (m.group(3) if m.lastindex == 3 else ""), text)
        return text


class JsonLinesFormatter(logging.Formatter):
    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            entry.update(extra)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return self.redactor(json.dumps(entry, default=str))


def setup_logging(settings: Settings, level: int = logging.INFO, stream: IO[str] | None = None) -> Redactor:
    """Route the root logger to JSON lines on ``stream`` (stderr), secrets masked."""
    redactor = Redactor.from_settings(settings)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLinesFormatter(redactor))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    return redactor
