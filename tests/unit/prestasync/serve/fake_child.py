"""A stand-in child for the supervisor's unit tests: ``python fake_child.py MODE [PORT STATUS MARKER]``.

crash: exit 2 at once. serve: /health answers STATUS, /metrics a counter; SIGTERM writes MARKER and
exits 0. stubborn: ignores SIGTERM (it must be SIGKILLed). hang: alive, prints "hanging", answers nothing.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

METRICS = """# HELP prestasync_commands_applied_total Commands a sink confirmed, by outcome
# TYPE prestasync_commands_applied_total counter
prestasync_commands_applied_total{system="odoo",status="applied"} 3.0
"""


def serve(port: int, status: int) -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = (
                json.dumps({"status": "ok" if status == 200 else "failing"}) if self.path == "/health" else METRICS
            ).encode()
            self.send_response(status if self.path == "/health" else 200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main(mode: str, *args: str) -> None:
    if mode == "crash":
        sys.exit(2)
    if mode == "hang":
        print("hanging", flush=True)
        time.sleep(600)
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("stubborn", flush=True)
        time.sleep(600)
    port, status, marker = int(args[0]), int(args[1]), Path(args[2])
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    serve(port, status)
    print(f"serving on {port}", flush=True)
    stop.wait(600)
    marker.write_text("stopped by SIGTERM")


if __name__ == "__main__":
    main(*sys.argv[1:])
