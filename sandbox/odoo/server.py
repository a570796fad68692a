"""The Odoo API twin's HTTP front: routes, JSON-RPC and JSON-2 wire formats, and ``build_server``.

Routes (Odoo 18.0 by default, 19.0 when configured):
  POST /web/webclient/version_info   JSON-RPC, no auth (OdooRPC calls it on connect)
  POST /jsonrpc                      JSON-RPC: service common (version, login, authenticate), object
                                     (execute, execute_kw), db (list, server_version)
  POST /json/2/<model>/<method>      19.0 only: JSON-2 (bearer API key, named arguments); on 18.0 any
                                     /json/2 path redirects to the login page, as a real 18.0 does
  GET  /web/version, /json/version   19.0 only
Faults, latency and call recording come from ``sandbox.common`` (``/__admin/faults``, ``/__admin/calls``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

import psycopg2
import psycopg2.extensions

from kernel.settings import Settings
from sandbox.common import CallRecorder, TwinRequestHandler, TwinResponse, TwinServer
from sandbox.odoo.errors import HttpError, OdooError, json2_error, jsonrpc_error
from sandbox.odoo.service import Connect, OdooService, version_info

JSON_CT = "application/json; charset=utf-8"
HTML_CT = "text/html; charset=utf-8"
_JSON2_RE = re.compile(r"^/json/2/([\w.]+)/(\w+)$")
_BEARER_RE = re.compile(r"^bearer\s+(.+)$", re.I)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, default=_default).encode()


def _html(status: int, title: str, text: str, headers: dict[str, str] | None = None) -> TwinResponse:
    body = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{text}</p>".encode()
    return TwinResponse(status, {"Content-Type": HTML_CT, **(headers or {})}, body)


def _login_redirect(path: str, query: dict[str, list[str]]) -> TwinResponse:
    """18.0 has no /json/2 route: its 404 handling redirects to the login page with werkzeug's
    ``full_path`` (path + "?" + query, the "?" kept even when the query is empty) and an HTML body."""
    location = f"/web/login?redirect={quote(f'{path}?{urlencode(query, doseq=True)}', safe='')}"
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n"
        f'<p>You should be redirected automatically to the target URL: <a href="{location}">{location}</a>. '
        "If not, click the link.\n"
    )
    return TwinResponse(303, {"Content-Type": HTML_CT, "Location": location}, body.encode())


def _ids_of(result: Any) -> list[int]:
    if isinstance(result, bool):
        return []
    if isinstance(result, int):
        return [result]
    if isinstance(result, list) and all(isinstance(i, int) and not isinstance(i, bool) for i in result):
        return list(result)
    return []


class OdooTwinServer(TwinServer):
    """A :class:`TwinServer` holding the Odoo service it fronts."""

    odoo: OdooService

    def stop(self) -> None:
        super().stop()
        self.odoo.close()


class OdooRequestHandler(TwinRequestHandler):
    @property
    def odoo(self) -> OdooService:
        server = self.server
        assert isinstance(server, OdooTwinServer)
        return server.odoo

    def handle_api(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
    ) -> TwinResponse:
        if path.startswith("/json/2/") or path == "/json/2":
            if self.odoo.version == "18.0":
                return _login_redirect(path, query)
            return self._json2(method, path, headers, body)
        if path in ("/web/version", "/json/version") and self.odoo.version != "18.0":
            info = version_info(self.odoo.version)["server_version_info"]
            return TwinResponse(
                200, {"Content-Type": JSON_CT}, dumps({"version_info": info, "version": self.odoo.version})
            )
        if path == "/web/login" and method in ("GET", "HEAD"):
            return _html(200, "Odoo", "Log in")
        if method == "POST" and path in ("/jsonrpc", "/web/webclient/version_info"):
            return self._jsonrpc(path, body)
        return _html(404, "404: Not Found", "The requested URL was not found on the server.")

    # -- JSON-RPC ----------------------------------------------------------------------
    def _jsonrpc(self, path: str, body: bytes) -> TwinResponse:
        try:
            request = json.loads(body or b"null", parse_float=Decimal)
        except ValueError:
            return _html(400, "400: Bad Request", "Invalid JSON data")
        if not isinstance(request, dict):
            return _html(400, "400: Bad Request", "Invalid JSON-RPC data")
        request_id = request.get("id")
        params = request.get("params") or {}
        resource: str | None = None
        try:
            if path == "/web/webclient/version_info":
                result: Any = version_info(self.odoo.version)
            else:
                resource, result = self._service(params)
            payload: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
            # Odoo's JsonRPCDispatcher only adds "result" when it is not None (a method returning
            # None, e.g. stock.quant.action_apply_inventory, answers {"jsonrpc", "id"} alone).
            if result is not None:
                payload["result"] = result
        except Exception as exc:
            payload = jsonrpc_error(request_id, exc)
            result = None
        return TwinResponse(200, {"Content-Type": "application/json"}, dumps(payload), resource, _ids_of(result))

    def _service(self, params: dict[str, Any]) -> tuple[str | None, Any]:
        service, method, args = params.get("service"), params.get("method"), list(params.get("args") or [])
        odoo = self.odoo
        if service == "common":
            if method == "version":
                return None, version_info(odoo.version)
            if method in ("login", "authenticate"):
                if len(args) < 3:
                    raise TypeError(f"{method}() missing required arguments: db, login, password")
                return "res.users", odoo.login(*args[:3])
        elif service == "object":
            if method == "execute_kw" and len(args) >= 5:
                db, uid, password, model, model_method, *rest = args[:7]
                return str(model), odoo.execute_kw(db, uid, password, model, model_method, *rest)
            if method == "execute" and len(args) >= 5:
                db, uid, password, model, model_method = args[:5]
                return str(model), odoo.execute_kw(db, uid, password, model, model_method, list(args[5:]), {})
        elif service == "db":
            if method == "list":
                return None, [odoo.database]
            if method == "server_version":
                return None, odoo.version
        raise (
            OdooError(f"Method not available {service}.{method}")
            if service in ("common", "object", "db")
            else ValueError(f"No such service {service!r}")
        )

    # -- JSON-2 (19.0) ------------------------------------------------------------------
    def _json2(self, method: str, path: str, headers: dict[str, str], body: bytes) -> TwinResponse:
        match = _JSON2_RE.match(path)
        if method != "POST" or not match:
            return _html(404, "404: Not Found", "Did you mean POST /json/2/&lt;model&gt;/&lt;method&gt;?")
        database = headers.get("x-odoo-database")
        if database is not None and database != self.odoo.database:
            return _html(404, "404: Not Found", "URL was not found in the server-wide controllers.")
        if not headers.get("content-type", "").lower().startswith("application/json"):
            return _html(
                415, "415: Unsupported Media Type", "Please verify the Content-Type request header and try again."
            )
        model, model_method = match.groups()
        try:
            uid = self._bearer_uid(headers.get("authorization", ""))
            try:
                payload = json.loads(body or b"", parse_float=Decimal)
            except ValueError as exc:
                raise HttpError(400, "BadRequest", f"could not parse the body as json: {exc}") from exc
            if not isinstance(payload, dict):
                raise HttpError(400, "BadRequest", "could not parse the body, expecting a json object")
            result = self.odoo.json2_call(uid, model, model_method, payload)
        except Exception as exc:
            status, error = json2_error(exc)
            extra = {"WWW-Authenticate": "bearer"} if status == 401 else {}
            return TwinResponse(status, {"Content-Type": JSON_CT, **extra}, dumps(error), model)
        return TwinResponse(200, {"Content-Type": JSON_CT}, dumps(result), model, _ids_of(result))

    def _bearer_uid(self, authorization: str) -> int:
        match = _BEARER_RE.match(authorization.strip())
        if not match:
            raise HttpError(401, "Unauthorized", 'User not authenticated, use the "Authorization" header')
        uid = self.odoo.key_user(match.group(1).strip())
        if uid is None:
            raise HttpError(401, "Unauthorized", "Invalid apikey")
        return uid


def _app_connect(settings: Settings, database: str) -> Connect:
    pg = settings.postgres

    def connect() -> psycopg2.extensions.connection:
        return psycopg2.connect(
            host=pg.host,
            port=pg.port,
            user=pg.app_user,
            password=settings.secret("postgres_app.password").get_secret_value(),
            dbname=database,
        )

    return connect


def build_server(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8069,
    database: str | None = None,
    version: str = "18.0",
    *,
    connect: Connect | None = None,
    admin_token: str | None = None,
    calls: CallRecorder | None = None,
) -> TwinServer:
    """An Odoo twin on ``host:port`` serving ``database`` (default: the configured Odoo database).

    It connects as the least-privilege application user unless ``connect`` is given (tests pass one).
    Call ``.start()`` to serve in a thread and ``.stop()`` to shut down.
    """
    db = database or settings.postgres.database
    service = OdooService(connect or _app_connect(settings, db), db, version)
    server = OdooTwinServer((host, port), OdooRequestHandler, admin_token=admin_token, calls=calls)
    server.odoo = service
    return server
