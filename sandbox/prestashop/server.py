"""PrestaShop Webservice twin: ``/api/...`` over the PrestaShop tables of a MariaDB database.

Request flow as in ``webservice/dispatcher.php`` + ``WebserviceRequest::fetch()``: key from
Basic auth (user name) or ``ws_key`` -> webservice enabled? -> key valid/active/permitted ->
key linked to the shop -> resource exists and is allowed -> method allowed -> execute. Reads and
writes go straight to the tables, so Debezium sees the twin's writes like the shop's own.
"""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path
from typing import Any

from kernel.settings import Settings
from sandbox.common.server import TwinRequestHandler, TwinResponse, TwinServer
from sandbox.prestashop.auth import (
    METHODS,
    WWW_AUTHENTICATE,
    AuthenticationFailed,
    authenticate,
    key_from_request,
    provision_api_key,
    webservice_enabled,
)
from sandbox.prestashop.db import Connect, ShopDatabase, admin_connect
from sandbox.prestashop.entities import EntityService, Outcome
from sandbox.prestashop.images import ProductImages
from sandbox.prestashop.model import ResourceModel
from sandbox.prestashop.render import JsonRenderer, XmlRenderer
from sandbox.prestashop.resources import ALL_RESOURCE_NAMES, RESOURCES
from sandbox.prestashop.views import ResourcesView, WsError

__all__ = ["PrestaShopTwinServer", "build_server", "provision_api_key"]

PS_VERSION = "8.1.2"
# What PHP itself sends when PrestaShop's webservice does not shape the answer (the recorded shop ran PHP 8.2).
PHP_HTML = "text/html; charset=UTF-8"
PHP_POWERED_BY = "PHP/8.2"


class PrestaShopTwinServer(TwinServer):
    def __init__(self, address: tuple[str, int], db: ShopDatabase, images_dir: Path, **kwargs: Any) -> None:
        super().__init__(address, PrestaShopHandler, **kwargs)
        self.db = db
        self.images_dir = images_dir
        self._models: dict[str, ResourceModel] = {}
        self._models_lock = threading.Lock()

    def model(self, resource: str) -> ResourceModel:
        with self._models_lock:
            if resource not in self._models:
                self._models[resource] = ResourceModel.load(self.db, RESOURCES[resource])
            return self._models[resource]


