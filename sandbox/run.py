"""Run one API twin in the foreground: ``python -m sandbox.run prestashop|odoo``.

`prestasync sandbox up` starts each twin as its own process with this module, so a twin can be killed,
restarted or faulted on its own, like the real servers. Credentials come from ``<home>/secrets``.
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

from kernel.settings import Settings, get_settings
from sandbox.credentials import admin_token, ensure_odoo_api_key, ensure_prestashop_key


def build(system: str, settings: Settings) -> Any:
    calls = settings.logs_dir / f"calls-{system}.jsonl"
    sb = settings.sandbox
    if system == "prestashop":
        from sandbox.prestashop.server import build_server as build_prestashop

        ensure_prestashop_key(settings)
        return build_prestashop(
            settings, sb.host, sb.prestashop_port, admin_token=admin_token(settings), calls_file=calls
        )
    if system == "odoo":
        from sandbox.common.calls import CallRecorder
        from sandbox.odoo.server import build_server as build_odoo

        ensure_odoo_api_key(settings)
        return build_odoo(
            settings,
            sb.host,
            sb.odoo_port,
            version=sb.odoo_version,
            admin_token=admin_token(settings),
            calls=CallRecorder(path=calls),
        )
    raise SystemExit(f"unknown twin {system!r}: prestashop or odoo")


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python -m sandbox.run prestashop|odoo")
    server = build(argv[0], get_settings())
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    server.start()
    print(f"{argv[0]} twin serving on {server.server_address[0]}:{server.server_address[1]}", flush=True)
    stopping.wait()
    server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
