"""The import layers (issue #16): schemas <- kernel <- streams | sinks | sandbox <- prestasync (the application).

A package imports only the layers below it; streams, sinks and sandbox never import each other; no
production package imports the tests, and nothing in production imports the sandbox: in the application
only the developer's tools (the `sandbox` commands, the demo, the benchmarks) may. Every import counts:
module level, inside a function (a lazy import is still a dependency), under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import REPO as REPO_DIR

pytestmark = pytest.mark.unit

ROOT = REPO_DIR
PACKAGES = ("schemas", "kernel", "streams", "sinks", "sandbox", "prestasync", "tests")
ALLOWED: dict[str, frozenset[str]] = {
    "schemas": frozenset(),
    "kernel": frozenset({"schemas"}),
    "streams": frozenset({"schemas", "kernel"}),
    "sinks": frozenset({"schemas", "kernel"}),
    "sandbox": frozenset({"schemas", "kernel"}),
    "prestasync": frozenset({"schemas", "kernel", "streams", "sinks"}),
}
# The application's developer tools, the only production-side code that drives the twins and the simulator:
# the `sandbox` command group, the live demo, the benchmarks (the chaos bench too) and the sandbox wipe
# (which stops the twins).
DEV_TOOLS: dict[str, frozenset[str]] = {
    "prestasync/cli.py": frozenset({"sandbox"}),
    "prestasync/demo.py": frozenset({"sandbox"}),
    "prestasync/demo_dashboard.py": frozenset({"sandbox"}),
    "prestasync/bench.py": frozenset({"sandbox"}),
    "prestasync/bench_probes.py": frozenset({"sandbox"}),
    "prestasync/bench_sink.py": frozenset({"sandbox"}),
    "prestasync/stack/reset.py": frozenset({"sandbox"}),
    # `bench chaos`: its private stack's twins, their fault switches, the simulator's load
    "prestasync/chaos/faults.py": frozenset({"sandbox"}),
    "prestasync/chaos/load.py": frozenset({"sandbox"}),
    "prestasync/chaos/stack.py": frozenset({"sandbox"}),
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
            name = path.relative_to(root).as_posix()
            may = allowed | DEV_TOOLS.get(name, frozenset())
            for line, target in imported_packages(path.read_text(encoding="utf-8")):
                if target != package and target not in may:
                    wrong.append(
                        f"{name}:{line} imports {target} ({package} may import "
                        f"{', '.join(sorted(may)) or 'nothing of ours'})"
                    )
    return wrong


def test_no_import_crosses_the_layers() -> None:
    wrong = violations(ROOT)
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_a_forbidden_import_is_caught(tmp_path: Path) -> None:
    """The check itself can fail: a sink importing the streams, a lazy kernel import of the CLI, the
    production stack importing the sandbox (the demo may)."""
    for package in ALLOWED:
        (tmp_path / package).mkdir()
    (tmp_path / "sinks" / "a.py").write_text("from streams.processor import Processor\n")
    (tmp_path / "kernel" / "b.py").write_text("def f():\n    import prestasync.cli\n")
    (tmp_path / "streams" / "c.py").write_text("from kernel.settings import Settings\n")
    (tmp_path / "prestasync" / "stack").mkdir()
    (tmp_path / "prestasync" / "stack" / "d.py").write_text("def f():\n    from sandbox.lifecycle import up\n")
    (tmp_path / "prestasync" / "demo.py").write_text("from sandbox.simulator import Simulator\n")
    assert violations(tmp_path) == [
        "kernel/b.py:2 imports prestasync (kernel may import schemas)",
        "sinks/a.py:1 imports streams (sinks may import kernel, schemas)",
        "prestasync/stack/d.py:2 imports sandbox (prestasync may import kernel, schemas, sinks, streams)",
    ]
