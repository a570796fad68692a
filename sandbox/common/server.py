"""HTTP base shared by the API twins: admin endpoints, latency/fault injection, call recording.

A twin subclasses :class:`TwinRequestHandler` and implements :meth:`TwinRequestHandler.handle_api`;
:class:`TwinServer` carries the fault injector, the call recorder and the admin token.

Fault semantics (one queued fault per request, after the configured latency):
``500`` and ``429`` answer without running the request; ``timeout`` holds the connection for
``timeout_s`` and closes it unanswered; ``drop`` closes it at once unanswered; ``malformed`` runs the
request and then answers 200 with a truncated, garbled body (a write did happen: the client must not
conclude from an unreadable answer that nothing was written).
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, unquote, urlsplit

from sandbox.common.calls import CallRecorder
from sandbox.common.faults import Fault, FaultInjector

log = logging.getLogger(__name__)

ADMIN_PREFIX = "/__admin/"
ADMIN_TOKEN_HEADER = "X-Admin-Token"  # noqa: S105 - a header name, not a secret
GARBLE_SUFFIX = b"\x00\xff<<<garbled"


@dataclass
class TwinResponse:
    """What ``handle_api`` answers; ``resource`` and ``ids`` only feed the call record."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    resource: str | None = None
    ids: list[int] = field(default_factory=list)


class TwinServer(ThreadingHTTPServer):
    """A threaded HTTP server holding the twin's shared tooling."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        address: tuple[str, int],
        handler_class: type[TwinRequestHandler],
        *,
        admin_token: str | None = None,
        faults: FaultInjector | None = None,
        calls: CallRecorder | None = None,
    ) -> None:
        super().__init__(address, handler_class)
        self.admin_token = admin_token or secrets.token_urlsafe(24)
        self.faults = faults or FaultInjector()
        self.calls = calls or CallRecorder()
        # Set on stop() so requests parked in a timeout fault end with the server.
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> threading.Thread:
        """Serve in a daemon thread; returns at once."""
        self._thread = threading.Thread(target=self.serve_forever, name=f"twin-{self.url}", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self) -> None:
        self.stopping.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=10)
        self.server_close()

    def __enter__(self) -> TwinServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class TwinRequestHandler(BaseHTTPRequestHandler):
    """Base handler: admin routes, then latency and faults, then ``handle_api``; every call recorded."""

    protocol_version = "HTTP/1.1"

    # -- to implement -----------------------------------------------------------------
    def handle_api(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> TwinResponse:
        """Answer one API request. ``path`` is percent-decoded, header names are lower-case."""
        raise NotImplementedError

    def fault_response(self, fault: Fault) -> TwinResponse:
        """The answer for a ``500`` or ``429`` fault; twins override it to look like their system."""
        if fault.kind == "429":
            return TwinResponse(429, {"Retry-After": str(fault.retry_after)}, b"Too Many Requests")
        return TwinResponse(500, {"Content-Type": "text/plain"}, b"Internal Server Error")

    def crash_response(self, exc: Exception) -> TwinResponse:
        """The answer when ``handle_api`` raised; twins override it with their error format."""
        return TwinResponse(500, {"Content-Type": "text/plain"}, b"Internal Server Error")

    # -- plumbing -----------------------------------------------------------------------
    @property
    def twin(self) -> TwinServer:
        return cast(TwinServer, self.server)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self, method: str) -> None:
        started = time.time()
        clock = time.perf_counter()
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = parse_qs(split.query, keep_blank_values=True)
        body = self._read_body()
        headers = {name.lower(): value for name, value in self.headers.items()}
        if path.startswith(ADMIN_PREFIX):
            self._send(self._admin(method, path, query, headers, body), head=method == "HEAD")
            return

        latency_ms = self.twin.faults.latency_ms
        if latency_ms:
            self.twin.stopping.wait(latency_ms / 1000)
        fault = self.twin.faults.next_fault()
        if fault is not None and fault.kind == "pass":
            fault = None
        response: TwinResponse | None
        if fault is not None and fault.kind in ("timeout", "drop"):
            if fault.kind == "timeout":
                self.twin.stopping.wait(self.twin.faults.timeout_s)
            self.close_connection = True
            response = None
        elif fault is not None and fault.kind in ("500", "429"):
            response = self.fault_response(fault)
        else:
            if fault is not None and fault.kind == "late":
                self.twin.stopping.wait(self.twin.faults.timeout_s)
            response = self._call_api(method, path, query, headers, body)
            if fault is not None and fault.kind == "malformed":
                response.status = 200
                response.body = response.body[: len(response.body) // 2] + GARBLE_SUFFIX
        if response is not None:
            try:
                self._send(response, head=method == "HEAD")
            except (BrokenPipeError, ConnectionResetError):  # a "late" answer: the client is gone
                self.close_connection = True
        self.twin.calls.record(
            ts=started,
            method=method,
            path=self.path,
            status=response.status if response is not None else 0,
            duration_ms=(time.perf_counter() - clock) * 1000,
            resource=response.resource if response is not None else None,
            ids=response.ids if response is not None else [],
            fault=fault.kind if fault is not None else None,
        )

    def _call_api(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> TwinResponse:
        try:
            return self.handle_api(method, path, query, headers, body)
        except Exception as exc:
            log.exception("twin crashed on %s %s", method, path)
            return self.crash_response(exc)

    def _send(self, response: TwinResponse, head: bool = False) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head and response.body:
            self.wfile.write(response.body)

    # -- admin ------------------------------------------------------------------------
    def _admin(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> TwinResponse:
        if path == "/__admin/health" and method in ("GET", "HEAD"):
            return _json(200, {"status": "ok"})
        token = headers.get(ADMIN_TOKEN_HEADER.lower(), "")
        if not hmac.compare_digest(token.encode(), self.twin.admin_token.encode()):
            return _json(401, {"error": f"missing or wrong {ADMIN_TOKEN_HEADER}"})
        if path == "/__admin/faults":
            return self._admin_faults(method, body)
        if path == "/__admin/calls":
            if method == "GET":
                raw_since = (query.get("since") or [""])[-1]
                try:
                    since = float(raw_since) if raw_since else None
                except ValueError:
                    return _json(400, {"error": f"since must be an epoch number, got {raw_since!r}"})
                return _json(200, {"calls": self.twin.calls.list(since)})
            if method == "DELETE":
                self.twin.calls.clear()
                return _json(200, {"cleared": True})
            return _json(405, {"error": f"{method} not allowed on {path}"})
        return _json(404, {"error": f"no admin route {path}"})

    def _admin_faults(self, method: str, body: bytes) -> TwinResponse:
        faults = self.twin.faults
        if method == "GET":
            return _json(200, faults.snapshot())
        if method == "DELETE":
            faults.clear()
            return _json(200, faults.snapshot())
        if method == "POST":
            try:
                faults.configure(json.loads(body or b"{}"))
            except (ValueError, TypeError) as exc:  # JSONDecodeError is a ValueError
                return _json(400, {"error": str(exc)})
            return _json(200, faults.snapshot())
        return _json(405, {"error": f"{method} not allowed on /__admin/faults"})


def _json(status: int, payload: Any) -> TwinResponse:
    return TwinResponse(status, {"Content-Type": "application/json"}, json.dumps(payload).encode())
