"""The import layers (issue #16): schemas <- kernel <- streams | sinks | sandbox <- prestasync (the application).

A package imports only the layers below it; streams, sinks and sandbox never import each other; no
production package imports the tests. Every import counts: module level, inside a function (a lazy
import is still a dependency), under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("schemas", "kernel", "streams", "sinks", "sandbox", "prestasync", "tests")
ALLOWED: dict[str, frozenset[str]] = {
    "schemas": frozenset(),
    "kernel": frozenset({"schemas"}),
    "streams": frozenset({"schemas", "kernel"}),
    "sinks": frozenset({"schemas", "kernel"}),
    "sandbox": frozenset({"schemas", "kernel"}),
    "prestasync": frozenset({"schemas", "kernel", "streams", "sinks", "sandbox"}),
}


def imported_packages(source: str) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import of one of ours in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, name.split(".")[0]) for name in names if name.split(".")[0] in PACKAGES]
    return found


def violations(root: Path) -> list[str]:
    wrong = []
    for package, allowed in ALLOWED.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, target in imported_packages(path.read_text(encoding="utf-8")):
                if target != package and target not in allowed:
                    wrong.append(
                        f"{path.relative_to(root)}:{line} imports {target} ({package} may import "
                        f"{', '.join(sorted(allowed)) or 'nothing of ours'})"
                    )
    return wrong


def test_no_import_crosses_the_layers() -> None:
    wrong = violations(ROOT)
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_a_forbidden_import_is_caught(tmp_path: Path) -> None:
    """The check itself can fail: a sink importing the streams, a lazy kernel import of the CLI."""
    for package in ALLOWED:
        (tmp_path / package).mkdir()
    (tmp_path / "sinks" / "a.py").write_text("from streams.processor import Processor\n")
    (tmp_path / "kernel" / "b.py").write_text("def f():\n    import prestasync.cli\n")
    (tmp_path / "streams" / "c.py").write_text("from kernel.settings import Settings\n")
    assert violations(tmp_path) == [
        "kernel/b.py:2 imports prestasync (kernel may import schemas)",
        "sinks/a.py:1 imports streams (sinks may import kernel, schemas)",
    ]