class PrestaShopHandler(TwinRequestHandler):
    server_version = "Apache"
    sys_version = ""

    @property
    def ps(self) -> PrestaShopTwinServer:
        return self.server  # type: ignore[return-value]

    def handle_api(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> TwinResponse:
        started = time.perf_counter()
        if path != "/api" and not path.startswith("/api/"):
            return TwinResponse(404, {"Content-Type": "text/html"}, b"Not Found")
        segments = path[len("/api/") :].split("/") if path.startswith("/api/") else [""]
        resource = segments[0]
        ps_method = query.get("ps_method")
        method = ps_method[-1].upper() if ps_method else method
        output = (
            headers.get("io-format")
            or headers.get("output-format")
            or (query.get("io_format") or query.get("output_format") or ["XML"])[-1]
        )
        renderer: XmlRenderer | JsonRenderer = (
            JsonRenderer("display" in query, resource)
            if output.upper() == "JSON"
            else XmlRenderer(self._ws_url(headers), _last(query, "schema"))
        )
        key = key_from_request(headers, query)
        if key is None:
            # dispatcher.php answers before the webservice starts: PHP's own headers and a bare text.
            return TwinResponse(
                401,
                {"WWW-Authenticate": WWW_AUTHENTICATE, "Content-Type": PHP_HTML, "X-Powered-By": PHP_POWERED_BY},
                b"401 Unauthorized",
                resource=resource or None,
            )
        authenticated = False
        extra: dict[str, str] = {}
        try:
            with self.ps.db.cursor() as cur:
                if not webservice_enabled(cur, self.ps.db):
                    raise WsError(
                        503,
                        22,
                        "The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office",
                    )
                permissions = authenticate(cur, self.ps.db, key, 1)
                authenticated = True
                outcome, content_type = self._execute(
                    cur, method, segments, permissions, query, headers, body, renderer
                )
        except AuthenticationFailed as failed:
            extra["WWW-Authenticate"] = WWW_AUTHENTICATE
            return self._error(renderer, failed.errors, extra, started, authenticated, resource)
        except WsError as error:
            return self._error(renderer, [error], extra, started, authenticated, resource)
        return self._success(outcome, content_type, renderer, headers, started, resource, method)

    def _ws_url(self, headers: dict[str, str]) -> str:
        host = headers.get("host") or "{}:{}".format(*self.ps.server_address[:2])
        return f"http://{host}/api/"

    def _execute(
        self,
        cur: Any,
        method: str,
        segments: list[str],
        permissions: dict[str, list[str]],
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
        renderer: XmlRenderer | JsonRenderer,
    ) -> tuple[Outcome | tuple[int, bytes], str]:
        resource = segments[0]
        if resource == "":
            return Outcome(200, None), "resources:" + ",".join(
                f"{r}={'|'.join(m)}" for r, m in sorted(permissions.items())
            )
        if resource not in ALL_RESOURCE_NAMES:
            choices = sorted(ALL_RESOURCE_NAMES)
            raise WsError(
                400,
                27,
                f'Resource of type "{resource}" does not exists. Did you mean: '
                f'"{_closest(resource, choices)}"? The full list is: "' + '", "'.join(choices) + '"',
            )
        if resource not in permissions:
            raise WsError(401, 26, f'Resource of type "{resource}" is not allowed with this authentication key')
        if method not in METHODS:
            raise WsError(405, 23, f"Method {method} is not valid")
        spec = RESOURCES.get(resource)
        if spec and method in spec.forbidden_methods:
            raise WsError(405, 101, f"Method {method} is not allowed for the resource {resource}")
        if method not in permissions[resource]:
            raise WsError(
                405, 25, f"Method {method} is not allowed for the resource {resource} with this authentication key"
            )
        languages = self._languages(cur)
        if resource == "images":
            images = ProductImages(self.ps.db, self.ps.images_dir, renderer_url(renderer, self), languages)
            status, data, content_type, _ = images.handle(cur, method, segments, headers, body)
            return (status, data), content_type
        service = EntityService(self.ps.db, self.ps.model(resource), languages)
        segment_id = segments[1] if len(segments) > 1 and segments[1] != "" else None
        if method in ("GET", "HEAD"):
            return service.get(cur, segment_id, query), ""
        if method in ("POST", "PUT", "PATCH"):
            return service.save(cur, method, body), ""
        return service.delete(cur, segment_id, query), ""

    def _languages(self, cur: Any) -> list[int]:
        cur.execute(f"SELECT id_lang FROM {self.ps.db.table('lang')} WHERE active = 1 ORDER BY id_lang")
        return [int(r["id_lang"]) for r in cur.fetchall()]

    def _base_headers(self, started: float, authenticated: bool) -> dict[str, str]:
        headers = {
            "Access-Time": str(int(time.time())),
            "X-Powered-By": "PrestaShop Webservice",
            "Execution-Time": str(round(time.perf_counter() - started, 3)),
        }
        # Before the key is accepted the webservice knows no version yet and announces "0".
        headers["PSWS-Version"] = PS_VERSION if authenticated else "0"
        return headers

    def _error(
        self,
        renderer: XmlRenderer | JsonRenderer,
        errors: list[WsError],
        extra: dict[str, str],
        started: float,
        authenticated: bool,
        resource: str,
    ) -> TwinResponse:
        headers = self._base_headers(started, authenticated) | extra
        headers["Content-Type"] = renderer.content_type
        return TwinResponse(
            errors[-1].status if len(errors) == 1 else errors[0].status,
            headers,
            renderer.render_errors(errors),
            resource=resource or None,
        )

    def _success(
        self,
        outcome: Outcome | tuple[int, bytes],
        content_type: str,
        renderer: XmlRenderer | JsonRenderer,
        request_headers: dict[str, str],
        started: float,
        resource: str,
        method: str,
    ) -> TwinResponse:
        headers = self._base_headers(started, True)
        ids: list[int] = []
        if isinstance(outcome, tuple):
            status, body = outcome
        elif content_type.startswith("resources:") and isinstance(renderer, JsonRenderer):
            # 8.1.2's WebserviceOutputJSON::overrideContent runs array_filter over the resource names
            # (strings): a PHP TypeError, so PHP answers 500 with an empty page.
            return TwinResponse(500, {"Content-Type": PHP_HTML, "X-Powered-By": PHP_POWERED_BY}, b"", resource=None)
        elif content_type.startswith("resources:"):
            permissions = {
                item.split("=")[0]: item.split("=")[1].split("|")
                for item in content_type[len("resources:") :].split(",")
                if item
            }
            status, body, content_type = 200, renderer.render(ResourcesView(permissions)), renderer.content_type
        else:
            status, ids = outcome.status, outcome.ids
            body = renderer.render(outcome.view) if outcome.view is not None else b""
            content_type = renderer.content_type if body else ""
        if body:
            sha1 = hashlib.sha1(body, usedforsecurity=False).hexdigest()
            headers["Content-Sha1"] = sha1
            headers["Content-Type"] = content_type
            if request_headers.get("local-content-sha1") == sha1:
                return TwinResponse(304, headers, b"", resource=resource, ids=ids)
        if method == "HEAD":
            body = b""  # the base handler sends no body for HEAD anyway; keep the length honest
        return TwinResponse(status, headers, body, resource=resource, ids=ids)

    def crash_response(self, exc: Exception) -> TwinResponse:
        body = XmlRenderer("").render_errors([WsError(500, 46, "Unable to save resource")])
        return TwinResponse(500, {"Content-Type": XmlRenderer.content_type}, body)


def _last(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[-1] if values else None


def renderer_url(renderer: XmlRenderer | JsonRenderer, handler: PrestaShopHandler) -> str:
    return renderer.ws_url if isinstance(renderer, XmlRenderer) else handler._ws_url({})


def _closest(word: str, choices: list[str]) -> str:
    def distance(a: str, b: str) -> int:
        row = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            prev, row[0] = row[0], i
            for j, cb in enumerate(b, 1):
                prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        return row[-1]

    return min(choices, key=lambda c: distance(word, c))


def build_server(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8800,
    database: str | None = None,
    prefix: str | None = None,
    *,
    connect: Connect | None = None,
    images_dir: Path | None = None,
    admin_token: str | None = None,
    calls_file: Path | None = None,
) -> PrestaShopTwinServer:
    """A ready (not yet started) twin; ``server.start()`` serves it in a thread, ``stop()`` ends it."""
    from sandbox.common.calls import CallRecorder

    database = database or settings.mariadb.database
    prefix = prefix if prefix is not None else settings.mariadb.table_prefix
    db = ShopDatabase(connect or admin_connect(database, settings.mariadb.socket), prefix)
    return PrestaShopTwinServer(
        (host, port),
        db,
        images_dir or settings.home / "sandbox" / "prestashop-images" / database,
        admin_token=admin_token,
        calls=CallRecorder(path=calls_file),
    )
