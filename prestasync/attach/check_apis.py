"""`prestasync check`, the two APIs the sinks call, read-only: the PrestaShop webservice key's permission
on each resource and method the shop sink uses (``GET /api/`` lists them), and the Odoo integration
user's access rights on each model and operation the ERP sink uses (``has_access`` /
``check_access_rights``, which read ``ir.model.access`` and change nothing; no login, see below).

The tables below are what the sinks call today (sinks/prestashop, sinks/odoo); a sink that starts
calling something new adds it here, or `check` would pass a key the sink then sees refused.
"""

from __future__ import annotations

from typing import Any

import defusedxml.ElementTree as SafeET
import requests
from defusedxml import DefusedXmlException

from kernel.errors import StackError
from kernel.settings import Settings
from prestasync.attach.findings import Finding, Report

# resource -> methods (an update is a PUT, or a PATCH where the shop has it)
WEBSERVICE_NEEDS: dict[str, tuple[str, ...]] = {
    "customers": ("GET", "POST"),
    "orders": ("GET",),
    "order_histories": ("GET", "POST"),
    "order_carriers": ("GET", "PUT"),
    "products": ("GET", "POST", "PUT"),
    "combinations": ("GET", "POST", "PUT"),
    "specific_prices": ("GET", "POST", "PUT"),
    "stock_availables": ("GET", "PUT"),
    "images": ("GET", "POST"),
}
# model -> operations (ir.model.access): confirm / cancel calls are writes
ODOO_NEEDS: dict[str, tuple[str, ...]] = {
    "res.partner": ("read", "create", "write"),
    "sale.order": ("read", "create", "write"),
    "sale.order.line": ("read", "create"),
    "product.product": ("read",),
    "stock.quant": ("read", "create", "write"),
    "stock.move": ("read", "write"),
    "stock.picking": ("read", "write"),
}


def check_webservice(settings: Settings) -> list[Finding]:
    from sinks.prestashop.config import MissingKey, config_from_settings

    report = Report("prestashop-api")
    try:
        config = config_from_settings(settings)
    except MissingKey as exc:
        report.problem(
            "webservice key",
            str(exc),
            "create a webservice key in the shop's back office "
            "(Advanced Parameters > Webservice) with the permissions below, and write it there",
        )
        return report.findings
    url = config.api_url.rstrip("/") + "/"
    try:
        reply = requests.get(url, auth=(config.api_key, ""), timeout=10, params={"output_format": "XML"})
    except requests.RequestException as exc:
        report.problem(
            "reachable",
            f"no webservice at {url}: {type(exc).__name__}",
            "set shop.api_url to the shop's https://<shop>/api",
        )
        return report.findings
    if reply.status_code in (401, 403):
        report.problem(
            "webservice key",
            f"{url} refused the key ({reply.status_code})",
            "enable the webservice and the key in the shop's back office (Advanced Parameters > Webservice)",
        )
        return report.findings
    try:
        api = SafeET.fromstring(reply.content).find("api")
    except (SafeET.ParseError, DefusedXmlException):
        api = None
    if reply.status_code != 200 or api is None:
        report.problem(
            "reachable",
            f"{url} answered {reply.status_code}, not the webservice's resource list",
            "set shop.api_url to the shop's https://<shop>/api",
        )
        return report.findings
    report.ok(
        "reachable",
        f"webservice at {url} ({api.get('shopName') or 'shop'}), PSWS-Version {reply.headers.get('PSWS-Version', '?')}",
    )
    granted = {
        child.tag: {m.upper() for m in ("get", "put", "post", "patch", "delete", "head") if child.get(m) == "true"}
        for child in api
    }
    missing = []
    for resource, methods in WEBSERVICE_NEEDS.items():
        have = granted.get(resource, set())
        if "PATCH" in have:
            have = have | {"PUT"}
        missing += [f"{resource} {m}" for m in methods if m not in have]
    if missing:
        report.problem(
            "webservice permissions",
            f"the key may not: {', '.join(missing)}",
            "tick them for the key in the back office (Advanced Parameters > Webservice > the key)",
        )
    else:
        report.ok(
            "webservice permissions", f"{sum(map(len, WEBSERVICE_NEEDS.values()))} resource methods the shop sink uses"
        )
    return report.findings


