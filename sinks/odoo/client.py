"""Odoo external API client: JSON-RPC ``execute_kw`` (<= 18) or JSON-2 (19+), chosen from the version.

One ``requests.Session``, timeouts on every call, API key authentication (as the password on
``/jsonrpc``, as a bearer token on ``/json/2``). Every failure leaves as
:class:`~sinks.common.errors.TransientError` or :class:`~sinks.common.errors.TerminalError`,
classified by the two tables of :mod:`sinks.odoo.errors`. The version comes from
``/web/webclient/version_info`` (every version; ``/web/version`` only exists from 19, and on 18
``/json/2/...`` redirects to the login page).
"""

from __future__ import annotations

import itertools
import json
import threading
from decimal import Decimal
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from sinks.common.errors import CredentialsRefused, SinkError, TerminalError, TransientError, redact
from sinks.odoo.config import ResolvedOdooConfig
from sinks.odoo.errors import ODOO_HTTP_POLICY, rpc_error

Domain = list[Any]


def _wire(value: Any) -> Any:
    """JSON-ready: Decimals become JSON numbers (shortest float repr, exact below 15 digits)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_wire(v) for v in value]
    return value


class OdooClient:
    def __init__(
        self, config: ResolvedOdooConfig, session: requests.Session | None = None, pool_size: int = 16
    ) -> None:
        self.config = config
        self.session = session or requests.Session()
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.timeout = (config.options.connect_timeout, config.options.read_timeout)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.server_version: str | None = None
        self.protocol: str | None = None
        self.uid: int | None = None

    def close(self) -> None:
        self.session.close()

    # -- connection ---------------------------------------------------------------------
    def connect(self, uid: int | None = None) -> None:
        """Learn the server version, pick the protocol, and (JSON-RPC) the user id. Idempotent.

        ``uid``: the user id is known (``streams.integration_uid``): no ``common.login``, which writes a
        ``res_users_log`` row in Odoo; every ``execute_kw`` still checks the API key against that uid.
        The read-only commands (`check`, `onboard`) connect this way."""
        with self._lock:
            if self.protocol is not None:
                return
            info = self._jsonrpc_post("/web/webclient/version_info", {}, "version_info")
            version_info = info.get("server_version_info") or [0]
            self.server_version = str(info.get("server_version"))
            protocol = self.config.options.protocol
            if protocol == "auto":
                protocol = "json2" if int(version_info[0]) >= 19 else "jsonrpc"
            if protocol == "jsonrpc" and uid is not None:
                self.uid = uid
            elif protocol == "jsonrpc":
                uid = self._jsonrpc_post(
                    "/jsonrpc",
                    {
                        "service": "common",
                        "method": "login",
                        "args": [self.config.database, self.config.login, self.config.api_key.get_secret_value()],
                    },
                    "common.login",
                )
                if not uid:
                    raise CredentialsRefused(f"odoo: login of {self.config.login!r} refused (check the API key)")
                self.uid = int(uid)
            self.protocol = protocol

    # -- model calls ----------------------------------------------------------------------
    def call(
        self,
        model: str,
        method: str,
        ids: list[int] | None = None,
        *,
        context: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """``model.method(**kwargs)`` on ``ids`` (None for an ``@api.model`` method)."""
        self.connect()
        ctx = {"lang": self.config.options.lang, **(context or {})}
        if self.protocol == "json2":
            return self._json2(model, method, ids, ctx, kwargs)
        return self._execute_kw(model, method, [ids] if ids is not None else [], {**kwargs, "context": ctx})

    def _execute_kw(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        params = {
            "service": "object",
            "method": "execute_kw",
            "args": [
                self.config.database,
                self.uid,
                self.config.api_key.get_secret_value(),
                model,
                method,
                _wire(args),
                _wire(kwargs),
            ],
        }
        return self._jsonrpc_post("/jsonrpc", params, f"{model}.{method}")

    def search_read(
        self,
        model: str,
        domain: Domain,
        fields: list[str],
        *,
        limit: int | None = None,
        context: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        rows = self.call(model, "search_read", domain=domain, fields=fields, limit=limit, context=context)
        return list(rows or [])

    def create(
        self, model: str, vals_list: list[dict[str, Any]], *, context: dict[str, Any] | None = None
    ) -> list[int]:
        """Batch create: one call, one transaction, one id per values dict (in order).

        JSON-RPC passes the list positionally (``[[{...}, {...}]]``): Odoo 17/18's ``call_kw`` reads
        ``args[0]`` to tell one dict from a list, so the keyword form ``{'vals_list': [...]}`` creates
        and then fails with ``IndexError: tuple index out of range`` (rolled back; recorded in
        tests/fixtures/real/odoo-18.0/). JSON-2 (19+) takes named arguments only."""
        self.connect()
        if self.protocol == "json2":
            ids = self.call(model, "create", vals_list=vals_list, context=context)
        else:
            ctx = {"lang": self.config.options.lang, **(context or {})}
            ids = self._execute_kw(model, "create", [vals_list], {"context": ctx})
        ids = ids if isinstance(ids, list) else [ids]
        if len(ids) != len(vals_list):
            raise TerminalError(f"odoo: create returned {len(ids)} ids for {len(vals_list)} rows")
        return [int(i) for i in ids]

    def write(self, model: str, ids: list[int], vals: dict[str, Any], *, context: dict[str, Any] | None = None) -> bool:
        """``write`` answers True or raises; anything else is not a proof the values are stored.

        JSON-RPC passes ``vals`` positionally: overrides name it differently (sale_stock's
        ``SaleOrder.write(self, values)``), so ``vals=`` fails on sale.order with a TypeError
        (recorded: tests/fixtures/real/odoo-18.0/refusals/)."""
        self.connect()
        if self.protocol == "json2":
            answer = self.call(model, "write", ids, vals=vals, context=context)
        else:
            ctx = {"lang": self.config.options.lang, **(context or {})}
            answer = self._execute_kw(model, "write", [ids, vals], {"context": ctx})
        if answer is not True:
            raise TerminalError(f"odoo: {model}.write{ids} answered {str(answer)[:200]!r}, not True")
        return True

    # -- transports -------------------------------------------------------------------------
    def _jsonrpc_post(self, path: str, params: dict[str, Any], what: str) -> Any:
        payload = {"jsonrpc": "2.0", "method": "call", "params": params, "id": next(self._ids)}
        body = json.dumps(payload)
        answer = self._post(path, body, {"Content-Type": "application/json"}, what)
        if "error" in answer:
            error = answer["error"] if isinstance(answer["error"], dict) else {}
            raise rpc_error(
                error.get("data") or error, request=self._describe(path, body), response=self._clean(json.dumps(answer))
            )
        return answer.get("result")

    def _json2(
        self, model: str, method: str, ids: list[int] | None, context: dict[str, Any], kwargs: dict[str, Any]
    ) -> Any:
        named: dict[str, Any] = {**kwargs, "context": context}
        if ids is not None:
            named["ids"] = ids
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Odoo-Database": self.config.database,
            "Authorization": f"bearer {self.config.api_key.get_secret_value()}",
        }
        return self._post(f"/json/2/{model}/{method}", json.dumps(_wire(named)), headers, f"{model}.{method}")

    def _post(self, path: str, body: str, headers: dict[str, str], what: str) -> Any:
        request = self._describe(path, body)
        try:
            response = self.session.post(
                self.config.url + path, data=body.encode(), headers=headers, timeout=self.timeout, allow_redirects=False
            )
        except requests.Timeout as exc:
            raise TransientError(f"odoo: {what} timed out", request=request) from exc
        except requests.RequestException as exc:
            raise TransientError(f"odoo: {what}: {type(exc).__name__}", request=request) from exc
        text = response.text
        error = ODOO_HTTP_POLICY.classify(
            response.status_code, dict(response.headers), self._clean(text), request=request
        )
        if error is not None:
            raise _refine(error, text, request, self._clean(f"HTTP {response.status_code}\n{text}"))
        try:
            return json.loads(text, parse_float=Decimal)
        except ValueError as exc:  # a garbled answer from a proxy or a dying worker: try again
            raise TransientError(
                f"odoo: {what}: malformed JSON answer", request=request, response=self._clean(text)
            ) from exc

    def _clean(self, text: str) -> str:
        return redact(text, (self.config.api_key.get_secret_value(),))

    def _describe(self, path: str, body: str) -> str:
        return self._clean(f"POST {self.config.url}{path} {body}")


def wizard_model(answer: Any) -> str | None:
    """The model of the wizard an action method answered instead of acting (a dict with ``res_model``)."""
    if isinstance(answer, dict) and isinstance(answer.get("res_model"), str):
        return str(answer["res_model"])
    return None


def _refine(error: SinkError, text: str, request: str, response: str) -> SinkError:
    """A JSON-2 error body names the Odoo exception: its class decides over the bare status."""
    try:
        body = json.loads(text)
    except ValueError:
        return error
    if isinstance(body, dict) and isinstance(body.get("name"), str):
        return rpc_error(body, request=request, response=response, default=error)
    return error
