"""What `prestasync check` reports: one finding per thing checked, each problem with its fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Status = Literal["ok", "info", "warning", "problem"]


@dataclass(frozen=True)
class Finding:
    system: str  # mariadb, postgres, shop
    check: str
    status: Status
    detail: str
    fix: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class Report:
    """Findings collected for one system, in the order they were checked."""

    def __init__(self, system: str) -> None:
        self.system = system
        self.findings: list[Finding] = []

    def ok(self, check: str, detail: str) -> None:
        self.findings.append(Finding(self.system, check, "ok", detail))

    def info(self, check: str, detail: str) -> None:
        self.findings.append(Finding(self.system, check, "info", detail))

    def warning(self, check: str, detail: str, fix: str = "") -> None:
        self.findings.append(Finding(self.system, check, "warning", detail, fix))

    def problem(self, check: str, detail: str, fix: str) -> None:
        self.findings.append(Finding(self.system, check, "problem", detail, fix))


def dba_fix(system: str, statement: str = "") -> str:
    what = f" (it has: {statement})" if statement else ""
    return (
        f"have a DBA apply `prestasync provision --print-sql --only {system}`{what}, or run "
        f"`prestasync provision --apply --only {system}` with their admin credential"
    )