def check_odoo_api(settings: Settings) -> list[Finding]:
    """Without logging in: Odoo's login (``common.login``) writes a ``res_users_log`` row, while
    ``execute_kw`` with a user id and the API key only verifies the key. The id is
    ``streams.integration_uid``, the one the loop guard knows the integration's own writes by, so a
    key of another user is found here too."""
    from sinks.odoo.config import load_config

    report = Report("odoo-api")
    try:
        config = load_config(settings)
    except StackError as exc:
        report.problem(
            "api key",
            str(exc).split("\n")[0],
            "create an API key for the integration user (Preferences > Account Security) and write "
            f"it to {settings.erp_api_key_file} (mode 0600; erp.api_key_file)",
        )
        return report.findings
    uid, where = settings.streams.integration_uid, f"{config.url}/{config.database}"
    rpc = _JsonRpc(config.url, config.database, uid, config.api_key.get_secret_value())
    try:
        version = rpc.post("common", "version")["server_version"]
        users = rpc.execute("res.users", "read", [[uid]], {"fields": ["login"]})
    except _Fault as exc:
        report.problem(
            "login",
            f"uid {uid} with the API key at {where}: {exc}",
            "streams.integration_uid must be the id of the user the key (<home>/secrets/odoo_api.key) belongs to",
        )
        return report.findings
    except requests.RequestException as exc:
        report.problem(
            "reachable", f"no Odoo at {config.url}: {type(exc).__name__}", "set erp.url to the ERP's base URL"
        )
        return report.findings
    login = users[0]["login"] if users else None
    if login != config.login:
        report.problem(
            "login",
            f"the API key is uid {uid}'s ({login!r}), the sink logs in as {config.login!r}",
            "set erp.login and streams.integration_uid to the same user",
        )
        return report.findings
    report.ok("login", f"{login} (uid {uid}) at {where}, Odoo {version}")
    denied = [f"{model} {op}" for model, ops in ODOO_NEEDS.items() for op in ops if not rpc.allowed(model, op)]
    if denied:
        report.problem(
            "access rights",
            f"{config.login} may not: {', '.join(denied)}",
            "give the integration user the Sales and Inventory user groups (Settings > Users)",
        )
    else:
        report.ok("access rights", f"{sum(map(len, ODOO_NEEDS.values()))} model operations the ERP sink uses")
    return report.findings


class _Fault(RuntimeError):
    """An error answer of Odoo's JSON-RPC (access denied, unknown method...)."""


class _JsonRpc:
    def __init__(self, url: str, database: str, uid: int, key: str) -> None:
        self.url, self.database, self.uid, self._key = url.rstrip("/"), database, uid, key

    def post(self, service: str, method: str, *args: Any) -> Any:
        body = {"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args}}
        reply = requests.post(f"{self.url}/jsonrpc", json=body, timeout=15)
        reply.raise_for_status()
        answer = reply.json()
        if "error" in answer:
            data = answer["error"].get("data") or {}
            raise _Fault(f"{data.get('name', 'error')}: {str(data.get('message', answer['error']))[:200]}")
        return answer.get("result")

    def execute(self, model: str, method: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        return self.post("object", "execute_kw", self.database, self.uid, self._key, model, method, args, kwargs)

    def allowed(self, model: str, operation: str) -> bool:
        try:  # Odoo 18+: has_access on an empty recordset checks the model's access rights
            return bool(self.execute(model, "has_access", [[], operation], {}))
        except _Fault:  # Odoo 17: check_access_rights (deprecated since 18)
            return bool(self.execute(model, "check_access_rights", [operation], {"raise_exception": False}))
