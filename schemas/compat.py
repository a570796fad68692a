"""Schema evolution check (run in CI): ``python -m schemas.compat`` [--publish].

Checks, for every entity:
1. each published version is backward AND forward compatible with the one before it
   (``avro.compatibility.ReaderWriterCompatibilityChecker`` both ways: the new reader reads old
   data, the old reader reads new data);
2. the newest published version equals the schema derived from the typed record class, so the
   Python records and the contract cannot drift.

``--publish`` writes ``v<N+1>.avsc`` for every entity whose record class changed, after checking
the new version is compatible; it refuses otherwise. Exit status 0 when all is well, 1 otherwise.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import avro.schema
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

from schemas.catalogue import AVRO_DIR, CLASS_BY_ENTITY, published_versions
from schemas.model import avro_schema


@dataclass(frozen=True)
class Problem:
    entity: str
    message: str

    def __str__(self) -> str:
        return f"{self.entity}: {self.message}"


def incompatibilities(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Why ``new`` is not both backward and forward compatible with ``old`` (empty when it is)."""
    old_schema = avro.schema.parse(json.dumps(old))
    new_schema = avro.schema.parse(json.dumps(new))
    checker = ReaderWriterCompatibilityChecker()  # type: ignore[no-untyped-call]
    reasons = []
    for direction, reader, writer in (
        ("backward (new reads old)", new_schema, old_schema),
        ("forward (old reads new)", old_schema, new_schema),
    ):
        result = checker.get_compatibility(reader, writer)
        if result.compatibility is not SchemaCompatibilityType.compatible:
            details = "; ".join(sorted(str(m) for m in result.messages)) or "incompatible"
            reasons.append(f"not {direction}: {details}")
    return reasons


def check(root: Path = AVRO_DIR) -> list[Problem]:
    problems: list[Problem] = []
    for entity, cls in CLASS_BY_ENTITY.items():
        versions = published_versions(entity, root)
        if not versions:
            problems.append(Problem(entity, "no published schema (run python -m schemas.compat --publish)"))
            continue
        for older, newer in itertools.pairwise(versions):
            for reason in incompatibilities(older.schema, newer.schema):
                problems.append(Problem(entity, f"v{newer.version} vs v{older.version}: {reason}"))
        if versions[-1].schema != avro_schema(cls):
            problems.append(
                Problem(
                    entity,
                    f"record class {cls.__name__} differs from published "
                    f"v{versions[-1].version}: publish a new version",
                )
            )
    return problems


def publish(root: Path = AVRO_DIR) -> tuple[list[Path], list[Problem]]:
    """Write the next version of every changed entity; never overwrite, never publish a break."""
    written: list[Path] = []
    problems: list[Problem] = []
    for entity, cls in CLASS_BY_ENTITY.items():
        derived = avro_schema(cls)
        versions = published_versions(entity, root)
        if versions and versions[-1].schema == derived:
            continue
        if versions:
            reasons = incompatibilities(versions[-1].schema, derived)
            if reasons:
                problems.extend(Problem(entity, f"not published: {r}") for r in reasons)
                continue
        path = root / entity / f"v{len(versions) + 1}.avsc"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(json.dumps(derived, indent=2) + "\n")
        written.append(path)
    return written, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m schemas.compat", description=__doc__.split("\n")[0])
    parser.add_argument("--publish", action="store_true", help="write v<N+1> for changed entities")
    parser.add_argument("--root", type=Path, default=AVRO_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.publish:
        written, refused = publish(args.root)
        for path in written:
            print(f"published {path}")
        for problem in refused:
            print(f"REFUSED {problem}", file=sys.stderr)
    problems = check(args.root)
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if not problems:
        print(f"ok: {len(CLASS_BY_ENTITY)} entities, every version backward and forward compatible")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
