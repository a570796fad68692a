"""`prestasync check`, the two APIs the sinks call, read-only: the PrestaShop webservice key's permission
on each resource and method the shop sink uses (``GET /api/`` lists them), and the Odoo integration
user's access rights on each model and operation the ERP sink uses (``has_access`` /
``check_access_rights``, which read ``ir.model.access`` and change nothing).

The tables below are what the sinks call today (sinks/prestashop, sinks/odoo); a sink that starts
calling something new adds it here, or `check` would pass a key the sink then sees refused.
"""

from __future__ import annotations

import defusedxml.ElementTree as SafeET
import requests
from defusedxml import DefusedXmlException

from prestasync.attach.findings import Finding, Report
from prestasync.config import Settings

# resource -> methods (an update is a PUT, or a PATCH where the shop has it)
WEBSERVICE_NEEDS: dict[str, tuple[str, ...]] = {
    "customers": ("GET", "POST"), "orders": ("GET",), "order_histories": ("GET", "POST"),
    "order_carriers": ("GET", "PUT"), "products": ("GET", "POST", "PUT"), "combinations": ("GET", "POST", "PUT"),
    "specific_prices": ("GET", "POST", "PUT"), "stock_availables": ("GET", "PUT"), "images": ("GET", "POST"),
}  # fmt: skip
# model -> operations (ir.model.access): confirm / cancel calls are writes
ODOO_NEEDS: dict[str, tuple[str, ...]] = {
    "res.partner": ("read", "create", "write"), "sale.order": ("read", "create", "write"),
    "sale.order.line": ("read", "create"), "product.product": ("read",),
    "stock.quant": ("read", "create", "write"), "stock.move": ("read", "write"), "stock.picking": ("read", "write"),
}  # fmt: skip


def check_webservice(settings: Settings) -> list[Finding]:
    from sinks.prestashop.config import MissingKey, config_from_settings

    report = Report("prestashop-api")
    try:
        config = config_from_settings(settings)
    except MissingKey as exc:
        report.problem("webservice key", str(exc), "create a webservice key in the shop's back office "
                       "(Advanced Parameters > Webservice) with the permissions below, and write it there")
        return report.findings
    url = config.api_url.rstrip("/") + "/"
    try:
        reply = requests.get(url, auth=(config.api_key, ""), timeout=10, params={"output_format": "XML"})
    except requests.RequestException as exc:
        report.problem("reachable", f"no webservice at {url}: {type(exc).__name__}",
                       "set PRESTASYNC_SINK_PRESTASHOP_URL to the shop's https://<shop>/api")
        return report.findings
    if reply.status_code in (401, 403):
        report.problem("webservice key", f"{url} refused the key ({reply.status_code})",
                       "enable the webservice and the key in the shop's back office (Advanced Parameters > Webservice)")
        return report.findings
    try:
        api = SafeET.fromstring(reply.content).find("api")
    except (SafeET.ParseError, DefusedXmlException):
        api = None
    if reply.status_code != 200 or api is None:
        report.problem("reachable", f"{url} answered {reply.status_code}, not the webservice's resource list",
                       "set PRESTASYNC_SINK_PRESTASHOP_URL to the shop's https://<shop>/api")
        return report.findings
    report.ok("reachable", f"webservice at {url} ({api.get('shopName') or 'shop'}), PSWS-Version "
              f"{reply.headers.get('PSWS-Version', '?')}")
    granted = {child.tag: {m.upper() for m in ("get", "put", "post", "patch", "delete", "head")
                           if child.get(m) == "true"} for child in api}  # fmt: skip
    missing = []
    for resource, methods in WEBSERVICE_NEEDS.items():
        have = granted.get(resource, set())
        if "PATCH" in have:
            have = have | {"PUT"}
        missing += [f"{resource} {m}" for m in methods if m not in have]
    if missing:
        report.problem("webservice permissions", f"the key may not: {', '.join(missing)}",
                       "tick them for the key in the back office (Advanced Parameters > Webservice > the key)")
    else:
        report.ok("webservice permissions", f"{sum(map(len, WEBSERVICE_NEEDS.values()))} resource methods the "
                  "shop sink uses")
    return report.findings


def check_odoo_api(settings: Settings) -> list[Finding]:
    from sinks.odoo.client import OdooClient
    from sinks.odoo.config import load_config

    report = Report("odoo-api")
    try:
        config = load_config(settings)
    except OSError as exc:
        report.problem("api key", f"no Odoo API key file: {exc.strerror}: {exc.filename}",
                       "create an API key for the integration user (Preferences > Account Security) and write "
                       "it to <home>/secrets/odoo_api.key (mode 0600)")
        return report.findings
    client = OdooClient(config)
    try:
        client.connect()
        report.ok("login", f"{config.login} at {config.url}/{config.database} (Odoo {client.server_version}, "
                  f"uid {client.uid})")
        denied = [f"{model} {op}" for model, ops in ODOO_NEEDS.items() for op in ops
                  if not _allowed(client, model, op)]  # fmt: skip
    except Exception as exc:  # refused login, unreachable server, unknown database: all a problem to show
        report.problem("login", f"{config.login} at {config.url}/{config.database}: {exc}",
                       "set the Odoo URL, database and login (PRESTASYNC_ODOO_SINK_*) and the integration user's "
                       "API key file")
        return report.findings
    finally:
        client.close()
    if denied:
        report.problem("access rights", f"{config.login} may not: {', '.join(denied)}",
                       "give the integration user the Sales and Inventory user groups (Settings > Users)")
    else:
        report.ok("access rights", f"{sum(map(len, ODOO_NEEDS.values()))} model operations the ERP sink uses")
    return report.findings


def _allowed(client: object, model: str, operation: str) -> bool:
    from sinks.odoo.client import OdooClient

    assert isinstance(client, OdooClient)
    try:  # Odoo 18+: has_access on an empty recordset checks the model's access rights
        return bool(client.call(model, "has_access", [], operation=operation))
    except Exception:  # Odoo 17: check_access_rights (deprecated since 18)
        return bool(client.call(model, "check_access_rights", operation=operation, raise_exception=False))
