"""`prestasync check`: the read-only preflight of both databases (as the capture users), both APIs, Kafka."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.table import Table

from kernel.settings import Settings
from prestasync.attach.capture import AdminCredential
from prestasync.attach.check_apis import check_odoo_api, check_webservice
from prestasync.attach.check_kafka import check_kafka
from prestasync.attach.check_mariadb import check_mariadb
from prestasync.attach.check_postgres import check_postgres
from prestasync.attach.check_sales import check_sales
from prestasync.attach.findings import Finding

CHECKS: dict[str, Callable[..., list[Finding]]] = {
    "mariadb": check_mariadb,
    "postgres": check_postgres,
    "prestashop-api": lambda settings, admin: check_webservice(settings),
    "odoo-api": lambda settings, admin: check_odoo_api(settings),
    "kafka": lambda settings, admin: check_kafka(settings),
    "odoo-sales": lambda settings, admin: check_sales(settings),
}
_STYLE = {
    "ok": "[green]ok[/green]",
    "info": "[blue]info[/blue]",
    "warning": "[yellow]warning[/yellow]",
    "problem": "[red]PROBLEM[/red]",
}


def run_checks(settings: Settings, only: Sequence[str] = (), admin: AdminCredential | None = None) -> list[Finding]:
    """Every check of the systems in ``only`` (all by default); ``admin`` inspects ``only``'s single system."""
    if admin is not None and len(only) != 1:
        raise ValueError("an admin credential belongs to one database: name it in only")
    findings: list[Finding] = []
    for system, check in CHECKS.items():
        if not only or system in only:
            findings += check(settings, admin)
    return findings


def problems(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.status == "problem"]


def findings_table(findings: Sequence[Finding]) -> Table:
    table = Table(title="prestasync check", show_lines=False)
    for column in ("system", "check", "", "detail"):
        table.add_column(column)
    for f in findings:
        detail = f.detail + (f"\n[dim]fix:[/dim] {f.fix}" if f.fix else "")
        table.add_row(f.system, f.check, _STYLE[f.status], detail)
    return table
