"""`prestasync provision` and `prestasync check`: attaching to existing databases. Registered on the main CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from kernel.settings import get_settings

console = Console()
err_console = Console(stderr=True)
ONLY = click.Choice(["mariadb", "postgres"])


@click.command()
@click.option("--print-sql", "print_sql", is_flag=True, help="Print the SQL for a DBA (the default).")
@click.option(
    "--apply",
    "apply_sql",
    is_flag=True,
    help="Run that SQL now, as the admin given by --admin-user (one database: --only).",
)
@click.option("--only", type=ONLY, help="One database: mariadb (the shop's) or postgres (the ERP's).")
@click.option("--admin-user", help="--apply: the DBA's administrative user (root, postgres...).")
@click.option(
    "--admin-password-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="--apply: a file holding that user's password (read for this run, stored nowhere).",
)
@click.option("--admin-socket", help="--apply on MariaDB: log in over this unix socket instead (unix_socket auth).")
@click.option("--remove", is_flag=True, help="The reverse: drop the capture users, signal tables, publication, slot.")
def provision(
    print_sql: bool,
    apply_sql: bool,
    only: str | None,
    admin_user: str | None,
    admin_password_file: Path | None,
    admin_socket: str | None,
    remove: bool,
) -> None:
    """What needs privileges on the databases (capture users, grants, publication, REPLICA IDENTITY, signal
    tables), as SQL for a DBA; server settings as comments. prestasync applies it only with --apply."""
    from prestasync.attach import dba
    from prestasync.attach.capture import AdminCredential

    settings = get_settings()
    if settings.mode == "embedded" and not print_sql:
        err_console.print(
            "[yellow]mode: embedded[/yellow] — `prestasync stack up` provisions the embedded servers; "
            "this prints the SQL an attach-mode DBA would apply"
        )
    systems = [only] if only else list(dba.SYSTEMS)
    if apply_sql:
        if print_sql:
            raise click.UsageError("--print-sql or --apply, not both")
        if not only or not admin_user:
            raise click.UsageError("--apply needs --only (one database) and --admin-user")
        password = admin_password_file.read_text(encoding="utf-8").rstrip("\n") if admin_password_file else None
        credential = AdminCredential(admin_user, password, admin_socket)
        count = dba.apply(settings, only, credential, lambda line: click.echo(f"  {line}"), remove)  # type: ignore[arg-type]
        console.print(
            f"[green]✓[/green] {count} statements applied on {only} as {admin_user}; "
            "`prestasync check` verifies the result"
        )
        return
    for system in systems:
        path = settings.capture_password_path(system)  # type: ignore[arg-type]
        if not path.is_file() and not remove:
            err_console.print(f"generated the {system} capture user's password into {path}")
        click.echo(dba.script(settings, system, remove))  # type: ignore[arg-type]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable: every finding, and ok.")
@click.option(
    "--only",
    type=click.Choice(["mariadb", "postgres", "prestashop-api", "odoo-api", "odoo-sales", "kafka"]),
    multiple=True,
    help="Check only this (repeatable): a database, the API a sink calls, the ERP "
    "records the order mapping needs (odoo-sales), or Kafka (the cluster as the workers reach it, "
    "and the schema registry).",
)
@click.option(
    "--admin-user",
    help="Inspect --only's database as this DBA user instead (read-only session), e.g. before the capture user exists.",
)
@click.option(
    "--admin-password-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file holding that user's password (read for this run, stored nowhere).",
)
@click.option("--admin-socket", help="MariaDB: log in over this unix socket instead (unix_socket auth).")
def check(
    as_json: bool,
    only: tuple[str, ...],
    admin_user: str | None,
    admin_password_file: Path | None,
    admin_socket: str | None,
) -> None:
    """Read-only preflight, as the capture users: reachable, CDC settings, grants, publication, slot, signal
    tables, the shop's time zone, languages and order states; the webservice key's and the Odoo user's
    permissions for what the sinks call; the Odoo sale setup shop orders need (taxes, service products,
    pricelists). Exit 1 on a problem."""
    from prestasync.attach.capture import AdminCredential
    from prestasync.attach.check import findings_table, problems, run_checks

    settings = get_settings()
    admin = None
    if admin_user:
        if len(only) != 1:
            raise click.UsageError("--admin-user needs --only (one database)")
        password = admin_password_file.read_text(encoding="utf-8").rstrip("\n") if admin_password_file else None
        admin = AdminCredential(admin_user, password, admin_socket)
    findings = run_checks(settings, only, admin)
    bad = problems(findings)
    if as_json:
        click.echo(
            json.dumps({"ok": not bad, "mode": settings.mode, "findings": [f.as_dict() for f in findings]}, indent=2)
        )
    else:
        console.print(findings_table(findings))
        console.print(f"[red]{len(bad)} problem(s)[/red]" if bad else "[bold green]no problem found[/bold green]")
    if bad:
        sys.exit(1)


def register(cli: click.Group) -> None:
    for command in (provision, check):
        cli.add_command(command)
