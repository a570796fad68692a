"""What deployment files (docker-compose.yml, systemd units) may name: the CLI's commands and the
environment variables the code reads. Used by the tests that check those files' wiring."""

from __future__ import annotations

import click
from pydantic import BaseModel

from kernel.settings import Settings


def _tree_names(prefix: str, model: type[BaseModel]) -> set[str]:
    """``<prefix><FIELD>`` for every field, and ``<prefix><FIELD>__<SUB>`` down every nested model."""
    names = set()
    for name, field in model.model_fields.items():
        names.add(f"{prefix}{name.upper()}")
        nested = field.annotation
        if isinstance(nested, type) and issubclass(nested, BaseModel):
            names |= _tree_names(f"{prefix}{name.upper()}__", nested)
    return names


def env_names_read() -> set[str]:
    """Every PRESTASYNC_* variable the code reads: ``PRESTASYNC_CONFIG`` and the settings tree."""
    return {"PRESTASYNC_CONFIG"} | _tree_names("PRESTASYNC_", Settings)


def parse_cli(args: list[str]) -> click.Command:
    """The `prestasync` command these arguments name, its options and arguments parsed (not run)."""
    from prestasync.cli import cli

    command: click.Command = cli
    ctx = click.Context(cli, info_name="prestasync")
    rest = list(args)
    while isinstance(command, click.Group):
        assert rest, f"`prestasync {' '.join(args)}` names a group, not a command"
        sub = command.get_command(ctx, rest[0])
        assert sub is not None, f"`prestasync {' '.join(args)}`: no command {rest[0]!r}"
        ctx = click.Context(sub, info_name=rest[0], parent=ctx)
        command, rest = sub, rest[1:]
    command.make_context(ctx.info_name, rest, parent=ctx.parent)  # raises on an unknown option or choice
    return command
